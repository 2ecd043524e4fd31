"""Procedure services: plan, start, record or skip sites, correct, undo, complete, read."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace

from slidesk.clock import Clock, require_aware
from slidesk.domain.checkpoints import CheckpointReason
from slidesk.domain.errors import (
    ConflictError,
    NotFoundError,
    ReasonRequired,
    StateError,
    ValidationError,
)
from slidesk.domain.events import AuditEvent
from slidesk.domain.free_text import free_text
from slidesk.domain.kits import (
    KitUse,
    check_kit_for_new_procedure,
    check_kit_for_start,
    syringe_list,
)
from slidesk.domain.procedure.model import (
    EntryKind,
    ProcedureStatus,
    SkipReason,
    check_transition,
    require_status,
)
from slidesk.domain.users import Actor, Permission, Role, parse_roles
from slidesk.domain.values import Depth, Limb, Volume, clean_text, require_reason
from slidesk.i18n import _
from slidesk.persistence.queries.kits import KitQueries
from slidesk.persistence.queries.workspace import WorkspaceRepository
from slidesk.persistence.rows.core import ProcedureRow, SiteEntryRow
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.tx_base import BaseTransaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.protocol.model import Protocol
from slidesk.services.boundary import boundary
from slidesk.services.dto import ProcedurePage, ProcedureSummary, ProcedureView
from slidesk.services.procedure.checklist import require_checklist_complete
from slidesk.services.procedure.dto_workspace import SyringeDisposition
from slidesk.services.procedure.views import (
    entry_view,
    load_procedure,
    procedure_protocol,
    procedure_view,
    with_new_entry,
)

# A typed event time may lie this far ahead of the clock (clock drift), never more.
_FUTURE_TOLERANCE = timedelta(minutes=2)
_E4 = Decimal(10_000)


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
        if release is not None and release > tx.now + _FUTURE_TOLERANCE:
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
        return _remember(uow, tx, view)


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
        return _remember(uow, tx, view)


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
        _require_site(protocol, site_no)
        _refuse_finished_site(tx, view, site_no)
        label = normalise_syringe(protocol, view.kit_number, syringe)
        for e in view.entries:
            if not e.voided and e.syringe_label == label:
                raise ConflictError(
                    f"Syringe {label} was already used at site {e.site_no} "
                    f"({_local_hm(e.performed_at, tx)}). Each syringe is used once."
                )
        returned_or_wasted = _dispositions(uow, tx, view.id, head_seq)
        if label in returned_or_wasted:
            what = SyringeDisposition(returned_or_wasted[label]).label.lower()
            raise ConflictError(
                f"Syringe {label} is recorded as {what}; it cannot be injected. If that record "
                "is wrong, withdraw it in the syringe reconciliation first (with a reason)."
            )
        problems = _range_problems(protocol, depth, volume)
        relocated = actual_position is not None
        if (problems or relocated) and not reason:
            what = "; ".join(problems) if problems else "the site was relocated"
            raise ReasonRequired(f"A deviation reason is required: {what}.")
        ax, ay = _position_e4(actual_position)
        values = {
            "procedure_id": view.id,
            "site_no": site_no,
            "kind": EntryKind.INJECTED.value,
            "performed_at": _event_time(performed_at, tx.now),
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
        return _remember(uow, tx, with_new_entry(view, protocol, entry, saved))


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
    if reason is SkipReason.OTHER and not text:
        raise ReasonRequired("Explain why the site is skipped ('Other' needs a text).")
    with uow.begin(actor=actor, clock=clock, role=Role.OPERATOR) as tx:
        row = load_procedure(tx, procedure_id)
        require_status(ProcedureStatus(row.status), [ProcedureStatus.IN_PROGRESS], "skip a site")
        protocol = procedure_protocol(tx, row)
        _require_site(protocol, site_no)
        entries = list(tx.entries.for_procedure(row.id))
        _refuse_finished_site(tx, procedure_view(tx, row, entries), site_no)
        entry = SiteEntryRow(
            procedure_id=row.id,
            site_no=site_no,
            kind=EntryKind.SKIPPED.value,
            performed_at=_event_time(performed_at, tx.now),
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
        return _remember(uow, tx, view)


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
            for other in tx.entries.for_procedure(row.id):
                if other.id != entry.id and not other.voided and other.syringe_label == label:
                    raise ConflictError(
                        f"Syringe {label} was already used at site {other.site_no}."
                    )
            values["syringe_label"] = label
        if performed_at is not None:
            values["performed_at"] = _event_time(performed_at, tx.now)
        new_reason = (
            free_text(deviation_reason, "Deviation reason")
            if deviation_reason is not None
            else entry.deviation_reason
        )
        problems = _range_problems(protocol, depth, volume)
        if (problems or entry.relocated) and not new_reason:
            raise ReasonRequired(
                f"A deviation reason is required: {'; '.join(problems) or 'relocated'}."
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
        return _remember(uow, tx, view)


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
        values: dict[str, object] = {
            "skip_reason": skip_reason.value if skip_reason is not None else entry.skip_reason,
            "skip_detail": detail if skip_detail is not None else entry.skip_detail,
        }
        if values["skip_reason"] == SkipReason.OTHER.value and not values["skip_detail"]:
            raise ReasonRequired(_("Explain why the site is skipped ('Other' needs a text)."))
        if performed_at is not None:
            values["performed_at"] = _event_time(performed_at, tx.now)
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
        return _remember(uow, tx, view)


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
        return _remember(uow, tx, view)


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
        if actor.user_id != row.operator_id:
            raise StateError("Only the procedure's operator can complete it.")
        check_transition(ProcedureStatus(row.status), ProcedureStatus.COMPLETED)
        protocol = procedure_protocol(tx, row)
        entries = list(tx.entries.for_procedure(row.id))
        finished = {e.site_no for e in entries if not e.voided}
        open_sites = [n for n in protocol.order if n not in finished]
        if open_sites:
            shown = ", ".join(str(n) for n in open_sites[:10])
            more = "…" if len(open_sites) > 10 else ""
            raise StateError(
                f"{len(open_sites)} site(s) are neither injected nor skipped: {shown}{more}. "
                "Record or skip each with a reason before finishing."
            )
        gaps = completion_gaps(tx, row)
        reason = "procedure completed"
        if gaps:
            if not later:
                raise ReasonRequired(
                    "Before completing: " + "; ".join(gaps) + ". Record them, or give the "
                    "reason the procedure is completed without."
                )
            reason = f"procedure completed without: {'; '.join(gaps)} — reason: {later}"
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
        completed = _remember(uow, tx, view)
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
    # Both modules import this one; imported here to keep the import graph acyclic.
    from slidesk.services.procedure.workspace import reconciliation_in
    from slidesk.services.sedation.service import record_gaps
    from slidesk.services.sedation.views import sedation_record

    gaps = []
    unaccounted = reconciliation_in(tx, row).unaccounted
    if unaccounted:
        # Named in full: "syringe 30" read as a count in "Unaccounted: 30".
        gaps.append(
            (
                _("%(n)s syringe of kit %(kit)s not yet accounted for: %(labels)s")
                if len(unaccounted) == 1
                else _("%(n)s syringes of kit %(kit)s not yet accounted for: %(labels)s")
            )
            % {"n": len(unaccounted), "kit": row.kit_number, "labels": syringe_list(unaccounted)}
        )
    gaps += [f"sedation record: {gap}" for gap in record_gaps(sedation_record(tx, row, tx.now))]
    return gaps


@boundary
def get_procedure(*, uow: UnitOfWork, actor: Actor, procedure_id: int) -> ProcedureView:
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        row = load_procedure(tx, procedure_id)
        # "Last saved" is the record's last change of any kind (the nurse's dose too), not
        # only its last site entry.
        changed = tx.audit.last_change_at(row.id)
        saved_at = (
            datetime.fromisoformat(changed.replace("Z", "+00:00")).astimezone(UTC)
            if changed
            else None
        )
        return procedure_view(tx, row, saved_at=saved_at)


@boundary
def list_procedures(
    *,
    uow: UnitOfWork,
    actor: Actor,
    search: str = "",
    statuses: Sequence[ProcedureStatus] = (),
    offset: int = 0,
    limit: int = 200,
) -> ProcedurePage:
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        total, rows = tx.procedures.page(
            search=search[:60], statuses=[s.value for s in statuses], offset=offset, limit=limit
        )
        names = tx.users.names()
        summaries = []
        for proc, study_id, limb, done in rows:
            protocol = procedure_protocol(tx, proc)
            summaries.append(
                ProcedureSummary(
                    id=proc.id,
                    study_id=study_id,
                    index_limb=Limb(limb),
                    status=ProcedureStatus(proc.status),
                    planned_at=proc.planned_at,
                    started_at=proc.started_at,
                    injected_count=done,
                    total_sites=protocol.site_count,
                    operator_name=names.get(proc.operator_id, "?"),
                    kit_number=proc.kit_number,
                )
            )
        return ProcedurePage(total=total, offset=offset, rows=tuple(summaries))


# --- helpers ---------------------------------------------------------------------------------


def normalise_syringe(protocol: Protocol, kit_number: str, typed: str) -> str:
    """A scanned label or a typed syringe number → the full label; refuse another kit's syringe."""
    text = (clean_text(typed, "Syringe", max_len=60, required=True) or "").upper()
    product = protocol.product
    if text.isdigit():
        number = int(text)
        label = product.syringe_format.format(kit=kit_number, n=number)
    else:
        label = text
    match = re.fullmatch(product.syringe_pattern, label)
    if match is None:
        raise ValidationError(
            f"'{typed.strip()}' is not a syringe label of this study "
            f"(for example {product.syringe_example}, or just the syringe number)."
        )
    if match.group("kit") != kit_number:
        raise ConflictError(
            f"WRONG KIT: syringe {label} belongs to kit {match.group('kit')}, not to this "
            f"procedure's kit {kit_number}. Do not inject it."
        )
    number = int(match.group("n"))
    if not 1 <= number <= product.syringes_per_kit:
        raise ValidationError(
            f"Syringe number {number} does not exist: a kit has syringes "
            f"1–{product.syringes_per_kit}."
        )
    return label


def _range_problems(protocol: Protocol, depth: Depth, volume: Volume) -> list[str]:
    spec = protocol.injection
    problems = []
    if not spec.depth_min_mm <= depth.mm <= spec.depth_max_mm:
        problems.append(f"depth {depth} is outside {spec.depth_min_mm}–{spec.depth_max_mm} mm")
    if not spec.volume_min_ml <= volume.ml <= spec.volume_max_ml:
        lo, hi = spec.volume_min_ml, spec.volume_max_ml
        allowed = f"{lo} mL" if lo == hi else f"{lo}–{hi} mL"
        problems.append(f"volume {volume} is not {allowed}")
    return problems


def range_problems(protocol: Protocol, depth: Depth, volume: Volume) -> list[str]:
    """What is out of the protocol's range (for the GUI to ask for a reason before confirming)."""
    return _range_problems(protocol, depth, volume)


def _require_site(protocol: Protocol, site_no: int) -> None:
    if not protocol.has_site(site_no):
        numbers = [s.number for s in protocol.sites]
        raise ValidationError(
            f"There is no site {site_no} in protocol {protocol.key} {protocol.version} "
            f"(sites {min(numbers)}–{max(numbers)})."
        )


def _refuse_finished_site(tx: BaseTransaction, view: ProcedureView, site_no: int) -> None:
    entry = view.site(site_no).entry
    if entry is not None:
        what = "done" if entry.kind is EntryKind.INJECTED else "skipped"
        raise ConflictError(
            f"Site {site_no} is already {what} "
            f"({_local_hm(entry.performed_at, tx)}, by {entry.recorder.full_name})."
        )


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


def _remember(uow: UnitOfWork, tx: BaseTransaction, view: ProcedureView) -> ProcedureView:
    """Keep the view as the procedure's snapshot at the chain head this commit made."""
    if tx.committed_seq is not None:
        uow.remember(("procedure", view.id), tx.committed_seq, view)
    return view


def _event_time(performed_at: datetime | None, now: datetime) -> datetime:
    if performed_at is None:
        return now
    when = require_aware(performed_at, "Time")
    if when > now + _FUTURE_TOLERANCE:
        raise ValidationError("The time given lies in the future.")
    return when


def _position_e4(position: tuple[Decimal, Decimal] | None) -> tuple[int | None, int | None]:
    if position is None:
        return None, None
    x, y = (Decimal(str(v)) for v in position)
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise ValidationError("The actual position must lie on the diagram.")
    return int((x * _E4).to_integral_value()), int((y * _E4).to_integral_value())


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


def _local_hm(value: datetime, tx: BaseTransaction) -> str:
    """A time in a message, on the site's wall clock."""
    return value.astimezone(tx.zone).strftime("%H:%M")
