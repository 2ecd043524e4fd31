"""Follow-up screens: due visits, a subject's outcome timeline, the visit form."""
