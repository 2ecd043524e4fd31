"""A checkpoint that cannot be witnessed is said in the status bar; the work it follows stands."""

from __future__ import annotations

import gc
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slidesk.integrity.witness import read_witness, witness_file
from slidesk.integrity.witness_writer import WRITER
from slidesk.services.audit.checkpoints import enable_automatic
from tests.conftest import Team
from tests.signing_helpers import completed_procedure
from tests.ui.bedside import Bedside, open_procedure


def test_a_witness_that_cannot_be_written_is_said_in_the_status_bar(
    make_window: Callable[..., Bedside], team: Team, tmp_path: Path, qtbot: Any
) -> None:
    bedside = make_window(team)
    blocked = tmp_path / "usb"
    blocked.write_text("a file where the witness folder should be")
    enable_automatic(team.uow, key_folder=tmp_path / "keys", witness_folders=[blocked])
    view = completed_procedure(team)
    assert view.status.value == "completed"
    bar = bedside.window.statusBar()
    qtbot.waitUntil(lambda: "Checkpoint not witnessed in" in bar.currentMessage())
    assert str(tmp_path) in bar.currentMessage()
    assert "kept in the database" in bar.toolTip()


def test_a_warning_from_a_worker_thread_reaches_the_status_bar(
    make_window: Callable[..., Bedside], team: Team, tmp_path: Path, qtbot: Any
) -> None:
    bedside = make_window(team)
    blocked = tmp_path / "usb"
    blocked.write_text("not a folder")
    hook = enable_automatic(team.uow, key_folder=tmp_path / "keys", witness_folders=[blocked])
    worker = threading.Thread(target=hook, args=(team.clock, "export"))
    worker.start()
    worker.join()
    bar = bedside.window.statusBar()
    qtbot.waitUntil(lambda: "Checkpoint not witnessed in" in bar.currentMessage())


def _identity(team: Team) -> str:
    with sqlite3.connect(team.db.location) as con:
        return str(con.execute("SELECT identity FROM database_identity").fetchone()[0])


def test_a_confirm_with_an_unwritable_witness_is_recorded_said_and_caught_up_later(
    make_window: Callable[..., Bedside], team: Team, tmp_path: Path, qtbot: Any
) -> None:
    view = team.started_procedure()
    bedside = make_window(team)
    bedside.window.resize(1366, 768)
    open_procedure(qtbot, bedside, view.id)
    stick = tmp_path / "stick"
    stick.write_text("a file where the share's folder should be")
    folder = stick / "witnesses"  # a path under a file: never writable
    enable_automatic(team.uow, key_folder=tmp_path / "keys", witness_folders=[folder])
    bedside.panel.confirm_button.click()  # the first entry with no checkpoint yet writes one
    assert bedside.view.injected_count == 1
    bar = bedside.window.statusBar()
    qtbot.waitUntil(lambda: "Checkpoint not witnessed in" in bar.currentMessage())
    assert str(folder) in bar.toolTip()
    if os.environ.get("SLIDESK_SHOTS"):
        shots = Path(os.environ["SLIDESK_SHOTS"])
        shots.mkdir(parents=True, exist_ok=True)
        bedside.window.grab().save(str(shots / "witness-unwritable.png"))
    # The share is back; an hour of entries later the next checkpoint brings it up to date.
    stick.unlink()
    team.clock.advance(minutes=61)
    bedside.panel.confirm_button.click()
    assert bedside.view.injected_count == 2
    assert WRITER.settle(10.0)
    numbers = [
        w.checkpoint.checkpoint.number
        for w in read_witness(witness_file(folder, _identity(team)))
        if w.checkpoint
    ]
    assert numbers == [1, 2]


def test_a_hung_witness_never_holds_confirm_and_keeps_collection_off_its_thread(
    make_window: Callable[..., Bedside], team: Team, tmp_path: Path, qtbot: Any
) -> None:
    view = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    share = tmp_path / "share"
    share.mkdir()
    target = witness_file(share, _identity(team))
    os.mkfifo(target)  # opening it blocks, as a share that stopped answering does
    enable_automatic(team.uow, key_folder=tmp_path / "keys", witness_folders=[share])
    try:
        bedside.panel.confirm_button.click()  # returns: the witness is written on its thread
        assert bedside.view.injected_count == 1
        assert not gc.isenabled()  # no collection while a witness thread runs (the GC trap)
    finally:
        stale = target.with_name(target.name + ".hung")
        target.rename(stale)
        os.close(os.open(stale, os.O_RDWR | os.O_NONBLOCK))  # the share answers again
    assert WRITER.settle(10.0)
    qtbot.waitUntil(gc.isenabled)  # resumed on the GUI thread once it ended
    assert [w.checkpoint.checkpoint.number for w in read_witness(target) if w.checkpoint] == [1]
