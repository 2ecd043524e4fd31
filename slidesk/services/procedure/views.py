"""Build DTOs from rows inside a transaction (no SQL here: rows come from repositories)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from slidesk.domain.errors import NotFoundError
from slidesk.domain.procedure.injection import is_deviation, position_from_e4, site_state
from slidesk.domain.procedure.model import (
    EntryKind,
    ProcedureStatus,
    SiteState,
    SkipReason,
    next_site,
)
from slidesk.domain.users import parse_roles
from slidesk.domain.values import Depth, Limb, Volume
from slidesk.persistence.rows.core import ProcedureRow, SiteEntryRow, SubjectRow, UserRow
from slidesk.persistence.rows.signing import SigningRepository
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.tx_base import BaseTransaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.protocol.model import Protocol, Site
from slidesk.services.dto import (
    EntryView,
    PersonRef,
    ProcedureView,
    SiteView,
    SubjectView,
    UserView,
)


def user_view(row: UserRow) -> UserView:
    return UserView(
        id=row.id,
        username=row.username,
        full_name=row.full_name,
        roles=parse_roles(row.roles),
        active=row.active,
        must_change_password=row.must_change_password,
        locked_until=row.locked_until,
        last_login_at=row.last_login_at,
    )


def subject_view(row: SubjectRow | Any) -> SubjectView:
    return SubjectView(
        id=row.id, study_id=row.study_id, index_limb=Limb(row.index_limb), centre=row.centre
    )


def entry_view(row: SiteEntryRow | Any, names: dict[int, str]) -> EntryView:
    return EntryView(
        id=row.id,
        site_no=row.site_no,
        kind=EntryKind(row.kind),
        performed_at=row.performed_at,
        recorded_at=row.recorded_at,
        depth=Depth(row.depth_um) if row.depth_um is not None else None,
        volume=Volume(row.volume_ul) if row.volume_ul is not None else None,
        syringe_label=row.syringe_label,
        performer=PersonRef(row.performer_id, names.get(row.performer_id, "?")),
        recorder=PersonRef(row.recorder_id, names.get(row.recorder_id, "?")),
        deviation_reason=row.deviation_reason,
        skip_reason=SkipReason(row.skip_reason) if row.skip_reason else None,
        skip_detail=row.skip_detail,
        relocated=row.relocated,
        actual_x=position_from_e4(row.actual_x_e4),
        actual_y=position_from_e4(row.actual_y_e4),
        voided=row.voided,
        void_reason=row.void_reason,
    )


def load_procedure(tx: Transaction, procedure_id: int) -> ProcedureRow:
    row = tx.procedures.get(procedure_id)
    if row is None:
        raise NotFoundError(f"Procedure {procedure_id} does not exist.")
    return row


def remember_view(uow: UnitOfWork, tx: BaseTransaction, view: ProcedureView) -> ProcedureView:
    """Keep the view as the procedure's snapshot at the chain head this commit made."""
    if tx.committed_seq is not None:
        uow.remember(("procedure", view.id), tx.committed_seq, view)
    return view


def amendment_opened_at(tx: Transaction, row: ProcedureRow) -> datetime | None:
    """When the open amendment of `row` was opened; None unless the record is being amended."""
    if row.status != ProcedureStatus.AMENDED.value:
        return None
    return max((a.opened_at for a in tx.repo(SigningRepository).amendments(row.id)), default=None)


def procedure_protocol(tx: BaseTransaction, row: ProcedureRow | Any) -> Protocol:
    return tx.protocols.get(row.protocol_key, row.protocol_version)


def procedure_view(
    tx: BaseTransaction,
    row: ProcedureRow | Any,
    entries: Sequence[SiteEntryRow | Any] | None = None,
    saved_at: datetime | None = None,
    *,
    names: dict[int, str] | None = None,
) -> ProcedureView:
    protocol = procedure_protocol(tx, row)
    subject = tx.subjects.record(row.subject_id)
    if subject is None:
        raise NotFoundError(f"Subject {row.subject_id} does not exist.")
    if entries is None:
        entries = tx.entries.records_for_procedure(row.id)
    names = names if names is not None else tx.users.names()
    views = tuple(entry_view(e, names) for e in entries)
    live = {e.site_no: e for e in views if not e.voided}
    nxt = next_site(protocol.order, live)
    in_progress = row.status == ProcedureStatus.IN_PROGRESS.value
    sites = []
    for index, site in enumerate(_sites_in_order(protocol)):
        entry = live.get(site.number)
        sites.append(
            SiteView(
                number=site.number,
                label=site.label,
                muscle=site.muscle,
                view=site.view,
                x=site.x,
                y=site.y,
                order_index=index,
                state=_site_state(entry, site.number == nxt and in_progress),
                entry=entry,
            )
        )
    injected = [e for e in live.values() if e.kind is EntryKind.INJECTED]
    volume_ul = sum(e.volume.ul for e in injected if e.volume is not None)
    last_saved = saved_at or max(
        (e.recorded_at for e in views), default=row.started_at or row.planned_at
    )
    return ProcedureView(
        id=row.id,
        subject=subject_view(subject),
        protocol_key=row.protocol_key,
        protocol_version=row.protocol_version,
        kit_number=row.kit_number,
        location=row.location,
        status=ProcedureStatus(row.status),
        operator=PersonRef(row.operator_id, names.get(row.operator_id, "?")),
        nurse=PersonRef(row.nurse_id, names.get(row.nurse_id, "?")),
        product_release_at=row.product_release_at,
        planned_at=row.planned_at,
        started_at=row.started_at,
        completed_at=row.completed_at,
        sites=tuple(sites),
        entries=views,
        next_site_no=nxt,
        injected_count=len(injected),
        skipped_count=sum(1 for e in live.values() if e.kind is EntryKind.SKIPPED),
        deviation_count=sum(1 for e in live.values() if _is_deviation(e)),
        injected_volume=Volume(volume_ul),
        last_saved_at=last_saved,
    )


_ORDERED: dict[int, tuple[Protocol, tuple[Site, ...]]] = {}


def _sites_in_order(protocol: Protocol) -> tuple[Site, ...]:
    """The protocol's sites in proposal order (cached: called on every recorded site)."""
    cached = _ORDERED.get(id(protocol))
    if cached is None or cached[0] is not protocol:
        by_number = {s.number: s for s in protocol.sites}
        cached = _ORDERED[id(protocol)] = (protocol, tuple(by_number[n] for n in protocol.order))
    return cached[1]


def _is_deviation(entry: EntryView) -> bool:
    return is_deviation(entry.kind, entry.deviation_reason, entry.relocated)


def _site_state(entry: EntryView | None, is_next: bool) -> SiteState:
    if entry is None:
        return site_state(None, deviation=False, is_next=is_next)
    return site_state(entry.kind, deviation=_is_deviation(entry), is_next=is_next)


def with_new_entry(
    view: ProcedureView, protocol: Protocol, entry: EntryView, saved_at: datetime
) -> ProcedureView:
    """The view after one more live entry, without reading anything back (the hot path)."""
    sites = list(view.sites)
    finished = {s.number for s in sites if s.entry is not None} | {entry.site_no}
    nxt = next_site(protocol.order, finished)
    in_progress = view.status is ProcedureStatus.IN_PROGRESS
    for i, site in enumerate(sites):
        if site.number == entry.site_no:
            sites[i] = replace(site, entry=entry, state=_site_state(entry, False))
        elif site.entry is None:
            state = SiteState.NEXT if (site.number == nxt and in_progress) else SiteState.PENDING
            if state is not site.state:
                sites[i] = replace(site, state=state)
    injected = entry.kind is EntryKind.INJECTED
    volume_ul = entry.volume.ul if injected and entry.volume is not None else 0
    return replace(
        view,
        sites=tuple(sites),
        entries=(*view.entries, entry),
        next_site_no=nxt,
        injected_count=view.injected_count + (1 if injected else 0),
        skipped_count=view.skipped_count + (0 if injected else 1),
        deviation_count=view.deviation_count + (1 if _is_deviation(entry) else 0),
        injected_volume=Volume(view.injected_volume.ul + volume_ul),
        last_saved_at=saved_at,
    )
