"""`python -m slidesk` runs the command line."""

from slidesk.cli.main import main

raise SystemExit(main())
