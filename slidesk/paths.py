"""Where resources and user data live. No Qt, no database."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_dir() -> Path:
    """The shipped `resources/` folder, also inside a frozen bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def user_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("SLI Desk", "SLIDesk"))


def default_database_path() -> Path:
    return user_data_dir() / "slidesk.sqlite3"


def demo_database_path() -> Path:
    return user_data_dir() / "slidesk-demo.sqlite3"
