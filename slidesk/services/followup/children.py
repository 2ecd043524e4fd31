"""Bring a visit's amputation and ulcer rows in line with the form: add, change or void.

Items carry their row id once saved. A new item is an addition (no reason needed); changing
or removing a saved item overwrites the record and needs a reason; removal voids the row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from slidesk.domain.errors import NotFoundError
from slidesk.domain.events import AuditEvent
from slidesk.domain.followup.model import Amputation, Ulcer, VisitEntry
from slidesk.integrity.chain import canonical_value
from slidesk.persistence.queries.followup import FollowUpRepository
from slidesk.persistence.rows.followup import (
    FollowUpAmputationRow,
    FollowUpUlcerRow,
    FollowUpVisitRow,
)
from slidesk.persistence.transaction import Transaction
from slidesk.services.followup.codec import amputation_columns, ulcer_columns


def sync_children(
    tx: Transaction,
    visit: FollowUpVisitRow,
    entry: VisitEntry,
    *,
    reason: str | None,
    dry_run: bool = False,
) -> str | None:
    """Apply (or, with `dry_run`, only describe) the list changes.

    Returns None when nothing changes, "" when items are only added, else what would be
    overwritten (for the "reason required" message).
    """
    repo = tx.repo(FollowUpRepository)
    parts: list[str] = []
    any_change = False
    for label, rows, items, columns, factory in (
        (
            "amputations",
            [a for a in repo.amputations(visit.subject_id) if a.visit_id == visit.id],
            entry.amputations,
            amputation_columns,
            FollowUpAmputationRow,
        ),
        (
            "ulcers",
            [u for u in repo.ulcers(visit.subject_id) if u.visit_id == visit.id],
            entry.ulcers,
            ulcer_columns,
            FollowUpUlcerRow,
        ),
    ):
        changed, overwritten = _sync(
            tx, visit, label, rows, items, columns, factory, reason, dry_run
        )
        any_change = any_change or changed
        if overwritten:
            parts.append(label)
    if not any_change:
        return None
    return ", ".join(parts)


def _sync(
    tx: Transaction,
    visit: FollowUpVisitRow,
    label: str,
    rows: Sequence[Any],
    items: Sequence[Amputation | Ulcer],
    columns: Callable[[Any], dict[str, Any]],
    factory: type[Any],
    reason: str | None,
    dry_run: bool,
) -> tuple[bool, bool]:
    live = {r.id: r for r in rows if not r.voided}
    kept: set[int] = set()
    changed = overwritten = False
    event = f"followup.{label[:-1]}"
    for item in items:
        values = columns(item)
        if item.id is None:
            changed = True
            if not dry_run:
                row = factory(
                    visit_id=visit.id,
                    subject_id=visit.subject_id,
                    voided=False,
                    void_reason=None,
                    **values,
                )
                tx.add(row, event_type=AuditEvent(f"{event}_added"))
            continue
        row = live.get(item.id)
        if row is None:
            raise NotFoundError(
                f"The {label[:-1]} being edited no longer exists; reopen the visit."
            )
        kept.add(item.id)
        if any(canonical_value(getattr(row, k)) != canonical_value(v) for k, v in values.items()):
            changed = overwritten = True
            if not dry_run:
                tx.change(
                    row, event_type=AuditEvent(f"{event}_corrected"), reason=reason or "", **values
                )
    for row_id, row in live.items():
        if row_id in kept:
            continue
        changed = overwritten = True
        if not dry_run:
            tx.change(
                row,
                event_type=AuditEvent(f"{event}_removed"),
                reason=reason or "",
                voided=True,
                void_reason=reason,
            )
    return changed, overwritten
