"""The write path every entry of the nurse's record shares: stamp, add or change, commit.

Used inside a transaction the service opened (`uow.begin`); no Qt, and the rows are reached
only through the transaction and its repositories.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict

from slidesk.domain.errors import NotFoundError
from slidesk.domain.events import AuditEvent
from slidesk.domain.sedation.timing import is_late
from slidesk.domain.users import Actor
from slidesk.persistence.rows.core import Audited, ProcedureRow
from slidesk.persistence.rows.sedation import SedationRepository
from slidesk.persistence.transaction import Transaction
from slidesk.services.sedation.dto import SedationRecord
from slidesk.services.sedation.views import EntryRow, sedation_record


class EntryStamp(TypedDict):
    """The columns every sedation entry row has besides its own values."""

    procedure_id: int
    recorded_at: datetime
    late: bool
    performer_id: int
    recorder_id: int
    voided: bool
    void_reason: str | None


def stamp(
    tx: Transaction,
    row: ProcedureRow,
    actor: Actor,
    when: datetime,
    performer_id: int | None = None,
) -> EntryStamp:
    """A new entry on `row`: entered now by `actor`, done at `when` by the procedure's
    sedation nurse (or `performer_id`), late when entered long after, not struck out."""
    return EntryStamp(
        procedure_id=row.id,
        recorded_at=tx.now,
        late=is_late(when, tx.now),
        performer_id=row.nurse_id if performer_id is None else performer_id,
        recorder_id=actor.user_id,
        voided=False,
        void_reason=None,
    )


def live_entry(tx: Transaction, cls: type[EntryRow], entry_id: int, missing: str) -> EntryRow:
    """The entry to correct or strike out; `missing` is the message when it does not exist or
    was struck out already."""
    entry = tx.repo(SedationRepository).get(cls, entry_id)
    if entry is None or entry.voided:
        raise NotFoundError(missing)
    return entry


def add_entry(tx: Transaction, row: ProcedureRow, entry: Audited, event_type: AuditEvent) -> None:
    """Insert the entry, audited under the procedure and its subject."""
    tx.add(entry, event_type=event_type, procedure_id=row.id, subject_id=row.subject_id)


def change_entry(
    tx: Transaction,
    row: ProcedureRow,
    entry: Audited,
    event_type: AuditEvent,
    reason: str,
    **values: Any,
) -> bool:
    """Change the entry with a reason, audited under the procedure; False when nothing changed."""
    return tx.change(
        entry,
        event_type=event_type,
        reason=reason,
        procedure_id=row.id,
        subject_id=row.subject_id,
        **values,
    )


def saved_record(tx: Transaction, row: ProcedureRow) -> SedationRecord:
    """Commit, then read the record back as it now stands (with the save time)."""
    saved = tx.commit()
    return sedation_record(tx, row, tx.now, saved)
