"""The home page: the list of procedures (lazy, paged), search, filters, open/resume/new."""
