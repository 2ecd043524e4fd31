"""Checkpoints in the database and their witnesses: written, retried, refused, checked."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from slidesk.cli.main import main
from slidesk.integrity.witness import read_witness, witness_file
from slidesk.services.audit.checkpoint_verify import verify_witnesses
from slidesk.services.audit.checkpoints import enable_automatic, write_checkpoint
from slidesk.services.audit.trail import AuditFilter, export_csv
from slidesk.services.reporting.service import ReportPurpose, issue_report
from slidesk.services.workstation.database import OpenedDatabase
from tests.conftest import Team
from tests.fakes import FakeClock
from tests.signing_helpers import completed_procedure, sign


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    return tmp_path / "keys"


def _write(db: OpenedDatabase, clock: FakeClock, keys: Path, *folders: Path, **kw: object):  # type: ignore[no-untyped-def]
    return write_checkpoint(
        uow=db.uow, clock=clock, reason="manual", key_folder=keys, witness_folders=folders, **kw
    )


def _identity(path: Path) -> str:
    with sqlite3.connect(path) as con:
        return str(con.execute("SELECT identity FROM database_identity").fetchone()[0])


def test_every_database_has_an_identity_of_its_own(make_db: Callable[..., OpenedDatabase]) -> None:
    first, second = make_db("a.sqlite3"), make_db("b.sqlite3")
    a, b = _identity(Path(first.location)), _identity(Path(second.location))
    assert len(a) == 36
    assert a != b


def test_checkpoints_and_the_identity_refuse_update_and_delete(
    db: OpenedDatabase, clock: FakeClock, keys: Path, tmp_path: Path
) -> None:
    _write(db, clock, keys, tmp_path / "w")
    with sqlite3.connect(db.location) as con:
        for statement in (
            "UPDATE checkpoints SET seq = 5",
            "DELETE FROM checkpoints",
            "UPDATE database_identity SET identity = 'x'",
            "DELETE FROM database_identity",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                con.execute(statement)


def test_an_unwritable_witness_never_blocks_and_is_caught_up_next_time(
    db: OpenedDatabase, clock: FakeClock, keys: Path, tmp_path: Path
) -> None:
    blocked = tmp_path / "usb"
    blocked.write_text("a file where the witness folder should be")
    first = _write(db, clock, keys, blocked)
    assert first.checkpoint is not None
    assert first.witnessed_in == ()
    assert "Checkpoint not witnessed in" in first.warnings[0]
    assert "will be added there next time" in first.warnings[0]
    blocked.unlink()  # the stick is back
    clock.advance(minutes=5)
    second = _write(db, clock, keys, blocked)
    target = witness_file(blocked, second.checkpoint.database)  # type: ignore[union-attr]
    assert second.witnessed_in == (target,)
    lines = read_witness(target)
    assert [w.checkpoint.checkpoint.number for w in lines if w.checkpoint] == [1, 2]


def test_a_witness_on_the_database_disk_is_warned_about(
    db: OpenedDatabase, clock: FakeClock, keys: Path, tmp_path: Path
) -> None:
    result = _write(db, clock, keys, tmp_path / "same-disk")
    assert any("on the same disk as the database" in w for w in result.warnings)
    other = Path("/dev/shm")
    if other.is_dir() and other.stat().st_dev != tmp_path.stat().st_dev:
        elsewhere = _write(db, clock, keys, other / f"slidesk-test-{tmp_path.name}")
        assert not any("same disk" in w for w in elsewhere.warnings)


def test_only_if_new_writes_nothing_when_the_head_is_already_vouched_for(
    db: OpenedDatabase, clock: FakeClock, keys: Path, tmp_path: Path
) -> None:
    assert _write(db, clock, keys, tmp_path / "w").checkpoint is not None
    assert _write(db, clock, keys, tmp_path / "w", only_if_new=True).checkpoint is None


def test_a_witnessed_checkpoint_deleted_from_the_database_is_named(
    db: OpenedDatabase, clock: FakeClock, keys: Path, tmp_path: Path
) -> None:
    result = _write(db, clock, keys, tmp_path / "w")
    with sqlite3.connect(db.location) as con:
        con.execute("DROP TRIGGER checkpoints_no_delete")
        con.execute("DELETE FROM checkpoints")
    report = verify_witnesses(uow=db.uow, witness_files=list(result.witnessed_in))
    assert report.findings == (
        f"checkpoint #1 witnessed in {result.witnessed_in[0]} is missing from the database",
    )


def test_a_witness_of_another_database_is_named(
    make_db: Callable[..., OpenedDatabase], clock: FakeClock, keys: Path, tmp_path: Path
) -> None:
    first, second = make_db("a.sqlite3"), make_db("b.sqlite3")
    result = _write(first, clock, keys, tmp_path / "w")
    report = verify_witnesses(uow=second.uow, witness_files=list(result.witnessed_in))
    assert len(report.findings) == 1
    assert "is of database" in report.findings[0]
    assert "not of this one" in report.findings[0]


def test_the_checkpoint_command_appends_to_its_witnesses_and_verify_reads_them(
    db: OpenedDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    monkeypatch.setattr("slidesk.paths.user_data_dir", lambda: data)
    usb = tmp_path / "usb" / "study.checkpoints"
    db.close()
    for _ in range(2):
        assert main(["--db", db.location, "checkpoint", "--witness", str(usb)]) == 0
    out = capsys.readouterr().out
    assert "Checkpoint #2 of " in out
    assert f"Witnessed in {usb}" in out
    default = witness_file(data / "witnesses", _identity(Path(db.location)))
    assert len(read_witness(usb)) == 2
    assert len(read_witness(default)) == 2
    assert main(["--db", db.location, "verify", "--witness", str(usb)]) == 0
    assert f"Checked {usb}: 2 signed checkpoint(s)" in capsys.readouterr().out
    assert main(["--db", db.location, "verify"]) == 0
    assert f"Checked {default}: 2 signed checkpoint(s)" in capsys.readouterr().out


def test_verify_with_a_witness_that_cannot_be_read_fails(
    db: OpenedDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db.close()
    missing = tmp_path / "nowhere" / "x.checkpoints"
    assert main(["--db", db.location, "verify", "--witness", str(missing)]) == 1
    assert f"WITNESS: the witness {missing} cannot be read" in capsys.readouterr().out


def _reasons(witness: Path) -> list[tuple[str, int]]:
    return [
        (w.checkpoint.checkpoint.reason, w.checkpoint.checkpoint.seq)
        for w in read_witness(witness)
        if w.checkpoint
    ]


def _head(team: Team) -> int:
    with sqlite3.connect(team.db.location) as con:
        return int(con.execute("SELECT max(seq) FROM audit_log").fetchone()[0])


def test_completion_signature_report_and_export_are_each_checkpointed_and_witnessed(
    team: Team, keys: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "usb"
    enable_automatic(team.uow, key_folder=keys, witness_folders=[folder], witness_wait=10.0)
    view = completed_procedure(team)
    witness = witness_file(folder, _identity(Path(team.db.location)))
    # The first entry found no checkpoint at all: it wrote one (the hourly rule).
    assert _reasons(witness)[0][0] == "hourly"
    assert _reasons(witness)[1:] == [("completion", _head(team))]
    sign(team, view.id, "operator", "operator")
    assert _reasons(witness)[-1] == ("signature", _head(team))
    issue_report(
        uow=team.uow,
        clock=team.clock,
        actor=team.monitor,
        procedure_id=view.id,
        purpose=ReportPurpose.EXPORT,
        key_folder=keys,
    )
    assert _reasons(witness)[-1] == ("report", _head(team))
    export_csv(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        audit_filter=AuditFilter(),
        path=tmp_path / "trail.csv",
    )
    assert _reasons(witness)[-1] == ("export", _head(team))
    assert [n for n, _ in enumerate(_reasons(witness), 1)] == [1, 2, 3, 4, 5]
    assert verify_witnesses(uow=team.uow, witness_files=[witness]).ok


def test_a_checkpoint_that_cannot_be_signed_never_blocks_the_completion(
    team: Team, tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "keys"
    not_a_folder.write_text("the key folder is a file")
    hook = enable_automatic(team.uow, key_folder=not_a_folder, witness_folders=[tmp_path / "w"])
    view = completed_procedure(team)
    assert view.status.value == "completed"
    assert "No checkpoint of the audit trail was written" in hook.warnings[0]
    assert not (tmp_path / "w").exists()


def test_dropped_checkpoints_and_an_emptied_identity_are_named_not_a_traceback(
    db: OpenedDatabase,
    clock: FakeClock,
    keys: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    witness = tmp_path / "usb" / "w.checkpoints"
    _write(db, clock, keys, witness_files=[witness])
    db.close()
    with sqlite3.connect(db.location) as con:
        con.execute("DROP TABLE checkpoints")
        con.execute("DROP TRIGGER database_identity_no_delete")
        con.execute("DELETE FROM database_identity")
    assert main(["--db", db.location, "verify", "--witness", str(witness)]) == 1
    out = capsys.readouterr().out
    assert "WITNESS: the table checkpoints is missing (dropped behind the app's back)" in out
    assert "is missing from the database" in out  # the witnessed checkpoint #1
    assert main(["--db", db.location, "checkpoint", "--witness", str(witness)]) == 2
    assert "This database has no identity or checkpoint table any more" in capsys.readouterr().err


def test_entries_after_the_newest_witnessed_checkpoint_are_said_to_be_unwitnessed(
    team: Team, keys: Path, tmp_path: Path
) -> None:
    result = _write(team.db, team.clock, keys, tmp_path / "w")
    assert result.checkpoint is not None
    seq = result.checkpoint.seq
    report = verify_witnesses(uow=team.uow, witness_files=list(result.witnessed_in))
    assert not any("no witness vouches" in n for n in report.notes)
    team.subject("SAIL-01-009")
    report = verify_witnesses(uow=team.uow, witness_files=list(result.witnessed_in))
    assert report.ok
    assert (
        f"Entries {seq + 1}–{_head(team)} were made after the newest witnessed checkpoint: "
        "no witness vouches for them yet."
    ) in report.notes


def test_a_bare_witness_option_checks_the_configured_folders_and_names_each_file(
    db: OpenedDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    monkeypatch.setattr("slidesk.paths.user_data_dir", lambda: data)
    usb = tmp_path / "usb" / "study.checkpoints"
    db.close()
    for _ in range(3):
        assert main(["--db", db.location, "checkpoint"]) == 0
    default = witness_file(data / "witnesses", _identity(Path(db.location)))
    capsys.readouterr()
    assert main(["--db", db.location, "verify", "--witness"]) == 0
    out = capsys.readouterr().out
    assert f"Checked {default}: 3 signed checkpoint(s), the newest #3 at entry " in out
    assert "matching the chain: #1–#3." in out
    # A bare --witness next to a FILE: the file and the folders.
    assert main(["--db", db.location, "checkpoint", "--witness", str(usb)]) == 0
    capsys.readouterr()
    assert main(["--db", db.location, "verify", "--witness", "--witness", str(usb)]) == 0
    out = capsys.readouterr().out
    assert f"Checked {usb}: 4 signed checkpoint(s)" in out
    assert f"Checked {default}: 4 signed checkpoint(s)" in out
