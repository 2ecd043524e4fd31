"""`python -m slidesk` runs the command line."""

from slidesk.cli import main

raise SystemExit(main())
