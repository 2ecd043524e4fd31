"""The checks every bedside entry shares: the record still open, the typed time possible.

Used inside a transaction a sedation service opened. The time rules themselves are
`domain.sedation.timing` and `domain.procedure.amendments`; must not import Qt or another
context's services beyond the procedure's loaders.
"""

from __future__ import annotations

from datetime import datetime

from slidesk.clock import require_aware
from slidesk.domain.errors import StateError
from slidesk.domain.procedure.amendments import late_entry_time
from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.sedation.timing import check_event_time
from slidesk.persistence.rows.core import ProcedureRow
from slidesk.persistence.transaction import Transaction
from slidesk.services.procedure.views import amendment_opened_at, load_procedure

EDITABLE = (
    ProcedureStatus.PLANNED,
    ProcedureStatus.IN_PROGRESS,
    ProcedureStatus.COMPLETED,
    ProcedureStatus.AMENDED,
)
"""The states in which the nurse's record takes new and corrected entries (not signed)."""


def open_for_entry(tx: Transaction, procedure_id: int, action: str) -> ProcedureRow:
    """The procedure, if entries may still be added or changed (not signed)."""
    row = load_procedure(tx, procedure_id)
    status = ProcedureStatus(row.status)
    if status not in EDITABLE:
        raise StateError(
            f"Cannot {action}: the procedure record is signed. "
            "Open an amendment to add or correct entries."
        )
    return row


def event_time(value: datetime | None, row: ProcedureRow, now: datetime, what: str) -> datetime:
    """A typed (or defaulted) event time: aware, not in the future, not before the day."""
    if value is None:
        return now
    when = require_aware(value, what)
    return check_event_time(when, planned_at=row.planned_at, now=now, what=what)


def bedside_time(tx: Transaction, value: datetime | None, row: ProcedureRow, what: str) -> datetime:
    """The time of a bedside entry (dose, oxygen, vital signs, event, recovery score) added or
    re-timed: as `event_time`, and while an amendment is open the real, typed time of a late
    entry, before the amendment (`domain.amendments`)."""
    opened = amendment_opened_at(tx, row)
    if opened is not None:
        typed = require_aware(value, what) if value is not None else None
        value = late_entry_time(typed, opened_at=opened, what=what)
    return event_time(value, row, tx.now, what)
