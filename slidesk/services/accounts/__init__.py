"""The accounts context: sign-in, sessions, passwords, rights and account administration."""
