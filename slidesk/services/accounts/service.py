"""Accounts and sign-in: argon2id hashes, a password policy, lockout after repeated failures.

Messages never reveal whether a username exists, and neither does timing: every refusal spends
one password verification. Password hashes never leave this module's rows: they are excluded
from the audit trail and from every DTO. Admin operations on accounts are in `admin`, session
sign-in, lock and sign-out in `sessions`; what a username and a set of roles may be is the
domain's (`slidesk.domain.users`).
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from typing import Protocol

from slidesk.clock import Clock
from slidesk.domain.checkpoints import CheckpointReason
from slidesk.domain.errors import ConflictError, DomainError, PermissionDenied, ValidationError
from slidesk.domain.events import AuditEvent
from slidesk.domain.users import (
    Actor,
    Permission,
    Role,
    format_roles,
    parse_roles,
    plausible_username,
    valid_roles,
    valid_username,
)
from slidesk.domain.values import clean_text
from slidesk.persistence.queries.accounts import AccountQueries
from slidesk.persistence.rows.accounts import PasswordHistoryRow
from slidesk.persistence.rows.core import UserRow
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.accounts.entitlement import entitled_actor
from slidesk.services.accounts.password_policy import (
    COMMON_PASSWORDS,  # noqa: F401 - re-exported: callers know the policy from here
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,  # noqa: F401 - re-exported
    PASSWORD_HISTORY_DEPTH,
    check_password_policy,
    secret_bytes,
)
from slidesk.services.boundary import AnyText, boundary
from slidesk.services.dto import UserView
from slidesk.services.procedure.views import user_view

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)


class PasswordHasher(Protocol):
    def hash(self, password: str | bytes) -> str: ...

    def verify(self, hash: str, password: str | bytes) -> bool: ...

    def check_needs_rehash(self, hash: str) -> bool: ...


class AuthenticationFailed(DomainError):
    """Sign-in refused; the message is the same whatever the cause, so it reveals nothing."""


GENERIC_FAILURE = "Username or password is not correct, or the account is locked or inactive."


_DEFAULT_HASHER: list[PasswordHasher] = []


def default_hasher() -> PasswordHasher:
    """argon2id with the library defaults (t=3, m=64 MiB, p=4), created once per process."""
    if not _DEFAULT_HASHER:
        from argon2 import PasswordHasher as Argon2Hasher

        _DEFAULT_HASHER.append(Argon2Hasher())
    return _DEFAULT_HASHER[0]


def _verify(hasher: PasswordHasher, stored: str | None, password: str) -> bool:
    """True when `password` matches; never raises, and always spends one verification."""
    from argon2.exceptions import InvalidHashError, VerificationError

    if not stored or len(password) > MAX_PASSWORD_LENGTH:
        # Can never match, but cost the same as a real check so timing reveals nothing.
        stored, password = _DUMMY_HASH.get(hasher), password[:MAX_PASSWORD_LENGTH]
        _verify_quietly(hasher, stored, password)
        return False
    try:
        return hasher.verify(stored, secret_bytes(password))
    except (VerificationError, InvalidHashError):
        return False


def _verify_quietly(hasher: PasswordHasher, stored: str, password: str) -> None:
    from argon2.exceptions import InvalidHashError, VerificationError

    with contextlib.suppress(VerificationError, InvalidHashError):
        hasher.verify(stored, secret_bytes(password))


def _actor(uow: UnitOfWork, row: UserRow) -> Actor:
    return entitled_actor(uow, row.id, row.username, row.full_name, row.roles)


@boundary
def has_users(*, uow: UnitOfWork) -> bool:
    with uow.read() as tx:
        return tx.users.count() > 0


@boundary
def create_first_admin(
    *,
    uow: UnitOfWork,
    clock: Clock,
    username: str,
    full_name: str,
    password: str,
    hasher: PasswordHasher | None = None,
) -> UserView:
    """Only on an empty database: the first administrator, who chooses their own password."""
    hasher = hasher or default_hasher()
    name = valid_username(username)
    check_password_policy(password, name)
    with uow.begin(actor=None, clock=clock, role=Role.ADMIN) as tx:
        if tx.users.count() > 0:
            raise PermissionDenied("An administrator already exists; ask them for an account.")
        row = _new_user(name, full_name, frozenset({Role.ADMIN}), tx.now)
        row.password_hash = hasher.hash(password)
        row.must_change_password = False
        row.password_changed_at = tx.now
        tx.add(row, event_type=AuditEvent.USER_CREATED)
        tx.commit()
        return user_view(row)


@boundary
def add_user(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    username: str,
    full_name: str,
    roles: frozenset[Role],
    temporary_password: str,
    hasher: PasswordHasher | None = None,
) -> UserView:
    """An admin creates an account with a one-time password, to be changed at first sign-in."""
    actor.require(Permission.MANAGE_USERS)
    hasher = hasher or default_hasher()
    name = valid_username(username)
    valid_roles(roles)
    check_password_policy(temporary_password, name)
    with uow.begin(actor=actor, clock=clock, role=Role.ADMIN) as tx:
        if tx.users.by_username(name) is not None:
            raise ConflictError(f"The username '{name}' is taken; usernames are never reused.")
        row = _new_user(name, full_name, roles, tx.now)
        row.password_hash = hasher.hash(temporary_password)
        tx.add(row, event_type=AuditEvent.USER_CREATED)
        tx.commit()
        return user_view(row)


@boundary
def authenticate(
    *,
    uow: UnitOfWork,
    clock: Clock,
    username: AnyText,
    password: AnyText,
    hasher: PasswordHasher | None = None,
    purpose: str = "sign-in",
    success_event: AuditEvent | None = None,
) -> Actor:
    """Check a username and password; count failures, lock after five, audit every outcome.

    Any input is accepted (very long, control characters, lone surrogates): it fails like a
    wrong password. Unknown usernames are not written to the trail, because people sometimes
    type their password into the username field.
    """
    hasher = hasher or default_hasher()
    typed = plausible_username(username)
    secret = password if isinstance(password, str) else ""
    with uow.begin(actor=None, clock=clock) as tx:
        row = tx.users.by_username(typed) if typed else None
        if row is None:
            _verify(hasher, None, secret)
            tx.event(
                event_type=AuditEvent.AUTH_FAILED,
                details={"purpose": purpose, "username_known": False},
                user=(None, None),
            )
            tx.commit()
            raise AuthenticationFailed(GENERIC_FAILURE)
        locked = row.locked_until is not None and row.locked_until > tx.now
        # Always verify, even when locked or inactive, so that the time taken says nothing.
        ok = _verify(hasher, row.password_hash, secret)
        who = (row.id, row.username)
        locked_now = False
        if locked:
            _refusal(tx, AuditEvent.AUTH_REFUSED_LOCKED, row, purpose)
            ok = False
        elif not row.active:
            _refusal(tx, AuditEvent.AUTH_REFUSED_INACTIVE, row, purpose)
            ok = False
        elif not ok:
            locked_now = _count_failure(tx, row, purpose)
        if not ok:
            tx.commit()
            if locked_now:
                uow.milestone(clock, CheckpointReason.LOCKOUT)
            raise AuthenticationFailed(GENERIC_FAILURE)
        row.last_login_at = tx.now
        password_hash = row.password_hash
        if password_hash and hasher.check_needs_rehash(password_hash):
            password_hash = hasher.hash(secret_bytes(secret))
        tx.change(
            row,
            event_type=AuditEvent.SIGN_IN_STATE,
            reason=f"{purpose} succeeded",
            failed_attempts=0,
            locked_until=None,
            password_hash=password_hash,
        )
        tx.event(
            event_type=success_event or AuditEvent(f"auth.{purpose}"),
            entity="users",
            entity_id=str(row.id),
            details={"must_change_password": row.must_change_password},
            user=who,
        )
        tx.commit()
        return _actor(uow, row)


def retire_password(tx: Transaction, row: UserRow) -> None:
    """Keep the hash being replaced so that it cannot be chosen again soon; audited as a digest
    of it (like the account's own hash), so a raw edit of the history is found by verify."""
    if row.password_hash:
        tx.add(
            PasswordHistoryRow(user_id=row.id, password_hash=row.password_hash, retired_at=tx.now),
            event_type=AuditEvent.PASSWORD_RETIRED,
        )


def _refusal(tx: Transaction, event_type: AuditEvent, row: UserRow, purpose: str) -> None:
    tx.event(
        event_type=event_type,
        entity="users",
        entity_id=str(row.id),
        details={"purpose": purpose},
        user=(row.id, row.username),
    )


def _count_failure(tx: Transaction, row: UserRow, purpose: str) -> bool:
    """Count one wrong password; True when it locks the account."""
    who = (row.id, row.username)
    failed = row.failed_attempts + 1
    locked = failed >= MAX_FAILED_ATTEMPTS
    tx.change(
        row,
        event_type=AuditEvent.SIGN_IN_STATE,
        reason=f"{purpose} failed",
        failed_attempts=0 if locked else failed,
        locked_until=tx.now + LOCKOUT if locked else row.locked_until,
    )
    if locked:
        tx.event(
            event_type=AuditEvent.AUTH_LOCKED,
            entity="users",
            entity_id=str(row.id),
            details={"purpose": purpose, "until": row.locked_until},
            user=who,
        )
    else:
        tx.event(
            event_type=AuditEvent.AUTH_FAILED,
            entity="users",
            entity_id=str(row.id),
            details={"purpose": purpose, "failed_attempts": row.failed_attempts},
            user=who,
        )
    return locked


@boundary
def change_password(
    *,
    uow: UnitOfWork,
    clock: Clock,
    username: str,
    old_password: str,
    new_password: str,
    hasher: PasswordHasher | None = None,
) -> Actor:
    """The owner changes their password (old one required); the last few may not be reused."""
    hasher = hasher or default_hasher()
    actor = authenticate(
        uow=uow,
        clock=clock,
        username=username,
        password=old_password,
        hasher=hasher,
        purpose="password-change",
    )
    check_password_policy(new_password, actor.username)
    if new_password == old_password:
        raise ValidationError("The new password must differ from the old one.")
    with uow.begin(actor=actor, clock=clock) as tx:
        row = tx.users.get(actor.user_id)
        assert row is not None
        queries = tx.repo(AccountQueries)
        for old_hash in queries.recent_password_hashes(row.id, PASSWORD_HISTORY_DEPTH - 1):
            if _verify(hasher, old_hash, new_password):
                raise ValidationError(
                    f"Choose a password you have not used among your last "
                    f"{PASSWORD_HISTORY_DEPTH} passwords."
                )
        retire_password(tx, row)
        changed = tx.change(
            row,
            event_type=AuditEvent.USER_PASSWORD_CHANGED,
            reason="password changed by its owner",
            must_change_password=False,
            password_hash=hasher.hash(new_password),
            password_changed_at=tx.now,
        )
        if not changed:
            tx.event(
                event_type=AuditEvent.USER_PASSWORD_CHANGED, entity="users", entity_id=str(row.id)
            )
        tx.commit()
    return actor


@boundary
def list_users(*, uow: UnitOfWork, actor: Actor) -> tuple[UserView, ...]:
    may_read = actor.can(Permission.READ_AUDIT) and not actor.can(Permission.MANAGE_USERS)
    actor.require(Permission.READ_AUDIT if may_read else Permission.MANAGE_USERS)
    with uow.read() as tx:
        return tuple(user_view(r) for r in tx.users.all())


@boundary
def active_users_with_role(*, uow: UnitOfWork, role: Role) -> tuple[UserView, ...]:
    """For choosing the operator and nurse of a procedure (names and roles only)."""
    with uow.read() as tx:
        return tuple(
            user_view(r) for r in tx.users.all() if r.active and role in parse_roles(r.roles)
        )


def _new_user(username: str, full_name: str, roles: frozenset[Role], now: datetime) -> UserRow:
    name = clean_text(full_name, "Full name", max_len=200, required=True) or ""
    return UserRow(
        username=username,
        full_name=name,
        roles=format_roles(roles),
        active=True,
        password_hash=None,
        must_change_password=True,
        failed_attempts=0,
        locked_until=None,
        last_login_at=None,
        password_changed_at=None,
        created_at=now,
    )


class _DummyHashes:
    """One throwaway hash per hasher configuration, for constant-time refusal.

    Keyed by the cost parameters (not the object), so that a fresh hasher with the same
    settings does not pay an extra hash, which would make unknown usernames slower.
    """

    def __init__(self) -> None:
        self._cache: dict[tuple[object, ...], str] = {}

    def get(self, hasher: PasswordHasher) -> str:
        names = ("time_cost", "memory_cost", "parallelism", "hash_len", "salt_len", "type")
        key = (type(hasher), *(getattr(hasher, name, None) for name in names))
        if key not in self._cache:
            self._cache[key] = hasher.hash("not-a-real-password-for-timing")
        return self._cache[key]


_DUMMY_HASH = _DummyHashes()
