"""Dialogs around one procedure: plan it, run the time-out, review and finish it."""
