"""`slidesk backup` and `slidesk restore`: a copy of a database in use that holds every confirmed
entry and verifies; a restore to a new file with a new identity naming its origin."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from slidesk.cli.main import main
from slidesk.domain.errors import ValidationError
from slidesk.integrity.witness import read_witness
from slidesk.services.audit.checkpoint_verify import verify_witnesses
from slidesk.services.audit.verify import verify_database
from slidesk.services.workstation.backup import backup_database, restore_database
from slidesk.services.workstation.database import OpenedDatabase, open_database
from tests.conftest import Team
from tests.fakes import FakeClock

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    return tmp_path / "keys"


def _backup(db: OpenedDatabase, clock: FakeClock, keys: Path, out: Path, witness: Path):  # type: ignore[no-untyped-def]
    return backup_database(
        uow=db.uow, clock=clock, out=out, key_folder=keys, witness_folders=[witness]
    )


def _injections(path: Path) -> set[tuple[int, int, str]]:
    """(procedure, site, syringe) of every live injection in the file (main file only)."""
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT procedure_id, site_no, syringe_label FROM site_entries "
            "WHERE voided = 0 AND syringe_label IS NOT NULL"
        ).fetchall()
    finally:
        con.close()
    return {(int(p), int(s), str(label)) for p, s, label in rows}


def _procedure_ids(path: Path) -> set[int]:
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return {int(i) for (i,) in con.execute("SELECT id FROM procedures")}
    finally:
        con.close()


def _identities(path: Path) -> list[tuple[str, str | None]]:
    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT identity, origin FROM database_identity ORDER BY n").fetchall()
    finally:
        con.close()
    return [(str(i), o) for i, o in rows]


@pytest.mark.slow
def test_a_backup_taken_while_another_process_records_holds_every_confirmed_entry(
    tmp_path: Path, keys: Path
) -> None:
    """THE acceptance test: a second process confirms injections as fast as it can, reporting
    each only after record_injection returned; a backup taken meanwhile holds every entry
    reported before it began, and verifies."""
    path = tmp_path / "live.sqlite3"
    setup = open_database(path)
    team = Team(setup, FakeClock())
    procedure_ids = [
        team.started_procedure(study_id=f"SAIL-03-{i:03d}", kit=f"SAIL-K{i:03d}").id
        for i in range(1, 13)  # 360 sites: more than the worker records during the test
    ]
    kits = {v: f"SAIL-K{i:03d}" for i, v in enumerate(procedure_ids, 1)}
    setup.close()
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.kill_worker", str(path)]
        + [str(i) for i in procedure_ids],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    confirmed: list[tuple[float, tuple[int, int, str]]] = []
    ready = threading.Event()
    started = threading.Event()

    def read() -> None:
        assert worker.stdout is not None
        for line in worker.stdout:
            if line.startswith("READY"):
                ready.set()
            if line.startswith("OK "):
                _, proc, site, syringe = line.split()
                entry = (int(proc), int(site), f"{kits[int(proc)]}-{int(syringe):02d}")
                confirmed.append((time.perf_counter(), entry))
                if len(confirmed) >= 20:
                    started.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    db = None
    try:
        assert started.wait(120), worker.stderr.read() if worker.stderr else "no output"
        db = open_database(path)
        begun = time.perf_counter()
        before = {entry for at, entry in list(confirmed) if at < begun}
        result = _backup(db, FakeClock(), keys, tmp_path / "backup.sqlite3", tmp_path / "w")
        ended = time.perf_counter()
        during = [entry for at, entry in list(confirmed) if begun <= at <= ended]
        assert worker.poll() is None, "the worker stopped before the backup ended"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.communicate(timeout=60)
        reader.join(timeout=10)
        if db is not None:
            db.close()
    assert len(before) >= 20
    assert during, "no entry was confirmed while the backup ran: the test proves nothing"
    in_backup = _injections(result.path)
    assert before <= in_backup, f"lost: {sorted(before - in_backup)}"
    assert result.check.intact, result.check.findings
    assert not Path(f"{result.path}-wal").exists()
    copy = open_database(result.path)
    try:
        assert verify_database(uow=copy.uow).intact
    finally:
        copy.close()


def test_a_hand_copy_without_the_wal_loses_confirmed_entries_the_backup_keeps(
    team: Team, keys: Path, tmp_path: Path
) -> None:
    view = team.started_procedure()
    with sqlite3.connect(team.db.location) as con:  # as SQLite does now and then by itself
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for site in (1, 2, 3):
        view = team.inject(view.id, site, str(site))
    wal = Path(f"{team.db.location}-wal")
    assert wal.stat().st_size > 0  # the confirmed entries are (also) in the WAL
    confirmed = {(view.id, s, f"{view.kit_number}-{s:02d}") for s in (1, 2, 3)}
    hand = tmp_path / "hand-copy.sqlite3"
    shutil.copyfile(team.db.location, hand)  # the main file only, as a person would
    result = _backup(team.db, team.clock, keys, tmp_path / "backup.sqlite3", tmp_path / "w")
    assert _procedure_ids(hand) == {view.id}  # the copy opens and has what was folded in...
    assert not confirmed & _injections(hand)  # ...but not the entries still in the WAL
    assert confirmed <= _injections(result.path)
    assert result.check.intact


def test_restore_to_a_new_file_verifies_with_a_new_identity_and_an_origin_checkpoint(
    team: Team, keys: Path, tmp_path: Path
) -> None:
    view = team.started_procedure()
    team.inject(view.id, 1, "1")
    backup = _backup(team.db, team.clock, keys, tmp_path / "b.sqlite3", tmp_path / "w")
    original = _identities(Path(team.db.location))[-1][0]
    restored = restore_database(
        clock=team.clock,
        source=backup.path,
        to=tmp_path / "restored.sqlite3",
        key_folder=keys,
        witness_folders=[tmp_path / "w2"],
    )
    assert restored.check.intact, restored.check.findings
    lineage = _identities(restored.path)
    assert [i for i, _o in lineage] == [original, restored.identity]
    assert restored.identity != original
    origin = json.loads(lineage[-1][1] or "{}")
    assert origin["identity"] == original
    assert origin["checkpoint"] == backup.checkpoint
    witness = tmp_path / "w2" / f"slidesk-{restored.identity}.checkpoints"
    last = read_witness(witness)[-1].checkpoint
    assert last is not None
    assert last.checkpoint.reason == "restore"
    assert last.checkpoint.database == restored.identity
    assert last.checkpoint.origin == f"{original} #{backup.checkpoint}"
    assert last.signature_problem() is None  # the origin is signed
    copy = open_database(restored.path)
    try:
        assert verify_database(uow=copy.uow).intact
        # The original's checkpoints, kept in the copy, are of its lineage: not findings.
        assert verify_witnesses(uow=copy.uow, witness_files=[witness]).ok
    finally:
        copy.close()
    # The original is untouched: same identity, no origin.
    assert _identities(Path(team.db.location)) == [(original, None)]


def test_backup_and_restore_refuse_a_path_that_exists(
    team: Team, keys: Path, tmp_path: Path
) -> None:
    taken = tmp_path / "taken.sqlite3"
    taken.write_bytes(b"precious")
    with pytest.raises(ValidationError, match="already exists"):
        _backup(team.db, team.clock, keys, taken, tmp_path / "w")
    backup = _backup(team.db, team.clock, keys, tmp_path / "b.sqlite3", tmp_path / "w")
    with pytest.raises(ValidationError, match="already exists"):
        restore_database(clock=team.clock, source=backup.path, to=taken, key_folder=keys)
    assert taken.read_bytes() == b"precious"


def _one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if not line.startswith("WARNING:")]
    assert len(lines) == 1, err
    return lines[0]


def test_the_commands_say_one_line_with_the_documented_exit_codes(
    db: OpenedDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("slidesk.paths.user_data_dir", lambda: tmp_path / "data")
    db.close()
    out = tmp_path / "b.sqlite3"
    assert main(["--db", db.location, "backup", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "INTACT: the copy verifies" in printed
    assert "checkpoint #1" in printed
    assert main(["--db", db.location, "backup", str(out)]) == 2
    assert "already exists" in _one_line(capsys.readouterr().err)
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    assert main(["--db", url, "backup", str(tmp_path / "pg.sqlite3")]) == 2
    assert "pg_dump" in _one_line(capsys.readouterr().err)
    not_db = tmp_path / "notes.txt"
    not_db.write_text("not a database")
    assert main(["--db", str(not_db), "backup", str(tmp_path / "x.sqlite3")]) == 2
    _one_line(capsys.readouterr().err)
    assert main(["restore", str(out), "--to", str(tmp_path / "r.sqlite3")]) == 0
    assert "New database identity" in capsys.readouterr().out
    assert main(["restore", str(out), "--to", str(tmp_path / "r.sqlite3")]) == 2
    assert "already exists" in _one_line(capsys.readouterr().err)
    assert main(["restore", str(tmp_path / "none.sqlite3"), "--to", str(tmp_path / "n")]) == 2
    _one_line(capsys.readouterr().err)
    assert main(["restore", str(not_db), "--to", str(tmp_path / "n")]) == 2
    _one_line(capsys.readouterr().err)
    assert not (tmp_path / "n").exists()


def test_a_backup_of_a_changed_database_is_made_but_says_it_does_not_verify(
    team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("slidesk.paths.user_data_dir", lambda: tmp_path / "data")
    team.started_procedure()
    team.db.close()
    with sqlite3.connect(team.db.location) as con:  # behind the app's back
        con.execute("UPDATE subjects SET centre = 'Elsewhere'")
    out = tmp_path / "b.sqlite3"
    assert main(["--db", team.db.location, "backup", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "NOT INTACT" in printed
    assert "centre" in printed
    assert out.exists()  # what there was is kept: a backup of a changed database still matters
