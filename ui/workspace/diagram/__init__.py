"""The lower-leg diagram with its site markers."""
