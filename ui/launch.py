"""The `slidesk` command: the core's command line, with the window as its default command."""

from __future__ import annotations

from collections.abc import Sequence


def _run_gui(target: str) -> int:
    from ui.app import run

    return run(target)


def main(argv: Sequence[str] | None = None) -> int:
    from slidesk.cli import main as cli_main

    return cli_main(argv, gui=_run_gui)
