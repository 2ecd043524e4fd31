"""The signing context: signatures, amendments and review."""
