"""Reading the workspace rows (`rows.workspace`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from slidesk.persistence.queries.repositories import Repository
from slidesk.persistence.rows.workspace import SiteFlagRow, SyringeDispositionRow


class WorkspaceRepository(Repository):
    def flags(self, procedure_id: int) -> Sequence[SiteFlagRow]:
        return self.session.scalars(
            select(SiteFlagRow)
            .where(SiteFlagRow.procedure_id == procedure_id)
            .order_by(SiteFlagRow.id)
        ).all()

    def flag(self, flag_id: int) -> SiteFlagRow | None:
        return self.session.get(SiteFlagRow, flag_id)

    def dispositions(self, procedure_id: int) -> Sequence[SyringeDispositionRow]:
        return self.session.scalars(
            select(SyringeDispositionRow)
            .where(SyringeDispositionRow.procedure_id == procedure_id)
            .order_by(SyringeDispositionRow.id)
        ).all()

    def live_dispositions(self, procedure_id: int) -> dict[str, str]:
        """{syringe label: "returned" / "wasted"} of the procedure (fast path, no ORM)."""
        rows = self._fast().scalar_rows(
            "SELECT syringe_label, disposition FROM syringe_dispositions "
            "WHERE procedure_id = :p AND voided = :no",
            {"p": procedure_id, "no": False},
        )
        return {str(label): str(what) for label, what in rows}

    def disposition(self, disposition_id: int) -> SyringeDispositionRow | None:
        return self.session.get(SyringeDispositionRow, disposition_id)
