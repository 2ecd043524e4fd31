"""Sign-off, locking and amendments, and the procedure report (preview, print, save)."""
