"""Rules of electronic signatures: who may sign which meaning, and what the review finds.

Standard library only. The meanings themselves come from the protocol file ([[signatures]]);
this module knows which roles may give each kind of signature, who may sign what, when a
version is complete, and how findings are graded. Must not import services or persistence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from slidesk.domain.errors import ConflictError, PermissionDenied, StateError, ValidationError
from slidesk.domain.users import Role
from slidesk.i18n import _

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


def require_named_person(
    meaning_role: str, *, signer_id: int, signer_name: str, operator_id: int, nurse_id: int
) -> None:
    """Only the person who did the work may sign that they did it (SIG-06)."""
    if meaning_role not in PERSONAL_MEANINGS:
        return
    named = operator_id if meaning_role == "operator" else nurse_id
    if signer_id != named:
        what = "operator" if meaning_role == "operator" else "sedation nurse"
        raise PermissionDenied(
            f"Only the procedure's {what} can give this signature; {signer_name} is not "
            "named on this procedure. Nobody signs on behalf of someone else."
        )


def require_signable(
    *,
    meaning: str,
    required: bool,
    locked: bool,
    signed_by: str | None,
    signer_name: str,
    signer_signed_as: str | None,
    unacknowledged: Sequence[Finding],
) -> None:
    """Refuse a signature the version cannot take, in the order a signer is told.

    `signed_by` is who already gave this meaning for this version; `locked` while the record
    is SIGNED; `signer_signed_as` the meaning the signer already gave for this version (one
    person, one meaning); `unacknowledged` the warnings not yet acknowledged.
    """
    if signed_by is not None:
        raise ConflictError(f"“{meaning}” is already signed by {signed_by} for this version.")
    if locked and required:
        raise StateError("The record is signed and locked; open an amendment to change it.")
    if signer_signed_as is not None:
        raise ConflictError(
            f"{signer_name} already signed this version as “{signer_signed_as}”; "
            "each meaning needs a different person."
        )
    if unacknowledged:
        raise ValidationError(
            f"Acknowledge {len(unacknowledged)} warning(s) before signing: "
            + " ".join(f.message for f in unacknowledged[:3])
        )


def version_complete(required: Iterable[str], signed: Collection[str]) -> bool:
    """Whether every required meaning (by role) is signed: the version is then frozen."""
    return all(role in signed for role in required)


def amendment_findings(version: int, changes: Sequence[str]) -> tuple[Finding, ...]:
    """What a signer of an amended record confirms: each change since signed `version`.

    An amendment exists to change the record: one that changed nothing would make a new
    version that says nothing new, so it blocks signing until something is corrected or added.
    """
    if not changes:
        return (
            Finding(
                "amendment-unchanged",
                Severity.BLOCKING,
                _(
                    "Nothing has changed since version {version}: correct the record in the "
                    "workspace (each change with its reason) before anyone signs the amendment."
                ).format(version=version),
            ),
        )
    return tuple(
        Finding(
            f"amended:{hashlib.sha256(line.encode()).hexdigest()[:10]}",
            Severity.WARNING,
            f"Changed since version {version}: {line}",
        )
        for line in changes
    )
