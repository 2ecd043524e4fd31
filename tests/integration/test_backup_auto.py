"""Automatic backups after completion and signature, daily, keeping the last N; a backup that
cannot be made never blocks the entry and is said on the status bar."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from slidesk.domain.checkpoints import STATUS_LOGGER, CheckpointReason
from slidesk.services.procedure import service as procedures
from slidesk.services.settings import change_setting
from slidesk.services.workstation.backup_auto import backups_in, enable_automatic_backups
from tests.conftest import Team
from tests.signing_helpers import completed_procedure, sign


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    return tmp_path / "keys"


def _identity(team: Team) -> str:
    import sqlite3

    with sqlite3.connect(team.db.location) as con:
        return str(con.execute("SELECT identity FROM database_identity").fetchone()[0])


def _enable(team: Team, folder: Path, keys: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    return enable_automatic_backups(
        team.uow, folder=folder, key_folder=keys, witness_folders=[tmp_path / "w"]
    )


def test_a_completion_and_a_signature_are_each_backed_up(
    team: Team, keys: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    hook = _enable(team, folder, keys, tmp_path)
    view = completed_procedure(team)
    made = backups_in(folder, _identity(team))
    assert [p.name.rsplit("-", 1)[-1] for p in made] == ["completion.sqlite3"]
    assert not [w for w in hook.warnings if "same disk" not in w]  # tmp_path is one disk
    sign(team, view.id, "operator", "operator")
    made = backups_in(folder, _identity(team))
    assert [p.name.rsplit("-", 1)[-1] for p in made] == [
        "completion.sqlite3",
        "signature.sqlite3",
    ]
    assert hook.last == made[-1]
    assert hook.seconds is not None


def test_other_milestones_back_up_only_on_the_first_of_a_new_local_day(
    team: Team, keys: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    _enable(team, folder, keys, tmp_path)
    team.uow.milestone(team.clock, CheckpointReason.REPORT)
    assert len(backups_in(folder, _identity(team))) == 1
    team.uow.milestone(team.clock, CheckpointReason.EXPORT)
    assert len(backups_in(folder, _identity(team))) == 1  # same day: nothing new
    team.clock.advance(hours=24)
    team.uow.milestone(team.clock, CheckpointReason.EXPORT)
    assert len(backups_in(folder, _identity(team))) == 2


def test_only_the_last_n_are_kept(team: Team, keys: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    change_setting(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        key="site.backup_keep",
        value="2",
        reason="Small stick",
    )
    _enable(team, folder, keys, tmp_path)
    for _ in range(4):
        team.clock.advance(minutes=5)
        team.uow.milestone(team.clock, CheckpointReason.COMPLETION)
    made = backups_in(folder, _identity(team))
    assert len(made) == 2
    stamps = [p.name.split("-")[2:4] for p in made]
    assert stamps == sorted(stamps)
    assert stamps[-1][1].startswith(f"{team.clock.now().astimezone(team.clock.zone):%H%M}")


def test_the_backup_folder_setting_is_used(team: Team, keys: Path, tmp_path: Path) -> None:
    chosen = tmp_path / "share" / "sli-backups"
    change_setting(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        key="workstation.backup_folder",
        value=str(chosen),
        reason="The ward's share",
    )
    enable_automatic_backups(team.uow, key_folder=keys, witness_folders=[tmp_path / "w"])
    team.uow.milestone(team.clock, CheckpointReason.COMPLETION)
    assert len(backups_in(chosen, _identity(team))) == 1


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder mounted read-only (root can write a mode-0555 folder, not a read-only mount)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "--bind", "-o", "ro", str(folder), str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"a read-only bind mount is not allowed here: {mounted.stderr!r}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_read_only_backup_folder_warns_but_the_completion_is_recorded(
    team: Team, keys: Path, tmp_path: Path, read_only_folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    hook = _enable(team, read_only_folder, keys, tmp_path)
    with caplog.at_level(logging.WARNING, logger=STATUS_LOGGER):
        view = completed_procedure(team)
    assert view.status.value == "completed"
    again = procedures.get_procedure(uow=team.uow, actor=team.operator, procedure_id=view.id)
    assert again.status.value == "completed"
    assert "No automatic backup was made in" in hook.warnings[0]
    assert str(read_only_folder) in hook.warnings[0]
    assert any("No automatic backup" in r.getMessage() for r in caplog.records)
    assert list(read_only_folder.iterdir()) == []


def test_a_backup_folder_that_cannot_exist_warns_but_never_blocks(
    team: Team, keys: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    hook = _enable(team, blocker / "backups", keys, tmp_path)
    view = completed_procedure(team)
    assert view.status.value == "completed"
    assert "No automatic backup was made in" in hook.warnings[0]
