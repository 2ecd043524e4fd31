"""Account administration and bedside sessions, against a real SQLite file (ACC-01…07, AUD-05)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from slidesk.domain.errors import ConflictError, NotFoundError, PermissionDenied, ValidationError
from slidesk.domain.users import Role
from slidesk.services.accounts import admin as account_admin
from slidesk.services.accounts import service as accounts
from slidesk.services.accounts import sessions
from slidesk.services.accounts.password_policy import generate_one_time_password
from slidesk.services.accounts.service import AuthenticationFailed
from tests.conftest import PASSWORD


def _trail(team, event_type: str) -> list:
    with team.uow.read() as tx:
        return [e for e in tx.audit.iter_all() if e["event_type"] == event_type]


def test_duplicate_username_is_refused_even_with_other_case(team) -> None:
    with pytest.raises(ConflictError, match="taken"):
        team.add("Operator", "Other Person", Role.NURSE)


def test_admin_reset_gives_a_one_time_password_that_must_be_changed(team) -> None:
    accounts.change_password(
        uow=team.uow,
        clock=team.clock,
        username="nurse",
        old_password=PASSWORD,
        new_password="my-own-choice-1",
        hasher=team.hasher,
    )
    reset = account_admin.reset_password(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        user_id=team.nurse.user_id,
        reason="forgot password, identity checked in person",
        hasher=team.hasher,
    )
    assert reset.user.must_change_password
    with pytest.raises(AuthenticationFailed):
        team.sign_in("nurse", "my-own-choice-1")
    result = sessions.sign_in(
        uow=team.uow,
        clock=team.clock,
        username="nurse",
        password=reset.one_time_password,
        hasher=team.hasher,
    )
    assert result.must_change_password
    (entry,) = _trail(team, "user.password_reset")
    assert entry["reason"] == "forgot password, identity checked in person"
    assert entry["username"] == "admin"
    changes = json.loads(entry["changes"])
    assert changes["must_change_password"] == [False, True]
    # The reset is in the trail as a digest of the new hash, never the hash itself.
    old_digest, new_digest = changes["password_hash"]
    assert old_digest != new_digest
    assert new_digest.startswith("sha256:")
    assert "$argon2" not in entry["changes"]
    assert {"must_change_password", "password_hash"} <= set(changes)


def test_reset_lifts_a_lockout(team) -> None:
    for _ in range(accounts.MAX_FAILED_ATTEMPTS):
        with pytest.raises(AuthenticationFailed):
            team.sign_in("nurse", "wrong-password-1")
    reset = account_admin.reset_password(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        user_id=team.nurse.user_id,
        reason="locked out at the bedside",
        hasher=team.hasher,
    )
    assert team.sign_in("nurse", reset.one_time_password).user_id == team.nurse.user_id


def test_admin_cannot_reset_their_own_password(team) -> None:
    with pytest.raises(ValidationError, match="own password"):
        account_admin.reset_password(
            uow=team.uow,
            clock=team.clock,
            actor=team.admin,
            user_id=team.admin.user_id,
            reason="x",
            hasher=team.hasher,
        )


def test_role_change_is_audited_with_old_new_and_reason(team) -> None:
    view = account_admin.set_roles(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        user_id=team.operator.user_id,
        roles=frozenset({Role.OPERATOR, Role.NURSE}),
        reason="also trained as sedation nurse (training log 2026-11)",
    )
    assert view.roles == {Role.OPERATOR, Role.NURSE}
    (entry,) = _trail(team, "user.roles_changed")
    assert json.loads(entry["changes"]) == {"roles": ["operator", "nurse,operator"]}
    assert entry["reason"].startswith("also trained")


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        ({Role.ADMIN, Role.NURSE}, "administrator"),
        ({Role.MONITOR, Role.OPERATOR}, "monitor"),
        (set(), "at least one role"),
    ],
)
def test_forbidden_role_combinations_are_refused(team, roles, message) -> None:
    with pytest.raises(ValidationError, match=message):
        account_admin.set_roles(
            uow=team.uow,
            clock=team.clock,
            actor=team.admin,
            user_id=team.operator.user_id,
            roles=frozenset(roles),
            reason="test",
        )


def test_admin_cannot_change_their_own_roles(team) -> None:
    with pytest.raises(ValidationError, match="Another administrator"):
        account_admin.set_roles(
            uow=team.uow,
            clock=team.clock,
            actor=team.admin,
            user_id=team.admin.user_id,
            roles=frozenset({Role.MONITOR}),
            reason="test",
        )


def test_deactivated_account_cannot_sign_in_and_reactivation_restores_it(team) -> None:
    account_admin.set_active(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        user_id=team.nurse.user_id,
        active=False,
        reason="left the department",
    )
    with pytest.raises(AuthenticationFailed):
        team.sign_in("nurse")
    assert _trail(team, "auth.refused_inactive")
    account_admin.set_active(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        user_id=team.nurse.user_id,
        active=True,
        reason="back from leave",
    )
    assert team.sign_in("nurse").user_id == team.nurse.user_id


def test_unknown_user_id_gives_a_clear_error(team) -> None:
    with pytest.raises(NotFoundError):
        account_admin.set_active(
            uow=team.uow, clock=team.clock, actor=team.admin, user_id=999, active=False, reason="x"
        )


def test_access_review_lists_roles_state_and_last_sign_in(team, tmp_path) -> None:
    review = account_admin.access_review(uow=team.uow, clock=team.clock, actor=team.monitor)
    by_name = {r.username: r for r in review.rows}
    assert set(by_name) == {"admin", "operator", "nurse", "monitor"}
    assert by_name["nurse"].roles == {Role.NURSE}
    assert by_name["nurse"].last_login_at == team.clock.now()
    written = account_admin.export_access_review(
        uow=team.uow, clock=team.clock, actor=team.admin, path=tmp_path / "review.csv"
    )
    data = (tmp_path / "review.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert written.rows == 4
    assert "$argon2" not in data.decode("utf-8-sig")
    (entry,) = _trail(team, "export.access_review")
    assert json.loads(entry["changes"])["sha256"] == written.sha256


def test_operator_cannot_see_the_access_review(team) -> None:
    with pytest.raises(PermissionDenied):
        account_admin.access_review(uow=team.uow, clock=team.clock, actor=team.operator)


def test_password_history_refuses_a_recent_password(team) -> None:
    accounts.change_password(
        uow=team.uow,
        clock=team.clock,
        username="nurse",
        old_password=PASSWORD,
        new_password="second-pass-77",
        hasher=team.hasher,
    )
    with pytest.raises(ValidationError, match="last 5"):
        accounts.change_password(
            uow=team.uow,
            clock=team.clock,
            username="nurse",
            old_password="second-pass-77",
            new_password=PASSWORD,
            hasher=team.hasher,
        )


def test_an_expired_password_must_be_changed_at_sign_in(team) -> None:
    team.clock.advance(days=400)
    result = sessions.sign_in(
        uow=team.uow, clock=team.clock, username="nurse", password=PASSWORD, hasher=team.hasher
    )
    assert result.password_expired
    assert result.must_change_password


def test_admin_is_alerted_to_lockouts_since_their_last_sign_in(team) -> None:
    for _ in range(accounts.MAX_FAILED_ATTEMPTS):
        with pytest.raises(AuthenticationFailed):
            team.sign_in("operator", "wrong-password-1")
    result = sessions.sign_in(
        uow=team.uow, clock=team.clock, username="admin", password=PASSWORD, hasher=team.hasher
    )
    assert len(result.alerts) == 1
    assert "operator" in result.alerts[0]
    again = sessions.sign_in(
        uow=team.uow, clock=team.clock, username="admin", password=PASSWORD, hasher=team.hasher
    )
    assert again.alerts == ()


def test_session_lock_unlock_and_sign_out_are_audited(team) -> None:
    sessions.record_session_event(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        event=sessions.SessionEvent.LOCKED,
        details={"cause": "idle", "idle_minutes": 10},
    )
    sessions.unlock_session(
        uow=team.uow, clock=team.clock, username="nurse", password=PASSWORD, hasher=team.hasher
    )
    sessions.record_session_event(
        uow=team.uow, clock=team.clock, actor=team.nurse, event=sessions.SessionEvent.SIGNED_OUT
    )
    for kind in ("session.locked", "session.unlocked", "session.signed_out"):
        (entry,) = _trail(team, kind)
        assert entry["user_id"] == team.nurse.user_id


def test_one_time_passwords_pass_the_policy_and_differ() -> None:
    drawn = {generate_one_time_password("ab") for _ in range(50)}
    assert len(drawn) == 50
    for password in drawn:
        accounts.check_password_policy(password, "ab")


def test_lockout_expires_after_fifteen_minutes(team) -> None:
    for _ in range(accounts.MAX_FAILED_ATTEMPTS):
        with pytest.raises(AuthenticationFailed):
            team.sign_in("nurse", "wrong-password-1")
    team.clock.advance(minutes=14, seconds=59)
    with pytest.raises(AuthenticationFailed):
        team.sign_in("nurse")
    team.clock.advance(seconds=2)
    assert team.sign_in("nurse").user_id == team.nurse.user_id
    assert timedelta(minutes=15) == accounts.LOCKOUT
