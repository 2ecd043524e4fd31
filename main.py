"""Start SLI Desk: parse the command line and hand over to the app. Nothing else."""

from ui.launch import main

if __name__ == "__main__":
    raise SystemExit(main())
