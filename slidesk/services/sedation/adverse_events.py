"""Adverse events: record during or after the procedure, follow up, read; SAE deadline.

Operator and nurse may both record (RECORD_ADVERSE_EVENT). Grade 5 is always serious; a
serious event gets a sponsor-report deadline (protocol `sae_report_hours`, 24 h) from the time
of first knowledge. A follow-up (outcome, end date, grade …) is an audited change with a
reason. Nothing is accepted once the procedure record is signed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from slidesk.clock import Clock
from slidesk.domain.errors import NotFoundError, ValidationError
from slidesk.domain.events import AuditEvent
from slidesk.domain.free_text import free_text
from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.sedation.adverse_events import (
    ActionTaken,
    Grade,
    Outcome,
    SeriousCriterion,
    decide_seriousness,
    parse_site_numbers,
    sae_report_deadline,
)
from slidesk.domain.users import Actor, Permission
from slidesk.domain.values import clean_text
from slidesk.persistence.rows.core import ProcedureRow
from slidesk.persistence.rows.sedation import AdverseEventRow, SedationRepository
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.protocol.model import Protocol
from slidesk.services.boundary import boundary
from slidesk.services.procedure.views import load_procedure, procedure_protocol
from slidesk.services.sedation.bedside import event_time, open_for_entry
from slidesk.services.sedation.dto import AdverseEventOptions, AdverseEventView
from slidesk.services.sedation.entry_views import adverse_event_view, causality_scale


@boundary
def adverse_event_options(
    *, uow: UnitOfWork, actor: Actor, procedure_id: int
) -> AdverseEventOptions:
    """The term list, causality scale, expectedness and sites the AE form offers."""
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        row = load_procedure(tx, procedure_id)
        protocol = procedure_protocol(tx, row)
        spec = protocol.adverse_events
        subject = tx.subjects.get(row.subject_id)
        return AdverseEventOptions(
            procedure_id=row.id,
            study_id=subject.study_id if subject else "?",
            terms=spec.terms,
            relatedness=spec.relatedness,
            expectedness=spec.expectedness,
            sites=tuple((s.number, s.label) for s in protocol.sites),
            sae_report_hours=spec.sae_report_hours,
            editable=ProcedureStatus(row.status) is not ProcedureStatus.SIGNED,
        )


@boundary
def list_adverse_events(
    *, uow: UnitOfWork, actor: Actor, procedure_id: int
) -> tuple[AdverseEventView, ...]:
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        row = load_procedure(tx, procedure_id)
        protocol = procedure_protocol(tx, row)
        names = tx.users.names()
        return tuple(
            adverse_event_view(a, protocol, names)
            for a in tx.repo(SedationRepository).for_procedure(AdverseEventRow, row.id)
        )


@boundary
def record_adverse_event(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    procedure_id: int,
    term: str,
    onset_at: datetime,
    grade: Grade | int,
    serious: bool = False,
    criteria: Iterable[SeriousCriterion] = (),
    related_product: str,
    related_procedure: str,
    related_sedation: str,
    expectedness: str,
    action_taken: ActionTaken = ActionTaken.NONE,
    outcome: Outcome = Outcome.ONGOING,
    site_nos: Iterable[int] | str = (),
    description: str | None = None,
    first_known_at: datetime | None = None,
    resolved_at: datetime | None = None,
    reporter_id: int | None = None,
) -> AdverseEventView:
    """Record an adverse event. Returns it with its SAE deadline when serious."""
    actor.require(Permission.RECORD_ADVERSE_EVENT)
    what = clean_text(term, "Adverse event term", max_len=200, required=True) or ""
    text = clean_text(description, "Description", max_len=4000)
    level = _grade(grade)
    seriousness = decide_seriousness(level, serious, criteria, Outcome(outcome))
    with uow.begin(actor=actor, clock=clock) as tx:
        row = open_for_entry(tx, procedure_id, "record an adverse event")
        protocol = procedure_protocol(tx, row)
        causality = causality_scale(protocol)
        onset = event_time(onset_at, row, tx.now, "The onset time")
        known = event_time(first_known_at, row, tx.now, "The time of first knowledge")
        if known < onset:
            raise ValidationError("First knowledge cannot be before the onset of the event.")
        resolved = _resolved(resolved_at, Outcome(outcome), onset, row, tx.now)
        sites = parse_site_numbers(site_nos, (s.number for s in protocol.sites))
        hours = protocol.adverse_events.sae_report_hours
        entry = AdverseEventRow(
            procedure_id=row.id,
            subject_id=row.subject_id,
            onset_at=onset,
            first_known_at=known,
            recorded_at=tx.now,
            late=False,  # an AE is often recognised later: onset and knowledge times say so
            term=what,
            description=text,
            site_nos=",".join(str(n) for n in sites),
            grade=int(level),
            serious=seriousness.serious,
            serious_criteria=_criteria_text(seriousness.criteria),
            related_product=causality.check(related_product, "the investigational product"),
            related_procedure=causality.check(related_procedure, "the injection procedure"),
            related_sedation=causality.check(related_sedation, "the sedation"),
            expectedness=_expectedness(protocol, expectedness),
            action_taken=ActionTaken(action_taken).value,
            outcome=Outcome(outcome).value,
            resolved_at=resolved,
            sae_due_at=sae_report_deadline(known, hours) if seriousness.serious else None,
            performer_id=_reporter(tx, reporter_id, actor),
            recorder_id=actor.user_id,
            voided=False,
            void_reason=None,
        )
        tx.add(
            entry, event_type=AuditEvent.AE_RECORDED, procedure_id=row.id, subject_id=row.subject_id
        )
        if seriousness.serious:
            tx.event(
                event_type=AuditEvent.AE_SERIOUS,
                details={"term": what, "report_due_utc": entry.sae_due_at},
                entity="adverse_events",
                procedure_id=row.id,
                subject_id=row.subject_id,
            )
        tx.commit()
        return adverse_event_view(entry, protocol, tx.users.names())


@boundary
def follow_up_adverse_event(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    ae_id: int,
    reason: str,
    outcome: Outcome | None = None,
    resolved_at: datetime | None = None,
    grade: Grade | int | None = None,
    serious: bool | None = None,
    criteria: Iterable[SeriousCriterion] | None = None,
    action_taken: ActionTaken | None = None,
    related_product: str | None = None,
    related_procedure: str | None = None,
    related_sedation: str | None = None,
    expectedness: str | None = None,
    description: str | None = None,
) -> AdverseEventView:
    """Update an AE (outcome, end date, grade …): an audited change with its reason."""
    actor.require(Permission.RECORD_ADVERSE_EVENT)
    why = free_text(reason, "Reason for the change", required=True) or ""
    with uow.begin(actor=actor, clock=clock) as tx:
        entry = tx.repo(SedationRepository).get(AdverseEventRow, ae_id)
        if entry is None or entry.voided:
            raise NotFoundError(f"Adverse event {ae_id} does not exist or was struck out.")
        row = open_for_entry(tx, entry.procedure_id, "follow up an adverse event")
        protocol = procedure_protocol(tx, row)
        causality = causality_scale(protocol)
        new_outcome = Outcome(outcome) if outcome is not None else Outcome(entry.outcome)
        level = _grade(grade) if grade is not None else Grade(entry.grade)
        was_serious = entry.serious
        chosen = (
            criteria
            if criteria is not None
            else (SeriousCriterion(c) for c in entry.serious_criteria.split(",") if c)
        )
        seriousness = decide_seriousness(
            level, entry.serious if serious is None else serious, chosen, new_outcome
        )
        values: dict[str, object] = {
            "outcome": new_outcome.value,
            "grade": int(level),
            "serious": seriousness.serious,
            "serious_criteria": _criteria_text(seriousness.criteria),
            "resolved_at": _resolved(
                resolved_at if resolved_at is not None else entry.resolved_at,
                new_outcome,
                entry.onset_at,
                row,
                tx.now,
            ),
        }
        if seriousness.serious and entry.sae_due_at is None:
            # Became serious now: the 24 h run from when the seriousness became known.
            hours = protocol.adverse_events.sae_report_hours
            values["sae_due_at"] = sae_report_deadline(tx.now, hours)
        if action_taken is not None:
            values["action_taken"] = ActionTaken(action_taken).value
        for field, value, what in (
            ("related_product", related_product, "the investigational product"),
            ("related_procedure", related_procedure, "the injection procedure"),
            ("related_sedation", related_sedation, "the sedation"),
        ):
            if value is not None:
                values[field] = causality.check(value, what)
        if expectedness is not None:
            values["expectedness"] = _expectedness(protocol, expectedness)
        if description is not None:
            values["description"] = clean_text(description, "Description", max_len=4000)
        if not tx.change(
            entry,
            event_type=AuditEvent.AE_FOLLOWED_UP,
            reason=why,
            procedure_id=row.id,
            subject_id=row.subject_id,
            **values,
        ):
            raise ValidationError("Nothing was changed.")
        if seriousness.serious and not was_serious:
            tx.event(
                event_type=AuditEvent.AE_SERIOUS,
                details={"term": entry.term, "report_due_utc": values["sae_due_at"]},
                entity="adverse_events",
                procedure_id=row.id,
                subject_id=row.subject_id,
                reason=why,
            )
        tx.commit()
        return adverse_event_view(entry, protocol, tx.users.names())


@boundary
def void_adverse_event(
    *, uow: UnitOfWork, clock: Clock, actor: Actor, ae_id: int, reason: str
) -> AdverseEventView:
    """Strike out an AE entered in error (duplicate, wrong subject) with a reason."""
    actor.require(Permission.RECORD_ADVERSE_EVENT)
    why = free_text(reason, "Reason", required=True) or ""
    with uow.begin(actor=actor, clock=clock) as tx:
        entry = tx.repo(SedationRepository).get(AdverseEventRow, ae_id)
        if entry is None or entry.voided:
            raise NotFoundError(f"Adverse event {ae_id} does not exist or was struck out.")
        row = open_for_entry(tx, entry.procedure_id, "strike out an adverse event")
        tx.change(
            entry,
            event_type=AuditEvent.AE_VOIDED,
            reason=why,
            procedure_id=row.id,
            subject_id=row.subject_id,
            voided=True,
            void_reason=why,
        )
        tx.commit()
        return adverse_event_view(entry, procedure_protocol(tx, row), tx.users.names())


# --- helpers ---------------------------------------------------------------------------------


def _grade(value: Grade | int) -> Grade:
    try:
        return Grade(int(value))
    except ValueError:
        raise ValidationError(f"CTCAE grade {value} does not exist (1–5).") from None


def _criteria_text(criteria: Iterable[SeriousCriterion]) -> str:
    order = list(SeriousCriterion)
    return ",".join(c.value for c in sorted(set(criteria), key=order.index))


def _expectedness(protocol: Protocol, value: str) -> str:
    options = protocol.adverse_events.expectedness
    if value not in options:
        raise ValidationError(f"Expectedness '{value}' is not one of {', '.join(options)}.")
    return value


def _resolved(
    value: datetime | None, outcome: Outcome, onset: datetime, row: ProcedureRow, now: datetime
) -> datetime | None:
    if value is None:
        return None
    when = event_time(value, row, now, "The end date")
    if when < onset:
        raise ValidationError("The event cannot end before its onset.")
    if not outcome.resolved:
        raise ValidationError(f"An end date goes with a resolved outcome, not '{outcome.label}'.")
    return when


def _reporter(tx: Transaction, reporter_id: int | None, actor: Actor) -> int:
    if reporter_id is None or reporter_id == actor.user_id:
        return actor.user_id
    user = tx.users.get(reporter_id)
    if user is None or not user.active:
        raise ValidationError("The reporter must be an active user.")
    return user.id
