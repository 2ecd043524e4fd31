"""Audit-trail queries for the viewer and exports: filtered pages with keyset pagination on seq.

Keyset (seq < cursor) instead of OFFSET keeps every page equally fast on a long trail.
Read-only: nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from slidesk.persistence.rows.core import AuditRow, ProcedureRow, SubjectRow, UserRow

_COLUMNS = tuple(AuditRow.__table__.columns)


@dataclass(frozen=True, slots=True)
class AuditCriteria:
    """What to select; every field narrows the selection (None: no condition)."""

    subject_id: int | None = None
    procedure_id: int | None = None
    user_id: int | None = None
    since_utc: str | None = None  # canonical UTC text, inclusive
    until_utc: str | None = None  # canonical UTC text, exclusive
    event_prefix: str | None = None
    entity: str | None = None
    entity_id: str | None = None


class AuditQueries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def page(
        self,
        criteria: AuditCriteria,
        *,
        cursor: int | None,
        newest_first: bool,
        limit: int,
    ) -> list[dict[str, Any]]:
        """Up to `limit` entries after `cursor` (a seq) in the chosen order, as plain dicts."""
        query = select(*_COLUMNS).where(*self._conditions(criteria))
        if newest_first:
            if cursor is not None:
                query = query.where(AuditRow.seq < cursor)
            query = query.order_by(AuditRow.seq.desc())
        else:
            if cursor is not None:
                query = query.where(AuditRow.seq > cursor)
            query = query.order_by(AuditRow.seq)
        rows = self.session.execute(query.limit(limit)).mappings().all()
        return [dict(r) for r in rows]

    def count(self, criteria: AuditCriteria) -> int:
        query = select(func.count()).select_from(AuditRow).where(*self._conditions(criteria))
        return self.session.scalar(query) or 0

    def event_types(self) -> list[str]:
        """The distinct kinds present (one pass over the trail: ~30 ms at 100,000 entries;
        audit_log has few indexes on purpose, see migration 0001)."""
        return list(
            self.session.scalars(
                select(AuditRow.event_type).distinct().order_by(AuditRow.event_type)
            )
        )

    def subject_id(self, study_id: str) -> int | None:
        return self.session.scalar(select(SubjectRow.id).where(SubjectRow.study_id == study_id))

    def user_id(self, username: str) -> int | None:
        return self.session.scalar(
            select(UserRow.id).where(func.lower(UserRow.username) == username.lower())
        )

    def study_ids(self, subject_ids: Iterable[int]) -> dict[int, str]:
        wanted = sorted(set(subject_ids))
        if not wanted:
            return {}
        rows = self.session.execute(
            select(SubjectRow.id, SubjectRow.study_id).where(SubjectRow.id.in_(wanted))
        ).all()
        return {int(r[0]): str(r[1]) for r in rows}

    def all_study_ids(self) -> dict[int, str]:
        """Every subject's study ID (a trial's subjects: hundreds, read once per page)."""
        rows = self.session.execute(select(SubjectRow.id, SubjectRow.study_id)).all()
        return {int(r[0]): str(r[1]) for r in rows}

    def procedure_study_ids(self, procedure_ids: Iterable[int]) -> dict[int, str]:
        """The study ID of each procedure's subject (for entries that name only the procedure)."""
        wanted = sorted(set(procedure_ids))
        if not wanted:
            return {}
        rows = self.session.execute(
            select(ProcedureRow.id, SubjectRow.study_id)
            .join(SubjectRow, SubjectRow.id == ProcedureRow.subject_id)
            .where(ProcedureRow.id.in_(wanted))
        ).all()
        return {int(r[0]): str(r[1]) for r in rows}

    def people(self) -> dict[int, tuple[str, str]]:
        """Every account's (full name, username), for showing people by name."""
        rows = self.session.execute(select(UserRow.id, UserRow.full_name, UserRow.username)).all()
        return {int(r[0]): (str(r[1]), str(r[2])) for r in rows}

    @staticmethod
    def _conditions(c: AuditCriteria) -> Sequence[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if c.subject_id is not None:
            # An entry about one of the subject's procedures is about the subject, whether or
            # not it was written with the subject (report prints and exports of older
            # databases name only the procedure).
            procedures = select(ProcedureRow.id).where(ProcedureRow.subject_id == c.subject_id)
            conditions.append(
                or_(AuditRow.subject_id == c.subject_id, AuditRow.procedure_id.in_(procedures))
            )
        if c.procedure_id is not None:
            conditions.append(AuditRow.procedure_id == c.procedure_id)
        if c.user_id is not None:
            conditions.append(AuditRow.user_id == c.user_id)
        if c.since_utc is not None:
            conditions.append(AuditRow.at_utc >= c.since_utc)
        if c.until_utc is not None:
            conditions.append(AuditRow.at_utc < c.until_utc)
        if c.event_prefix:
            # autoescape: a typed '%' or '_' is matched literally, never as a wildcard.
            conditions.append(AuditRow.event_type.startswith(c.event_prefix, autoescape=True))
        if c.entity is not None:
            conditions.append(AuditRow.entity == c.entity)
        if c.entity_id is not None:
            conditions.append(AuditRow.entity_id == c.entity_id)
        return conditions
