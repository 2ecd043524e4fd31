"""Where a procedure stands for signing: the pre-signing review with its meanings, versions,
open amendment and integrity, read inside a transaction (for the services, reports, verify).

The findings on the record are `review.review_findings`, the rules `domain.signing`. Must not
import Qt or the signing services (which build on this).
"""

from __future__ import annotations

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.signing import Finding, Severity, amendment_findings
from slidesk.persistence.rows.core import ProcedureRow
from slidesk.persistence.rows.signing import SigningRepository
from slidesk.persistence.transaction import Transaction
from slidesk.services.procedure.views import procedure_protocol
from slidesk.services.procedure.workspace import reconciliation_in
from slidesk.services.record.changes import amendment_changes
from slidesk.services.record.snapshot import RecordSnapshot, build_snapshot, stored_snapshot
from slidesk.services.settings import zone_in
from slidesk.services.signing.dto import MeaningStatus, SigningReview
from slidesk.services.signing.review import review_findings
from slidesk.services.signing.versions import (
    amendment_view,
    integrity_problem,
    signature_view,
    version_views,
)


def review_in(tx: Transaction, row: ProcedureRow) -> SigningReview:
    """The review of a procedure inside an open transaction (for reports and verify)."""
    protocol = procedure_protocol(tx, row)
    status = ProcedureStatus(row.status)
    repo = tx.repo(SigningRepository)
    snapshot = build_snapshot(tx, row.id)
    current_hash = snapshot.content_hash
    versions = version_views(tx, row.id)
    latest = versions[-1] if versions else None
    integrity = integrity_problem(tx, row.id, status, latest, snapshot)
    if status is ProcedureStatus.SIGNED and latest is not None:
        version, target = latest.version, latest.content_hash
    else:
        version, target = (latest.version + 1 if latest else 1), current_hash
    signatures = [signature_view(s) for s in repo.signatures(row.id) if s.version == version]
    meanings = tuple(
        MeaningStatus(
            role=m.role,
            meaning=m.meaning,
            required=m.required,
            signature=next(
                (s for s in signatures if s.meaning_role == m.role and s.content_hash == target),
                None,
            ),
            superseded=tuple(
                s for s in signatures if s.meaning_role == m.role and s.content_hash != target
            ),
        )
        for m in protocol.signatures
    )
    amendment = None
    if status is ProcedureStatus.AMENDED:
        opened = [a for a in repo.amendments(row.id) if a.version == version]
        amendment = amendment_view(opened[-1], tx.users.names()) if opened else None
    findings = review_findings(
        snapshot,
        protocol,
        status,
        integrity_problem=integrity,
        unaccounted_syringes=reconciliation_in(tx, row).unaccounted,
    )
    # After signing the review still lists every deviation, skip, late entry and gap: what
    # was signed does not stop being unusual, and a later (optional) signer must see it too.
    if status is ProcedureStatus.AMENDED and latest is not None:
        # Whoever signs an amended record confirms each change since the last signed version.
        amended = findings + changes_since(tx, row.id, latest.version, snapshot)
        # What blocks signing first (an amendment that changed nothing), the order otherwise kept.
        findings = tuple(sorted(amended, key=lambda f: f.severity is not Severity.BLOCKING))
    return SigningReview(
        procedure_id=row.id,
        study_id=snapshot.study_id,
        status=status,
        version=version,
        content_hash=target,
        findings=findings,
        meanings=meanings,
        versions=versions,
        open_amendment=amendment,
        integrity_problem=integrity,
    )


def changes_since(
    tx: Transaction, procedure_id: int, version: int, snapshot: RecordSnapshot
) -> tuple[Finding, ...]:
    """The findings of an amended record against its last signed version (domain rule)."""
    stored = next(
        (v for v in tx.repo(SigningRepository).versions(procedure_id) if v.version == version),
        None,
    )
    if stored is None:
        return ()
    protocol = tx.protocols.get(snapshot.protocol_key, snapshot.protocol_version)
    lines = amendment_changes(
        tx,
        stored_snapshot(stored.content_json),
        snapshot,
        protocol,
        since=stored.signed_at,
        tz=zone_in(tx),  # entries are named by the site's clock ("Fentanyl 25 µg at 13:28")
    )
    return amendment_findings(version, lines)
