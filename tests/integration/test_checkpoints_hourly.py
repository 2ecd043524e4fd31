"""At least hourly while entries are made, and witnesses that never hold an entry."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from slidesk.integrity.witness import read_witness, witness_file
from slidesk.integrity.witness_writer import WRITER
from slidesk.services.audit.checkpoints import enable_automatic, write_checkpoint
from slidesk.services.dto import ProcedureView
from tests.conftest import Team


def _checkpoints(team: Team) -> list[tuple[str, int, str]]:
    """(reason, seq, at) of every checkpoint in the database, oldest first."""
    with sqlite3.connect(team.db.location) as con:
        lines = [r[0] for r in con.execute("SELECT line FROM checkpoints ORDER BY number")]
    return [(d["reason"], d["seq"], d["at"]) for d in map(json.loads, lines)]


def _head(team: Team) -> int:
    with sqlite3.connect(team.db.location) as con:
        return int(con.execute("SELECT max(seq) FROM audit_log").fetchone()[0])


def _identity(team: Team) -> str:
    with sqlite3.connect(team.db.location) as con:
        return str(con.execute("SELECT identity FROM database_identity").fetchone()[0])


def test_entries_made_for_more_than_an_hour_are_checkpointed_each_hour(
    team: Team, tmp_path: Path
) -> None:
    view = team.started_procedure()
    folder = tmp_path / "usb"
    enable_automatic(
        team.uow, key_folder=tmp_path / "keys", witness_folders=[folder], witness_wait=10.0
    )
    assert _checkpoints(team) == []
    team.inject(view.id, 1, "1")  # no checkpoint at all yet: this entry gets one
    assert [(r, s) for r, s, _ in _checkpoints(team)] == [("hourly", _head(team))]
    team.clock.advance(minutes=58)
    team.inject(view.id, 2, "2")  # 58 min 40 s after it: none
    assert len(_checkpoints(team)) == 1
    team.clock.advance(minutes=1)
    team.inject(view.id, 3, "3")  # an hour after it (by the injected clock): one
    reason, seq, at = _checkpoints(team)[-1]
    assert (reason, seq) == ("hourly", _head(team))
    assert at.startswith(team.clock.now().strftime("%Y-%m-%dT%H:%M:%S"))
    team.clock.advance(hours=5)  # no entries for five hours: nothing to vouch for, none written
    assert len(_checkpoints(team)) == 2
    team.inject(view.id, 4, "4")
    assert [r for r, _s, _a in _checkpoints(team)] == ["hourly", "hourly", "hourly"]
    witness = witness_file(folder, _identity(team))
    assert [w.checkpoint.checkpoint.number for w in read_witness(witness) if w.checkpoint] == [
        1,
        2,
        3,
    ]


def test_without_automatic_checkpoints_an_entry_writes_none(team: Team) -> None:
    view = team.started_procedure()
    team.clock.advance(hours=2)
    team.inject(view.id, 1, "1")
    assert _checkpoints(team) == []


@pytest.fixture
def hung_witness(team: Team, tmp_path: Path) -> Iterator[Path]:
    """A witness file that blocks whoever opens it (a FIFO with nobody at the other end), as a
    network share that stopped answering does; released (and made a plain file) at the end."""
    folder = tmp_path / "share"
    folder.mkdir()
    target = witness_file(folder, _identity(team))
    os.mkfifo(target)
    yield target
    _release(target)


def _release(target: Path) -> None:
    if target.is_fifo():
        stale = target.with_name(target.name + ".hung")
        target.rename(stale)
        fd = os.open(stale, os.O_RDWR | os.O_NONBLOCK)  # wakes whoever waits on it
        os.close(fd)
    assert WRITER.settle(10.0, [target])


def test_a_witness_that_hangs_never_holds_an_entry_and_catches_up_when_it_answers(
    team: Team, tmp_path: Path, hung_witness: Path
) -> None:
    view = team.started_procedure()
    hook = enable_automatic(
        team.uow, key_folder=tmp_path / "keys", witness_folders=[hung_witness.parent]
    )
    done: list[ProcedureView] = []
    bedside = threading.Thread(target=lambda: done.append(team.inject(view.id, 1, "1")))
    bedside.start()
    bedside.join(10.0)
    assert not bedside.is_alive(), "the entry waited for the witness"
    assert done  # the entry is recorded, its checkpoint in the database
    assert done[0].entries
    assert len(_checkpoints(team)) == 1
    # Later checkpoints while it still hangs: said, kept in the database, not waited for.
    team.clock.advance(minutes=61)
    team.inject(view.id, 2, "2")
    assert any("has not answered since an earlier checkpoint" in w for w in hook.warnings)
    result = write_checkpoint(
        uow=team.uow,
        clock=team.clock,
        reason="manual",
        key_folder=tmp_path / "keys",
        witness_folders=[hung_witness.parent],
    )
    assert result.pending == (hung_witness,)
    assert len(_checkpoints(team)) == 3
    _release(hung_witness)  # the share answers again: the witness gets every checkpoint
    lines = read_witness(hung_witness)
    assert [w.checkpoint.checkpoint.number for w in lines if w.checkpoint] == [1, 2, 3]


def test_warming_up_loads_an_existing_key_and_the_newest_checkpoint_time(
    team: Team, tmp_path: Path
) -> None:
    keys = tmp_path / "keys"
    hook = enable_automatic(team.uow, key_folder=keys, witness_folders=[tmp_path / "w"])
    hook.warm_up()  # no key yet: none is created at open
    assert not keys.exists()
    view = team.started_procedure()
    team.inject(view.id, 1, "1")  # the first checkpoint (of the first entries) creates it
    assert keys.exists()
    later = enable_automatic(team.uow, key_folder=keys, witness_folders=[tmp_path / "w"])
    later.warm_up()  # what the app's open does: the newest checkpoint's time is known now,
    newest_at = _checkpoints(team)[-1][2]  # so the next Confirm only compares two times
    assert later._since is not None
    assert later._since.strftime("%Y-%m-%dT%H:%M:%S") == newest_at[:19]
