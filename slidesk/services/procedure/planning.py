"""Planning and starting a procedure: the kit, the team, the time-out before the first needle.

Must not import the other procedure services (entries, completion): they build on this one's
rules, never the other way round.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from slidesk.clock import Clock, require_aware
from slidesk.domain.errors import NotFoundError, ValidationError
from slidesk.domain.events import AuditEvent
from slidesk.domain.free_text import free_text
from slidesk.domain.kits import KitUse, check_kit_for_new_procedure, check_kit_for_start
from slidesk.domain.procedure.injection import FUTURE_TOLERANCE
from slidesk.domain.procedure.model import ProcedureStatus, check_transition
from slidesk.domain.users import Actor, Permission, Role, parse_roles
from slidesk.persistence.queries.kits import KitQueries
from slidesk.persistence.rows.core import ProcedureRow
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.boundary import boundary
from slidesk.services.dto import ProcedureView
from slidesk.services.procedure.checklist import require_checklist_complete
from slidesk.services.procedure.views import load_procedure, procedure_view, remember_view


@boundary
def plan_procedure(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    subject_id: int,
    kit_number: str,
    operator_id: int,
    nurse_id: int,
    location: str,
    product_release_at: datetime | None = None,
    protocol_key: str | None = None,
    protocol_version: str | None = None,
) -> ProcedureView:
    actor.require(Permission.PLAN_PROCEDURE)
    with uow.begin(actor=actor, clock=clock) as tx:
        _lock_writers(tx)  # the kit rule reads other procedures: no one may plan meanwhile
        protocol = (
            tx.protocols.get(protocol_key, protocol_version)
            if protocol_key and protocol_version
            else tx.protocols.default
        )
        subject = tx.subjects.get(subject_id)
        if subject is None:
            raise NotFoundError(f"Subject {subject_id} does not exist.")
        kit = (free_text(kit_number, "Kit number", max_len=60, required=True) or "").upper()
        if re.fullmatch(protocol.product.kit_pattern, kit) is None:
            raise ValidationError(
                f"Kit number '{kit}' does not match the kit label format "
                f"(for example {protocol.product.kit_example})."
            )
        _require_user_with_role(tx, operator_id, Role.OPERATOR, "operator")
        _require_user_with_role(tx, nurse_id, Role.NURSE, "sedation nurse")
        place = free_text(location, "Location", max_len=100, required=True) or ""
        release = require_aware(product_release_at, "Release time") if product_release_at else None
        if release is not None and release > tx.now + FUTURE_TOLERANCE:
            raise ValidationError("The product release time lies in the future.")
        check_kit_for_new_procedure(kit, subject.study_id, _kit_uses(tx, clock, kit))
        row = ProcedureRow(
            subject_id=subject.id,
            protocol_key=protocol.key,
            protocol_version=protocol.version,
            kit_number=kit,
            operator_id=operator_id,
            nurse_id=nurse_id,
            location=place,
            status=ProcedureStatus.PLANNED.value,
            product_release_at=release,
            planned_at=tx.now,
            created_by=actor.user_id,
        )
        tx.add(row, event_type=AuditEvent.PROCEDURE_PLANNED)
        tx.flush()
        view = procedure_view(tx, row, (), tx.now)
        tx.commit()
        return remember_view(uow, tx, view)


@boundary
def start_procedure(
    *, uow: UnitOfWork, clock: Clock, actor: Actor, procedure_id: int
) -> ProcedureView:
    actor.require(Permission.RECORD_INJECTION)
    with uow.begin(actor=actor, clock=clock, role=Role.OPERATOR) as tx:
        _lock_writers(tx)
        row = load_procedure(tx, procedure_id)
        target = ProcedureStatus.IN_PROGRESS
        check_transition(ProcedureStatus(row.status), target)
        subject = tx.subjects.get(row.subject_id)
        assert subject is not None  # a foreign key guarantees it
        uses = _kit_uses(tx, clock, row.kit_number)
        check_kit_for_start(row.id, row.kit_number, subject.study_id, uses)
        require_checklist_complete(tx, row)  # time-out before the first needle (PRC-05)
        tx.change(
            row,
            event_type=AuditEvent.PROCEDURE_STARTED,
            reason="procedure started",
            procedure_id=row.id,
            subject_id=row.subject_id,
            status=target.value,
            started_at=tx.now,
        )
        view = procedure_view(tx, row, None, tx.now)
        tx.commit()
        return remember_view(uow, tx, view)


# --- helpers ---------------------------------------------------------------------------------


def _lock_writers(tx: Transaction) -> None:
    """Take the database's write lock before reading what a rule depends on.

    The kit rule spans rows no unique index can express (kit → subject, procedure →
    injections), so two planners must not read and then both insert. SQLite write
    transactions hold the lock from BEGIN IMMEDIATE; on PostgreSQL reading the audit chain's
    head takes the advisory lock every writer takes before it appends (and that
    `record_injection` takes first), so planning, starting and injecting run one at a time
    and each reads what the previous one committed.
    """
    tx.chain_head()


def _kit_uses(tx: Transaction, clock: Clock, kit: str) -> list[KitUse]:
    """Every procedure that recorded the kit, as the kit rule reads it (dates in local time)."""
    return [
        KitUse(
            procedure_id=pid,
            study_id=study_id,
            status=ProcedureStatus(status),
            planned_at=planned_at.astimezone(
                timezone(timedelta(minutes=clock.local_offset_minutes(planned_at)))
            ),
            injected=injected,
        )
        for pid, study_id, status, planned_at, injected in tx.repo(KitQueries).uses(kit)
    ]


def _require_user_with_role(tx: Transaction, user_id: int, role: Role, what: str) -> None:
    user = tx.users.get(user_id)
    if user is None or not user.active:
        raise ValidationError(f"The {what} must be an active user.")
    if role not in parse_roles(user.roles):
        raise ValidationError(
            f"{user.full_name} does not hold the {role.value} role needed as {what}."
        )
