"""Services: the only API the GUI and CLI call. Keyword-only functions taking a unit of work, a
clock and the acting user; they check permissions, call the domain, commit, and return DTOs.
Never import Qt or SQLAlchemy here."""
