"""Attacks on sign-in and roles, tried for real: each must be refused and must write nothing.

Wrong passwords, lockout and its expiry on the fake clock, brute force across the lockout,
timing (one verification per refusal), passwords typed into the username field, and every
write service called with every role that may not use it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from slidesk.domain.errors import PermissionDenied
from slidesk.domain.users import PERMISSIONS, Actor, Permission, Role
from slidesk.services import settings
from slidesk.services.accounts import admin as account_admin
from slidesk.services.accounts import service as accounts
from slidesk.services.accounts import sessions
from slidesk.services.accounts.service import AuthenticationFailed
from slidesk.services.audit import trail as audit_trail
from slidesk.services.audit.trail import AuditFilter
from slidesk.services.procedure import completion, corrections, planning, site_entries, subjects
from slidesk.services.sedation import monitoring as sedation_monitoring
from slidesk.services.sedation import service as sedation
from tests.conftest import PASSWORD
from tests.fakes import cheap_hasher


def audit_rows(team) -> list[dict]:
    with team.uow.read() as tx:
        return list(tx.audit.iter_all())


def table_counts(team) -> dict[str, int]:
    """Rows in every table (the audit trail included): any write shows up here."""
    from sqlalchemy import inspect, text

    with team.uow.engine.connect() as conn:
        names = inspect(conn).get_table_names()
        return {n: conn.execute(text(f'SELECT COUNT(*) FROM "{n}"')).scalar_one() for n in names}


class CountingHasher:
    """The cheap argon2 hasher, counting verifications (a refusal must cost exactly one)."""

    def __init__(self) -> None:
        self.inner = cheap_hasher()
        self.verifies = 0
        self.time_cost = self.inner.time_cost
        self.memory_cost = self.inner.memory_cost
        self.parallelism = self.inner.parallelism
        self.hash_len = self.inner.hash_len
        self.salt_len = self.inner.salt_len
        self.type = self.inner.type

    def hash(self, password):
        return self.inner.hash(password)

    def verify(self, stored, password):
        self.verifies += 1
        return self.inner.verify(stored, password)

    def check_needs_rehash(self, stored):
        return self.inner.check_needs_rehash(stored)


# --- passwords and lockout --------------------------------------------------------------------


def test_wrong_password_is_refused_with_the_generic_message_and_counted(team) -> None:
    with pytest.raises(AuthenticationFailed) as refused:
        team.sign_in("nurse", "not-the-password")
    assert refused.value.message == accounts.GENERIC_FAILURE
    last = audit_rows(team)[-1]
    assert last["event_type"] == "auth.failed"
    assert '"failed_attempts":1' in last["changes"]


def test_sixth_attempt_with_the_right_password_is_refused_until_fifteen_minutes_pass(team):
    for _ in range(accounts.MAX_FAILED_ATTEMPTS):
        with pytest.raises(AuthenticationFailed):
            team.sign_in("nurse", "not-the-password")
    assert audit_rows(team)[-1]["event_type"] == "auth.locked"
    with pytest.raises(AuthenticationFailed) as refused:
        team.sign_in("nurse", PASSWORD)
    assert refused.value.message == accounts.GENERIC_FAILURE  # says nothing about the lock
    assert audit_rows(team)[-1]["event_type"] == "auth.refused_locked"
    team.clock.advance(minutes=14, seconds=59)
    with pytest.raises(AuthenticationFailed):
        team.sign_in("nurse", PASSWORD)
    team.clock.advance(seconds=1, microseconds=1)
    assert team.sign_in("nurse", PASSWORD).user_id == team.nurse.user_id


def test_brute_force_gets_five_guesses_per_lockout_and_none_while_locked(team) -> None:
    guesses = [f"guess-{i:04d}-x" for i in range(200)] + [PASSWORD]  # right one comes last
    accepted_at = None
    for n, guess in enumerate(guesses):
        try:
            team.sign_in("operator", guess)
        except AuthenticationFailed:
            team.clock.advance(seconds=1)
            continue
        accepted_at = n
        break
    assert accepted_at is None  # 200 fast wrong guesses lock the account; the right one too
    events = [e["event_type"] for e in audit_rows(team) if e["user_id"] == team.operator.user_id]
    assert events.count("auth.locked") == 1
    evaluated = events.count("auth.failed") + events.count("auth.locked")
    assert evaluated == accounts.MAX_FAILED_ATTEMPTS  # guesses during the lock are not tried
    team.clock.advance(minutes=15)
    assert team.sign_in("operator", PASSWORD).username == "operator"


def test_every_refusal_costs_exactly_one_password_verification(team) -> None:
    hasher = CountingHasher()

    def attempt(username: str, password: str) -> int:
        before = hasher.verifies
        with pytest.raises(AuthenticationFailed):
            accounts.authenticate(
                uow=team.uow, clock=team.clock, username=username, password=password, hasher=hasher
            )
        return hasher.verifies - before

    attempt("nobody", "x" * 12)  # warms the dummy hash
    assert attempt("nobody-at-all", PASSWORD) == 1
    assert attempt("nurse", "wrong-password") == 1
    assert attempt("nurse", "x" * 5000) == 1
    assert attempt("nurse", "\ud800 lone surrogate") == 1
    for _ in range(accounts.MAX_FAILED_ATTEMPTS):
        attempt("monitor", "wrong-password")
    assert attempt("monitor", PASSWORD) == 1  # locked: still one verification
    account_admin.set_active(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        user_id=team.nurse.user_id,
        active=False,
        reason="left",
    )
    assert attempt("nurse", PASSWORD) == 1  # inactive: still one verification


def test_a_password_typed_into_the_username_field_never_reaches_the_trail(team) -> None:
    secret = "my-Secret-pass-99"
    with pytest.raises(AuthenticationFailed):
        team.sign_in(secret, secret)
    with pytest.raises(AuthenticationFailed):
        team.sign_in("correct-horse-9", "anything")  # looks like a username, still not stored
    text = "".join(str(v) for e in audit_rows(team) for v in e.values())
    assert secret not in text
    assert "correct-horse-9" not in text


def test_deactivated_user_cannot_sign_in_even_with_the_right_password(team) -> None:
    account_admin.set_active(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        user_id=team.operator.user_id,
        active=False,
        reason="left the trial team",
    )
    with pytest.raises(AuthenticationFailed):
        team.sign_in("operator", PASSWORD)
    with pytest.raises(AuthenticationFailed):
        sessions.unlock_session(
            uow=team.uow,
            clock=team.clock,
            username="operator",
            password=PASSWORD,
            hasher=team.hasher,
        )


# --- password hashes never leak ------------------------------------------------------------


def test_password_hashes_never_appear_in_logs_trail_or_exports(team, caplog, tmp_path) -> None:
    caplog.set_level(logging.DEBUG)
    reset = account_admin.reset_password(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        user_id=team.nurse.user_id,
        reason="forgot",
        hasher=team.hasher,
    )
    accounts.change_password(
        uow=team.uow,
        clock=team.clock,
        username="nurse",
        old_password=reset.one_time_password,
        new_password="river-stone-blue-7",
        hasher=team.hasher,
    )
    with team.uow.read() as tx:
        hashes = [u.password_hash for u in tx.users.all() if u.password_hash]
    assert hashes
    audit_csv = tmp_path / "trail.csv"
    audit_trail.export_csv(
        uow=team.uow, clock=team.clock, actor=team.admin, audit_filter=AuditFilter(), path=audit_csv
    )
    review_csv = tmp_path / "review.csv"
    account_admin.export_access_review(
        uow=team.uow, clock=team.clock, actor=team.admin, path=review_csv
    )
    places = {
        "log": caplog.text,
        "trail": "".join(str(v) for e in audit_rows(team) for v in e.values()),
        "audit export": audit_csv.read_text(encoding="utf-8-sig"),
        "access review": review_csv.read_text(encoding="utf-8-sig"),
    }
    for where, text in places.items():
        assert "$argon2" not in text, where
        for stored in hashes:
            assert stored not in text, where
        assert reset.one_time_password not in text, where
        assert "river-stone-blue-7" not in text, where


# --- roles: every write service refuses the roles without its permission --------------------

Call = Callable[[object, Actor, dict], object]


def _actions() -> dict[str, tuple[Permission, Call]]:
    def uow(t):
        return {"uow": t.uow, "clock": t.clock}

    return {
        "register_subject": (
            Permission.MANAGE_SUBJECTS,
            lambda t, a, s: subjects.register_subject(
                **uow(t), actor=a, study_id="SAIL-01-077", index_limb="left", centre="UMC"
            ),
        ),
        "plan_procedure": (
            Permission.PLAN_PROCEDURE,
            lambda t, a, s: planning.plan_procedure(
                **uow(t),
                actor=a,
                subject_id=s["subject_id"],
                kit_number="SAIL-K077",
                operator_id=t.operator.user_id,
                nurse_id=t.nurse.user_id,
                location="Angio 2",
            ),
        ),
        "record_injection": (
            Permission.RECORD_INJECTION,
            lambda t, a, s: site_entries.record_injection(
                **uow(t),
                actor=a,
                procedure_id=s["procedure_id"],
                site_no=s["next_site"],
                depth_mm="12.5",
                volume_ml="1.0",
                syringe="9",
            ),
        ),
        "correct_entry (another user's entry)": (
            Permission.RECORD_INJECTION,
            lambda t, a, s: corrections.correct_entry(
                **uow(t), actor=a, entry_id=s["entry_id"], reason="mine now", depth_mm="13.0"
            ),
        ),
        "undo_last": (
            Permission.RECORD_INJECTION,
            lambda t, a, s: corrections.undo_last(
                **uow(t), actor=a, procedure_id=s["procedure_id"], reason="undo"
            ),
        ),
        "complete_procedure": (
            Permission.COMPLETE_PROCEDURE,
            lambda t, a, s: completion.complete_procedure(
                **uow(t), actor=a, procedure_id=s["procedure_id"]
            ),
        ),
        "record_dose": (
            Permission.RECORD_SEDATION,
            lambda t, a, s: sedation.record_dose(
                **uow(t),
                actor=a,
                procedure_id=s["procedure_id"],
                drug_key="midazolam",
                amount="1",
                unit_code="mg",
            ),
        ),
        "record_vitals": (
            Permission.RECORD_SEDATION,
            lambda t, a, s: sedation_monitoring.record_vitals(
                **uow(t), actor=a, procedure_id=s["procedure_id"], hr=70, spo2=98
            ),
        ),
        "add_user": (
            Permission.MANAGE_USERS,
            lambda t, a, s: accounts.add_user(
                **uow(t),
                actor=a,
                username="intruder",
                full_name="In Truder",
                roles=frozenset({Role.ADMIN}),
                temporary_password="k7pw-x3nd-q9tb",
                hasher=t.hasher,
            ),
        ),
        "reset_password": (
            Permission.MANAGE_USERS,
            lambda t, a, s: account_admin.reset_password(
                **uow(t), actor=a, user_id=t.admin.user_id, reason="take over", hasher=t.hasher
            ),
        ),
        "set_roles": (
            Permission.MANAGE_USERS,
            lambda t, a, s: account_admin.set_roles(
                **uow(t),
                actor=a,
                user_id=t.nurse.user_id,
                roles=frozenset({Role.OPERATOR}),
                reason="promote",
            ),
        ),
        "set_active": (
            Permission.MANAGE_USERS,
            lambda t, a, s: account_admin.set_active(
                **uow(t), actor=a, user_id=t.admin.user_id, active=False, reason="lock out"
            ),
        ),
        "change_setting": (
            Permission.MANAGE_SETTINGS,
            lambda t, a, s: settings.change_setting(
                **uow(t), actor=a, key="site.time_zone", value="Asia/Tokyo", reason="move"
            ),
        ),
        "export_audit_trail": (
            Permission.EXPORT,
            lambda t, a, s: audit_trail.export_csv(
                **uow(t), actor=a, audit_filter=AuditFilter(), path=s["tmp"] / "x.csv"
            ),
        ),
    }


ACTIONS = _actions()
REFUSED = [
    (role, name)
    for role in Role
    for name, (permission, _call) in ACTIONS.items()
    if permission not in PERMISSIONS[role]
]


@pytest.fixture
def scene(team, tmp_path) -> dict:
    view = team.started_procedure()
    view = team.inject(view.id, view.next_site_no, "1")
    return {
        "subject_id": view.subject.id,
        "procedure_id": view.id,
        "next_site": view.next_site_no,
        "entry_id": view.entries[-1].id,
        "tmp": tmp_path,
    }


@pytest.mark.parametrize(("role", "action"), REFUSED, ids=[f"{r.value}-{a}" for r, a in REFUSED])
def test_a_role_without_the_permission_is_refused_and_nothing_is_written(
    team, scene, role, action
) -> None:
    actor = {
        Role.OPERATOR: team.operator,
        Role.NURSE: team.nurse,
        Role.MONITOR: team.monitor,
        Role.ADMIN: team.admin,
    }[role]
    before = table_counts(team)
    _permission, call = ACTIONS[action]
    with pytest.raises(PermissionDenied):
        call(team, actor, scene)
    assert table_counts(team) == before
    assert not (scene["tmp"] / "x.csv").exists()


def test_the_matrix_covers_the_cases_that_matter() -> None:
    refused = set(REFUSED)
    assert (Role.NURSE, "record_injection") in refused
    assert (Role.NURSE, "correct_entry (another user's entry)") in refused
    assert (Role.OPERATOR, "record_dose") in refused
    assert (Role.ADMIN, "record_injection") in refused
    assert (Role.ADMIN, "register_subject") in refused
    assert all((Role.MONITOR, a) in refused for a in ACTIONS if a != "export_audit_trail")
