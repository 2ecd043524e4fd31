"""Rules of electronic signatures: who may sign which meaning, and what the review finds.

Standard library only. The meanings themselves come from the protocol file ([[signatures]]);
this module knows which roles may give each kind of signature and how findings are graded.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from slidesk.domain.users import Role

# A signature meaning names the role of the person who gives it. "operator" and "nurse" are the
# people who did the work (they must be the procedure's named operator or nurse); a reviewer or
# an investigator reviews what others did.
_SIGNING_ROLES: dict[str, frozenset[Role]] = {
    "operator": frozenset({Role.OPERATOR}),
    "nurse": frozenset({Role.NURSE}),
    "reviewer": frozenset({Role.OPERATOR, Role.MONITOR}),
    "investigator": frozenset({Role.OPERATOR}),
}

# The meanings that state "I did this": only the person named on the procedure may give them.
PERSONAL_MEANINGS = frozenset({"operator", "nurse"})

SIGNATURE_METHOD = "username and password re-entered at signing"


def roles_for_meaning(meaning_role: str) -> frozenset[Role]:
    """The account roles that may give a signature of this meaning (empty when unknown)."""
    return _SIGNING_ROLES.get(meaning_role, frozenset())


def signing_role(meaning_role: str, held: frozenset[Role]) -> Role | None:
    """The role under which a person holding `held` signs this meaning, or None if none fits."""
    allowed = roles_for_meaning(meaning_role)
    for role in (Role.OPERATOR, Role.NURSE, Role.MONITOR):
        if role in allowed and role in held:
            return role
    return None


class Severity(StrEnum):
    """Blocking findings must be fixed before signing; warnings must be acknowledged."""

    BLOCKING = "blocking"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the pre-signing review found. `code` is stable (to acknowledge it)."""

    code: str
    severity: Severity
    message: str
    site_no: int | None = None


def amendment_banner(version: int, reason: str) -> str:
    """The line on an amended version's report. The amendment that produces version 2 is the
    first amendment: "Amendment 1 — reason — supersedes version 1"."""
    return f"Amendment {version - 1} — {reason} — supersedes version {version - 1}"
