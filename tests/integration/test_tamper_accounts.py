"""A raw-SQL edit of what decides who may act — the password hash, the lockout, the failed
attempts, the active flag, the roles — is named by `verify` (issue 12, part 2); the trail holds
a digest of the password hash, never the hash."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from slidesk.persistence.rows.core import audit_digest
from slidesk.services.accounts import admin as account_admin
from slidesk.services.accounts import service as accounts
from slidesk.services.audit.verify import verify_database
from slidesk.services.workstation.database import open_database
from tests.conftest import PASSWORD, Team

EDITS = {
    "password_hash": "'$argon2id$v=19$m=65536,t=3,p=4$forged$forged'",
    "locked_until": "NULL",
    "failed_attempts": "0",
    "active": "1",
    "roles": "'operator,nurse'",
    "password_changed_at": "'2099-01-01 00:00:00.000000'",
}


@pytest.fixture
def guarded(team: Team) -> Team:
    """The operator locked out after five wrong passwords; the nurse deactivated."""
    for _ in range(accounts.MAX_FAILED_ATTEMPTS):
        with pytest.raises(accounts.AuthenticationFailed):
            team.sign_in("operator", "wrong-password-1")
    account_admin.set_active(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        user_id=team.nurse.user_id,
        active=False,
        reason="left",
    )
    with pytest.raises(accounts.AuthenticationFailed):
        team.sign_in("monitor", "wrong-password-1")  # one failed attempt counted
    return team


def _copy(team: Team, tmp_path: Path) -> Path:
    team.db.uow.engine.dispose()
    copy = tmp_path / "copy.sqlite3"
    shutil.copy(team.db.location, copy)
    return copy


def test_the_account_columns_verify_intact_after_sign_ins_lockouts_and_resets(
    guarded: Team,
) -> None:
    account_admin.reset_password(
        uow=guarded.uow,
        clock=guarded.clock,
        actor=guarded.admin,
        user_id=guarded.operator.user_id,
        reason="locked out",
        one_time_password="Temporary-pass-77",
        hasher=guarded.hasher,
    )
    accounts.change_password(
        uow=guarded.uow,
        clock=guarded.clock,
        username="operator",
        old_password="Temporary-pass-77",
        new_password="another-good-9",
        hasher=guarded.hasher,
    )
    report = verify_database(uow=guarded.uow)
    assert report.intact, report.summary()


def test_the_trail_holds_a_digest_of_the_password_hash_never_the_hash(guarded: Team) -> None:
    with guarded.uow.read() as tx:
        stored = tx.users.get(guarded.admin.user_id).password_hash
        trail = "\n".join(e["changes"] for e in tx.audit.iter_all())
    assert stored
    assert stored not in trail
    assert audit_digest(stored) in trail


@pytest.mark.parametrize("column", sorted(EDITS))
def test_a_raw_edit_of_an_account_column_is_named_by_verify(
    guarded: Team, tmp_path: Path, column: str
) -> None:
    # The locked-out operator, the deactivated nurse, the monitor with one failed attempt.
    user_id = {"locked_until": guarded.operator.user_id, "active": guarded.nurse.user_id}.get(
        column, guarded.monitor.user_id
    )
    copy = _copy(guarded, tmp_path)
    conn = sqlite3.connect(copy, isolation_level=None)
    conn.execute(f"UPDATE users SET {column} = {EDITS[column]} WHERE id = ?", (user_id,))
    conn.close()
    opened = open_database(copy)
    try:
        report = verify_database(uow=opened.uow)
    finally:
        opened.close()
    assert not report.intact
    assert any(f"users {user_id} field {column}" in m for m in report.mismatches), report.summary()
    assert PASSWORD not in report.summary()


FIXTURE = Path(__file__).parents[1] / "fixtures" / "schema1" / "schema1.sqlite3"


def test_accounts_made_before_the_upgrade_get_one_baseline_entry_and_are_then_guarded(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURE, copy)
    opened = open_database(copy)  # migrates: one user.security_audited entry per account
    try:
        report = verify_database(uow=opened.uow)
        assert report.intact, report.summary()
        with opened.uow.read() as tx:
            baseline = [
                e for e in tx.audit.iter_all() if e["event_type"] == "user.security_audited"
            ]
            user_ids = [u.id for u in tx.users.all()]
        assert sorted(int(e["entity_id"]) for e in baseline) == sorted(user_ids)
        opened.uow.engine.dispose()
        conn = sqlite3.connect(copy, isolation_level=None)
        conn.execute("UPDATE users SET password_hash = 'forged' WHERE id = ?", (user_ids[0],))
        conn.close()
        report = verify_database(uow=opened.uow)
        assert any(f"users {user_ids[0]} field password_hash" in m for m in report.mismatches)
    finally:
        opened.close()


@pytest.fixture
def retired(guarded: Team) -> Team:
    """The operator's password reset by the admin: the old hash is kept in the history."""
    account_admin.reset_password(
        uow=guarded.uow,
        clock=guarded.clock,
        actor=guarded.admin,
        user_id=guarded.operator.user_id,
        reason="locked out",
        one_time_password="Temporary-pass-77",
        hasher=guarded.hasher,
    )
    return guarded


HISTORY_EDITS = {
    "hash rewritten": "UPDATE password_history SET password_hash = 'forged'",
    "id changed": "UPDATE password_history SET id = id + 1",
    "row deleted": "DELETE FROM password_history",
}


@pytest.mark.parametrize("edit", sorted(HISTORY_EDITS))
def test_a_raw_edit_of_the_password_history_is_named_by_verify(
    retired: Team, tmp_path: Path, edit: str
) -> None:
    copy = _copy(retired, tmp_path)
    conn = sqlite3.connect(copy, isolation_level=None)
    (rows,) = conn.execute("SELECT count(*) FROM password_history").fetchone()
    assert rows == 1
    conn.execute(HISTORY_EDITS[edit])
    conn.close()
    opened = open_database(copy)
    try:
        report = verify_database(uow=opened.uow)
    finally:
        opened.close()
    assert not report.intact
    assert any("password_history" in m for m in report.mismatches), report.summary()


def test_the_trail_holds_a_digest_of_the_retired_hash_never_the_hash(retired: Team) -> None:
    assert verify_database(uow=retired.uow).intact
    with retired.uow.read() as tx:
        entries = [e for e in tx.audit.iter_all() if e["entity"] == "password_history"]
    retired.uow.engine.dispose()
    with sqlite3.connect(retired.db.location) as conn:
        (old_hash,) = conn.execute("SELECT password_hash FROM password_history").fetchone()
    (entry,) = entries
    assert entry["event_type"] == "user.password_retired"
    assert old_hash not in entry["changes"]
    assert audit_digest(old_hash) in entry["changes"]


def test_history_rows_made_before_the_upgrade_get_a_baseline_entry(
    team: Team, tmp_path: Path
) -> None:
    copy = _copy(team, tmp_path)
    conn = sqlite3.connect(copy, isolation_level=None)
    conn.execute(
        "INSERT INTO password_history (user_id, password_hash, retired_at) "
        "VALUES (?, '$argon2id$old', '2026-01-01 00:00:00.000000')",
        (team.operator.user_id,),
    )
    conn.execute("UPDATE alembic_version SET version_num = 'sec1' WHERE version_num = 'sec2'")
    conn.close()
    opened = open_database(copy)  # migrates: one user.password_retired entry for the row
    try:
        report = verify_database(uow=opened.uow)
        assert report.intact, report.summary()
        with opened.uow.read() as tx:
            (entry,) = [e for e in tx.audit.iter_all() if e["entity"] == "password_history"]
        assert audit_digest("$argon2id$old") in entry["changes"]
    finally:
        opened.close()
