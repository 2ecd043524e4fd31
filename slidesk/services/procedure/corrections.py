"""Changing saved site entries: an injection's values, a skip's reason, undoing the last entry.

Every change is audited with its reason and old/new values; an entry is voided, never deleted.
The rules are the domain's (`slidesk.domain.procedure.injection`, `.syringe`). Imports
`site_entries` only for the entry time rule; nothing imports this module but the screens.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from slidesk.clock import Clock
from slidesk.domain.errors import NotFoundError, StateError, ValidationError
from slidesk.domain.events import AuditEvent
from slidesk.domain.free_text import free_text
from slidesk.domain.procedure.injection import (
    range_problems,
    require_deviation_reason,
    require_skip_explanation,
)
from slidesk.domain.procedure.model import EntryKind, ProcedureStatus, SkipReason, require_status
from slidesk.domain.procedure.syringe import SyringeUse, normalise_syringe, refuse_used_syringe
from slidesk.domain.users import Actor, Permission, Role
from slidesk.domain.values import Depth, Volume, require_reason
from slidesk.i18n import _
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.boundary import boundary
from slidesk.services.dto import ProcedureView
from slidesk.services.procedure.site_entries import entry_time
from slidesk.services.procedure.views import (
    load_procedure,
    procedure_protocol,
    procedure_view,
    remember_view,
)


@boundary
def correct_entry(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    entry_id: int,
    reason: str,
    depth_mm: str | Decimal | None = None,
    volume_ml: str | Decimal | None = None,
    syringe: str | None = None,
    performed_at: datetime | None = None,
    deviation_reason: str | None = None,
) -> ProcedureView:
    """Change a saved injection entry; the reason and old/new values go to the audit trail."""
    actor.require(Permission.RECORD_INJECTION)
    why = require_reason(free_text(reason, "A correction reason"), "A correction reason")
    with uow.begin(actor=actor, clock=clock, role=Role.OPERATOR) as tx:
        entry = tx.entries.get(entry_id)
        if entry is None or entry.voided:
            raise NotFoundError(f"Entry {entry_id} does not exist or was undone.")
        row = load_procedure(tx, entry.procedure_id)
        require_status(
            ProcedureStatus(row.status),
            # AMENDED: a signed record reopened by an amendment (services.signing).
            [ProcedureStatus.IN_PROGRESS, ProcedureStatus.COMPLETED, ProcedureStatus.AMENDED],
            "correct an entry",
        )
        if entry.kind != EntryKind.INJECTED.value:
            raise StateError(
                "A skipped site has no injection values to correct; undo the skip instead."
            )
        protocol = procedure_protocol(tx, row)
        values: dict[str, object] = {}
        depth = Depth.from_mm(depth_mm) if depth_mm is not None else Depth(entry.depth_um or 0)
        volume = (
            Volume.from_ml(volume_ml) if volume_ml is not None else Volume(entry.volume_ul or 0)
        )
        values["depth_um"] = depth.um
        values["volume_ul"] = volume.ul
        if syringe is not None:
            label = normalise_syringe(protocol, row.kit_number, syringe)
            refuse_used_syringe(
                label,
                (
                    SyringeUse(other.syringe_label, other.site_no)
                    for other in tx.entries.for_procedure(row.id)
                    if other.id != entry.id and not other.voided and other.syringe_label
                ),
            )
            values["syringe_label"] = label
        if performed_at is not None:
            values["performed_at"] = entry_time(performed_at, tx.now)
        new_reason = (
            free_text(deviation_reason, "Deviation reason")
            if deviation_reason is not None
            else entry.deviation_reason
        )
        problems = range_problems(protocol, depth, volume)
        require_deviation_reason(
            problems, relocated=entry.relocated, reason=new_reason, relocation="relocated"
        )
        values["deviation_reason"] = new_reason
        changed = tx.change(
            entry,
            event_type=AuditEvent.SITE_CORRECTED,
            reason=why,
            procedure_id=row.id,
            subject_id=row.subject_id,
            **values,
        )
        if not changed:
            raise ValidationError("Nothing was changed.")
        tx.flush()
        view = procedure_view(tx, row, None, tx.now)
        tx.commit()
        return remember_view(uow, tx, view)


@boundary
def correct_skip(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    entry_id: int,
    reason: str,
    skip_reason: SkipReason | None = None,
    skip_detail: str | None = None,
    performed_at: datetime | None = None,
) -> ProcedureView:
    """Change why (or when) a site was skipped; the reason and old/new values are audited.

    A skip does not become an injection this way: while the procedure is in progress the skip
    is undone and the site recorded; once completed (or amended) it stays a skip.
    """
    actor.require(Permission.RECORD_INJECTION)
    why = require_reason(free_text(reason, "A correction reason"), "A correction reason")
    detail = free_text(skip_detail, "Skip explanation") if skip_detail is not None else None
    with uow.begin(actor=actor, clock=clock, role=Role.OPERATOR) as tx:
        entry = tx.entries.get(entry_id)
        if entry is None or entry.voided:
            raise NotFoundError(f"Entry {entry_id} does not exist or was undone.")
        row = load_procedure(tx, entry.procedure_id)
        require_status(
            ProcedureStatus(row.status),
            [ProcedureStatus.IN_PROGRESS, ProcedureStatus.COMPLETED, ProcedureStatus.AMENDED],
            "correct an entry",
        )
        if entry.kind != EntryKind.SKIPPED.value:
            raise StateError(
                _("Site {n} was injected, not skipped: correct its values instead.").format(
                    n=entry.site_no
                )
            )
        skip_reason_value = skip_reason.value if skip_reason is not None else entry.skip_reason
        skip_detail_value = detail if skip_detail is not None else entry.skip_detail
        values: dict[str, object] = {
            "skip_reason": skip_reason_value,
            "skip_detail": skip_detail_value,
        }
        require_skip_explanation(skip_reason_value, skip_detail_value)
        if performed_at is not None:
            values["performed_at"] = entry_time(performed_at, tx.now)
        changed = tx.change(
            entry,
            event_type=AuditEvent.SITE_SKIP_CORRECTED,
            reason=why,
            procedure_id=row.id,
            subject_id=row.subject_id,
            **values,
        )
        if not changed:
            raise ValidationError(_("Nothing was changed."))
        tx.flush()
        view = procedure_view(tx, row, None, tx.now)
        tx.commit()
        return remember_view(uow, tx, view)


@boundary
def undo_last(
    *, uow: UnitOfWork, clock: Clock, actor: Actor, procedure_id: int, reason: str
) -> ProcedureView:
    """Void the most recent live entry with a reason (an audited correction, never a delete)."""
    actor.require(Permission.RECORD_INJECTION)
    why = require_reason(free_text(reason, "An undo reason"), "An undo reason")
    with uow.begin(actor=actor, clock=clock, role=Role.OPERATOR) as tx:
        row = load_procedure(tx, procedure_id)
        require_status(ProcedureStatus(row.status), [ProcedureStatus.IN_PROGRESS], "undo an entry")
        entries = list(tx.entries.for_procedure(row.id))
        live = [e for e in entries if not e.voided]
        if not live:
            raise StateError("There is nothing to undo.")
        last = live[-1]
        tx.change(
            last,
            event_type=AuditEvent.SITE_UNDONE,
            reason=why,
            procedure_id=row.id,
            subject_id=row.subject_id,
            voided=True,
            void_reason=why,
        )
        view = procedure_view(tx, row, entries, tx.now)
        tx.commit()
        return remember_view(uow, tx, view)
