"""Feature screens joined to the main window: nurse's record, signing, follow-up, history."""
