"""Where a kit number was recorded: its procedures, their subjects and whether any had an
injection. Read inside the write transaction that applies the kit rule (slidesk.domain.kits)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from slidesk.domain.procedure.model import EntryKind
from slidesk.persistence.rows.core import ProcedureRow, SiteEntryRow, SubjectRow


class KitQueries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def uses(self, kit_number: str) -> Sequence[tuple[int, str, str, datetime, bool]]:
        """(procedure id, subject's study ID, status, planned at, ever injected) of every
        procedure that recorded the kit, oldest first; struck-out injections count."""
        injected = exists().where(
            SiteEntryRow.procedure_id == ProcedureRow.id,
            SiteEntryRow.kind == EntryKind.INJECTED.value,
        )
        rows = self.session.execute(
            select(
                ProcedureRow.id,
                SubjectRow.study_id,
                ProcedureRow.status,
                ProcedureRow.planned_at,
                injected.label("injected"),
            )
            .join(SubjectRow, SubjectRow.id == ProcedureRow.subject_id)
            .where(func.upper(ProcedureRow.kit_number) == kit_number.upper())
            .order_by(ProcedureRow.id)
        ).all()
        return [(int(r[0]), str(r[1]), str(r[2]), r[3], bool(r[4])) for r in rows]
