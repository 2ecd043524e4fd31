"""Every "now" comes from the injected clock, and every local time is the site's zone.

A static check over the application's code: a wall-clock read (datetime.now, date.today,
time.time, QDateTime.currentDateTime …) or a conversion to the computer's own time zone
(`.astimezone()` with no zone, QDateTime.fromSecsSinceEpoch, `.toSecsSinceEpoch()`) outside
`slidesk/clock.py` fails this test, with the place.
Tests pass on any date only if the code never asks the machine what time it is.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# (module, attribute) pairs that read the machine's clock.
_WALL_CLOCK = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
    ("QDateTime", "currentDateTime"),
    ("QDateTime", "currentDateTimeUtc"),
    ("QDateTime", "currentSecsSinceEpoch"),
    ("QDateTime", "currentMSecsSinceEpoch"),
    ("QDate", "currentDate"),
    ("QTime", "currentTime"),
}

_MODULES = {"datetime", "time", "QtCore", "PySide6"}

# Qt calls that read or build a date-time in the computer's zone: a field shows the site's wall
# clock through ui/common/timefmt.py (site_wall_clock / from_site_wall_clock) instead.
_HOST_ZONE_QT = {
    ("QDateTime", "fromSecsSinceEpoch"),
    ("QDateTime", "fromMSecsSinceEpoch"),
}
_HOST_ZONE_METHODS = {"toSecsSinceEpoch", "toMSecsSinceEpoch", "toLocalTime"}

# Reads that are not clinical times, each with its reason.
_ALLOWED = {
    "slidesk/clock.py": "the clock itself",
    "slidesk/persistence/migrate.py": "names the copy set aside before an upgrade (a file name)",
    "slidesk/reports/certificates.py": "validity period of a generated signing certificate",
}


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        attr = node.func.attr
        owner = node.func.value
        # `datetime.now()`, or `datetime.datetime.now()` through a module — not `self.time.time()`.
        owner_name = (
            owner.id
            if isinstance(owner, ast.Name)
            else owner.attr
            if isinstance(owner, ast.Attribute)
            and isinstance(owner.value, ast.Name)
            and owner.value.id in _MODULES
            else None
        )
        if (owner_name, attr) in _WALL_CLOCK:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {owner_name}.{attr}()")
        if (owner_name, attr) in _HOST_ZONE_QT or attr in _HOST_ZONE_METHODS:
            found.append(
                f"{path.relative_to(ROOT)}:{node.lineno}: {attr}() "
                "(a Qt date-time in the computer's zone, not the site's)"
            )
        if attr == "astimezone" and not node.args and not node.keywords:
            found.append(
                f"{path.relative_to(ROOT)}:{node.lineno}: .astimezone() with no zone "
                "(the computer's zone, not the site's)"
            )
    return found


def _sources() -> list[Path]:
    return sorted(p for d in ("slidesk", "ui") for p in (ROOT / d).rglob("*.py"))


def test_the_code_reads_no_wall_clock_and_no_host_time_zone() -> None:
    offences = [
        line
        for path in _sources()
        if str(path.relative_to(ROOT)) not in _ALLOWED
        for line in _offences(path)
    ]
    assert not offences, "Use the injected clock and its zone:\n" + "\n".join(offences)


@pytest.mark.parametrize(
    "source",
    [
        "from datetime import datetime\nx = datetime.now()\n",
        "import datetime\nx = datetime.date.today()\n",
        "import time\nx = time.time()\n",
        "from PySide6.QtCore import QDateTime\nx = QDateTime.currentDateTime()\n",
        "def f(v):\n    return v.astimezone()\n",
        "from PySide6.QtCore import QDateTime\nx = QDateTime.fromSecsSinceEpoch(0)\n",
        "def f(edit):\n    return edit.dateTime().toSecsSinceEpoch()\n",
    ],
)
def test_the_check_catches_each_kind_of_wall_clock_read(tmp_path: Path, source: str) -> None:
    sample = ROOT / "ui" / "_clock_check_sample.py"
    try:
        sample.write_text(source, encoding="utf-8")
        assert _offences(sample)
    finally:
        sample.unlink(missing_ok=True)


def test_the_allowed_list_names_files_that_exist() -> None:
    for name in _ALLOWED:
        assert (ROOT / name).is_file(), name
