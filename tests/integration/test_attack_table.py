"""Issue 12's attack table, row by row, on a copy of the demo database witnessed before the attack.

Each row of the table ("verify said INTACT") is made here as an attacker with write access to the
file would make it, and `slidesk verify --witness FILE` must name it: exit 1 and a finding that
says what was done (or, for a path that holds no database, exit 2 and nothing created). The
first finding line and the exit code are kept as the test's `verify_said`/`exit` properties
(`--junitxml` shows them), which is where the closing note's table comes from.

The shared fixtures (the demo witnessed at entries 223 and 226, the chain rewriter) live in
`test_witness_attacks.py`.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from slidesk.cli.main import main
from slidesk.services.accounts import service as accounts
from slidesk.services.audit.checkpoints import enable_automatic, write_checkpoint
from slidesk.services.procedure import site_entries
from slidesk.services.record.codec import hash_text
from slidesk.services.record.snapshot import snapshot_from_json
from slidesk.services.workstation.database import open_database
from tests.fakes import FakeClock
from tests.integration.test_witness_attacks import (
    Entries,
    _created,
    _intact_without_witness,
    attack,
    witnessed_demo,
)

__all__ = ["attack", "witnessed_demo"]  # fixtures used by name below

Attack = Callable[..., tuple[Path, Path]]
OPERATOR_PASSWORD = "demo-password-1"


def _said(
    db: Path, witness: Path, capsys: pytest.CaptureFixture[str], record: Callable[..., None]
) -> tuple[int, str, list[str]]:
    """Run `slidesk verify --witness`; keep its first finding line and exit code."""
    code = main(["--db", str(db), "verify", "--witness", str(witness)])
    captured = capsys.readouterr()
    out = captured.out + captured.err
    findings = [line for line in out.splitlines() if line.split(":")[0].isupper()]
    named = [f for f in findings if not f.startswith(("NOT INTACT", "INTACT"))]
    record("verify_said", findings[0] if findings else out.splitlines()[0])
    record("named", named[0] if named else "")
    record("exit", code)
    return code, out, findings


def _clock_after_last_entry(db: Path) -> FakeClock:
    with sqlite3.connect(db) as con:
        (last,) = con.execute("SELECT at_utc FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return FakeClock(start=datetime.fromisoformat(str(last)) + timedelta(minutes=5))


def test_row1_a_sites_depth_and_its_entry_rewritten_with_the_chain_recomputed(
    attack: Attack, capsys: pytest.CaptureFixture[str], record_property: Callable[..., None]
) -> None:
    def rewrite(con: sqlite3.Connection, entries: Entries) -> Entries:
        site, depth = con.execute(
            "SELECT id, depth_um FROM site_entries WHERE procedure_id = 3 ORDER BY id LIMIT 1"
        ).fetchone()
        con.execute("UPDATE site_entries SET depth_um = ? WHERE id = ?", (depth + 2500, site))
        entry = _created(entries, "site_entries", site)
        entry["changes"] = entry["changes"].replace(
            f'"depth_um":[null,{depth}]', f'"depth_um":[null,{depth + 2500}]'
        )
        return entries

    db, witness = attack(rewrite)
    assert _intact_without_witness(db), "the attack must be one the chain alone cannot see"
    code, out, findings = _said(db, witness, capsys, record_property)
    assert code == 1
    assert findings[0].startswith("NOT INTACT")
    assert "WITNESS: entries 1–223 were rewritten after checkpoint #1 of " in out
    assert f"witnessed in {witness}" in out


def test_row2_a_signed_record_forged_through_snapshot_versions_signatures_and_chain(
    attack: Attack, capsys: pytest.CaptureFixture[str], record_property: Callable[..., None]
) -> None:
    def forge(con: sqlite3.Connection, entries: Entries) -> Entries:
        site, depth = con.execute(
            "SELECT id, depth_um FROM site_entries WHERE procedure_id = 1 AND site_no = 2"
        ).fetchone()
        con.execute("UPDATE site_entries SET depth_um = ? WHERE id = ?", (depth + 3000, site))
        _created(entries, "site_entries", site)["changes"] = _created(
            entries, "site_entries", site
        )["changes"].replace(f'"depth_um":[null,{depth}]', f'"depth_um":[null,{depth + 3000}]')
        versions = con.execute(
            "SELECT id, content_json, content_hash FROM record_versions WHERE procedure_id = 1"
        ).fetchall()
        for version_id, content, old_hash in versions:
            snapshot = json.loads(content)
            for item in snapshot["entries"]:
                if item["id"] == site:
                    item["depth_um"] = depth + 3000
            forged = snapshot_from_json(json.dumps(snapshot)).to_json()
            new_hash = hash_text(forged)
            con.execute(
                "UPDATE record_versions SET content_json = ?, content_hash = ? WHERE id = ?",
                (forged, new_hash, version_id),
            )
            con.execute(
                "UPDATE signatures SET content_hash = ? WHERE content_hash = ?",
                (new_hash, old_hash),
            )
            for entry in entries:
                if entry["changes"] and old_hash in entry["changes"]:
                    entry["changes"] = entry["changes"].replace(old_hash, new_hash)
        return entries

    db, witness = attack(forge)
    assert _intact_without_witness(db), "a full forge is one the chain alone cannot see"
    code, out, findings = _said(db, witness, capsys, record_property)
    assert code == 1
    assert findings[0].startswith("NOT INTACT")
    assert "WITNESS: entries 1–223 were rewritten after checkpoint #1 of " in out


def _undo(con: sqlite3.Connection, entry: dict[str, object]) -> None:
    """Take back what one entry did to its row, as a careful attacker would."""
    table, key = str(entry["entity"]), int(str(entry["entity_id"]))
    changes = json.loads(str(entry["changes"] or "{}"))
    if entry["action"] == "create":
        con.execute(f"DELETE FROM {table} WHERE id = ?", (key,))
    elif entry["action"] == "update":
        for column, (old, _new) in changes.items():
            con.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (old, key))


def test_row3_the_last_18_entries_deleted_with_their_records(
    attack: Attack, capsys: pytest.CaptureFixture[str], record_property: Callable[..., None]
) -> None:
    def delete_tail(con: sqlite3.Connection, entries: Entries) -> Entries:
        for entry in reversed(entries[-18:]):
            _undo(con, entry)
        return entries[:-18]

    db, witness = attack(delete_tail)
    code, out, _findings = _said(db, witness, capsys, record_property)
    assert code == 1
    assert "WITNESS: the chain ends at 208 but checkpoint #1 of " in out
    assert "witnessed 223" in out
    assert "witnessed 226" in out
    assert "entries 209–223 are missing (deleted), and entries 1–208 may have been" in out


def test_row4_a_mid_chain_entry_and_its_record_deleted_renumbered_recomputed(
    attack: Attack, capsys: pytest.CaptureFixture[str], record_property: Callable[..., None]
) -> None:
    def delete_middle(con: sqlite3.Connection, entries: Entries) -> Entries:
        site = con.execute(
            "SELECT id FROM site_entries WHERE procedure_id = 3 AND site_no = 14"
        ).fetchone()[0]
        con.execute("DELETE FROM site_entries WHERE id = ?", (site,))
        gone = _created(entries, "site_entries", site)
        return [e for e in entries if e is not gone]

    db, witness = attack(delete_middle)
    assert _intact_without_witness(db)
    code, out, _findings = _said(db, witness, capsys, record_property)
    assert code == 1
    assert "WITNESS: entries 1–223 were rewritten after checkpoint #1 of " in out
    assert "WITNESS: the chain ends at 225 but checkpoint #2 of " in out
    assert "entry 226 is missing (deleted), and entries 1–225 may have been rewritten" in out


def test_row5_a_replaced_password_hash_then_a_sign_in_and_a_site_in_the_operators_name(
    attack: Attack, capsys: pytest.CaptureFixture[str], record_property: Callable[..., None]
) -> None:
    db, witness = attack(lambda _con, entries: entries)
    with sqlite3.connect(db) as con:
        con.execute(
            "UPDATE users SET password_hash = ? WHERE username = 'operator'",
            (accounts.default_hasher().hash("attacker-chosen-1"),),
        )
    clock = _clock_after_last_entry(db)
    opened = open_database(db)
    try:
        operator = accounts.authenticate(
            uow=opened.uow, clock=clock, username="operator", password="attacker-chosen-1"
        )
        site_entries.record_injection(
            uow=opened.uow,
            clock=clock,
            actor=operator,
            procedure_id=3,
            site_no=18,
            depth_mm="12.5",
            volume_ml="1.0",
            syringe="SAIL-K005-16",
        )
    finally:
        opened.close()
    code, _out, findings = _said(db, witness, capsys, record_property)
    assert code == 1
    assert findings[0].startswith("MISMATCH: users 2 field password_hash: record says 'sha256:")


@pytest.fixture
def brute_forced(
    witnessed_demo: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path]:
    """A copy whose operator was locked out by wrong passwords while the app ran with its
    automatic checkpoints: the lockout itself is witnessed, before anyone touches the file."""
    source, keys, _witness = witnessed_demo
    monkeypatch.setattr("slidesk.paths.user_data_dir", lambda: keys)
    db, folder = tmp_path / "forced.sqlite3", tmp_path / "usb"
    folder.mkdir()
    shutil.copyfile(source, db)
    clock = _clock_after_last_entry(db)
    opened = open_database(db)
    try:
        enable_automatic(opened.uow, key_folder=keys, witness_folders=(folder,))
        for _ in range(accounts.MAX_FAILED_ATTEMPTS):
            with pytest.raises(accounts.AuthenticationFailed):
                accounts.authenticate(
                    uow=opened.uow, clock=clock, username="operator", password="guess"
                )
    finally:
        opened.close()
    (witness,) = folder.iterdir()
    lines = witness.read_text().splitlines()
    assert '"reason":"lockout"' in lines[-1], "the lockout is witnessed at once"
    assert len(lines) == 3, "the earlier checkpoints (#1, #2) are caught up in the new witness"
    return db, witness


def test_row6_a_lockout_cleared_and_its_auth_entries_erased(
    brute_forced: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    record_property: Callable[..., None],
) -> None:
    from tests.integration.test_witness_attacks import _rewrite_chain

    db, witness = brute_forced
    with sqlite3.connect(db) as con:
        (locked,) = con.execute(
            "SELECT locked_until FROM users WHERE username = 'operator'"
        ).fetchone()
    assert locked is not None, "the brute force must have locked the account"

    def clear(con: sqlite3.Connection, entries: Entries) -> Entries:
        con.execute(
            "UPDATE users SET locked_until = NULL, failed_attempts = 0 WHERE username = 'operator'"
        )
        return [
            e
            for e in entries
            if not (e["event_type"].startswith("auth.") or e["event_type"] == "user.sign_in_state")
            or e["seq"] <= 226
        ]

    _rewrite_chain(db, clear)
    assert _intact_without_witness(db), "with the entries gone the chain alone sees nothing"
    code, out, _findings = _said(db, witness, capsys, record_property)
    assert code == 1
    assert "WITNESS: the chain ends at 226 but checkpoint #3 of " in out


def test_row7_all_triggers_dropped_and_left_dropped(
    attack: Attack, capsys: pytest.CaptureFixture[str], record_property: Callable[..., None]
) -> None:
    db, witness = attack(lambda _con, entries: entries)
    with sqlite3.connect(db) as con:
        names = [n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
        for name in names:
            con.execute(f"DROP TRIGGER {name}")
    assert len(names) > 10
    code, out, findings = _said(db, witness, capsys, record_property)
    assert code == 1
    assert findings[0].startswith("SCHEMA: trigger ")
    for name in names:
        assert f"trigger {name} is missing" in out


@pytest.mark.parametrize("kind", ["empty file", "mistyped path"])
def test_row8_an_empty_file_or_a_mistyped_path_is_refused_and_nothing_is_created(
    kind: str,
    witnessed_demo: tuple[Path, Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    record_property: Callable[..., None],
) -> None:
    _source, _keys, witness = witnessed_demo
    folder = tmp_path / "db"
    folder.mkdir()
    target = folder / ("empty.sqlite3" if kind == "empty file" else "dmeo.sqlite3")
    if kind == "empty file":
        target.touch()
    before = sorted((p.name, p.stat().st_size) for p in folder.iterdir())
    code = main(["--db", str(target), "verify", "--witness", str(witness)])
    captured = capsys.readouterr()
    record_property("verify_said", captured.err.strip().splitlines()[0])
    record_property("exit", code)
    assert code == 2
    assert str(target) in captured.err
    assert sorted((p.name, p.stat().st_size) for p in folder.iterdir()) == before


def test_row9_a_copy_of_the_file_taken_while_the_app_runs_without_its_wal(
    witnessed_demo: tuple[Path, Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    record_property: Callable[..., None],
) -> None:
    source, keys, source_witness = witnessed_demo
    monkeypatch.setattr("slidesk.paths.user_data_dir", lambda: keys)
    live, witness = tmp_path / "live.sqlite3", tmp_path / "usb" / "live.checkpoints"
    witness.parent.mkdir()
    shutil.copyfile(source, live)
    shutil.copyfile(source_witness, witness)
    clock = _clock_after_last_entry(live)
    running = open_database(live)
    try:
        operator = accounts.authenticate(
            uow=running.uow, clock=clock, username="operator", password=OPERATOR_PASSWORD
        )
        for site_no, syringe in ((18, 16), (19, 17)):
            site_entries.record_injection(
                uow=running.uow,
                clock=clock,
                actor=operator,
                procedure_id=3,
                site_no=site_no,
                depth_mm="12.5",
                volume_ml="1.0",
                syringe=f"SAIL-K005-{syringe:02d}",
            )
        write_checkpoint(
            uow=running.uow,
            clock=clock,
            reason="hourly",
            key_folder=keys,
            witness_folders=(),
            witness_files=(witness,),
        )
        assert Path(f"{live}-wal").stat().st_size > 0, "the confirmed entries are in the WAL"
        copy = tmp_path / "copied-by-hand.sqlite3"
        shutil.copyfile(live, copy)  # the main file only, as a hand copy during work does
    finally:
        running.close()
    code, out, _findings = _said(copy, witness, capsys, record_property)
    assert code == 1
    assert "WITNESS: the chain ends at 226 but checkpoint #3 of " in out
    assert "entries 227–" in out
