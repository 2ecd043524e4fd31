"""Sign-in, first run, password change, the typist switcher and the lock screen."""
