"""The bedside workspace: leg diagram, entry panel, header and the record side panel."""
