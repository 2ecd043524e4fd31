"""Tamper evidence: the audit hash chain, checkpoints and their witness files (pure, no
database)."""
