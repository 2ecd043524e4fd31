"""An automatic backup runs on a worker thread: the completion returns first, the file follows."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slidesk.services.workstation.backup_auto import backups_in, enable_automatic_backups
from tests.conftest import Team
from tests.signing_helpers import completed_procedure
from tests.ui.bedside import Bedside


def _identity(team: Team) -> str:
    with sqlite3.connect(team.db.location) as con:
        return str(con.execute("SELECT identity FROM database_identity").fetchone()[0])


def test_the_backup_after_a_completion_is_made_in_the_background(
    make_window: Callable[..., Bedside], team: Team, tmp_path: Path, qtbot: Any
) -> None:
    folder = tmp_path / "backups"
    hook = enable_automatic_backups(
        team.uow, folder=folder, key_folder=tmp_path / "keys", witness_folders=[tmp_path / "w"]
    )
    bedside = make_window(team)
    assert hook.runner is not None
    view = completed_procedure(team)
    assert view.status.value == "completed"
    assert backups_in(folder, _identity(team)) == []  # handed on, not made in the call
    runner = bedside.window.features.backup_runner
    qtbot.waitUntil(lambda: runner.running == 0 and hook.last is not None, timeout=30_000)
    assert [
        p.name.endswith("-completion.sqlite3") for p in backups_in(folder, _identity(team))
    ] == [True]


def test_a_backup_folder_that_cannot_be_written_is_said_in_the_status_bar(
    make_window: Callable[..., Bedside], team: Team, tmp_path: Path, qtbot: Any
) -> None:
    blocked = tmp_path / "stick"
    blocked.write_text("a file where the backup folder should be")
    enable_automatic_backups(
        team.uow, folder=blocked, key_folder=tmp_path / "keys", witness_folders=[tmp_path / "w"]
    )
    bedside = make_window(team)
    view = completed_procedure(team)
    assert view.status.value == "completed"
    bar = bedside.window.statusBar()
    qtbot.waitUntil(
        lambda: "No automatic backup was made in" in bar.currentMessage(), timeout=30_000
    )
    assert str(blocked) in bar.toolTip()
    assert "is not a folder" in bar.toolTip()
