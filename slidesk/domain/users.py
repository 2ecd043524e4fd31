"""Roles, permissions and the acting user. Standard library only."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from slidesk.domain.errors import PermissionDenied, ValidationError


class Role(StrEnum):
    OPERATOR = "operator"
    NURSE = "nurse"
    MONITOR = "monitor"
    ADMIN = "admin"


class Permission(StrEnum):
    MANAGE_SUBJECTS = "manage_subjects"
    PLAN_PROCEDURE = "plan_procedure"
    RECORD_INJECTION = "record_injection"
    RECORD_SEDATION = "record_sedation"
    RECORD_ADVERSE_EVENT = "record_adverse_event"
    RECORD_FOLLOW_UP = "record_follow_up"
    COMPLETE_PROCEDURE = "complete_procedure"
    READ_RECORDS = "read_records"
    READ_AUDIT = "read_audit"
    EXPORT = "export"
    MANAGE_USERS = "manage_users"
    SIGN_RECORDS = "sign_records"
    MANAGE_SETTINGS = "manage_settings"


# One table, read by the services; hiding buttons in the GUI is a convenience, not the check.
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OPERATOR: frozenset(
        {
            Permission.MANAGE_SUBJECTS,
            Permission.PLAN_PROCEDURE,
            Permission.RECORD_INJECTION,
            Permission.RECORD_ADVERSE_EVENT,
            Permission.RECORD_FOLLOW_UP,
            Permission.COMPLETE_PROCEDURE,
            Permission.READ_RECORDS,
            Permission.SIGN_RECORDS,
        }
    ),
    Role.NURSE: frozenset(
        {
            Permission.MANAGE_SUBJECTS,
            Permission.PLAN_PROCEDURE,
            Permission.RECORD_SEDATION,
            Permission.RECORD_ADVERSE_EVENT,
            Permission.RECORD_FOLLOW_UP,
            Permission.READ_RECORDS,
            Permission.SIGN_RECORDS,
        }
    ),
    # A monitor may add the optional "Reviewed" signature; it never changes clinical data.
    Role.MONITOR: frozenset(
        {Permission.READ_RECORDS, Permission.READ_AUDIT, Permission.EXPORT, Permission.SIGN_RECORDS}
    ),
    Role.ADMIN: frozenset(
        {
            Permission.MANAGE_USERS,
            Permission.MANAGE_SETTINGS,
            Permission.READ_RECORDS,
            Permission.READ_AUDIT,
            Permission.EXPORT,
        }
    ),
}

_ACTION_WORDS: dict[Permission, str] = {
    Permission.MANAGE_SUBJECTS: "register subjects",
    Permission.PLAN_PROCEDURE: "plan procedures",
    Permission.RECORD_INJECTION: "record injections",
    Permission.RECORD_SEDATION: "record sedation, vital signs or medication",
    Permission.RECORD_ADVERSE_EVENT: "record adverse events",
    Permission.RECORD_FOLLOW_UP: "enter or sign follow-up visits",
    Permission.COMPLETE_PROCEDURE: "complete procedures",
    Permission.READ_RECORDS: "read records",
    Permission.READ_AUDIT: "read the audit trail",
    Permission.EXPORT: "export data",
    Permission.MANAGE_USERS: "manage user accounts",
    Permission.SIGN_RECORDS: "sign records",
    Permission.MANAGE_SETTINGS: "change the site settings",
}


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in person on whose behalf a service acts."""

    user_id: int
    username: str
    full_name: str
    roles: frozenset[Role]
    # Re-reads the account behind this session (set by the service that signed it in): raises
    # `RightsEnded` when it was deactivated or lost a role since. Every `require` calls it, so
    # a session ends with the rights it was given, whatever service is asked next.
    rights: Callable[[Actor], None] | None = field(default=None, compare=False, repr=False)

    def can(self, permission: Permission) -> bool:
        return any(permission in PERMISSIONS[role] for role in self.roles)

    def require(self, permission: Permission) -> None:
        if self.rights is not None:
            self.rights(self)
        if not self.can(permission):
            roles = ", ".join(sorted(r.value for r in self.roles)) or "no role"
            raise PermissionDenied(
                f"{self.full_name} ({roles}) may not {_ACTION_WORDS[permission]}."
            )

    @property
    def primary_role(self) -> Role | None:
        for role in (Role.OPERATOR, Role.NURSE, Role.MONITOR, Role.ADMIN):
            if role in self.roles:
                return role
        return None


def parse_roles(text: str) -> frozenset[Role]:
    """Roles as stored: a comma-separated list."""
    return frozenset(Role(part) for part in text.split(",") if part)


def format_roles(roles: frozenset[Role] | set[Role]) -> str:
    return ",".join(sorted(r.value for r in roles))


_USERNAME = re.compile(r"[a-z][a-z0-9._-]{1,31}")


def plausible_username(typed: object) -> str | None:
    """The typed username normalised, or None when it cannot be one (never queried then)."""
    if not isinstance(typed, str):
        return None
    name = typed.strip().lower()
    return name if _USERNAME.fullmatch(name) else None


def valid_username(username: str) -> str:
    """A new account's username, normalised; ValidationError says what one may be."""
    name = username.strip().lower() if isinstance(username, str) else ""
    if not _USERNAME.fullmatch(name):
        raise ValidationError(
            "A username has 2–32 characters: a letter first, then letters, digits, '.', '_' or '-'."
        )
    return name


def valid_roles(roles: frozenset[Role]) -> None:
    """Operator and nurse may be combined; an admin holds no clinical role; a monitor only reads."""
    if not roles:
        raise ValidationError("Give the account at least one role.")
    if Role.ADMIN in roles and roles & {Role.OPERATOR, Role.NURSE}:
        raise ValidationError("An administrator account cannot also enter clinical data.")
    if Role.MONITOR in roles and len(roles) > 1:
        raise ValidationError("A monitor account is read-only and holds no other role.")
