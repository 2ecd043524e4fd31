"""Issue procedure reports (export, print, archive) and check a PDF against the database.

A signed version's report is issued once and archived with its exact bytes and the settings it
was printed with (the site time zone, `issued_with`); asking for it again returns the archived
file unchanged (LCK-02: "v1's PDF is unchanged"), whatever the zone is now. Drafts are
generated on demand, in the zone the caller passes, and never archived. Exporting and printing
are audited events (AUD-05). The PDF is sealed with the installation's (or institution's) key
when it can be loaded; if not, the report is still issued unsealed and the caller is told why.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

from slidesk.clock import Clock
from slidesk.domain.checkpoints import CheckpointReason
from slidesk.domain.errors import ValidationError
from slidesk.domain.events import AuditEvent
from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.users import Actor, Permission
from slidesk.integrity.chain import canonical_json
from slidesk.persistence.rows.signing import ReportDocumentRow, SigningRepository
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.reports.pdf import build_pdf
from slidesk.services.boundary import boundary
from slidesk.services.checkpoint_marks import CheckpointMark, mark_text, newest_in
from slidesk.services.record.snapshot import build_snapshot
from slidesk.services.reporting.data import report_in
from slidesk.services.settings import site_zone, zone_in

log = logging.getLogger(__name__)
_DOC_ID = re.compile(r"SLI-P(\d{5,})-")


class ReportPurpose(StrEnum):
    PREVIEW = "preview"
    EXPORT = "export"
    PRINT = "print"
    OPEN = "open"


@dataclass(frozen=True, slots=True)
class IssuedReport:
    procedure_id: int
    version: int | None  # None for a draft
    document_id: str
    record_hash: str
    pdf: bytes
    sha256: str
    digitally_signed: bool
    archived: bool  # the bytes are kept in the archive (a signed version)
    from_archive: bool  # returned from the archive: the same bytes as first issued
    seal_problem: str | None  # why the PDF could not be sealed, if it was not
    # The site time zone the PDF's times are printed in (as first issued, for an archived one;
    # None for an archived report issued before the zone was kept).
    time_zone: str | None
    # The checkpoint printed in its footer, as first issued ("" for an archived report issued
    # before checkpoints were printed).
    checkpoint: str = ""


@dataclass(frozen=True, slots=True)
class ArchivedReport:
    document_id: str
    version: int | None
    sha256: str
    created_at_utc: str
    digitally_signed: bool


@dataclass(frozen=True, slots=True)
class PdfVerification:
    signed: bool
    signer: str | None
    signing_time_text: str | None
    intact: bool
    covers_whole_file: bool
    trusted: bool
    record_hash: str | None
    document_id: str | None
    record_match: str  # in words: which record/version the embedded hash matches, if any
    matches_database: bool
    problem: str | None

    def summary(self) -> str:
        lines = []
        if not self.signed:
            lines.append("NOT SIGNED: the PDF carries no digital signature.")
        else:
            state = "INTACT" if self.intact and self.covers_whole_file else "MODIFIED"
            if self.intact and not self.covers_whole_file:
                detail = "content was appended after signing"
            elif not self.intact:
                detail = self.problem or "the signed bytes were changed"
            else:
                detail = "unchanged since it was signed"
            lines.append(f"{state}: {detail}.")
            lines.append(
                f"Signer: {self.signer or '?'}"
                + ("" if self.trusted else " (not a trusted key here)")
            )
            lines.append(
                f"Signing time: {self.signing_time_text or '?'} (signer's clock, no timestamp)"
            )
        lines.append(f"Document: {self.document_id or '?'}")
        lines.append(f"Record SHA-256: {self.record_hash or '(none embedded)'}")
        lines.append(f"Database: {self.record_match}")
        return "\n".join(lines)


@boundary
def issue_report(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    procedure_id: int,
    purpose: ReportPurpose,
    tz: ZoneInfo | None = None,
    version: int | None = None,
    key_folder: Path | None = None,
) -> IssuedReport:
    """The report's PDF (sealed when possible), archived for a signed version, audited.

    A new issue prints its times in the site's time zone setting as it is now (`tz` only
    overrides it for a test or a preview) and keeps it; an archived version is returned as
    first issued, in the zone stored with it.
    """
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        tz = tz or zone_in(tx)
        report = report_in(tx, procedure_id, clock.now(), tz=tz, version=version)
        archived = tx.repo(SigningRepository).document(report.document_id)
        archived_bytes = archived.pdf if archived is not None else None
        archived_signed = bool(archived.digitally_signed) if archived is not None else False
        archived_with = archived.issued_with if archived is not None else None
        chosen_version = _version_of(report.document_id, report.signed)
        # The newest checkpoint now, before this issue's own audit entry (the checkpoint that
        # vouches for that entry comes after it): printed, and kept with the document.
        mark = newest_in(tx)
    checkpoint = mark_text(mark)
    issued_with = canonical_json(
        {"time_zone": tz.key, "checkpoint": mark.stored() if mark is not None else None}
    )
    zone: str | None = tz.key
    if archived_bytes is not None:
        pdf_bytes, signed_pdf, problem = archived_bytes, archived_signed, None
        zone, checkpoint = _zone_of(archived_with), _checkpoint_of(archived_with)
    else:
        pdf = build_pdf(replace(report, checkpoint_text=checkpoint))
        sealed, problem = _seal(pdf, key_folder, report.document_id)
        pdf_bytes, signed_pdf = sealed or pdf, sealed is not None
    issued = IssuedReport(
        procedure_id=procedure_id,
        version=chosen_version,
        document_id=report.document_id,
        record_hash=report.record_hash,
        pdf=pdf_bytes,
        sha256=hashlib.sha256(pdf_bytes).hexdigest(),
        digitally_signed=signed_pdf,
        archived=report.signed,
        from_archive=archived_bytes is not None,
        seal_problem=problem,
        time_zone=zone,
        checkpoint=checkpoint,
    )
    stored_new = False
    with uow.begin(actor=actor, clock=clock) as tx:
        subject_id = _subject_of(tx, procedure_id)
        if report.signed and archived_bytes is None:
            # Another first export of this version may have stored it since we read (two
            # screens, two workstations): the write transaction sees it; give that one.
            stored = tx.repo(SigningRepository).document(report.document_id)
            if stored is not None:
                issued = _from_archive(issued, stored)
        if report.signed and archived_bytes is None and not issued.from_archive:
            stored_new = True
            tx.add(
                ReportDocumentRow(
                    procedure_id=procedure_id,
                    version=chosen_version,
                    document_id=issued.document_id,
                    record_hash=issued.record_hash,
                    pdf_sha256=issued.sha256,
                    pdf=issued.pdf,
                    digitally_signed=issued.digitally_signed,
                    created_at=tx.now,
                    created_by=actor.user_id,
                    issued_with=issued_with,
                ),
                event_type=AuditEvent.REPORT_ARCHIVED,
                procedure_id=procedure_id,
                subject_id=subject_id,
            )
        if purpose is not ReportPurpose.PREVIEW:
            tx.event(
                event_type=AuditEvent(f"report.{purpose.value}"),
                entity="procedures",
                entity_id=str(procedure_id),
                procedure_id=procedure_id,
                subject_id=subject_id,
                details={
                    "document_id": issued.document_id,
                    "version": chosen_version,
                    "pdf_sha256": issued.sha256,
                    "record_hash": issued.record_hash,
                    "time_zone": issued.time_zone,
                    "checkpoint": issued.checkpoint,
                },
            )
        tx.commit()
    if purpose is not ReportPurpose.PREVIEW or stored_new:
        uow.milestone(clock, CheckpointReason.REPORT)
    return issued


def _from_archive(issued: IssuedReport, stored: ReportDocumentRow) -> IssuedReport:
    """The document another export stored first, in place of the one built here."""
    return replace(
        issued,
        pdf=stored.pdf,
        sha256=hashlib.sha256(stored.pdf).hexdigest(),
        digitally_signed=bool(stored.digitally_signed),
        from_archive=True,
        seal_problem=None,
        time_zone=_zone_of(stored.issued_with),
    )


@boundary
def record_report_event(
    *, uow: UnitOfWork, clock: Clock, actor: Actor, issued: IssuedReport, purpose: ReportPurpose
) -> None:
    """Audit a later use of an issued report (printed from the preview, saved again …)."""
    actor.require(Permission.READ_RECORDS)
    with uow.begin(actor=actor, clock=clock) as tx:
        tx.event(
            event_type=AuditEvent(f"report.{purpose.value}"),
            entity="procedures",
            entity_id=str(issued.procedure_id),
            procedure_id=issued.procedure_id,
            subject_id=_subject_of(tx, issued.procedure_id),
            details={"document_id": issued.document_id, "pdf_sha256": issued.sha256},
        )
        tx.commit()
    uow.milestone(clock, CheckpointReason.REPORT)


def _subject_of(tx: Transaction, procedure_id: int) -> int | None:
    """The procedure's subject: a report's entries are found by the subject's study ID."""
    row = tx.procedures.get(procedure_id)
    return row.subject_id if row is not None else None


@boundary
def archived_reports(
    *, uow: UnitOfWork, actor: Actor, procedure_id: int
) -> tuple[ArchivedReport, ...]:
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        return tuple(
            ArchivedReport(
                d.document_id, d.version, d.pdf_sha256, d.created_at.isoformat(), d.digitally_signed
            )
            for d in tx.repo(SigningRepository).documents(procedure_id)
        )


@boundary
def verify_pdf(
    *, uow: UnitOfWork, data: bytes, tz: ZoneInfo | None = None, key_folder: Path | None = None
) -> PdfVerification:
    """Check the seal of a PDF and whether its embedded record hash matches this database."""
    from slidesk.reports.certificates import SigningKeyError, load_signing_key
    from slidesk.reports.pdfsign import check_pdf
    from slidesk.services.record.wording import local

    try:
        trust = [load_signing_key(key_folder)]
    except SigningKeyError:
        trust = []
    check = check_pdf(data, trust)
    tz = tz or site_zone(uow=uow)
    match, ok = _match(uow, check.record_hash, check.document_id)
    return PdfVerification(
        signed=check.signed,
        signer=check.signer,
        signing_time_text=local(check.signing_time, tz) if check.signing_time else None,
        intact=check.intact,
        covers_whole_file=check.covers_whole_file,
        trusted=check.trusted,
        record_hash=check.record_hash,
        document_id=check.document_id,
        record_match=match,
        matches_database=ok,
        problem=check.problem,
    )


def _match(uow: UnitOfWork, record_hash: str | None, document_id: str | None) -> tuple[str, bool]:
    if not record_hash:
        return "the PDF has no embedded record hash: not an SLI Desk report", False
    found = _DOC_ID.match(document_id or "")
    procedure_id = int(found.group(1)) if found else None
    with uow.read() as tx:
        if procedure_id is None or tx.procedures.get(procedure_id) is None:
            return "no procedure of this database is named by the document", False
        versions = tx.repo(SigningRepository).versions(procedure_id)
        for v in versions:
            if v.content_hash == record_hash:
                latest = v.version == versions[-1].version
                note = (
                    "the current signed version"
                    if latest
                    else (f"superseded by version {versions[-1].version}")
                )
                return (
                    f"MATCHES signed version {v.version} of procedure {procedure_id} ({note})",
                    True,
                )
        live = build_snapshot(tx, procedure_id).content_hash
        row = tx.procedures.get(procedure_id)
        if live == record_hash:
            status = ProcedureStatus(row.status).label.lower() if row else "?"
            return (
                f"MATCHES the current (unsigned, {status}) record of procedure {procedure_id}",
                True,
            )
    return (
        f"DOES NOT MATCH procedure {procedure_id}: the record has changed since this PDF was "
        "made, or the PDF is not from this database",
        False,
    )


def _seal(pdf: bytes, key_folder: Path | None, document_id: str) -> tuple[bytes | None, str | None]:
    from slidesk.reports.certificates import SigningKeyError, load_signing_key
    from slidesk.reports.pdfsign import sign_pdf

    try:
        key = load_signing_key(key_folder)
        return sign_pdf(
            pdf, key, reason=f"SLI Desk report {document_id}", location="SLI Desk"
        ), None
    except SigningKeyError as exc:
        log.warning("report issued without a digital seal: %s", exc)
        return None, str(exc)


def _zone_of(issued_with: str | None) -> str | None:
    if not issued_with:
        return None
    zone = json.loads(issued_with).get("time_zone")
    return zone if isinstance(zone, str) else None


def _checkpoint_of(issued_with: str | None) -> str:
    """The checkpoint an archived report printed, from what was kept with it."""
    stored = json.loads(issued_with).get("checkpoint", "") if issued_with else ""
    if isinstance(stored, dict):
        return CheckpointMark(int(stored["n"]), int(stored["seq"]), str(stored["head"])).text()
    return mark_text(None) if stored is None else ""


def _version_of(document_id: str, signed: bool) -> int | None:
    found = re.search(r"-V(\d+)-", document_id)
    return int(found.group(1)) if found and signed else None


def write_pdf(path: Path, data: bytes) -> None:
    """Write a PDF atomically (a half-written report is never left behind)."""
    if path.suffix.lower() != ".pdf":
        raise ValidationError("Save the report as a .pdf file.")
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
