"""Site entries at the bedside: a site injected or skipped. Load, ask the domain, commit.

The rules (syringe labels and reuse, ranges, "already done", times) are the domain's
(`slidesk.domain.procedure.injection`, `.syringe`); this module reads what they need, writes
the entry with its audit record and returns the procedure's view. Changing a saved entry is
`corrections`. Must not import the other procedure services.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

from slidesk.clock import Clock, require_aware
from slidesk.domain.errors import NotFoundError
from slidesk.domain.events import AuditEvent
from slidesk.domain.free_text import free_text
from slidesk.domain.procedure.injection import (
    not_in_future,
    position_e4,
    range_problems,
    refuse_finished_site,
    require_deviation_reason,
    require_site,
    require_skip_explanation,
)
from slidesk.domain.procedure.model import EntryKind, ProcedureStatus, SkipReason, require_status
from slidesk.domain.procedure.syringe import (
    SyringeUse,
    normalise_syringe,
    refuse_disposed_syringe,
    refuse_used_syringe,
)
from slidesk.domain.users import Actor, Permission, Role
from slidesk.domain.values import Depth, Volume
from slidesk.persistence.queries.workspace import WorkspaceRepository
from slidesk.persistence.rows.core import SiteEntryRow
from slidesk.persistence.tx_base import BaseTransaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.boundary import boundary
from slidesk.services.dto import ProcedureView
from slidesk.services.procedure.views import (
    entry_view,
    load_procedure,
    procedure_protocol,
    procedure_view,
    remember_view,
    with_new_entry,
)


@boundary
def record_injection(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    procedure_id: int,
    site_no: int,
    depth_mm: str | Decimal,
    volume_ml: str | Decimal,
    syringe: str,
    performed_at: datetime | None = None,
    deviation_reason: str | None = None,
    actual_position: tuple[Decimal, Decimal] | None = None,
) -> ProcedureView:
    """Record that a site was injected. Durable (committed with its audit entry) on return."""
    actor.require(Permission.RECORD_INJECTION)
    depth = Depth.from_mm(depth_mm)
    volume = Volume.from_ml(volume_ml)
    reason = free_text(deviation_reason, "Deviation reason")
    with uow.begin_lite(actor=actor, clock=clock, role=Role.OPERATOR) as tx:
        # The bedside hot path: when nothing was written since this process last saw the
        # procedure (the audit chain's head is unchanged), its snapshot is current and nothing
        # needs reading back; otherwise the procedure is read as plain records.
        head_seq, _ = tx.chain_head()
        view = uow.recall(("procedure", procedure_id), head_seq)
        if not isinstance(view, ProcedureView):
            record = tx.procedures.record(procedure_id)
            if record is None:
                raise NotFoundError(f"Procedure {procedure_id} does not exist.")
            view = procedure_view(tx, record)
        require_status(view.status, [ProcedureStatus.IN_PROGRESS], "record an injection")
        protocol = tx.protocols.get(view.protocol_key, view.protocol_version)
        require_site(protocol, site_no)
        _refuse_finished_site(tx, view, site_no)
        label = normalise_syringe(protocol, view.kit_number, syringe)
        refuse_used_syringe(
            label,
            (
                SyringeUse(label, e.site_no, _local_hm(e.performed_at, tx))
                for e in view.entries
                if not e.voided and e.syringe_label == label
            ),
        )
        returned_or_wasted = _dispositions(uow, tx, view.id, head_seq)
        refuse_disposed_syringe(label, returned_or_wasted)
        problems = range_problems(protocol, depth, volume)
        relocated = actual_position is not None
        require_deviation_reason(
            problems, relocated=relocated, reason=reason, relocation="the site was relocated"
        )
        ax, ay = position_e4(actual_position)
        values = {
            "procedure_id": view.id,
            "site_no": site_no,
            "kind": EntryKind.INJECTED.value,
            "performed_at": entry_time(performed_at, tx.now),
            "recorded_at": tx.now,
            "depth_um": depth.um,
            "volume_ul": volume.ul,
            "syringe_label": label,
            "performer_id": view.operator.id,
            "recorder_id": actor.user_id,
            "deviation_reason": reason,
            "skip_reason": None,
            "skip_detail": None,
            "relocated": relocated,
            "actual_x_e4": ax,
            "actual_y_e4": ay,
            "voided": False,
            "void_reason": None,
        }
        new_id = tx.insert(
            SiteEntryRow,
            values,
            event_type=AuditEvent.SITE_INJECTED,
            procedure_id=view.id,
            subject_id=view.subject.id,
        )
        saved = tx.commit()
        names = {view.operator.id: view.operator.full_name, actor.user_id: actor.full_name}
        entry = entry_view(SimpleNamespace(id=new_id, **values), names)
        if tx.committed_seq is not None:  # this entry changed no disposition
            uow.remember(("dispositions", view.id), tx.committed_seq, returned_or_wasted)
        return remember_view(uow, tx, with_new_entry(view, protocol, entry, saved))


@boundary
def skip_site(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    procedure_id: int,
    site_no: int,
    reason: SkipReason,
    detail: str | None = None,
    performed_at: datetime | None = None,
) -> ProcedureView:
    actor.require(Permission.RECORD_INJECTION)
    text = free_text(detail, "Skip explanation")
    require_skip_explanation(reason, text)
    with uow.begin(actor=actor, clock=clock, role=Role.OPERATOR) as tx:
        row = load_procedure(tx, procedure_id)
        require_status(ProcedureStatus(row.status), [ProcedureStatus.IN_PROGRESS], "skip a site")
        protocol = procedure_protocol(tx, row)
        require_site(protocol, site_no)
        entries = list(tx.entries.for_procedure(row.id))
        _refuse_finished_site(tx, procedure_view(tx, row, entries), site_no)
        entry = SiteEntryRow(
            procedure_id=row.id,
            site_no=site_no,
            kind=EntryKind.SKIPPED.value,
            performed_at=entry_time(performed_at, tx.now),
            recorded_at=tx.now,
            depth_um=None,
            volume_ul=None,
            syringe_label=None,
            performer_id=row.operator_id,
            recorder_id=actor.user_id,
            deviation_reason=None,
            skip_reason=reason.value,
            skip_detail=text,
            relocated=False,
            actual_x_e4=None,
            actual_y_e4=None,
            voided=False,
            void_reason=None,
        )
        tx.add(
            entry,
            event_type=AuditEvent.SITE_SKIPPED,
            procedure_id=row.id,
            subject_id=row.subject_id,
        )
        tx.flush()
        entries.append(entry)
        view = procedure_view(tx, row, entries, tx.now)
        tx.commit()
        return remember_view(uow, tx, view)


# --- helpers ---------------------------------------------------------------------------------


def _dispositions(
    uow: UnitOfWork, tx: BaseTransaction, procedure_id: int, seq: int
) -> dict[str, str]:
    """Syringes recorded as returned or wasted; kept like the snapshot, read when stale."""
    found = uow.recall(("dispositions", procedure_id), seq)
    if isinstance(found, dict):
        return found
    fresh = tx.repo(WorkspaceRepository).live_dispositions(procedure_id)
    uow.remember(("dispositions", procedure_id), seq, fresh)
    return fresh


def _refuse_finished_site(tx: BaseTransaction, view: ProcedureView, site_no: int) -> None:
    entry = view.site(site_no).entry
    if entry is not None:
        refuse_finished_site(
            site_no, entry.kind, _local_hm(entry.performed_at, tx), entry.recorder.full_name
        )


def entry_time(performed_at: datetime | None, now: datetime) -> datetime:
    """When an entry happened: now, or the time typed (aware, not in the future)."""
    if performed_at is None:
        return now
    return not_in_future(require_aware(performed_at, "Time"), now)


def _local_hm(value: datetime, tx: BaseTransaction) -> str:
    """A time in a message, on the site's wall clock."""
    return value.astimezone(tx.zone).strftime("%H:%M")
