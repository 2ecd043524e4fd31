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
from typing import Any

from slidesk.clock import Clock
from slidesk.domain.errors import (
    NotFoundError,
    PermissionDenied,
    ReasonRequired,
    StateError,
    ValidationError,
)
from slidesk.domain.followup.model import BASELINE_MONTH, Item, VisitEntry, VisitStatus, VitalStatus
from slidesk.domain.followup.visit_rules import blanks, validate
from slidesk.domain.free_text import free_text
from slidesk.domain.users import Actor, Permission, Role, parse_roles
from slidesk.domain.values import clean_text
from slidesk.integrity.chain import canonical_value
from slidesk.persistence.queries.followup import FollowUpRepository
from slidesk.persistence.rows.followup import FollowUpAnchorRow, FollowUpVisitRow
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.accounts.service import PasswordHasher, authenticate
from slidesk.services.boundary import boundary
from slidesk.services.followup.children import sync_children
from slidesk.services.followup.codec import entry_columns, missing_column, parse_iso
from slidesk.services.followup.dto import (
    EntryPreview,
    SubjectOutcomes,
    VisitView,
    time_point_label,
)
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
_FIRST_ENTRY = "first entry of blank items"
_COLUMN_LABELS = {missing_column(item): f"{item.label} (missing code)" for item in Item} | {
    "visit_date": "Visit date",
    "visit_missing": "Visit did not take place",
    "assessor_id": "Assessor",
    "vital_status": "Vital status",
    "death_date": "Date of death",
    "death_cause": "Cause of death",
    "new_amputation": "Amputation",
    "rutherford": "Rutherford category",
    "fontaine": "Fontaine stage",
    "rest_pain": "Rest pain",
    "vas_mm": "Pain (VAS)",
    "ulcer_count": "Number of ulcers",
    "walk_distance_m": "Walking distance",
    "walk_unable": "Unable to walk",
}


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
        row = _load_visit(tx, visit_id)
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
    entry = _cleaned(entry)
    with uow.begin(actor=actor, clock=clock) as tx:
        if tx.subjects.get(subject_id) is None:
            raise NotFoundError(f"Subject {subject_id} does not exist.")
        protocol = subject_protocol(tx, subject_id)
        if month != BASELINE_MONTH and month not in {s.month for s in protocol.follow_up}:
            raise ValidationError(f"The protocol has no follow-up visit at month {month}.")
        procedure, _ = procedure_anchor(tx, clock, subject_id)
        entry = replace(entry, assessor_id=entry.assessor_id or actor.user_id)
        _require_assessor(tx, entry.assessor_id)
        validate(
            entry,
            baseline=month == BASELINE_MONTH,
            procedure_date=procedure,
            today=local_date(clock, tx.now),
        )
        repo = tx.repo(FollowUpRepository)
        _check_deaths(repo.visits(subject_id), month, entry)
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
            tx.add(row, event_type="followup.visit_created")
            tx.session.flush()
            sync_children(tx, row, entry, reason=None)
        else:
            _update(tx, row, entry, columns, why)
        refresh_verdicts(tx, subject_id, protocol, procedure)
        tx.commit()
        return visit_view(tx, row, protocol, procedure)


def _update(
    tx: Transaction,
    row: FollowUpVisitRow,
    entry: VisitEntry,
    columns: dict[str, Any],
    why: str | None,
) -> None:
    status = VisitStatus(row.status)
    if status is VisitStatus.SIGNED:
        raise StateError(
            f"The {time_point_label(row.month).lower()} visit is signed; open an amendment "
            "(with a reason) to change it."
        )
    changed = [k for k, new in columns.items() if _differs(getattr(row, k), new)]
    overwritten = [k for k in changed if getattr(row, k) is not None]
    child_overwrites = sync_children(tx, row, entry, reason=why, dry_run=True)
    if not changed and child_overwrites is None:
        return  # nothing to save
    needs_reason = overwritten or child_overwrites or status is VisitStatus.AMENDED
    if needs_reason and not why:
        what = ", ".join(
            dict.fromkeys(_COLUMN_LABELS.get(k, k.replace("_", " ")) for k in overwritten)
        )
        what = ", ".join(w for w in (what, child_overwrites or "") if w) or "a signed visit"
        raise ReasonRequired(f"A reason is required to change what was already saved: {what}.")
    tx.change(
        row,
        event_type="followup.visit_updated",
        reason=why or _FIRST_ENTRY,
        updated_at=tx.now,
        updated_by=tx.actor.user_id if tx.actor else row.updated_by,
        **columns,
    )
    sync_children(tx, row, entry, reason=why or _FIRST_ENTRY)


def _differs(old: Any, new: Any) -> bool:
    return bool(canonical_value(old) != canonical_value(new))


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
        _check_signable(tx, clock, _load_visit(tx, visit_id), actor)
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
        row = _load_visit(tx, visit_id)
        _check_signable(tx, clock, row, actor)
        amended = row.status == VisitStatus.AMENDED.value
        tx.change(
            row,
            event_type="followup.visit_signed",
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
    from slidesk.services.followup.codec import row_entry

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
        row = _load_visit(tx, visit_id)
        if row.status != VisitStatus.SIGNED.value:
            raise StateError("Only a signed visit needs an amendment; this one can be edited.")
        tx.change(
            row,
            event_type="followup.visit_amendment_opened",
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
        for visit in repo.visits(subject_id):
            day = parse_iso(visit.visit_date)
            if day is None:
                continue
            if visit.month == BASELINE_MONTH and day > procedure_date:
                raise ValidationError("The baseline visit would come after this procedure date.")
            if visit.month != BASELINE_MONTH and day <= procedure_date:
                raise ValidationError(
                    f"The {time_point_label(visit.month).lower()} visit would come before "
                    "this procedure date."
                )
        anchor = repo.anchor(subject_id)
        if anchor is None:
            anchor = FollowUpAnchorRow(
                subject_id=subject_id,
                procedure_date=procedure_date.isoformat(),
                entry_reason=why,
                entered_at=tx.now,
                entered_by=actor.user_id,
            )
            tx.add(anchor, event_type="followup.procedure_date_entered", reason=why)
        else:
            tx.change(
                anchor,
                event_type="followup.procedure_date_changed",
                reason=why,
                procedure_date=procedure_date.isoformat(),
                entry_reason=why,
                entered_at=tx.now,
                entered_by=actor.user_id,
            )
        refresh_verdicts(tx, subject_id, subject_protocol(tx, subject_id), procedure_date)
        tx.commit()
        return subject_outcomes(tx, clock, subject_id)


def _load_visit(tx: Transaction, visit_id: int) -> FollowUpVisitRow:
    row = tx.repo(FollowUpRepository).visit(visit_id)
    if row is None:
        raise NotFoundError(f"Visit {visit_id} does not exist.")
    return row


def _require_assessor(tx: Transaction, user_id: int | None) -> None:
    user = tx.users.get(user_id) if user_id is not None else None
    if user is None or not user.active:
        raise ValidationError("Choose an active user as the assessor.")
    if not parse_roles(user.roles) & {Role.OPERATOR, Role.NURSE}:
        raise ValidationError(f"{user.full_name} is not an operator or nurse and cannot assess.")


def _check_deaths(visits: Any, month: int, entry: VisitEntry) -> None:
    """A subject dies once: later visits cannot find them alive, nor die again elsewhere."""
    for other in visits:
        if other.month == month:
            continue
        seen = parse_iso(other.visit_date)
        if (
            entry.vital_status is VitalStatus.DIED
            and other.vital_status == VitalStatus.ALIVE.value
            and seen is not None
            and entry.death_date is not None
            and seen > entry.death_date
        ):
            raise ValidationError(
                f"The subject was seen alive on {seen} "
                f"({time_point_label(other.month).lower()} visit), after this date of death."
            )
        if other.vital_status != VitalStatus.DIED.value:
            continue
        died = parse_iso(other.death_date)
        where = time_point_label(other.month).lower()
        if entry.vital_status is VitalStatus.DIED and died != entry.death_date:
            raise ValidationError(
                f"A death on {died} is already recorded at the {where} visit; correct it there."
            )
        if (
            entry.vital_status is VitalStatus.ALIVE
            and died is not None
            and entry.visit_date is not None
            and entry.visit_date > died
        ):
            raise ValidationError(
                f"The subject died on {died} (recorded at the {where} visit) and cannot be "
                "seen alive later."
            )


def _cleaned(entry: VisitEntry) -> VisitEntry:
    """Trim and check the free texts of the entry."""
    return replace(
        entry,
        death_cause=clean_text(entry.death_cause, "Cause of death"),
        walk_unable_detail=free_text(entry.walk_unable_detail, "Why unable to walk"),
        eq5d_version=clean_text(entry.eq5d_version, "EQ-5D-5L version", max_len=100),
        rand36_version=clean_text(entry.rand36_version, "RAND-36 version", max_len=100),
        ulcers=tuple(
            replace(u, detail=clean_text(u.detail, "Ulcer location")) for u in entry.ulcers
        ),
    )
