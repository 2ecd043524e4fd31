"""Subject services: register and look up pseudonymised subjects."""

from __future__ import annotations

from slidesk.clock import Clock
from slidesk.domain.errors import ConflictError, ValidationError
from slidesk.domain.events import AuditEvent
from slidesk.domain.free_text import free_text
from slidesk.domain.subject import validate_study_id
from slidesk.domain.users import Actor, Permission
from slidesk.domain.values import Limb, clean_text
from slidesk.persistence.rows.core import SubjectRow
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.boundary import boundary
from slidesk.services.dto import SubjectView
from slidesk.services.procedure.views import subject_view


@boundary
def register_subject(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    study_id: str,
    index_limb: Limb | str,
    centre: str,
) -> SubjectView:
    actor.require(Permission.MANAGE_SUBJECTS)
    try:
        limb = Limb(index_limb)
    except ValueError:
        raise ValidationError("Index limb must be left or right.") from None
    with uow.begin(actor=actor, clock=clock) as tx:
        protocol = tx.protocols.default
        sid = validate_study_id(
            clean_text(study_id, "Study ID", max_len=40, required=True) or "",
            protocol.subject_id_pattern,
            protocol.subject_id_example,
        )
        if tx.subjects.by_study_id(sid) is not None:
            raise ConflictError(f"Subject {sid} is already registered.")
        row = SubjectRow(
            study_id=sid,
            index_limb=limb.value,
            centre=free_text(centre, "Centre", max_len=100, required=True) or "",
            created_at=tx.now,
            created_by=actor.user_id,
        )
        tx.add(row, event_type=AuditEvent.SUBJECT_REGISTERED)
        tx.commit()
        return subject_view(row)


@boundary
def list_subjects(*, uow: UnitOfWork, actor: Actor) -> tuple[SubjectView, ...]:
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        return tuple(subject_view(r) for r in tx.subjects.all())


@boundary
def find_subject(*, uow: UnitOfWork, actor: Actor, study_id: str) -> SubjectView | None:
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        row = tx.subjects.by_study_id(study_id.strip().upper())
        return subject_view(row) if row else None
