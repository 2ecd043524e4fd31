"""Attacks on a copy of the demo database whose chain was witnessed before the attack.

Each attack is one an attacker with write access to the file and `slidesk/integrity/chain.py` in
hand can
make so that `slidesk verify` alone still says INTACT (it recomputes the chain). With the witness
file written before the attack, `slidesk verify --witness FILE` names what was done.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from slidesk.cli.main import main
from slidesk.demo.build import build_demo
from slidesk.integrity.chain import GENESIS_HASH, HASHED_FIELDS, chain_hash
from slidesk.services.accounts import service as accounts
from slidesk.services.audit.checkpoints import write_checkpoint
from slidesk.services.audit.verify import verify_database
from slidesk.services.procedure import site_entries
from slidesk.services.workstation.database import open_database
from tests.fakes import FakeClock

Entries = list[dict[str, Any]]


@pytest.fixture(scope="module")
def witnessed_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(demo database, its key folder, a witness file), witnessed twice: checkpoint #1 at the
    demo's last entry and the operator's sign-in (223), #2 after three injections (226)."""
    root = tmp_path_factory.mktemp("witnessed")
    path = Path(build_demo(str(root / "demo.sqlite3")))
    keys, witness = root / "data", root / "usb" / "demo.checkpoints"
    opened = open_database(path)
    try:
        with opened.uow.read() as tx:
            last = tx.audit.iter_all()
            *_, newest = last
        clock = FakeClock(start=datetime.fromisoformat(newest["at_utc"]) + timedelta(minutes=1))

        def checkpoint() -> None:
            write_checkpoint(
                uow=opened.uow,
                clock=clock,
                reason="manual",
                key_folder=keys,
                witness_folders=(),
                witness_files=(witness,),
            )

        operator = accounts.authenticate(
            uow=opened.uow, clock=clock, username="operator", password="demo-password-1"
        )
        checkpoint()
        for site_no, syringe in ((15, 13), (16, 14), (17, 15)):
            clock.advance(minutes=1)
            site_entries.record_injection(
                uow=opened.uow,
                clock=clock,
                actor=operator,
                procedure_id=3,
                site_no=site_no,
                depth_mm="12.5",
                volume_ml="1.0",
                syringe=f"SAIL-K005-{syringe:02d}",
            )
        checkpoint()
    finally:
        opened.close()
    return path, keys, witness


@pytest.fixture
def attack(
    witnessed_demo: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[Path, Path]]:
    """Copy the witnessed demo; return a function that attacks the copy and gives (db, witness)."""
    source, keys, witness = witnessed_demo
    monkeypatch.setattr("slidesk.paths.user_data_dir", lambda: keys)

    def run(rewrite: Callable[[sqlite3.Connection, Entries], Entries]) -> tuple[Path, Path]:
        copy = tmp_path / "attacked.sqlite3"
        shutil.copyfile(source, copy)
        _rewrite_chain(copy, rewrite)
        return copy, witness

    return run


def _rewrite_chain(path: Path, rewrite: Callable[[sqlite3.Connection, Entries], Entries]) -> None:
    """What a script with the public audit module does: edit, renumber, recompute every hash,
    and put the append-only triggers (of every table) back as they were, so the schema check
    sees nothing."""
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    triggers = [
        (name, sql)
        for name, sql in con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    ]
    for name, _sql in triggers:
        con.execute(f"DROP TRIGGER {name}")
    entries = [dict(r) for r in con.execute("SELECT * FROM audit_log ORDER BY seq")]
    entries = rewrite(con, entries)
    prev = GENESIS_HASH
    for seq, entry in enumerate(entries, start=1):
        entry["seq"], entry["prev_hash"] = seq, prev
        entry["hash"] = prev = chain_hash(prev, {k: entry[k] for k in HASHED_FIELDS})
    con.execute("DELETE FROM audit_log")
    columns = list(entries[0])
    con.executemany(
        f"INSERT INTO audit_log ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [tuple(e[c] for c in columns) for e in entries],
    )
    for _name, sql in triggers:
        con.execute(sql)
    con.commit()
    con.close()


def _created(entries: Entries, table: str, key: int) -> dict[str, Any]:
    return next(
        e
        for e in entries
        if e["entity"] == table and e["entity_id"] == str(key) and e["action"] == "create"
    )


def _verify(db: Path, witness: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--db", str(db), "verify", "--witness", str(witness)])
    return code, capsys.readouterr().out


def _intact_without_witness(db: Path) -> bool:
    opened = open_database(db)
    try:
        return verify_database(uow=opened.uow).intact
    finally:
        opened.close()


def test_an_untouched_copy_verifies_against_its_witness(
    attack: Callable[..., tuple[Path, Path]], capsys: pytest.CaptureFixture[str]
) -> None:
    db, witness = attack(lambda _con, entries: entries)
    code, out = _verify(db, witness, capsys)
    assert code == 0, out
    assert "WITNESS" not in out
    assert f"Checked {witness}: 2 signed checkpoint(s), the newest #2 at entry 226 (head " in out
    assert "matching the chain: #1–#2." in out


def test_a_rewrite_after_the_first_checkpoint_is_narrowed_to_the_entries_after_it(
    attack: Callable[..., tuple[Path, Path]], capsys: pytest.CaptureFixture[str]
) -> None:
    def rewrite(con: sqlite3.Connection, entries: Entries) -> Entries:
        site = con.execute(
            "SELECT id FROM site_entries WHERE procedure_id = 3 AND site_no = 16"
        ).fetchone()[0]
        con.execute("UPDATE site_entries SET depth_um = 9000 WHERE id = ?", (site,))
        entry = _created(entries, "site_entries", site)
        entry["changes"] = entry["changes"].replace(
            '"depth_um":[null,12500]', '"depth_um":[null,9000]'
        )
        return entries

    db, witness = attack(rewrite)
    assert _intact_without_witness(db)
    code, out = _verify(db, witness, capsys)
    assert code == 1
    assert "WITNESS: entries 224–226 were rewritten after checkpoint #2 of " in out
    assert "checkpoint #1" not in out


def test_a_deleted_tail_is_named(
    attack: Callable[..., tuple[Path, Path]], capsys: pytest.CaptureFixture[str]
) -> None:
    def delete_tail(con: sqlite3.Connection, entries: Entries) -> Entries:
        # The three injections recorded after checkpoint #1: three entries, three rows.
        for entry in entries[-3:]:
            con.execute(f"DELETE FROM {entry['entity']} WHERE id = ?", (int(entry["entity_id"]),))
        return entries[:-3]

    db, witness = attack(delete_tail)
    assert _intact_without_witness(db)
    code, out = _verify(db, witness, capsys)
    assert code == 1
    assert "WITNESS: the chain ends at 223 but checkpoint #2 of " in out
    assert f"witnessed 226 (witnessed in {witness}): entries 224–226 were deleted" in out
    assert "checkpoint #1" not in out


def test_a_forged_checkpoint_line_is_refused(
    attack: Callable[..., tuple[Path, Path]],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    db, witness = attack(lambda _con, entries: entries)
    forged = tmp_path / "forged.checkpoints"
    forged.write_text(witness.read_text().replace('"seq":223', '"seq":222'))
    code, out = _verify(db, forged, capsys)
    assert code == 1
    assert "its signature does not verify" in out
