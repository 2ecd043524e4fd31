"""Queries of the follow-up feature (used from services through `tx.repo(FollowUpRepository)`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from slidesk.persistence.rows.core import ProcedureRow, SubjectRow
from slidesk.persistence.rows.followup import (
    FollowUpAmputationRow,
    FollowUpAnchorRow,
    FollowUpUlcerRow,
    FollowUpVerdictRow,
    FollowUpVisitRow,
)

# Statuses of a procedure whose injections were given (the follow-up clock runs from then).
_DONE = ("completed", "signed", "amended")


class FollowUpRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def visit(self, visit_id: int) -> FollowUpVisitRow | None:
        return self.session.get(FollowUpVisitRow, visit_id)

    def visit_at(self, subject_id: int, month: int) -> FollowUpVisitRow | None:
        return self.session.scalars(
            select(FollowUpVisitRow).where(
                FollowUpVisitRow.subject_id == subject_id, FollowUpVisitRow.month == month
            )
        ).first()

    def visits(self, subject_id: int) -> Sequence[FollowUpVisitRow]:
        return self.session.scalars(
            select(FollowUpVisitRow)
            .where(FollowUpVisitRow.subject_id == subject_id)
            .order_by(FollowUpVisitRow.month)
        ).all()

    def amputations(self, subject_id: int) -> Sequence[FollowUpAmputationRow]:
        """All of a subject's amputation rows, voided ones too, in entry order."""
        return self.session.scalars(
            select(FollowUpAmputationRow)
            .where(FollowUpAmputationRow.subject_id == subject_id)
            .order_by(FollowUpAmputationRow.id)
        ).all()

    def ulcers(self, subject_id: int) -> Sequence[FollowUpUlcerRow]:
        return self.session.scalars(
            select(FollowUpUlcerRow)
            .where(FollowUpUlcerRow.subject_id == subject_id)
            .order_by(FollowUpUlcerRow.id)
        ).all()

    def verdicts(self, subject_id: int) -> Sequence[FollowUpVerdictRow]:
        return self.session.scalars(
            select(FollowUpVerdictRow)
            .where(FollowUpVerdictRow.subject_id == subject_id)
            .order_by(FollowUpVerdictRow.month)
        ).all()

    def anchor(self, subject_id: int) -> FollowUpAnchorRow | None:
        return self.session.scalars(
            select(FollowUpAnchorRow).where(FollowUpAnchorRow.subject_id == subject_id)
        ).first()

    def first_treatment(self, subject_id: int) -> ProcedureRow | None:
        """The subject's earliest procedure whose injections were given."""
        return self.session.scalars(
            select(ProcedureRow)
            .where(
                ProcedureRow.subject_id == subject_id,
                ProcedureRow.status.in_(_DONE),
                ProcedureRow.started_at.is_not(None),
            )
            .order_by(ProcedureRow.started_at)
        ).first()

    # --- the due-visits overview: a handful of queries for all subjects at once ----------------

    def subjects(self) -> Sequence[SubjectRow]:
        return self.session.scalars(select(SubjectRow).order_by(SubjectRow.study_id)).all()

    def first_treatment_times(self) -> dict[int, tuple[datetime, str, str]]:
        """subject id -> (start, protocol key, protocol version) of the first treatment."""
        rows = self.session.execute(
            select(
                ProcedureRow.subject_id,
                ProcedureRow.started_at,
                ProcedureRow.protocol_key,
                ProcedureRow.protocol_version,
            )
            .where(ProcedureRow.status.in_(_DONE), ProcedureRow.started_at.is_not(None))
            .order_by(ProcedureRow.started_at.desc())
        ).all()
        # Newest first, so the earliest treatment of each subject is written last and wins.
        return {
            sid: (started, key, version)
            for sid, started, key, version in rows
            if started is not None
        }

    def all_anchors(self) -> dict[int, str]:
        rows = self.session.execute(
            select(FollowUpAnchorRow.subject_id, FollowUpAnchorRow.procedure_date)
        ).all()
        return {int(r[0]): str(r[1]) for r in rows}

    def all_visit_states(self) -> Sequence[tuple[int, int, str, str | None, str | None]]:
        """(subject id, month, status, vital status, visit missing code) of every visit."""
        rows = self.session.execute(
            select(
                FollowUpVisitRow.subject_id,
                FollowUpVisitRow.month,
                FollowUpVisitRow.status,
                FollowUpVisitRow.vital_status,
                FollowUpVisitRow.visit_missing,
            )
        ).all()
        return [tuple(r) for r in rows]  # type: ignore[misc]
