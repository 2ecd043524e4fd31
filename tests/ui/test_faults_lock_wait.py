"""The bedside Confirm while another program holds the database's write lock.

A real second process holds `BEGIN IMMEDIATE` on the test's database file. The person types a
site and presses Confirm through the real widgets: the screen must say "Waiting for the
database (held by another program)…" within one second of wall time, keep what was typed,
and keep processing events (a timer on the GUI thread goes on ticking); once the other
program lets go, the injection is saved, exactly once. Held past the whole wait, the screen
says nothing was recorded, the entry is still there, and Confirm again saves it.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer

from tests.conftest import Team
from tests.ui.bedside import open_procedure
from ui.door import operations

_HOLDER = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=0)
con.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.readline()
con.execute("COMMIT")
con.close()
print("released", flush=True)
"""


class Holder:
    """Another program holding the write lock of a database file until `release()`."""

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "held"

    def release(self) -> None:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == "released"
        self.process.wait(timeout=10)

    def end(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def hold_lock(team: Team) -> Iterator[Any]:
    holders: list[Holder] = []

    def start() -> Holder:
        holder = Holder(Path(team.db.location))
        holders.append(holder)
        return holder

    yield start
    for holder in holders:
        holder.end()


def _injections(team: Team, procedure_id: int) -> int:
    """Injected site entries in the database file itself, read by another connection."""
    con = sqlite3.connect(team.db.location)
    try:
        (count,) = con.execute(
            "SELECT count(*) FROM site_entries"
            " WHERE procedure_id = ? AND kind = 'injected' AND voided = 0",
            (procedure_id,),
        ).fetchone()
    finally:
        con.close()
    return int(count)


def _banner(bedside: Any) -> str:
    banner = bedside.panel.banner
    return str(banner.text()) if banner.isVisible() else ""


def _ticks(bedside: Any) -> list[int]:
    """A timer on the GUI thread, counting while the window processes events."""
    counted = [0]
    timer = QTimer(bedside.window)
    timer.setInterval(10)
    timer.timeout.connect(lambda: counted.__setitem__(0, counted[0] + 1))
    timer.start()
    return counted


def test_confirm_waits_for_another_programs_lock_without_freezing(
    qtbot: Any, make_window: Any, team: Team, hold_lock: Any
) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    site = panel.selected
    typed = (panel.depth.text(), panel.volume.text(), panel.syringe.text())
    holder = hold_lock()

    pressed_at = time.monotonic()
    qtbot.keyClick(panel.syringe, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Waiting for the database" in _banner(bedside), timeout=1000)
    latency = time.monotonic() - pressed_at
    assert latency < 1.0, latency
    assert "held by another program" in _banner(bedside)

    ticks = _ticks(bedside)
    qtbot.waitUntil(lambda: ticks[0] >= 20, timeout=2000)  # the GUI thread runs meanwhile
    assert (panel.depth.text(), panel.volume.text(), panel.syringe.text()) == typed
    assert panel.selected == site
    assert operations.is_waiting(bedside.page)
    assert _injections(team, started.id) == 0

    holder.release()
    qtbot.waitUntil(lambda: bedside.view.injected_count == 1, timeout=3000)
    assert "Waiting for the database" not in _banner(bedside)
    assert f"Site {site} injected" in panel.last_action.text()
    assert _banner(bedside) == ""
    assert not operations.is_waiting(bedside.page)
    assert _injections(team, started.id) == 1


def test_after_the_whole_wait_nothing_is_recorded_and_confirm_again_saves_once(
    qtbot: Any, make_window: Any, team: Team, hold_lock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLIDESK_LOCK_WAIT", "1.5")
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    site = panel.selected
    typed = (panel.depth.text(), panel.volume.text(), panel.syringe.text())
    holder = hold_lock()

    qtbot.keyClick(panel.syringe, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Waiting for the database" in _banner(bedside), timeout=1000)
    qtbot.waitUntil(lambda: "NOT recorded" in _banner(bedside), timeout=5000)
    said = _banner(bedside)
    assert "stayed held by another program for 1.5 s" in said
    assert team.db.location in said
    assert "still on screen" in said
    assert (panel.depth.text(), panel.volume.text(), panel.syringe.text()) == typed
    assert not operations.is_waiting(bedside.page)
    assert _injections(team, started.id) == 0

    holder.release()
    qtbot.keyClick(panel.syringe, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bedside.view.injected_count == 1, timeout=3000)
    assert f"Site {site} injected" in panel.last_action.text()
    assert _banner(bedside) == ""
    assert _injections(team, started.id) == 1


def test_confirm_pressed_again_while_waiting_saves_the_entry_once(
    qtbot: Any, make_window: Any, team: Team, hold_lock: Any
) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    holder = hold_lock()

    qtbot.keyClick(panel.syringe, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Waiting for the database" in _banner(bedside), timeout=1000)
    qtbot.keyClick(panel.syringe, Qt.Key.Key_Return)  # impatient: the first one is replaced
    qtbot.waitUntil(lambda: "Waiting for the database" in _banner(bedside), timeout=1000)
    holder.release()
    qtbot.waitUntil(lambda: bedside.view.injected_count == 1, timeout=3000)
    ticks = _ticks(bedside)
    qtbot.waitUntil(lambda: ticks[0] >= 60, timeout=3000)  # a replaced wait must not fire late
    assert _injections(team, started.id) == 1


def test_a_skip_waits_for_another_programs_lock_without_freezing(
    qtbot: Any, make_window: Any, team: Team, hold_lock: Any
) -> None:
    from slidesk.domain.procedure.model import SkipReason

    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    site = panel.selected
    holder = hold_lock()

    qtbot.keyClick(panel.syringe, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    dialog = panel.active_dialog
    qtbot.waitExposed(dialog)
    dialog.choose(SkipReason.ULCER)
    pressed_at = time.monotonic()
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Waiting for the database" in _banner(bedside), timeout=1000)
    assert time.monotonic() - pressed_at < 1.0
    assert "The skip of site" in _banner(bedside)
    ticks = _ticks(bedside)
    qtbot.waitUntil(lambda: ticks[0] >= 20, timeout=2000)
    assert bedside.view.skipped_count == 0

    holder.release()
    qtbot.waitUntil(lambda: bedside.view.skipped_count == 1, timeout=3000)
    assert f"Site {site} skipped" in panel.last_action.text()
    assert _banner(bedside) == ""
