"""Accounts and sign-in: argon2id hashes, a password policy, lockout after repeated failures.

Messages never reveal whether a username exists. Password hashes never leave this module's
rows: they are excluded from the audit trail and from every DTO.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Protocol

from slidesk.clock import Clock
from slidesk.domain.errors import (
    ConflictError,
    DomainError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)
from slidesk.domain.users import Actor, Permission, Role, format_roles, parse_roles
from slidesk.domain.values import clean_text
from slidesk.persistence.rows import UserRow
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.dto import UserView
from slidesk.services.views import user_view

MIN_PASSWORD_LENGTH = 10
MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
_USERNAME = re.compile(r"[a-z][a-z0-9._-]{1,31}")
# The commonest passwords of length ≥ 10 in public breach lists, and the obvious local ones.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "0123456789",
        "qwertyuiop",
        "password1",
        "password12",
        "password123",
        "password1234",
        "passw0rd123",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "qwerty1234",
        "qwerty12345",
        "iloveyou12",
        "abcdefghij",
        "abc1234567",
        "0987654321",
        "1111111111",
        "0000000000",
        "welkom1234",
        "wachtwoord",
        "wachtwoord1",
        "wachtwoord123",
        "welcome123",
        "welcome1234",
        "letmein123",
        "administrator",
        "admin12345",
        "changeme123",
        "sunshine12",
        "football12",
        "princess12",
        "monkey1234",
        "dragon1234",
        "trustno1234",
        "qazwsxedcrfv",
        "zaq12wsxcde",
        "slidesk123",
        "slidesk2026",
        "umcutrecht",
        "umcutrecht1",
        "sailtrial1",
        "zxcvbnm123",
    }
)


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, hash: str, password: str) -> bool: ...

    def check_needs_rehash(self, hash: str) -> bool: ...


class AuthenticationFailed(DomainError):
    """Sign-in refused; the message is the same whatever the cause, so it reveals nothing."""


GENERIC_FAILURE = "Username or password is not correct, or the account is locked or inactive."


def default_hasher() -> PasswordHasher:
    from argon2 import PasswordHasher as Argon2Hasher

    return Argon2Hasher()  # argon2id, library defaults (t=3, m=64 MiB, p=4)


def check_password_policy(password: str, username: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > 256:
        raise ValidationError("The password is too long (at most 256 characters).")
    lowered = password.lower()
    if username and username.lower() in lowered:
        raise ValidationError("The password must not contain the username.")
    if lowered in COMMON_PASSWORDS or len(set(password)) < 4:
        raise ValidationError("This password is too common or too simple; choose another.")


def _verify(hasher: PasswordHasher, stored: str | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    if not stored:
        return False
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _actor(row: UserRow) -> Actor:
    return Actor(row.id, row.username, row.full_name, parse_roles(row.roles))


def has_users(*, uow: UnitOfWork) -> bool:
    with uow.read() as tx:
        return tx.users.count() > 0


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
    name = _valid_username(username)
    check_password_policy(password, name)
    with uow.begin(actor=None, clock=clock, role=Role.ADMIN) as tx:
        if tx.users.count() > 0:
            raise PermissionDenied("An administrator already exists; ask them for an account.")
        row = _new_user(name, full_name, frozenset({Role.ADMIN}), tx.now)
        row.password_hash = hasher.hash(password)
        row.must_change_password = False
        row.password_changed_at = tx.now
        tx.add(row, event_type="user.created")
        tx.commit()
        return user_view(row)


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
    name = _valid_username(username)
    _valid_roles(roles)
    check_password_policy(temporary_password, name)
    with uow.begin(actor=actor, clock=clock, role=Role.ADMIN) as tx:
        if tx.users.by_username(name) is not None:
            raise ConflictError(f"The username '{name}' is taken; usernames are never reused.")
        row = _new_user(name, full_name, roles, tx.now)
        row.password_hash = hasher.hash(temporary_password)
        tx.add(row, event_type="user.created")
        tx.commit()
        return user_view(row)


def authenticate(
    *,
    uow: UnitOfWork,
    clock: Clock,
    username: str,
    password: str,
    hasher: PasswordHasher | None = None,
    purpose: str = "sign-in",
) -> Actor:
    """Check a username and password; count failures, lock after five, audit every outcome."""
    hasher = hasher or default_hasher()
    typed = (username or "").strip().lower()[:64]
    with uow.begin(actor=None, clock=clock) as tx:
        row = tx.users.by_username(typed) if typed else None
        if row is None:
            # Spend the same time as a real check so timing does not reveal unknown usernames.
            _verify(hasher, _DUMMY_HASH.get(hasher), password)
            tx.event(
                event_type="auth.failed",
                details={"purpose": purpose, "username": typed},
                user=(None, typed or None),
            )
            tx.commit()
            raise AuthenticationFailed(GENERIC_FAILURE)
        locked = row.locked_until is not None and row.locked_until > tx.now
        ok = _verify(hasher, row.password_hash, password) if not locked else False
        who = (row.id, row.username)
        if locked:
            tx.event(
                event_type="auth.refused_locked",
                entity="users",
                entity_id=str(row.id),
                details={"purpose": purpose},
                user=who,
            )
        elif not row.active:
            tx.event(
                event_type="auth.refused_inactive",
                entity="users",
                entity_id=str(row.id),
                details={"purpose": purpose},
                user=who,
            )
            ok = False
        elif not ok:
            row.failed_attempts += 1
            details: dict[str, object] = {
                "purpose": purpose,
                "failed_attempts": row.failed_attempts,
            }
            if row.failed_attempts >= MAX_FAILED_ATTEMPTS:
                row.locked_until = tx.now + LOCKOUT
                row.failed_attempts = 0
                tx.event(
                    event_type="auth.locked",
                    entity="users",
                    entity_id=str(row.id),
                    details={"purpose": purpose, "until": row.locked_until},
                    user=who,
                )
            else:
                tx.event(
                    event_type="auth.failed",
                    entity="users",
                    entity_id=str(row.id),
                    details=details,
                    user=who,
                )
        if not ok:
            tx.commit()
            raise AuthenticationFailed(GENERIC_FAILURE)
        row.failed_attempts = 0
        row.locked_until = None
        row.last_login_at = tx.now
        if row.password_hash and hasher.check_needs_rehash(row.password_hash):
            row.password_hash = hasher.hash(password)
        tx.event(
            event_type=f"auth.{purpose}",
            entity="users",
            entity_id=str(row.id),
            details={"must_change_password": row.must_change_password},
            user=who,
        )
        tx.commit()
        return _actor(row)


def change_password(
    *,
    uow: UnitOfWork,
    clock: Clock,
    username: str,
    old_password: str,
    new_password: str,
    hasher: PasswordHasher | None = None,
) -> Actor:
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
        row.password_hash = hasher.hash(new_password)
        row.password_changed_at = tx.now
        tx.change(
            row,
            event_type="user.password_changed",
            reason="password changed by its owner",
            must_change_password=False,
        )
        tx.event(event_type="user.password_changed", entity="users", entity_id=str(row.id))
        tx.commit()
    return actor


def list_users(*, uow: UnitOfWork, actor: Actor) -> tuple[UserView, ...]:
    if not (actor.can(Permission.MANAGE_USERS) or actor.can(Permission.READ_AUDIT)):
        actor.require(Permission.MANAGE_USERS)
    with uow.read() as tx:
        return tuple(user_view(r) for r in tx.users.all())


def active_users_with_role(*, uow: UnitOfWork, role: Role) -> tuple[UserView, ...]:
    """For choosing the operator and nurse of a procedure (names and roles only)."""
    with uow.read() as tx:
        return tuple(
            user_view(r) for r in tx.users.all() if r.active and role in parse_roles(r.roles)
        )


def set_active(
    *, uow: UnitOfWork, clock: Clock, actor: Actor, user_id: int, active: bool, reason: str
) -> UserView:
    actor.require(Permission.MANAGE_USERS)
    with uow.begin(actor=actor, clock=clock, role=Role.ADMIN) as tx:
        row = tx.users.get(user_id)
        if row is None:
            raise NotFoundError(f"User {user_id} does not exist.")
        if row.id == actor.user_id and not active:
            raise ValidationError("You cannot deactivate your own account.")
        tx.change(
            row,
            event_type="user.activated" if active else "user.deactivated",
            reason=reason,
            active=active,
        )
        tx.commit()
        return user_view(row)


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


def _valid_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not _USERNAME.fullmatch(name):
        raise ValidationError(
            "A username has 2–32 characters: a letter first, then letters, digits, '.', '_' or '-'."
        )
    return name


def _valid_roles(roles: frozenset[Role]) -> None:
    if not roles:
        raise ValidationError("Give the account at least one role.")
    if Role.ADMIN in roles and roles & {Role.OPERATOR, Role.NURSE}:
        raise ValidationError("An administrator account cannot also enter clinical data.")
    if Role.MONITOR in roles and len(roles) > 1:
        raise ValidationError("A monitor account is read-only and holds no other role.")


class _DummyHashes:
    """One throwaway hash per hasher, for constant-time refusal of unknown usernames."""

    def __init__(self) -> None:
        self._cache: dict[int, str] = {}

    def get(self, hasher: PasswordHasher) -> str:
        key = id(hasher)
        if key not in self._cache:
            self._cache[key] = hasher.hash("not-a-real-password-for-timing")
        return self._cache[key]


_DUMMY_HASH = _DummyHashes()
