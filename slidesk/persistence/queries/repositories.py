"""Repositories: every query the services need, so that services never touch SQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from slidesk.persistence.checks.cell_scan import ScannedRow, scan_cells
from slidesk.persistence.fastsql import FastSQL, table_of
from slidesk.persistence.rows.core import AuditRow, ProcedureRow, SiteEntryRow, SubjectRow, UserRow


class Repository:
    """Queries for one table; the fast methods use the transaction's DBAPI path (fastsql)."""

    def __init__(self, session: Session | None, fast: Callable[[], FastSQL] | None = None) -> None:
        self.session: Session = session  # type: ignore[assignment]
        self._fast_source = fast

    def _fast(self) -> FastSQL:
        if self._fast_source is not None:
            return self._fast_source()
        tx = self.session.info.get("slidesk_tx")
        if tx is not None:
            return tx.fast  # type: ignore[no-any-return]
        return FastSQL.for_session(self.session)


class UserRepository(Repository):
    def get(self, user_id: int) -> UserRow | None:
        return self.session.get(UserRow, user_id)

    def by_username(self, username: str) -> UserRow | None:
        return self.session.scalars(
            select(UserRow).where(func.lower(UserRow.username) == username.lower())
        ).first()

    def all(self) -> Sequence[UserRow]:
        return self.session.scalars(select(UserRow).order_by(UserRow.username)).all()

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(UserRow)) or 0

    def names(self) -> dict[int, str]:
        rows = self._fast().scalar_rows("SELECT id, full_name FROM users", {})
        return {int(i): str(n) for i, n in rows}


class SubjectRepository(Repository):
    def get(self, subject_id: int) -> SubjectRow | None:
        return self.session.get(SubjectRow, subject_id)

    def record(self, subject_id: int) -> Any | None:
        """The subject as a plain record (fast path; not tracked by the ORM)."""
        rows = self._fast().select(table_of(SubjectRow), "id = :id", {"id": subject_id})
        return rows[0] if rows else None

    def by_study_id(self, study_id: str) -> SubjectRow | None:
        return self.session.scalars(
            select(SubjectRow).where(SubjectRow.study_id == study_id)
        ).first()

    def all(self) -> Sequence[SubjectRow]:
        return self.session.scalars(select(SubjectRow).order_by(SubjectRow.study_id)).all()


class ProcedureRepository(Repository):
    def get(self, procedure_id: int) -> ProcedureRow | None:
        return self.session.get(ProcedureRow, procedure_id)

    def record(self, procedure_id: int) -> Any | None:
        """The procedure as a plain record (fast path; not tracked by the ORM)."""
        rows = self._fast().select(table_of(ProcedureRow), "id = :id", {"id": procedure_id})
        return rows[0] if rows else None

    def for_subject(self, subject_id: int) -> Sequence[ProcedureRow]:
        return self.session.scalars(
            select(ProcedureRow)
            .where(ProcedureRow.subject_id == subject_id)
            .order_by(ProcedureRow.id)
        ).all()

    def page(
        self,
        *,
        search: str = "",
        statuses: Sequence[str] = (),
        offset: int = 0,
        limit: int = 200,
    ) -> tuple[int, list[tuple[ProcedureRow, str, str, int]]]:
        """A page of procedures, newest first: (total, [(procedure, study_id, limb, done)])."""
        live_done = (
            select(func.count())
            .where(
                SiteEntryRow.procedure_id == ProcedureRow.id,
                SiteEntryRow.voided.is_(False),
                SiteEntryRow.kind == "injected",
            )
            .correlate(ProcedureRow)
            .scalar_subquery()
        )
        query = select(ProcedureRow, SubjectRow.study_id, SubjectRow.index_limb, live_done).join(
            SubjectRow, SubjectRow.id == ProcedureRow.subject_id
        )
        count_query = (
            select(func.count())
            .select_from(ProcedureRow)
            .join(SubjectRow, SubjectRow.id == ProcedureRow.subject_id)
        )
        conditions: list[Any] = []
        if search.strip():
            pattern = f"%{search.strip().upper()}%"
            conditions.append(
                or_(
                    func.upper(SubjectRow.study_id).like(pattern),
                    ProcedureRow.kit_number.like(pattern),
                )
            )
        if statuses:
            conditions.append(ProcedureRow.status.in_(list(statuses)))
        for condition in conditions:
            query = query.where(condition)
            count_query = count_query.where(condition)
        total = self.session.scalar(count_query) or 0
        rows = self.session.execute(
            query.order_by(ProcedureRow.planned_at.desc(), ProcedureRow.id.desc())
            .offset(offset)
            .limit(limit)
        ).all()
        return total, [(p, sid, limb, done) for p, sid, limb, done in rows]


class SiteEntryRepository(Repository):
    def get(self, entry_id: int) -> SiteEntryRow | None:
        return self.session.get(SiteEntryRow, entry_id)

    def records_for_procedure(self, procedure_id: int) -> list[Any]:
        """All entries as plain records, in recorded order (fast path; not tracked by the ORM)."""
        return self._fast().select(
            table_of(SiteEntryRow), "procedure_id = :p", {"p": procedure_id}, order_by="id"
        )

    def for_procedure(self, procedure_id: int) -> Sequence[SiteEntryRow]:
        """All entries, voided ones too, in the order they were recorded."""
        return self.session.scalars(
            select(SiteEntryRow)
            .where(SiteEntryRow.procedure_id == procedure_id)
            .order_by(SiteEntryRow.id)
        ).all()


class AuditRepository(Repository):
    def head(self) -> tuple[int, str] | None:
        row = self.session.execute(
            select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)
        ).first()
        return (row[0], row[1]) if row else None

    def iter_all(self, batch: int = 5000) -> Iterator[dict[str, Any]]:
        """Every entry in chain order, as plain dicts, without loading all at once."""
        last = 0
        columns = AuditRow.__table__.columns
        while True:
            rows = (
                self.session.execute(
                    select(*columns).where(AuditRow.seq > last).order_by(AuditRow.seq).limit(batch)
                )
                .mappings()
                .all()
            )
            if not rows:
                return
            for row in rows:
                yield dict(row)
            last = rows[-1]["seq"]

    def for_entity(self, entity: str, entity_id: str) -> Sequence[AuditRow]:
        return self.session.scalars(
            select(AuditRow)
            .where(AuditRow.entity == entity, AuditRow.entity_id == entity_id)
            .order_by(AuditRow.seq)
        ).all()

    def for_procedure(self, procedure_id: int) -> Sequence[AuditRow]:
        return self.session.scalars(
            select(AuditRow).where(AuditRow.procedure_id == procedure_id).order_by(AuditRow.seq)
        ).all()

    def last_change_at(self, procedure_id: int) -> str | None:
        """When the procedure's record last changed (its newest created or updated row;
        events such as a printout are not changes), as stored (`at_utc`)."""
        return self.session.scalar(
            select(AuditRow.at_utc)
            .where(
                AuditRow.procedure_id == procedure_id,
                AuditRow.action.in_(("create", "update")),
            )
            .order_by(AuditRow.seq.desc())
            .limit(1)
        )

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(AuditRow)) or 0

    def scan_cells(self, cls: type[Any]) -> Iterator[ScannedRow]:
        """Every row of an audited table, each cell read on its own (for verification)."""
        return scan_cells(self.session, cls)
