"""Build the procedure report (`slidesk.reports.model.Report`) from the record.

The clinical content comes from a record snapshot: the frozen snapshot of a signed version, or
the live record for a draft. Signatures, the amendment, corrections (from the audit trail, up
to the version's signing) and the version history are added. Every time is turned into local
text with its UTC offset here, so the PDF builder only lays out text. The treatment allocation
is never part of the record and so never part of the report.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, tzinfo
from decimal import Decimal

from slidesk import __version__
from slidesk.domain.errors import NotFoundError
from slidesk.domain.procedure import EntryKind, ProcedureStatus, SiteState, SkipReason
from slidesk.domain.signing import amendment_banner
from slidesk.domain.users import Actor, Permission
from slidesk.domain.values import Depth, Limb, Volume
from slidesk.paths import resource_dir
from slidesk.persistence.uow import Transaction, UnitOfWork
from slidesk.protocol import Protocol
from slidesk.reports.model import (
    ChartSeries,
    Diagram,
    DiagramSite,
    HeaderField,
    Report,
    SignatureLine,
    Table,
)
from slidesk.services.record_snapshot import RecordSnapshot, build_snapshot, snapshot_from_json
from slidesk.services.report_text import amendment_changes, corrections_table, local, local_time
from slidesk.services.signing import review_in, version_views
from slidesk.services.signing_dto import SignatureView, VersionView
from slidesk.services.views import load_procedure

_TENTH = Decimal("0.1")
_FOOTNOTE = (
    "Times are local time with their UTC offset. Each electronic signature was given by "
    "re-entering username and password at the moment of signing (21 CFR 11.50, 11.200); "
    "the record SHA-256 identifies the exact content signed. The investigational product is "
    "blinded: only kit and syringe numbers are recorded. Corrections list every change made "
    "after first entry, with its reason, from the audit trail."
)


def procedure_report(
    *,
    uow: UnitOfWork,
    actor: Actor,
    procedure_id: int,
    generated_at: datetime,
    version: int | None = None,
    tz: tzinfo | None = None,
) -> Report:
    """The report of a signed `version`, or of the record as it is now (None).

    When the record is SIGNED and no version is asked, the latest signed version is reported.
    """
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        return report_in(tx, procedure_id, generated_at, version=version, tz=tz)


def report_in(
    tx: Transaction,
    procedure_id: int,
    generated_at: datetime,
    *,
    version: int | None = None,
    tz: tzinfo | None = None,
) -> Report:
    row = load_procedure(tx, procedure_id)
    status = ProcedureStatus(row.status)
    versions = version_views(tx, procedure_id)
    review = review_in(tx, row)
    if version is None and status is ProcedureStatus.SIGNED and versions:
        version = versions[-1].version
    chosen: VersionView | None = None
    if version is not None:
        chosen = next((v for v in versions if v.version == version), None)
        if chosen is None:
            raise NotFoundError(f"Procedure {procedure_id} has no signed version {version}.")
        snapshot = _require(_stored_snapshot(tx, procedure_id, version), version)
        signatures = chosen.signatures
        cutoff: datetime | None = chosen.signed_at
        number = version
    else:
        snapshot = build_snapshot(tx, procedure_id)
        signatures = tuple(m.signature for m in review.meanings if m.signature is not None)
        cutoff = None
        number = review.version
    protocol = tx.protocols.get(snapshot.protocol_key, snapshot.protocol_version)
    names = tx.users.names()
    record_hash = snapshot.content_hash
    previous = _stored_snapshot(tx, procedure_id, number - 1) if number > 1 else None
    amendment = next((v.amendment for v in versions if v.version == number), None)
    if amendment is None and review.open_amendment and review.open_amendment.version == number:
        amendment = review.open_amendment
    signed = chosen is not None
    if signed:
        state = f"Version {number} — signed"
        if chosen is not None and chosen.superseded_by:
            state += f" — superseded by version {chosen.superseded_by}"
    elif status is ProcedureStatus.AMENDED:
        state = f"Version {number} (amendment) — draft, not signed"
    else:
        state = f"Draft — not signed ({status.label.lower()})"
    integrity = None
    if review.integrity_problem and (chosen is None or chosen.superseded_by is None):
        integrity = f"WARNING: {review.integrity_problem}"
    date_text = local(snapshot.started_at or snapshot.planned_at, tz, "%d %b %Y")
    return Report(
        document_id=_document_id(snapshot, number, signed, signatures),
        record_hash=record_hash,
        generated_text=f"Generated {local(generated_at, tz)} · SLI Desk {__version__}",
        title=f"{protocol.key} procedure record — intramuscular injections",
        running_title=(
            f"{protocol.key} · subject {snapshot.study_id} · procedure {snapshot.procedure_id}"
            f" · {date_text}"
        ),
        state_text=state,
        signed=signed,
        amendment_banner=amendment_banner(number, amendment.reason) if amendment else None,
        amendment_changes=(
            amendment_changes(previous, snapshot, protocol) if amendment and previous else ()
        ),
        integrity_warning=integrity,
        header=_header(snapshot, protocol, names, tz, date_text),
        time_note=(
            "All times are local with their UTC offset; event time (when it happened) and "
            "entry time (when it was recorded) are kept separately in the audit trail."
        ),
        checklist=_checklist(snapshot, protocol, names, tz),
        checklist_note=(
            None
            if snapshot.checklist is not None
            else "No time-out checklist module is installed: the checklist is not part of "
            "this record."
        ),
        diagram=_diagram(snapshot, protocol),
        sites=_sites_table(snapshot, protocol, names, tz),
        totals=_totals(snapshot, protocol),
        sedation=_sedation_tables(snapshot, tz),
        sedation_note=(
            "No sedation record module is installed: the sedation record is not part of this "
            "document."
            if snapshot.sections is None
            else None
        ),
        chart=_chart(snapshot),
        adverse_events=_table_from(snapshot, "adverse_events", tz),
        corrections=corrections_table(tx, snapshot, cutoff, tz),
        signatures=tuple(_signature_line(s, tz) for s in signatures),
        unsigned_meanings=_unsigned(protocol, signatures),
        versions=_versions_table(versions, tz),
        footnote=_FOOTNOTE + (f" {protocol.provisional_note}" if protocol.provisional_note else ""),
    )


def _require(snapshot: RecordSnapshot | None, version: int) -> RecordSnapshot:
    if snapshot is None:
        raise NotFoundError(f"The content of signed version {version} is missing.")
    return snapshot


def _stored_snapshot(tx: Transaction, procedure_id: int, version: int) -> RecordSnapshot | None:
    from slidesk.persistence.rows_signing import SigningRepository

    for v in tx.repo(SigningRepository).versions(procedure_id):
        if v.version == version:
            return snapshot_from_json(v.content_json)
    return None


def _document_id(
    snapshot: RecordSnapshot, number: int, signed: bool, signatures: tuple[SignatureView, ...]
) -> str:
    """Stable for the same content and signatures: reissuing the same gives the same ID."""
    seed = snapshot.content_hash + ",".join(str(s.id) for s in signatures)
    tag = hashlib.sha256(seed.encode("ascii")).hexdigest()[:8].upper()
    kind = f"V{number}" if signed else f"V{number}-DRAFT"
    return f"SLI-P{snapshot.procedure_id:05d}-{kind}-{tag}"


def _header(
    snap: RecordSnapshot, protocol: Protocol, names: dict[int, str], tz: tzinfo | None, date: str
) -> tuple[HeaderField, ...]:
    def when(value: datetime | None) -> str:
        return local(value, tz) if value else "—"

    return (
        HeaderField("Study", protocol.title),
        HeaderField("Protocol", f"{protocol.key} version {protocol.version}"),
        HeaderField("Registration", ", ".join(protocol.registry_ids) or "—"),
        HeaderField("Centre", snap.centre),
        HeaderField("Subject (study ID)", snap.study_id),
        HeaderField("Procedure ID", str(snap.procedure_id)),
        HeaderField("Procedure date", date),
        HeaderField("Index limb", Limb(snap.index_limb).label),
        HeaderField("Kit number", snap.kit_number),
        HeaderField("Location", snap.location),
        HeaderField("Operator", names.get(snap.operator_id, "?")),
        HeaderField("Sedation nurse", names.get(snap.nurse_id, "?")),
        HeaderField("Product released", when(snap.product_release_at)),
        HeaderField("Started", when(snap.started_at)),
        HeaderField("Completed", when(snap.completed_at)),
        HeaderField("Product", protocol.product.name),
    )


def _checklist(
    snap: RecordSnapshot, protocol: Protocol, names: dict[int, str], tz: tzinfo | None
) -> Table | None:
    if snap.checklist is None:
        return None
    ticks = {t.item_key: t for t in snap.checklist}
    rows = []
    marked = []
    for i, item in enumerate(protocol.checklist):
        tick = ticks.get(item.key)
        if tick is None:
            marked.append(i)
        rows.append(
            (
                tick.item_text if tick else item.text,
                names.get(tick.ticked_by, "?") if tick else "NOT CONFIRMED",
                local(tick.ticked_at, tz) if tick else "—",
            )
        )
    return Table(
        title="Items confirmed before the first injection",
        columns=("Item", "Confirmed by", "Time"),
        rows=tuple(rows),
        widths=(4.6, 1.6, 2.3),
        marked_rows=tuple(marked),
    )


def _states(snap: RecordSnapshot) -> dict[int, str]:
    states: dict[int, str] = {}
    for e in snap.live_entries():
        if e.kind == EntryKind.SKIPPED.value:
            states[e.site_no] = SiteState.SKIPPED.value
        elif e.deviation_reason or e.relocated:
            states[e.site_no] = SiteState.DEVIATION.value
        else:
            states[e.site_no] = SiteState.DONE.value
    return states


def _diagram(snap: RecordSnapshot, protocol: Protocol) -> Diagram:
    states = _states(snap)
    folder = resource_dir() / "diagrams"
    return Diagram(
        limb=snap.index_limb,
        front_svg=str(folder / "leg_front_right.svg"),
        back_svg=str(folder / "leg_back_right.svg"),
        sites=tuple(
            DiagramSite(
                s.number, s.label, s.view, s.x, s.y, states.get(s.number, SiteState.PENDING.value)
            )
            for s in protocol.sites
        ),
    )


def _sites_table(
    snap: RecordSnapshot, protocol: Protocol, names: dict[int, str], tz: tzinfo | None
) -> Table:
    live = {e.site_no: e for e in snap.live_entries()}
    rows = []
    marked = []
    for i, number in enumerate(protocol.order):
        site = protocol.site(number)
        e = live.get(number)
        if e is None:
            rows.append((str(number), site.label, "—", "", "", "", "", "", "NOT DONE"))
            marked.append(i)
            continue
        if e.kind == EntryKind.SKIPPED.value:
            reason = SkipReason(e.skip_reason).label if e.skip_reason else "?"
            note = f"Skipped: {reason}" + (f" — {e.skip_detail}" if e.skip_detail else "")
            marked.append(i)
        else:
            note = e.deviation_reason or ""
            if e.relocated:
                note = f"Relocated. {note}".strip()
            if note:
                marked.append(i)
        rows.append(
            (
                str(number),
                site.label,
                local_time(e.performed_at, tz),
                str(Depth(e.depth_um).mm.quantize(_TENTH)) if e.depth_um is not None else "—",
                str(Volume(e.volume_ul).ml.quantize(_TENTH)) if e.volume_ul is not None else "—",
                e.syringe_label or "—",
                names.get(e.performer_id, "?"),
                names.get(e.recorder_id, "?"),
                note,
            )
        )
    return Table(
        title="Per site, in the order proposed by the protocol",
        columns=(
            "Site",
            "Label",
            "Time",
            "Depth mm",
            "Volume mL",
            "Syringe",
            "Performed by",
            "Recorded by",
            "Deviation / skip reason",
        ),
        rows=tuple(rows),
        widths=(0.45, 0.6, 1.45, 0.65, 0.72, 1.25, 1.15, 1.15, 2.5),
        marked_rows=tuple(marked),
    )


def _totals(snap: RecordSnapshot, protocol: Protocol) -> tuple[HeaderField, ...]:
    live = snap.live_entries()
    injected = [e for e in live if e.kind == EntryKind.INJECTED.value]
    volume_ul = sum(e.volume_ul or 0 for e in injected)
    per_site = int(protocol.injection.volume_ml * 1000)
    cells = (
        sum(protocol.product.cells_per_site * (e.volume_ul or 0) // per_site for e in injected)
        if per_site
        else 0
    )
    times = sorted(e.performed_at for e in injected)
    span = f"{int((times[-1] - times[0]).total_seconds() // 60)} min" if len(times) > 1 else "—"
    return (
        HeaderField("Sites injected", f"{len(injected)} of {protocol.site_count}"),
        HeaderField("Sites skipped", str(sum(1 for e in live if e.kind == "skipped"))),
        HeaderField("Deviations", str(sum(1 for e in injected if e.deviation_reason))),
        HeaderField("Volume injected", str(Volume(volume_ul))),
        HeaderField("Cells injected", f"{cells:,}".replace(",", " ")),
        HeaderField("First to last site", span),
    )


def _table_from(snap: RecordSnapshot, key: str, tz: tzinfo | None) -> Table | None:
    section = snap.section(key)
    if section is None:
        return None
    # Within the procedure day a time is enough (the date is in the header); adverse events
    # may be noticed on another day, so they keep the date.
    show = local if key == "adverse_events" else local_time
    rows = tuple(
        tuple(
            show(_parse(cell), tz) if i in section.time_columns and cell else cell
            for i, cell in enumerate(row)
        )
        for row in section.rows
    )
    return Table(
        title=section.title,
        columns=section.columns,
        rows=rows,
        note=section.note,
        widths=_SECTION_WIDTHS.get(key),
    )


_SECTION_WIDTHS: dict[str, tuple[float, ...]] = {
    "doses": (1.3, 1.1, 0.8, 0.6, 1.0, 1.3, 2.4),
    "vitals": (1.3, 0.5, 0.8, 0.55, 0.5, 0.65, 0.55, 0.75, 2.4, 1.2),
    "adverse_events": (1.4, 2.0, 0.9, 0.9, 2.0, 1.0, 1.2, 0.6),
    "events": (1.3, 2.0, 2.2, 1.5, 1.2),
    "recovery": (1.3, 0.8, 1.6, 2.7, 1.2),
    "oxygen": (1.3, 3.0, 2.0),
}


# Shown even when empty ("None recorded."); the others only when they have rows.
_ALWAYS_SHOWN = frozenset({"doses", "vitals"})


def _sedation_tables(snap: RecordSnapshot, tz: tzinfo | None) -> tuple[Table, ...]:
    if snap.sections is None:
        return ()
    tables = []
    for section in snap.sections:
        if section.key == "adverse_events":
            continue
        if not section.rows and section.key not in _ALWAYS_SHOWN:
            continue
        table = _table_from(snap, section.key, tz)
        if table is not None:
            tables.append(table)
    return tuple(tables)


def _chart(snap: RecordSnapshot) -> tuple[ChartSeries, ...]:
    points = [p[0] for s in snap.series for p in s.points]
    if not points:
        return ()
    start = min(points)
    return tuple(
        ChartSeries(
            s.label,
            s.unit,
            tuple((int((t - start).total_seconds() // 60), v) for t, v in s.points),
        )
        for s in snap.series
    )


def _signature_line(sig: SignatureView, tz: tzinfo | None) -> SignatureLine:
    return SignatureLine(
        printed_name=sig.signer_full_name,
        role=sig.signer_role,
        meaning=sig.meaning,
        signed_at_text=local(sig.signed_at, tz),
        method="Electronic signature, password re-entered",
        content_hash=sig.content_hash,
    )


def _unsigned(protocol: Protocol, signatures: tuple[SignatureView, ...]) -> tuple[str, ...]:
    given = {s.meaning_role for s in signatures}
    return tuple(
        f"{m.meaning} ({m.role}{'' if m.required else ', optional'})"
        for m in protocol.signatures
        if m.role not in given
    )


def _versions_table(versions: tuple[VersionView, ...], tz: tzinfo | None) -> Table | None:
    if not versions:
        return None
    rows = tuple(
        (
            str(v.version),
            local(v.signed_at, tz),
            ", ".join(f"{s.signer_full_name} ({s.meaning_role})" for s in v.signatures),
            v.amendment.reason if v.amendment else "original record",
            v.content_hash[:16] + "…",
            f"superseded by version {v.superseded_by}" if v.superseded_by else "current",
        )
        for v in versions
    )
    return Table(
        title="Version history",
        columns=("Version", "Signed", "Signatures", "Amendment reason", "Record SHA-256", "Status"),
        rows=rows,
        widths=(0.8, 1.6, 2.4, 2.2, 1.5, 1.5),
    )


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
