"""The command line: `slidesk verify`, backups, checkpoints and report exports."""
