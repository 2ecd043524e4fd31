"""The entry panel beside the diagram: what the operator confirms for a site."""
