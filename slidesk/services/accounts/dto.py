"""DTOs of the accounts services: sign-in outcome and the access review. Immutable snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slidesk.domain.users import Actor, Role


@dataclass(frozen=True, slots=True)
class SignInResult:
    """A successful sign-in: who, whether they must choose a new password, and admin alerts."""

    actor: Actor
    must_change_password: bool
    password_expired: bool
    alerts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AccessReviewRow:
    user_id: int
    username: str
    full_name: str
    roles: frozenset[Role]
    active: bool
    locked_until: datetime | None
    must_change_password: bool
    created_at: datetime
    last_login_at: datetime | None
    password_changed_at: datetime | None
    roles_changed_at: datetime | None


@dataclass(frozen=True, slots=True)
class AccessReview:
    """Who can do what, as of `generated_at` (ICH E6(R3) 4.3.8 periodic review)."""

    generated_at: datetime
    generated_by: str
    rows: tuple[AccessReviewRow, ...]
