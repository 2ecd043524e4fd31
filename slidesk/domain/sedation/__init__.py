"""The sedation rules: doses, scales, per-site sedation, adverse events."""
