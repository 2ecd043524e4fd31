"""Without a display the app says so in one line, before Qt is loaded (not Qt's abort)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui.launch import NO_DISPLAY_EXIT, missing_display

ROOT = Path(__file__).resolve().parents[2]
HEADLESS = {
    k: v
    for k, v in os.environ.items()
    if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=HEADLESS,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_the_command_without_a_display_says_so_in_one_line_and_fails(tmp_path: Path) -> None:
    target = tmp_path / "never.sqlite3"
    done = _run(str(ROOT / "main.py"), "--db", str(target), "--new")
    assert done.returncode == NO_DISPLAY_EXIT != 0
    assert done.stderr.splitlines() == [
        "SLI Desk needs a display, and none is available (DISPLAY and WAYLAND_DISPLAY are not "
        "set). Start it in a desktop session, use a command that needs none (slidesk --help; "
        "e.g. slidesk demo --no-gui), or set QT_QPA_PLATFORM=offscreen."
    ]
    assert "xcb" not in done.stderr
    assert done.stdout == ""
    assert not target.exists()  # nothing was opened or created


def test_the_display_is_checked_before_qt_is_imported(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from ui.launch import main\n"
        f"code = main(['--db', {str(tmp_path / 'x.sqlite3')!r}, '--new'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
        "raise SystemExit(code)\n"
    )
    done = _run("-c", script)
    assert done.returncode == NO_DISPLAY_EXIT
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("environ", "platform", "missing"),
    [
        ({}, "linux", "DISPLAY and WAYLAND_DISPLAY are not set"),
        ({"DISPLAY": ":0"}, "linux", None),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", None),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", None),
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, "linux", None),
        ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, "linux", "DISPLAY is not"),
        ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}, "linux", "WAYLAND_DISPLAY is not"),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":0"}, "linux", None),
        ({"DISPLAY": ""}, "linux", "DISPLAY and WAYLAND_DISPLAY are not set"),
        ({}, "win32", None),
        ({}, "darwin", None),
    ],
)
def test_a_display_is_missing_only_where_qt_would_need_one(
    environ: dict[str, str], platform: str, missing: str | None
) -> None:
    problem = missing_display(environ, platform)
    if missing is None:
        assert problem is None
    else:
        assert problem is not None
        assert missing in problem
        assert "\n" not in problem
