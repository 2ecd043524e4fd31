"""Completing a procedure, and what completing it now would need a reason for.

The rules are the domain's (`slidesk.domain.procedure.completion`); the gaps are read from the
syringe reconciliation (`workspace`) and the sedation record.
"""

from __future__ import annotations

from slidesk.clock import Clock
from slidesk.domain.checkpoints import CheckpointReason
from slidesk.domain.events import AuditEvent
from slidesk.domain.free_text import free_text
from slidesk.domain.procedure.completion import (
    completion_reason,
    require_every_site_finished,
    require_operator,
    unaccounted_gap,
)
from slidesk.domain.procedure.model import ProcedureStatus, check_transition
from slidesk.domain.users import Actor, Permission, Role
from slidesk.persistence.rows.core import ProcedureRow
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.boundary import boundary
from slidesk.services.dto import ProcedureView
from slidesk.services.procedure.views import (
    load_procedure,
    procedure_protocol,
    procedure_view,
    remember_view,
)
from slidesk.services.procedure.workspace import reconciliation_in
from slidesk.services.sedation.service import record_gaps
from slidesk.services.sedation.views import sedation_record


@boundary
def complete_procedure(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    procedure_id: int,
    gaps_reason: str | None = None,
) -> ProcedureView:
    """Complete the procedure (its operator only). Every site must be injected or skipped.

    Every syringe of the kit accounted for and a sedation record with vital signs and
    analgesia are expected too; completing without them needs `gaps_reason`, which the
    completion's audit entry keeps with what was missing.
    """
    actor.require(Permission.COMPLETE_PROCEDURE)
    later = free_text(gaps_reason, "Reason")
    with uow.begin(actor=actor, clock=clock, role=Role.OPERATOR) as tx:
        row = load_procedure(tx, procedure_id)
        require_operator(actor.user_id, row.operator_id)
        check_transition(ProcedureStatus(row.status), ProcedureStatus.COMPLETED)
        protocol = procedure_protocol(tx, row)
        entries = list(tx.entries.for_procedure(row.id))
        require_every_site_finished(protocol.order, (e.site_no for e in entries if not e.voided))
        reason = completion_reason(completion_gaps(tx, row), later)
        tx.change(
            row,
            event_type=AuditEvent.PROCEDURE_COMPLETED,
            reason=reason,
            procedure_id=row.id,
            subject_id=row.subject_id,
            status=ProcedureStatus.COMPLETED.value,
            completed_at=tx.now,
        )
        view = procedure_view(tx, row, entries, tx.now)
        tx.commit()
        completed = remember_view(uow, tx, view)
    uow.milestone(clock, CheckpointReason.COMPLETION)
    return completed


@boundary
def get_completion_gaps(*, uow: UnitOfWork, actor: Actor, procedure_id: int) -> tuple[str, ...]:
    """What completing now would need a reason for (see `complete_procedure`)."""
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        return tuple(completion_gaps(tx, load_procedure(tx, procedure_id)))


def completion_gaps(tx: Transaction, row: ProcedureRow) -> list[str]:
    """What a procedure lacks at completion besides its sites, worded for people."""
    gaps = unaccounted_gap(row.kit_number, reconciliation_in(tx, row).unaccounted)
    gaps += [f"sedation record: {gap}" for gap in record_gaps(sedation_record(tx, row, tx.now))]
    return gaps
