"""The workstation context: opening the database, settings, backups, start-up."""
