"""The `slidesk` command: the core's command line, with the window as its default command.

Imports no Qt itself: without a display it says so in one line before Qt is loaded (Qt's own
abort names a library, xcb-cursor0, that is usually not the problem).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

NO_DISPLAY_EXIT = 1


def missing_display(environ: Mapping[str, str], platform: str) -> str | None:
    """Why no window can open here, in one line; None when one can (or Qt will tell)."""
    if not platform.startswith("linux"):
        return None
    wanted = environ.get("QT_QPA_PLATFORM", "").strip()
    # Qt's platform list: "wayland;xcb", each name optionally with ":options".
    names = [name.split(":", 1)[0].strip() for name in wanted.split(";") if name.strip()]
    if any(not (name == "xcb" or name.startswith("wayland")) for name in names):
        return None  # offscreen, vnc, eglfs, … need no display server
    needed = ["DISPLAY", "WAYLAND_DISPLAY"]
    if names:
        needed = [
            var
            for var, kind in (("DISPLAY", "xcb"), ("WAYLAND_DISPLAY", "wayland"))
            if any(name.startswith(kind) for name in names)
        ]
    if any(environ.get(var) for var in needed):
        return None
    unset = " and ".join(needed) + (" are" if len(needed) > 1 else " is")
    return (
        f"SLI Desk needs a display, and none is available ({unset} not set). "
        "Start it in a desktop session, use a command that needs none "
        "(slidesk --help; e.g. slidesk demo --no-gui), or set QT_QPA_PLATFORM=offscreen."
    )


def _run_gui(target: str) -> int:
    problem = missing_display(os.environ, sys.platform)
    if problem is not None:
        print(problem, file=sys.stderr)  # noqa: T201 - the one line a person needs here
        return NO_DISPLAY_EXIT
    from ui.app import run

    return run(target)


def _ask_in_window(path: str) -> bool:
    """No terminal to ask on (a double-click): ask in a window whether to create a database
    at `path`; no display means no."""
    if missing_display(os.environ, sys.platform) is not None:
        return False
    from ui.startup import ask_to_create

    return ask_to_create(path)


def main(argv: Sequence[str] | None = None) -> int:
    from slidesk.cli.main import main as cli_main

    return cli_main(argv, gui=_run_gui, ask=_ask_in_window)
