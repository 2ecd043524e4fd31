"""Tampering through raw SQL is detected by `verify`, and the trail refuses plain edits."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from slidesk.services.audit.verify import verify_database


@pytest.fixture
def recorded(team):
    view = team.started_procedure()
    for i, site in enumerate(view.sites[:6], start=1):
        view = team.inject(view.id, site.number, str(i))
    return team, view


def raw(team) -> sqlite3.Connection:
    team.db.uow.engine.dispose()  # let go of pooled connections before editing behind them
    return sqlite3.connect(Path(team.db.location), isolation_level=None)


def drop_guards(conn: sqlite3.Connection) -> None:
    """What an attacker with file access does first."""
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")


def test_an_untouched_database_verifies_intact(recorded) -> None:
    team, _ = recorded
    report = verify_database(uow=team.uow)
    assert report.intact, report.summary()
    assert report.summary().startswith("INTACT")


def test_the_audit_trail_refuses_update_and_delete_at_the_database_level(recorded) -> None:
    team, _ = recorded
    conn = raw(team)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit_log SET reason = 'x' WHERE seq = 3")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit_log WHERE seq = 3")


def test_editing_a_clinical_value_is_found(recorded) -> None:
    team, view = recorded
    entry = view.entries[2]
    raw(team).execute("UPDATE site_entries SET depth_um = 9000 WHERE id = ?", (entry.id,))
    report = verify_database(uow=team.uow)
    assert not report.intact
    assert report.chain_break is None
    assert any(f"site_entries {entry.id} field depth_um" in m for m in report.mismatches)


def test_editing_an_audit_entry_breaks_the_chain_there(recorded) -> None:
    team, _ = recorded
    conn = raw(team)
    drop_guards(conn)
    conn.execute("UPDATE audit_log SET reason = 'forged' WHERE seq = 7")
    report = verify_database(uow=team.uow)
    assert report.chain_break is not None
    assert report.chain_break.seq == 7


def test_deleting_an_audit_entry_in_the_middle_breaks_the_chain(recorded) -> None:
    team, _ = recorded
    conn = raw(team)
    drop_guards(conn)
    conn.execute("DELETE FROM audit_log WHERE seq = 9")
    report = verify_database(uow=team.uow)
    assert report.chain_break is not None
    assert report.chain_break.seq == 10


def test_deleting_the_newest_audit_entry_leaves_its_record_without_history(recorded) -> None:
    team, view = recorded
    conn = raw(team)
    drop_guards(conn)
    conn.execute("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
    report = verify_database(uow=team.uow)
    newest = view.entries[-1]
    assert f"site_entries {newest.id} exists but has no audit history" in " ".join(
        report.mismatches
    )


def test_reordering_audit_entries_is_found(recorded) -> None:
    team, _ = recorded
    conn = raw(team)
    drop_guards(conn)
    conn.execute("UPDATE audit_log SET seq = -1 WHERE seq = 5")
    conn.execute("UPDATE audit_log SET seq = 5 WHERE seq = 6")
    conn.execute("UPDATE audit_log SET seq = 6 WHERE seq = -1")
    report = verify_database(uow=team.uow)
    assert report.chain_break is not None
    assert report.chain_break.seq == 5


def test_a_forged_audit_row_is_found(recorded) -> None:
    team, view = recorded
    conn = raw(team)
    last = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    conn.execute(
        "INSERT INTO audit_log (seq, at_utc, utc_offset_min, host, action, event_type, "
        "entity, entity_id, changes, prev_hash, hash) VALUES (?, '2026-11-25T09:00:00Z', 60, "
        "'x', 'update', 'site.corrected', 'site_entries', ?, '{\"depth_um\":[12500,9000]}', ?, ?)",
        (last[0] + 1, str(view.entries[0].id), last[1], "f" * 64),
    )
    report = verify_database(uow=team.uow)
    assert report.chain_break is not None
    assert report.chain_break.seq == last[0] + 1


def test_a_row_inserted_behind_the_apps_back_is_found(recorded) -> None:
    team, view = recorded
    conn = raw(team)
    conn.execute(
        "INSERT INTO site_entries (procedure_id, site_no, kind, performed_at, recorded_at, "
        "performer_id, recorder_id, relocated, voided) VALUES (?, 29, 'injected', "
        "'2026-11-25 09:00:00.000000', '2026-11-25 09:00:00.000000', 2, 2, 0, 0)",
        (view.id,),
    )
    report = verify_database(uow=team.uow)
    assert any("has no audit history" in m for m in report.mismatches)
