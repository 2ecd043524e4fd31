"""Build the procedure report (`slidesk.reports.model.Report`) from the record.

The clinical content comes from a record snapshot: the frozen snapshot of a signed version (in
the schema it was signed in), or the live record for a draft. Signatures, the amendment,
corrections (from the audit trail, up to the version's signing) and the version history are
added. Every time is turned into site-local text (`tz`, the caller's site time zone — never
the host's) here, so the PDF builder only lays out text. The treatment allocation is never
part of the record and so never part of the report.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TypedDict
from zoneinfo import ZoneInfo

from slidesk import __version__
from slidesk.domain.errors import NotFoundError
from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.signing import amendment_banner
from slidesk.domain.users import Actor, Permission
from slidesk.domain.values import Limb
from slidesk.i18n import N_, _
from slidesk.persistence.rows.signing import SigningRepository
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.protocol.model import Protocol
from slidesk.reports.model import (
    Block,
    Chart,
    Diagram,
    HeaderField,
    Report,
    SignatureLine,
    Table,
)
from slidesk.services.boundary import boundary
from slidesk.services.procedure.views import load_procedure
from slidesk.services.record.changes import amendment_changes
from slidesk.services.record.sedation import sedation_by_site
from slidesk.services.record.snapshot import RecordSnapshot, build_snapshot, stored_snapshot
from slidesk.services.record.v1 import RecordSnapshotV1
from slidesk.services.record.wording import corrections_table, local
from slidesk.services.reporting import record as record
from slidesk.services.reporting import sedation as sedation
from slidesk.services.reporting import sites as sites
from slidesk.services.reporting import v1 as v1
from slidesk.services.reporting.chart import record_chart
from slidesk.services.signing.dto import SignatureView, VersionView
from slidesk.services.signing.state import review_in
from slidesk.services.signing.versions import version_views

Snapshot = RecordSnapshot | RecordSnapshotV1

WATERMARK = N_("DRAFT — NOT SIGNED")
_FOOTNOTE = N_(
    "Times are site-local ({zone}) with their UTC offset. Each electronic signature was given "
    "by re-entering username and password at the moment of signing (21 CFR 11.50, 11.200); "
    "the record SHA-256 identifies the exact content signed. The investigational product is "
    "blinded: only kit and syringe numbers are recorded. Corrections list every change made "
    "after first entry, with its reason, from the audit trail."
)


@boundary
def procedure_report(
    *,
    uow: UnitOfWork,
    actor: Actor,
    procedure_id: int,
    generated_at: datetime,
    tz: ZoneInfo,
    version: int | None = None,
) -> Report:
    """The report of a signed `version`, or of the record as it is now (None).

    When the record is SIGNED and no version is asked, the latest signed version is reported.
    """
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        return report_in(tx, procedure_id, generated_at, tz=tz, version=version)


def report_in(
    tx: Transaction,
    procedure_id: int,
    generated_at: datetime,
    *,
    tz: ZoneInfo,
    version: int | None = None,
) -> Report:
    row = load_procedure(tx, procedure_id)
    status = ProcedureStatus(row.status)
    versions = version_views(tx, procedure_id)
    review = review_in(tx, row)
    if version is None and status is ProcedureStatus.SIGNED and versions:
        version = versions[-1].version
    chosen: VersionView | None = None
    snapshot: Snapshot
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
    previous = _stored_snapshot(tx, procedure_id, number - 1) if number > 1 else None
    amendment = next((v.amendment for v in versions if v.version == number), None)
    if amendment is None and review.open_amendment and review.open_amendment.version == number:
        amendment = review.open_amendment
    signed = chosen is not None
    if signed:
        state = _("Version {n} — signed").format(n=number)
        if chosen is not None and chosen.superseded_by:
            state += " — " + _("superseded by version {n}").format(n=chosen.superseded_by)
    elif status is ProcedureStatus.AMENDED:
        state = _("Version {n} (amendment) — draft, not signed").format(n=number)
    else:
        state = _("Draft — not signed ({status})").format(status=status.label.lower())
    integrity = None
    if review.integrity_problem and (chosen is None or chosen.superseded_by is None):
        integrity = f"WARNING: {review.integrity_problem}"
    changes: tuple[str, ...] = ()
    if amendment and previous is not None:
        since = next(v.signed_at for v in versions if v.version == number - 1)
        changes = amendment_changes(
            tx, previous, snapshot, protocol, since=since, until=cutoff, tz=tz
        )
    date_text = local(snapshot.started_at or snapshot.planned_at, tz, "%d %b %Y")
    content = _content(snapshot, protocol, names, tz)
    return Report(
        document_id=_document_id(snapshot, number, signed, signatures),
        record_hash=snapshot.content_hash,
        generated_text=_("Generated {when} · SLI Desk {version}").format(
            when=local(generated_at, tz), version=__version__
        ),
        title=_("{protocol} procedure record — intramuscular injections").format(
            protocol=protocol.key
        ),
        running_title=(
            f"{protocol.key} · {_('subject')} {snapshot.study_id} · "
            f"{_('procedure')} {snapshot.procedure_id} · {date_text}"
        ),
        state_text=state,
        signed=signed,
        watermark=None if signed else _(WATERMARK),
        amendment_banner=amendment_banner(number, amendment.reason) if amendment else None,
        amendment_changes=changes,
        integrity_warning=integrity,
        header=_header(snapshot, protocol, names, tz, date_text),
        time_note=_(
            "All times are site-local ({zone}) with their UTC offset. Event time (when it "
            "happened) and entry time (when it was typed) are kept separately; an entry time "
            "is printed where it differs from the event time."
        ).format(zone=tz.key),
        corrections=corrections_table(tx, snapshot, cutoff, tz),
        signatures=tuple(_signature_line(s, tz) for s in signatures),
        unsigned_meanings=_unsigned(protocol, signatures),
        versions=_versions_table(versions, tz),
        footnote=_(_FOOTNOTE).format(zone=tz.key)
        + (f" {protocol.provisional_note}" if protocol.provisional_note else ""),
        **content,
    )


class _Content(TypedDict):
    """The Report fields that come from the record itself."""

    checklist: Table
    checklist_note: str | None
    diagram: Diagram
    sites: Table
    site_note: str | None
    totals: tuple[HeaderField, ...]
    protocol_statement: str
    site_sections: tuple[Table, ...]
    sedation: tuple[Table, ...]
    sedation_note: str | None
    chart: Chart | None
    adverse_events: tuple[Block, ...]
    adverse_events_note: str | None


def _content(snap: Snapshot, protocol: Protocol, names: dict[int, str], tz: ZoneInfo) -> _Content:
    """The record's own sections, from a snapshot of either schema."""
    if isinstance(snap, RecordSnapshotV1):
        entries = v1.entries(snap)
        return _Content(
            **{
                "checklist": v1.checklist_table(snap, protocol, names, tz),
                "checklist_note": None,
                "diagram": sites.diagram(entries, protocol, snap.index_limb),
                "sites": sites.sites_table(entries, protocol, names, tz, None),
                "site_note": _(v1.NOT_IN_SCHEMA_1),
                "totals": sites.totals(entries, protocol, None),
                "protocol_statement": sites.protocol_statement(protocol),
                "site_sections": tuple(t for t in (sites.undone_table(entries, names, tz),) if t),
                "sedation": v1.sedation_tables(snap, tz),
                "sedation_note": None,
                "chart": v1.record_chart(snap, tz),
                "adverse_events": v1.adverse_event_blocks(snap, tz),
                "adverse_events_note": None,
            }
        )
    per_site = {v.site_no: v for v in sedation_by_site(snap, protocol)}
    reconciliation, left = record.reconciliation_table(snap, protocol, names, tz)
    undone = sites.undone_table(snap.entries, names, tz)
    return _Content(
        **{
            "checklist": record.checklist_table(snap, protocol, names, tz),
            "checklist_note": None,
            "diagram": sites.diagram(snap.entries, protocol, snap.index_limb),
            "sites": sites.sites_table(snap.entries, protocol, names, tz, per_site),
            "site_note": _(
                "Sedation at the injection: the latest {scale} score before it, and the analgesia "
                "and sedation given so far; STALE when the score is older than {n} min."
            ).format(scale=protocol.sedation.scale, n=protocol.sedation.score_interval_minutes),
            "totals": sites.totals(snap.entries, protocol, left),
            "protocol_statement": sites.protocol_statement(protocol),
            "site_sections": tuple(
                t
                for t in (undone, record.findings_table(snap, names, tz), reconciliation)
                if t is not None
            ),
            "sedation": (
                *sedation.dose_tables(snap, protocol, names, tz),
                sedation.oxygen_table(snap, names, tz),
                sedation.vitals_table(snap, protocol, names, tz),
                sedation.events_table(snap, names, tz),
                sedation.recovery_table(snap, protocol, names, tz),
            ),
            "sedation_note": None,
            "chart": record_chart(snap, tz),
            "adverse_events": record.adverse_event_blocks(snap, names, tz),
            "adverse_events_note": None if snap.adverse_events else _("No adverse event recorded."),
        }
    )


def _require(snapshot: Snapshot | None, version: int) -> Snapshot:
    if snapshot is None:
        raise NotFoundError(f"The content of signed version {version} is missing.")
    return snapshot


def _stored_snapshot(tx: Transaction, procedure_id: int, version: int) -> Snapshot | None:
    for v in tx.repo(SigningRepository).versions(procedure_id):
        if v.version == version:
            return stored_snapshot(v.content_json)
    return None


def _document_id(
    snapshot: Snapshot, number: int, signed: bool, signatures: tuple[SignatureView, ...]
) -> str:
    """Stable for the same content and signatures: reissuing the same gives the same ID."""
    seed = snapshot.content_hash + ",".join(str(s.id) for s in signatures)
    tag = hashlib.sha256(seed.encode("ascii")).hexdigest()[:8].upper()
    kind = f"V{number}" if signed else f"V{number}-DRAFT"
    return f"SLI-P{snapshot.procedure_id:05d}-{kind}-{tag}"


def _header(
    snap: Snapshot, protocol: Protocol, names: dict[int, str], tz: ZoneInfo, date: str
) -> tuple[HeaderField, ...]:
    def when(value: datetime | None) -> str:
        return local(value, tz) if value else "—"

    planned_by = (
        [HeaderField(_("Planned"), f"{when(snap.planned_at)} · {names.get(snap.created_by, '?')}")]
        if isinstance(snap, RecordSnapshot)
        else [HeaderField(_("Planned"), when(snap.planned_at))]
    )
    return (
        HeaderField(_("Study"), protocol.title),
        HeaderField(_("Protocol"), f"{protocol.key} version {protocol.version}"),
        HeaderField(_("Registration"), ", ".join(protocol.registry_ids) or "—"),
        HeaderField(_("Centre"), snap.centre),
        HeaderField(_("Subject (study ID)"), snap.study_id),
        HeaderField(_("Procedure ID"), str(snap.procedure_id)),
        HeaderField(_("Procedure date"), date),
        HeaderField(_("Index limb"), Limb(snap.index_limb).label),
        HeaderField(_("Kit number"), snap.kit_number),
        HeaderField(_("Location"), snap.location),
        HeaderField(_("Operator"), names.get(snap.operator_id, "?")),
        HeaderField(_("Sedation nurse"), names.get(snap.nurse_id, "?")),
        *planned_by,
        HeaderField(_("Product released"), when(snap.product_release_at)),
        HeaderField(_("Started"), when(snap.started_at)),
        HeaderField(_("Completed"), when(snap.completed_at)),
        HeaderField(_("Product"), protocol.product.name),
        HeaderField(_("Record format"), str(snap.schema)),
    )


def _signature_line(sig: SignatureView, tz: ZoneInfo) -> SignatureLine:
    return SignatureLine(
        printed_name=sig.signer_full_name,
        role=sig.signer_role,
        meaning=sig.meaning,
        signed_at_text=local(sig.signed_at, tz),
        method=_("Electronic signature, password re-entered"),
        content_hash=sig.content_hash,
    )


def _unsigned(protocol: Protocol, signatures: tuple[SignatureView, ...]) -> tuple[str, ...]:
    given = {s.meaning_role for s in signatures}
    return tuple(
        f"{m.meaning} ({m.role}{'' if m.required else ', optional'})"
        for m in protocol.signatures
        if m.role not in given
    )


def _versions_table(versions: tuple[VersionView, ...], tz: ZoneInfo) -> Table | None:
    if not versions:
        return None
    rows = tuple(
        (
            str(v.version),
            local(v.signed_at, tz),
            ", ".join(f"{s.signer_full_name} ({s.meaning_role})" for s in v.signatures),
            v.amendment.reason if v.amendment else _("original record"),
            v.content_hash[:16] + "…",
            _("superseded by version {n}").format(n=v.superseded_by)
            if v.superseded_by
            else _("current"),
        )
        for v in versions
    )
    return Table(
        title=_("Version history"),
        columns=(
            _("Version"),
            _("Signed"),
            _("Signatures"),
            _("Amendment reason"),
            _("Record SHA-256"),
            _("Status"),
        ),
        rows=rows,
        widths=(0.8, 1.6, 2.4, 2.2, 1.5, 1.5),
    )
