"""A checkpoint that cannot be witnessed is said in the status bar; the work it follows stands."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slidesk.services.checkpoints import enable_automatic
from tests.conftest import Team
from tests.signing_helpers import completed_procedure
from tests.ui.bedside import Bedside


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
