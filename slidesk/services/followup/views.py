"""Build follow-up DTOs inside a transaction, and the dates they hang on (no SQL here)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from slidesk.clock import Clock
from slidesk.domain.errors import NotFoundError
from slidesk.domain.followup.model import BASELINE_MONTH, VisitEntry, VisitStatus
from slidesk.domain.followup.rand36 import score
from slidesk.domain.followup.schedule import DueState, VisitWindow, due_state
from slidesk.domain.followup.vascular import AbiMethod, PressureSite, compute_abi, compute_tbi
from slidesk.domain.followup.visit_rules import blanks, warnings
from slidesk.persistence.queries.followup import FollowUpRepository
from slidesk.persistence.rows.followup import FollowUpVisitRow
from slidesk.persistence.transaction import Transaction
from slidesk.protocol.model import Protocol
from slidesk.services.dto import PersonRef
from slidesk.services.followup.codec import amputation, row_entry
from slidesk.services.followup.dto import (
    EntryPreview,
    SubjectOutcomes,
    TimePointView,
    VisitView,
)
from slidesk.services.followup.verdicts import verdict_view
from slidesk.services.procedure.views import subject_view


def local_date(clock: Clock, at: datetime) -> date:
    """The clinic's calendar day of a UTC instant."""
    return (at + timedelta(minutes=clock.local_offset_minutes(at))).date()


def subject_protocol(tx: Transaction, subject_id: int) -> Protocol:
    """The protocol of the subject's treatment, else the default one."""
    first = tx.repo(FollowUpRepository).first_treatment(subject_id)
    if first is None:
        return tx.protocols.default
    return tx.protocols.get(first.protocol_key, first.protocol_version)


def procedure_anchor(tx: Transaction, clock: Clock, subject_id: int) -> tuple[date | None, str]:
    """The date follow-up counts from, and where it comes from."""
    repo = tx.repo(FollowUpRepository)
    anchor = repo.anchor(subject_id)
    if anchor is not None:
        return date.fromisoformat(anchor.procedure_date), f"entered by hand: {anchor.entry_reason}"
    first = repo.first_treatment(subject_id)
    if first is not None and first.started_at is not None:
        return local_date(clock, first.started_at), f"procedure record (kit {first.kit_number})"
    return None, "no procedure yet"


def window_for(protocol: Protocol, procedure: date | None, month: int) -> VisitWindow | None:
    if procedure is None or month == BASELINE_MONTH:
        return None
    for spec in protocol.follow_up:
        if spec.month == month:
            return VisitWindow.around(
                procedure, month, spec.window_before_days, spec.window_after_days
            )
    return None


def visit_view(
    tx: Transaction,
    row: FollowUpVisitRow,
    protocol: Protocol,
    procedure: date | None,
) -> VisitView:
    repo = tx.repo(FollowUpRepository)
    amputations = repo.amputations(row.subject_id)
    ulcers = repo.ulcers(row.subject_id)
    entry = row_entry(
        row,
        [a for a in amputations if a.visit_id == row.id],
        [u for u in ulcers if u.visit_id == row.id],
    )
    names = tx.users.names()

    def person(user_id: int | None) -> PersonRef | None:
        return PersonRef(user_id, names.get(user_id, "?")) if user_id is not None else None

    window = window_for(protocol, procedure, row.month)
    offset = window.offset_days(entry.visit_date) if window and entry.visit_date else 0
    status = VisitStatus(row.status)
    verdict_row = next((v for v in repo.verdicts(row.subject_id) if v.visit_id == row.id), None)
    baseline = row.month == BASELINE_MONTH
    derived = preview(
        entry, baseline=baseline, fontaine_cutoff_m=protocol.outcomes.fontaine_walk_cutoff_m
    )
    return VisitView(
        id=row.id,
        subject_id=row.subject_id,
        month=row.month,
        status=status,
        entry=entry,
        window=window,
        outside_window_days=offset,
        assessor=person(row.assessor_id),
        created_at=row.created_at,
        created_by=person(row.created_by) or PersonRef(row.created_by, "?"),
        updated_at=row.updated_at,
        updated_by=person(row.updated_by) or PersonRef(row.updated_by, "?"),
        signed_at=row.signed_at,
        signed_by=person(row.signed_by),
        blanks=derived.blanks,
        warnings=derived.warnings,
        abi=derived.abi,
        tbi=derived.tbi,
        rand36_scores=derived.rand36_scores,
        verdict=(
            verdict_view(
                verdict_row,
                primary=row.month == protocol.outcomes.primary_month,
                provisional=status is not VisitStatus.SIGNED,
            )
            if verdict_row is not None
            else None
        ),
        other_amputations=tuple(
            amputation(a) for a in amputations if a.visit_id != row.id and not a.voided
        ),
    )


def preview(entry: VisitEntry, *, baseline: bool, fontaine_cutoff_m: int = 200) -> EntryPreview:
    """Derived values of an entry (saved or still being typed); pure."""
    pressures = {site: entry.pressure(site) for site in PressureSite}
    return EntryPreview(
        abi=compute_abi(
            pressures[PressureSite.ANKLE_DP],
            pressures[PressureSite.ANKLE_PT],
            pressures[PressureSite.BRACHIAL_LEFT],
            pressures[PressureSite.BRACHIAL_RIGHT],
            entry.abi_method,
        ),
        tbi=compute_tbi(
            pressures[PressureSite.TOE],
            pressures[PressureSite.BRACHIAL_LEFT],
            pressures[PressureSite.BRACHIAL_RIGHT],
        ),
        rand36_scores=score(entry.rand36) if entry.rand36 is not None else None,
        blanks=blanks(entry, baseline=baseline),
        warnings=warnings(entry, fontaine_cutoff_m=fontaine_cutoff_m),
    )


def subject_outcomes(tx: Transaction, clock: Clock, subject_id: int) -> SubjectOutcomes:
    subject = tx.subjects.get(subject_id)
    if subject is None:
        raise NotFoundError(f"Subject {subject_id} does not exist.")
    protocol = subject_protocol(tx, subject_id)
    procedure, note = procedure_anchor(tx, clock, subject_id)
    today = local_date(clock, tx.now if tx.writable else clock.now())
    rows = {v.month: v for v in tx.repo(FollowUpRepository).visits(subject_id)}
    deceased = min(
        (
            date.fromisoformat(v.death_date)
            for v in rows.values()
            if v.vital_status == "died" and v.death_date
        ),
        default=None,
    )
    points = []
    for month in (BASELINE_MONTH, *(spec.month for spec in protocol.follow_up)):
        row = rows.get(month)
        view = visit_view(tx, row, protocol, procedure) if row is not None else None
        window = window_for(protocol, procedure, month)
        state: DueState | None = None
        if window is not None:
            state = due_state(
                window,
                today,
                entered=row is not None,
                signed=row is not None and row.status == VisitStatus.SIGNED.value,
            )
        points.append(TimePointView(month, window, state, view))
    return SubjectOutcomes(
        subject=subject_view(subject),
        procedure_date=procedure,
        procedure_date_note=note,
        primary_month=protocol.outcomes.primary_month,
        time_points=tuple(points),
        deceased_on=deceased,
        today=today,
        abi_method=AbiMethod(protocol.outcomes.abi_method),
        eq5d_version=protocol.outcomes.eq5d_version,
        rand36_version=protocol.outcomes.rand36_version,
        fontaine_cutoff_m=protocol.outcomes.fontaine_walk_cutoff_m,
    )
