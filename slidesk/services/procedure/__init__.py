"""The procedure context: planning, bedside entries, completion, reconciliation, checklist."""
