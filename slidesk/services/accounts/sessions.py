"""Bedside sessions: sign-in with password-expiry and admin alerts, lock, unlock, sign-out.

Every step is audited: `auth.sign-in`, `session.locked`, `session.unlocked`,
`session.typist_changed`, `session.signed_out` (AUD-05, ACC-05, ACC-06).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from enum import StrEnum

from slidesk.clock import Clock
from slidesk.domain.events import AuditEvent
from slidesk.domain.users import Actor, Permission
from slidesk.domain.values import clean_text
from slidesk.persistence.queries.accounts import AccountQueries
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.accounts.dto import SignInResult
from slidesk.services.accounts.service import PasswordHasher, authenticate
from slidesk.services.boundary import boundary

# A password older than this must be changed at the next sign-in (ACC-03); None: never expires.
PASSWORD_MAX_AGE: timedelta | None = timedelta(days=365)


class SessionEvent(StrEnum):
    """Bedside-session events that are audited (the unlock is audited by `unlock_session`)."""

    LOCKED = AuditEvent.SESSION_LOCKED
    SIGNED_OUT = AuditEvent.SESSION_SIGNED_OUT
    TYPIST_CHANGED = AuditEvent.SESSION_TYPIST_CHANGED


@boundary
def sign_in(
    *,
    uow: UnitOfWork,
    clock: Clock,
    username: str,
    password: str,
    hasher: PasswordHasher | None = None,
    password_max_age: timedelta | None = PASSWORD_MAX_AGE,
) -> SignInResult:
    """Authenticate for a session; say whether a new password is due and alert admins.

    Raises `AuthenticationFailed` with the one generic message. The caller must not let the
    person work until a due password change is done.
    """
    actor = authenticate(uow=uow, clock=clock, username=username, password=password, hasher=hasher)
    with uow.read() as tx:
        row = tx.users.get(actor.user_id)
        assert row is not None
        changed = row.password_changed_at or row.created_at
        expired = password_max_age is not None and clock.now() - changed > password_max_age
        alerts: tuple[str, ...] = ()
        if actor.can(Permission.MANAGE_USERS):
            alerts = _lockout_alerts(tx.repo(AccountQueries), actor.user_id)
        return SignInResult(
            actor=actor,
            must_change_password=row.must_change_password or expired,
            password_expired=expired,
            alerts=alerts,
        )


def _lockout_alerts(queries: AccountQueries, user_id: int) -> tuple[str, ...]:
    """ACC-04: lockouts since this admin's previous sign-in, to be shown to them now."""
    seqs = queries.sign_in_seqs(user_id, limit=2)
    since = seqs[1] if len(seqs) > 1 else 0
    lockouts = queries.lockouts_after(since)
    if not lockouts:
        return ()
    names = sorted({name or "?" for name, _ in lockouts})
    return (
        f"{len(lockouts)} account lockout(s) after repeated failed sign-ins since your last "
        f"sign-in: {', '.join(names)}. The audit trail lists them (kind: auth.locked).",
    )


@boundary
def unlock_session(
    *,
    uow: UnitOfWork,
    clock: Clock,
    username: str,
    password: str,
    hasher: PasswordHasher | None = None,
) -> Actor:
    """Unlock a locked bedside session with a signed-in person's password (audited).

    Failed attempts count towards the account's lockout like any sign-in.
    """
    return authenticate(
        uow=uow,
        clock=clock,
        username=username,
        password=password,
        hasher=hasher,
        purpose="unlock",
        success_event=AuditEvent.SESSION_UNLOCKED,
    )


@boundary
def record_session_event(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    event: SessionEvent,
    details: Mapping[str, str | int | bool] | None = None,
) -> None:
    """Audit a lock, a sign-out or a change of typist at the bedside."""
    clean: dict[str, str | int | bool] = {}
    for key, value in (details or {}).items():
        clean[str(key)] = (
            clean_text(value, str(key), max_len=200) or "" if isinstance(value, str) else value
        )
    with uow.begin(actor=actor, clock=clock) as tx:
        tx.event(
            event_type=AuditEvent(SessionEvent(event).value),
            entity="users",
            entity_id=str(actor.user_id),
            details=clean,
        )
        tx.commit()
