"""Saving a follow-up visit: clean the typed texts, check the assessor, and update a saved
visit only with a reason where something already saved is overwritten.

Used inside a transaction a follow-up service opened. The order of visits in time is
`domain.followup.visit_order`; must not import Qt or another context's services.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from slidesk.domain.errors import NotFoundError, ReasonRequired, StateError, ValidationError
from slidesk.domain.events import AuditEvent
from slidesk.domain.followup.model import Item, VisitEntry, VisitStatus, VitalStatus
from slidesk.domain.followup.visit_order import SeenVisit, time_point_label
from slidesk.domain.free_text import free_text
from slidesk.domain.users import Role, parse_roles
from slidesk.domain.values import clean_text
from slidesk.integrity.chain import canonical_value
from slidesk.persistence.queries.followup import FollowUpRepository
from slidesk.persistence.rows.followup import FollowUpVisitRow
from slidesk.persistence.transaction import Transaction
from slidesk.services.followup.children import sync_children
from slidesk.services.followup.codec import missing_column, parse_iso

_FIRST_ENTRY = "first entry of blank items"
_COLUMN_LABELS = {missing_column(item): f"{item.label} (missing code)" for item in Item} | {
    "visit_date": "Visit date",
    "visit_missing": "Visit did not take place",
    "assessor_id": "Assessor",
    "vital_status": "Vital status",
    "death_date": "Date of death",
    "death_cause": "Cause of death",
    "new_amputation": "Amputation",
    "rutherford": "Rutherford category",
    "fontaine": "Fontaine stage",
    "rest_pain": "Rest pain",
    "vas_mm": "Pain (VAS)",
    "ulcer_count": "Number of ulcers",
    "walk_distance_m": "Walking distance",
    "walk_unable": "Unable to walk",
}


def update_visit(
    tx: Transaction,
    row: FollowUpVisitRow,
    entry: VisitEntry,
    columns: dict[str, Any],
    why: str | None,
) -> None:
    status = VisitStatus(row.status)
    if status is VisitStatus.SIGNED:
        raise StateError(
            f"The {time_point_label(row.month).lower()} visit is signed; open an amendment "
            "(with a reason) to change it."
        )
    changed = [k for k, new in columns.items() if _differs(getattr(row, k), new)]
    overwritten = [k for k in changed if getattr(row, k) is not None]
    child_overwrites = sync_children(tx, row, entry, reason=why, dry_run=True)
    if not changed and child_overwrites is None:
        return  # nothing to save
    needs_reason = overwritten or child_overwrites or status is VisitStatus.AMENDED
    if needs_reason and not why:
        what = ", ".join(
            dict.fromkeys(_COLUMN_LABELS.get(k, k.replace("_", " ")) for k in overwritten)
        )
        what = ", ".join(w for w in (what, child_overwrites or "") if w) or "a signed visit"
        raise ReasonRequired(f"A reason is required to change what was already saved: {what}.")
    tx.change(
        row,
        event_type=AuditEvent.FOLLOWUP_VISIT_UPDATED,
        reason=why or _FIRST_ENTRY,
        updated_at=tx.now,
        updated_by=tx.actor.user_id if tx.actor else row.updated_by,
        **columns,
    )
    sync_children(tx, row, entry, reason=why or _FIRST_ENTRY)


def _differs(old: Any, new: Any) -> bool:
    return bool(canonical_value(old) != canonical_value(new))


def load_visit(tx: Transaction, visit_id: int) -> FollowUpVisitRow:
    row = tx.repo(FollowUpRepository).visit(visit_id)
    if row is None:
        raise NotFoundError(f"Visit {visit_id} does not exist.")
    return row


def require_assessor(tx: Transaction, user_id: int | None) -> None:
    user = tx.users.get(user_id) if user_id is not None else None
    if user is None or not user.active:
        raise ValidationError("Choose an active user as the assessor.")
    if not parse_roles(user.roles) & {Role.OPERATOR, Role.NURSE}:
        raise ValidationError(f"{user.full_name} is not an operator or nurse and cannot assess.")


def seen_visits(rows: Iterable[FollowUpVisitRow]) -> tuple[SeenVisit, ...]:
    """The saved visits as the domain's order rules read them."""
    return tuple(
        SeenVisit(
            month=row.month,
            visit_date=parse_iso(row.visit_date),
            vital_status=VitalStatus(row.vital_status) if row.vital_status else None,
            death_date=parse_iso(row.death_date),
        )
        for row in rows
    )


def cleaned(entry: VisitEntry) -> VisitEntry:
    """Trim and check the free texts of the entry."""
    return replace(
        entry,
        death_cause=clean_text(entry.death_cause, "Cause of death"),
        walk_unable_detail=free_text(entry.walk_unable_detail, "Why unable to walk"),
        eq5d_version=clean_text(entry.eq5d_version, "EQ-5D-5L version", max_len=100),
        rand36_version=clean_text(entry.rand36_version, "RAND-36 version", max_len=100),
        ulcers=tuple(
            replace(u, detail=clean_text(u.detail, "Ulcer location")) for u in entry.ulcers
        ),
    )
