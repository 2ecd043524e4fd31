"""Account administration: reset a password, change roles, (de)activate, review access.

Every change is audited with the administrator's reason (ICH E6(R3) 4.2.2, 4.3.8). Accounts are
never deleted, so that every name in the record stays attributable. An administrator cannot
change their own roles or reset their own password: another administrator must.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from slidesk.clock import Clock
from slidesk.domain.checkpoints import CheckpointReason
from slidesk.domain.errors import NotFoundError, ValidationError
from slidesk.domain.events import AuditEvent
from slidesk.domain.free_text import free_text
from slidesk.domain.users import Actor, Permission, Role, format_roles, parse_roles, valid_roles
from slidesk.persistence.queries.accounts import AccountQueries
from slidesk.persistence.rows.core import UserRow
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.accounts.dto import AccessReview, AccessReviewRow
from slidesk.services.accounts.password_policy import (
    check_password_policy,
    generate_one_time_password,
)
from slidesk.services.accounts.service import (
    PasswordHasher,
    default_hasher,
    retire_password,
)
from slidesk.services.boundary import boundary
from slidesk.services.checkpoint_marks import mark_text, newest_in
from slidesk.services.csv_files import CsvWritten, write_csv
from slidesk.services.dto import UserView
from slidesk.services.procedure.views import user_view


@dataclass(frozen=True, slots=True)
class PasswordReset:
    """The account after a reset, and the one-time password to hand over (shown once)."""

    user: UserView
    one_time_password: str


@boundary
def reset_password(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    user_id: int,
    reason: str,
    one_time_password: str | None = None,
    hasher: PasswordHasher | None = None,
) -> PasswordReset:
    """Give an account a new one-time password; it must be changed at the next sign-in.

    Also lifts a lockout. The old password is kept in the history so it cannot come back.
    """
    actor.require(Permission.MANAGE_USERS)
    why = free_text(reason, "Reason", max_len=500, required=True) or ""
    hasher = hasher or default_hasher()
    with uow.begin(actor=actor, clock=clock, role=Role.ADMIN) as tx:
        row = _user(tx, user_id)
        if row.id == actor.user_id:
            raise ValidationError(
                "Change your own password with 'Change my password'; a reset is for others."
            )
        password = one_time_password or generate_one_time_password(row.username)
        check_password_policy(password, row.username)
        retire_password(tx, row)
        was_locked = row.locked_until is not None and row.locked_until > tx.now
        changed = tx.change(
            row,
            event_type=AuditEvent.USER_PASSWORD_RESET,
            reason=why,
            must_change_password=True,
            password_hash=hasher.hash(password),
            password_changed_at=tx.now,
            failed_attempts=0,
            locked_until=None,
        )
        if not changed:
            tx.event(
                event_type=AuditEvent.USER_PASSWORD_RESET,
                entity="users",
                entity_id=str(row.id),
                reason=why,
                details={"lockout_lifted": was_locked},
            )
        tx.commit()
        return PasswordReset(user_view(row), password)


@boundary
def set_roles(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    user_id: int,
    roles: frozenset[Role],
    reason: str,
) -> UserView:
    """Change an account's roles with a reason (audited as old → new)."""
    actor.require(Permission.MANAGE_USERS)
    valid_roles(roles)
    why = free_text(reason, "Reason", max_len=500, required=True) or ""
    with uow.begin(actor=actor, clock=clock, role=Role.ADMIN) as tx:
        row = _user(tx, user_id)
        if row.id == actor.user_id:
            raise ValidationError("Another administrator must change your roles.")
        if not tx.change(
            row, event_type=AuditEvent.USER_ROLES_CHANGED, reason=why, roles=format_roles(roles)
        ):
            raise ValidationError("These are already the account's roles; nothing was changed.")
        tx.commit()
        return user_view(row)


@boundary
def set_active(
    *, uow: UnitOfWork, clock: Clock, actor: Actor, user_id: int, active: bool, reason: str
) -> UserView:
    """Deactivate or reactivate an account with a reason; accounts are never deleted."""
    actor.require(Permission.MANAGE_USERS)
    why = free_text(reason, "Reason", max_len=500, required=True) or ""
    with uow.begin(actor=actor, clock=clock, role=Role.ADMIN) as tx:
        row = _user(tx, user_id)
        if row.id == actor.user_id and not active:
            raise ValidationError("You cannot deactivate your own account.")
        if row.active == active:
            state = "active" if active else "inactive"
            raise ValidationError(f"{row.full_name} ({row.username}) is already {state}.")
        cleared = {"failed_attempts": 0, "locked_until": None} if active else {}
        tx.change(
            row,
            event_type=AuditEvent.USER_ACTIVATED if active else AuditEvent.USER_DEACTIVATED,
            reason=why,
            active=active,
            **cleared,
        )
        tx.commit()
        return user_view(row)


@boundary
def access_review(*, uow: UnitOfWork, clock: Clock, actor: Actor) -> AccessReview:
    """Every account with its roles, state, last sign-in and last role change (ACC-07)."""
    if not actor.can(Permission.READ_AUDIT):
        actor.require(Permission.MANAGE_USERS)
    with uow.read() as tx:
        queries = tx.repo(AccountQueries)
        roles_changed = queries.last_events_by_user(AuditEvent.USER_ROLES_CHANGED)
        rows = tuple(_review_row(r, roles_changed.get(r.id)) for r in tx.users.all())
    return AccessReview(generated_at=clock.now(), generated_by=actor.username, rows=rows)


_REVIEW_HEADER = (
    "username",
    "full name",
    "roles",
    "active",
    "locked until (UTC)",
    "must change password",
    "created (UTC)",
    "last sign-in (UTC)",
    "password changed (UTC)",
    "roles last changed (UTC)",
)


@boundary
def export_access_review(
    *, uow: UnitOfWork, clock: Clock, actor: Actor, path: str | Path
) -> CsvWritten:
    """Write the access review to CSV; the export itself is audited with the file's hash."""
    actor.require(Permission.EXPORT)
    review = access_review(uow=uow, clock=clock, actor=actor)
    with uow.read() as tx:
        # The newest checkpoint before this export's own entry, printed as its last line.
        checkpoint = mark_text(newest_in(tx))
    written = write_csv(
        path,
        _REVIEW_HEADER,
        (
            (
                r.username,
                r.full_name,
                format_roles(r.roles),
                "yes" if r.active else "no",
                _utc(r.locked_until),
                "yes" if r.must_change_password else "no",
                _utc(r.created_at),
                _utc(r.last_login_at),
                _utc(r.password_changed_at),
                _utc(r.roles_changed_at),
            )
            for r in review.rows
        ),
        trailer=(checkpoint,),
    )
    with uow.begin(actor=actor, clock=clock) as tx:
        tx.event(
            event_type=AuditEvent.EXPORT_ACCESS_REVIEW,
            details={
                "file": written.path.name,
                "checkpoint": checkpoint,
                "rows": written.rows,
                "sha256": written.sha256,
            },
        )
        tx.commit()
    uow.milestone(clock, CheckpointReason.EXPORT)
    return written


def _review_row(row: UserRow, roles_changed_utc: str | None) -> AccessReviewRow:
    return AccessReviewRow(
        user_id=row.id,
        username=row.username,
        full_name=row.full_name,
        roles=parse_roles(row.roles),
        active=row.active,
        locked_until=row.locked_until,
        must_change_password=row.must_change_password,
        created_at=row.created_at,
        last_login_at=row.last_login_at,
        password_changed_at=row.password_changed_at,
        roles_changed_at=_parse_utc(roles_changed_utc),
    )


def _parse_utc(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _utc(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else ""


def _user(tx: Transaction, user_id: int) -> UserRow:
    row = tx.users.get(user_id)
    if row is None:
        raise NotFoundError(f"User {user_id} does not exist.")
    return row
