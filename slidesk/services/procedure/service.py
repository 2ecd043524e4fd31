"""Reading procedures: one in full, and a page of the home list.

Writes live in `planning`, `entries` and `completion`; this module only reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.users import Actor, Permission
from slidesk.domain.values import Limb
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.boundary import boundary
from slidesk.services.dto import ProcedurePage, ProcedureSummary, ProcedureView
from slidesk.services.procedure.views import load_procedure, procedure_protocol, procedure_view


@boundary
def get_procedure(*, uow: UnitOfWork, actor: Actor, procedure_id: int) -> ProcedureView:
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        row = load_procedure(tx, procedure_id)
        # "Last saved" is the record's last change of any kind (the nurse's dose too), not
        # only its last site entry.
        changed = tx.audit.last_change_at(row.id)
        saved_at = (
            datetime.fromisoformat(changed.replace("Z", "+00:00")).astimezone(UTC)
            if changed
            else None
        )
        return procedure_view(tx, row, saved_at=saved_at)


@boundary
def list_procedures(
    *,
    uow: UnitOfWork,
    actor: Actor,
    search: str = "",
    statuses: Sequence[ProcedureStatus] = (),
    offset: int = 0,
    limit: int = 200,
) -> ProcedurePage:
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        total, rows = tx.procedures.page(
            search=search[:60], statuses=[s.value for s in statuses], offset=offset, limit=limit
        )
        names = tx.users.names()
        summaries = []
        for proc, study_id, limb, done in rows:
            protocol = procedure_protocol(tx, proc)
            summaries.append(
                ProcedureSummary(
                    id=proc.id,
                    study_id=study_id,
                    index_limb=Limb(limb),
                    status=ProcedureStatus(proc.status),
                    planned_at=proc.planned_at,
                    started_at=proc.started_at,
                    injected_count=done,
                    total_sites=protocol.site_count,
                    operator_name=names.get(proc.operator_id, "?"),
                    kit_number=proc.kit_number,
                )
            )
        return ProcedurePage(total=total, offset=offset, rows=tuple(summaries))
