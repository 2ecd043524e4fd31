"""Follow-up services: enter, amend and sign visits; the procedure date; outcomes; due visits.

Rules: operators and nurses enter visits, monitors read. Filling a blank needs no reason;
changing anything already saved does. A signed visit is locked: it changes only after an
amendment is opened (with a reason) and is signed again. Signing re-authenticates the
assessor. Every write recomputes the subject's therapy-success verdicts in the same
transaction (see `followup_verdicts`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from slidesk.clock import Clock
from slidesk.domain.errors import NotFoundError, PermissionDenied, StateError, ValidationError
from slidesk.domain.events import AuditEvent
from slidesk.domain.followup.model import BASELINE_MONTH, VisitEntry, VisitStatus
from slidesk.domain.followup.visit_order import check_deaths, check_procedure_date
from slidesk.domain.followup.visit_rules import blanks, validate
from slidesk.domain.free_text import free_text
from slidesk.domain.users import Actor, Permission
from slidesk.persistence.queries.followup import FollowUpRepository
from slidesk.persistence.rows.followup import FollowUpAnchorRow, FollowUpVisitRow
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.accounts.service import PasswordHasher, authenticate
from slidesk.services.boundary import boundary
from slidesk.services.followup.children import sync_children
from slidesk.services.followup.codec import entry_columns, row_entry
from slidesk.services.followup.dto import EntryPreview, SubjectOutcomes, VisitView
from slidesk.services.followup.due import due_visits
from slidesk.services.followup.verdicts import refresh_verdicts
from slidesk.services.followup.views import (
    local_date,
    preview,
    procedure_anchor,
    subject_outcomes,
    subject_protocol,
    visit_view,
)
from slidesk.services.followup.visit_writes import (
    cleaned,
    load_visit,
    require_assessor,
    seen_visits,
    update_visit,
)

__all__ = [
    "SIGNATURE_MEANING",
    "due_visits",
    "get_subject_outcomes",
    "get_visit",
    "open_amendment",
    "preview_entry",
    "save_visit",
    "set_procedure_date",
    "sign_visit",
]

SIGNATURE_MEANING = "I assessed this subject at this visit; the entries are complete and correct."


def preview_entry(entry: VisitEntry, *, month: int, fontaine_cutoff_m: int = 200) -> EntryPreview:
    """ABI, TBI, RAND-36 scores, blanks and warnings of an unsaved entry (no database)."""
    return preview(entry, baseline=month == BASELINE_MONTH, fontaine_cutoff_m=fontaine_cutoff_m)


@boundary
def get_subject_outcomes(
    *, uow: UnitOfWork, clock: Clock, actor: Actor, subject_id: int
) -> SubjectOutcomes:
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        return subject_outcomes(tx, clock, subject_id)


@boundary
def get_visit(*, uow: UnitOfWork, clock: Clock, actor: Actor, visit_id: int) -> VisitView:
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        row = load_visit(tx, visit_id)
        procedure, _ = procedure_anchor(tx, clock, row.subject_id)
        return visit_view(tx, row, subject_protocol(tx, row.subject_id), procedure)


@boundary
def save_visit(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    subject_id: int,
    month: int,
    entry: VisitEntry,
    reason: str | None = None,
) -> VisitView:
    """Create or update the visit at `month` (0 = baseline) from the form's `entry`."""
    actor.require(Permission.RECORD_FOLLOW_UP)
    why = free_text(reason, "Reason for the change")
    entry = cleaned(entry)
    with uow.begin(actor=actor, clock=clock) as tx:
        if tx.subjects.get(subject_id) is None:
            raise NotFoundError(f"Subject {subject_id} does not exist.")
        protocol = subject_protocol(tx, subject_id)
        if month != BASELINE_MONTH and month not in {s.month for s in protocol.follow_up}:
            raise ValidationError(f"The protocol has no follow-up visit at month {month}.")
        procedure, _ = procedure_anchor(tx, clock, subject_id)
        entry = replace(entry, assessor_id=entry.assessor_id or actor.user_id)
        require_assessor(tx, entry.assessor_id)
        validate(
            entry,
            baseline=month == BASELINE_MONTH,
            procedure_date=procedure,
            today=local_date(clock, tx.now),
        )
        repo = tx.repo(FollowUpRepository)
        check_deaths(seen_visits(repo.visits(subject_id)), month, entry)
        columns = entry_columns(entry)
        row = repo.visit_at(subject_id, month)
        if row is None:
            row = FollowUpVisitRow(
                subject_id=subject_id,
                month=month,
                status=VisitStatus.DRAFT.value,
                protocol_key=protocol.key,
                protocol_version=protocol.version,
                created_at=tx.now,
                created_by=actor.user_id,
                updated_at=tx.now,
                updated_by=actor.user_id,
                signed_at=None,
                signed_by=None,
                **columns,
            )
            tx.add(row, event_type=AuditEvent.FOLLOWUP_VISIT_CREATED)
            tx.session.flush()
            sync_children(tx, row, entry, reason=None)
        else:
            update_visit(tx, row, entry, columns, why)
        refresh_verdicts(tx, subject_id, protocol, procedure)
        tx.commit()
        return visit_view(tx, row, protocol, procedure)


@boundary
def sign_visit(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    visit_id: int,
    password: str,
    hasher: PasswordHasher | None = None,
) -> VisitView:
    """The assessor signs with their password; the visit is then locked."""
    actor.require(Permission.RECORD_FOLLOW_UP)
    with uow.read() as tx:
        _check_signable(tx, clock, load_visit(tx, visit_id), actor)
    signer = authenticate(
        uow=uow,
        clock=clock,
        username=actor.username,
        password=password,
        hasher=hasher,
        purpose="signature",
    )
    if signer.user_id != actor.user_id:
        raise PermissionDenied("The signature must be given by the signed-in assessor.")
    with uow.begin(actor=actor, clock=clock) as tx:
        row = load_visit(tx, visit_id)
        _check_signable(tx, clock, row, actor)
        amended = row.status == VisitStatus.AMENDED.value
        tx.change(
            row,
            event_type=AuditEvent.FOLLOWUP_VISIT_SIGNED,
            reason=f"{'amendment signed' if amended else 'signed'}: {SIGNATURE_MEANING}",
            status=VisitStatus.SIGNED.value,
            signed_at=tx.now,
            signed_by=actor.user_id,
        )
        protocol = subject_protocol(tx, row.subject_id)
        procedure, _ = procedure_anchor(tx, clock, row.subject_id)
        tx.commit()
        return visit_view(tx, row, protocol, procedure)


def _check_signable(tx: Transaction, clock: Clock, row: FollowUpVisitRow, actor: Actor) -> None:
    if row.status == VisitStatus.SIGNED.value:
        raise StateError("This visit is already signed.")
    if row.assessor_id != actor.user_id:
        name = tx.users.names().get(row.assessor_id or 0, "the assessor")
        raise PermissionDenied(f"Only the assessor ({name}) can sign this visit.")
    repo = tx.repo(FollowUpRepository)
    entry = row_entry(
        row,
        [a for a in repo.amputations(row.subject_id) if a.visit_id == row.id],
        [u for u in repo.ulcers(row.subject_id) if u.visit_id == row.id],
    )
    procedure, _ = procedure_anchor(tx, clock, row.subject_id)
    validate(
        entry,
        baseline=row.month == BASELINE_MONTH,
        procedure_date=procedure,
        today=local_date(clock, clock.now()),
    )
    empty = blanks(entry, baseline=row.month == BASELINE_MONTH)
    if empty:
        raise StateError(
            "Cannot sign: give a value or a missing-data reason for " + ", ".join(empty) + "."
        )


@boundary
def open_amendment(
    *, uow: UnitOfWork, clock: Clock, actor: Actor, visit_id: int, reason: str
) -> VisitView:
    actor.require(Permission.RECORD_FOLLOW_UP)
    why = free_text(reason, "Amendment reason", required=True) or ""
    with uow.begin(actor=actor, clock=clock) as tx:
        row = load_visit(tx, visit_id)
        if row.status != VisitStatus.SIGNED.value:
            raise StateError("Only a signed visit needs an amendment; this one can be edited.")
        tx.change(
            row,
            event_type=AuditEvent.FOLLOWUP_VISIT_AMENDMENT_OPENED,
            reason=why,
            status=VisitStatus.AMENDED.value,
        )
        protocol = subject_protocol(tx, row.subject_id)
        procedure, _ = procedure_anchor(tx, clock, row.subject_id)
        tx.commit()
        return visit_view(tx, row, protocol, procedure)


@boundary
def set_procedure_date(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    subject_id: int,
    procedure_date: date,
    reason: str,
) -> SubjectOutcomes:
    """Type the date follow-up counts from, when the procedure is not in SLI Desk's record."""
    actor.require(Permission.RECORD_FOLLOW_UP)
    why = free_text(reason, "Reason for entering the procedure date", required=True) or ""
    with uow.begin(actor=actor, clock=clock) as tx:
        if tx.subjects.get(subject_id) is None:
            raise NotFoundError(f"Subject {subject_id} does not exist.")
        if procedure_date > local_date(clock, tx.now):
            raise ValidationError("The procedure date lies in the future.")
        repo = tx.repo(FollowUpRepository)
        check_procedure_date(procedure_date, seen_visits(repo.visits(subject_id)))
        anchor = repo.anchor(subject_id)
        if anchor is None:
            anchor = FollowUpAnchorRow(
                subject_id=subject_id,
                procedure_date=procedure_date.isoformat(),
                entry_reason=why,
                entered_at=tx.now,
                entered_by=actor.user_id,
            )
            tx.add(anchor, event_type=AuditEvent.FOLLOWUP_PROCEDURE_DATE_ENTERED, reason=why)
        else:
            tx.change(
                anchor,
                event_type=AuditEvent.FOLLOWUP_PROCEDURE_DATE_CHANGED,
                reason=why,
                procedure_date=procedure_date.isoformat(),
                entry_reason=why,
                entered_at=tx.now,
                entered_by=actor.user_id,
            )
        refresh_verdicts(tx, subject_id, subject_protocol(tx, subject_id), procedure_date)
        tx.commit()
        return subject_outcomes(tx, clock, subject_id)
