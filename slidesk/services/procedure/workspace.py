"""Bedside extras around the site entries: quick flags per site and syringe reconciliation.

Flags are local findings (pain reaction, bleeding …) from the protocol's `site_flags`.
Reconciliation accounts for every syringe of the kit: issued = injected + partial (injected
with less than the protocol volume) + returned unused + wasted; the rest is unaccounted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slidesk.clock import Clock, require_aware
from slidesk.domain.errors import NotFoundError, ValidationError
from slidesk.domain.events import AuditEvent
from slidesk.domain.free_text import free_text
from slidesk.domain.procedure.amendments import late_entry_time
from slidesk.domain.procedure.model import EntryKind, ProcedureStatus, require_status
from slidesk.domain.procedure.syringe import (
    SyringeDisposition,
    account_for_syringes,
    issued_syringes,
    normalise_syringe,
    refuse_undisposable_syringe,
)
from slidesk.domain.users import Actor, Permission, Role
from slidesk.domain.values import clean_text
from slidesk.i18n import _
from slidesk.persistence.queries.workspace import WorkspaceRepository
from slidesk.persistence.rows.core import ProcedureRow
from slidesk.persistence.rows.workspace import SiteFlagRow, SyringeDispositionRow
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.boundary import boundary
from slidesk.services.dto import PersonRef
from slidesk.services.procedure.dto_workspace import (
    DispositionView,
    ReconciliationView,
    SiteFlagView,
)
from slidesk.services.procedure.views import amendment_opened_at, load_procedure, procedure_protocol

_FLAG_STATUSES = (ProcedureStatus.IN_PROGRESS, ProcedureStatus.AMENDED)
_RECONCILE_STATUSES = (
    ProcedureStatus.PLANNED,
    ProcedureStatus.IN_PROGRESS,
    ProcedureStatus.COMPLETED,
    ProcedureStatus.AMENDED,
)


# --- quick flags -----------------------------------------------------------------------------


@boundary
def flag_site(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    procedure_id: int,
    site_no: int,
    flag: str,
    note: str | None = None,
    observed_at: datetime | None = None,
) -> SiteFlagView:
    """Record a local finding at a site in one tap; audited like any entry."""
    actor.require(Permission.RECORD_ADVERSE_EVENT)
    text = clean_text(note, "Note")
    with uow.begin(actor=actor, clock=clock) as tx:
        row = load_procedure(tx, procedure_id)
        require_status(ProcedureStatus(row.status), _FLAG_STATUSES, "flag a site")
        protocol = procedure_protocol(tx, row)
        if not protocol.has_site(site_no):
            raise ValidationError(f"There is no site {site_no} in this protocol.")
        if flag not in protocol.site_flags:
            raise ValidationError(
                f"'{flag}' is not a site flag of this protocol ({', '.join(protocol.site_flags)})."
            )
        if flag == "other" and not text:
            raise ValidationError("Describe the finding: the flag 'other' needs a note.")
        if site_no not in _injected_at(tx, row).values():
            raise ValidationError(
                f"Site {site_no} is not injected: a finding belongs to a site that was."
            )
        when = require_aware(observed_at, "Time") if observed_at else None
        opened = amendment_opened_at(tx, row)
        if opened is not None:  # a finding forgotten at the bedside: a late entry
            when = late_entry_time(when, opened_at=opened, what=_("The time it was seen"))
        when = when or tx.now
        if when > tx.now:
            raise ValidationError("The time given lies in the future.")
        flag_row = SiteFlagRow(
            procedure_id=row.id,
            site_no=site_no,
            flag=flag,
            note=text,
            observed_at=when,
            recorded_at=tx.now,
            recorder_id=actor.user_id,
            voided=False,
            void_reason=None,
        )
        tx.add(flag_row, event_type=AuditEvent.SITE_FLAGGED, subject_id=row.subject_id)
        tx.commit()
        return _flag_view(flag_row, tx.users.names())


@boundary
def void_flag(
    *, uow: UnitOfWork, clock: Clock, actor: Actor, flag_id: int, reason: str
) -> SiteFlagView:
    """Withdraw a flag tapped by mistake (voided with the reason)."""
    actor.require(Permission.RECORD_ADVERSE_EVENT)
    why = free_text(reason, "Reason", required=True) or ""
    with uow.begin(actor=actor, clock=clock) as tx:
        flag_row = tx.repo(WorkspaceRepository).flag(flag_id)
        if flag_row is None or flag_row.voided:
            raise NotFoundError("This flag does not exist or was already withdrawn.")
        row = load_procedure(tx, flag_row.procedure_id)
        require_status(ProcedureStatus(row.status), _FLAG_STATUSES, "withdraw a flag")
        tx.change(
            flag_row,
            event_type=AuditEvent.SITE_FLAG_WITHDRAWN,
            reason=why,
            subject_id=row.subject_id,
            voided=True,
            void_reason=why,
        )
        tx.commit()
        return _flag_view(flag_row, tx.users.names())


@boundary
def list_flags(*, uow: UnitOfWork, actor: Actor, procedure_id: int) -> tuple[SiteFlagView, ...]:
    """Live flags of a procedure, oldest first."""
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        names = tx.users.names()
        return tuple(
            _flag_view(f, names)
            for f in tx.repo(WorkspaceRepository).flags(procedure_id)
            if not f.voided
        )


# --- syringe reconciliation ------------------------------------------------------------------


@boundary
def record_disposition(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    procedure_id: int,
    syringes: Sequence[str],
    disposition: SyringeDisposition,
    note: str | None = None,
) -> ReconciliationView:
    """Mark syringes (labels or numbers) as returned unused or wasted, all or none."""
    actor.require(Permission.RECORD_INJECTION)
    text = clean_text(note, "Note")
    if disposition is SyringeDisposition.WASTED and not text:
        raise ValidationError("Say how the syringe was wasted (dropped, broken seal …).")
    if not syringes:
        raise ValidationError("Choose at least one syringe.")
    with uow.begin(actor=actor, clock=clock, role=Role.OPERATOR) as tx:
        row = load_procedure(tx, procedure_id)
        require_status(ProcedureStatus(row.status), _RECONCILE_STATUSES, "reconcile syringes")
        protocol = procedure_protocol(tx, row)
        used = _injected_at(tx, row)
        disposed = {
            d.syringe_label: d.disposition
            for d in tx.repo(WorkspaceRepository).dispositions(row.id)
            if not d.voided
        }
        labels: list[str] = []
        for typed in syringes:
            label = normalise_syringe(protocol, row.kit_number, typed)
            refuse_undisposable_syringe(label, chosen=labels, injected_at=used, disposed=disposed)
            labels.append(label)
        for label in labels:
            tx.add(
                SyringeDispositionRow(
                    procedure_id=row.id,
                    syringe_label=label,
                    disposition=disposition.value,
                    note=text,
                    recorded_at=tx.now,
                    recorder_id=actor.user_id,
                    voided=False,
                    void_reason=None,
                ),
                event_type=AuditEvent(f"syringe.{disposition.value}"),
                subject_id=row.subject_id,
            )
        tx.commit()
        return _reconciliation(tx, row)


@boundary
def void_disposition(
    *, uow: UnitOfWork, clock: Clock, actor: Actor, disposition_id: int, reason: str
) -> ReconciliationView:
    actor.require(Permission.RECORD_INJECTION)
    why = free_text(reason, "Reason", required=True) or ""
    with uow.begin(actor=actor, clock=clock, role=Role.OPERATOR) as tx:
        found = tx.repo(WorkspaceRepository).disposition(disposition_id)
        if found is None or found.voided:
            raise NotFoundError("This syringe record does not exist or was already withdrawn.")
        row = load_procedure(tx, found.procedure_id)
        require_status(ProcedureStatus(row.status), _RECONCILE_STATUSES, "change reconciliation")
        tx.change(
            found,
            event_type=AuditEvent.SYRINGE_DISPOSITION_WITHDRAWN,
            reason=why,
            subject_id=row.subject_id,
            voided=True,
            void_reason=why,
        )
        tx.commit()
        return _reconciliation(tx, row)


@boundary
def get_reconciliation(*, uow: UnitOfWork, actor: Actor, procedure_id: int) -> ReconciliationView:
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        return _reconciliation(tx, load_procedure(tx, procedure_id))


# --- helpers ---------------------------------------------------------------------------------


def _injected_at(tx: Transaction, row: ProcedureRow) -> dict[str, int]:
    return {
        e.syringe_label: e.site_no
        for e in tx.entries.for_procedure(row.id)
        if not e.voided and e.kind == EntryKind.INJECTED.value and e.syringe_label
    }


def reconciliation_in(tx: Transaction, row: ProcedureRow) -> ReconciliationView:
    """The procedure's syringe reconciliation, read in an open transaction."""
    return _reconciliation(tx, row)


def _reconciliation(tx: Transaction, row: ProcedureRow) -> ReconciliationView:
    protocol = procedure_protocol(tx, row)
    issued = issued_syringes(protocol.product, row.kit_number)
    names = tx.users.names()
    live = [d for d in tx.repo(WorkspaceRepository).dispositions(row.id) if not d.voided]
    account = account_for_syringes(
        issued,
        (
            (e.syringe_label, e.site_no, e.volume_ul)
            for e in tx.entries.for_procedure(row.id)
            if not e.voided and e.kind == EntryKind.INJECTED.value and e.syringe_label
        ),
        int(protocol.injection.volume_ml * 1000),
        ((d.syringe_label, d.disposition) for d in live),
    )
    return ReconciliationView(
        procedure_id=row.id,
        kit_number=row.kit_number,
        issued=issued,
        injected=account.injected,
        partial=account.partial,
        returned=account.returned,
        wasted=account.wasted,
        unaccounted=account.unaccounted,
        dispositions=tuple(
            DispositionView(
                id=d.id,
                syringe_label=d.syringe_label,
                disposition=SyringeDisposition(d.disposition),
                note=d.note,
                recorded_at=d.recorded_at,
                recorder=PersonRef(d.recorder_id, names.get(d.recorder_id, "?")),
            )
            for d in live
        ),
        editable=ProcedureStatus(row.status) in _RECONCILE_STATUSES,
    )


def _flag_view(row: SiteFlagRow, names: dict[int, str]) -> SiteFlagView:
    return SiteFlagView(
        id=row.id,
        procedure_id=row.procedure_id,
        site_no=row.site_no,
        flag=row.flag,
        note=row.note,
        observed_at=row.observed_at,
        recorded_at=row.recorded_at,
        recorder=PersonRef(row.recorder_id, names.get(row.recorder_id, "?")),
    )
