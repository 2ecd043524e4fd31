"""Signed versions of a record: their views, whether they still hold, freezing a new one.

Used inside a transaction a signing service opened; reads `SigningRepository` and the record
snapshot. Must not import Qt, the reporting context or the signing services themselves.
"""

from __future__ import annotations

import json

from slidesk.domain.events import AuditEvent
from slidesk.domain.procedure.model import ProcedureStatus, check_transition
from slidesk.integrity.chain import canonical_json
from slidesk.persistence.rows.core import ProcedureRow
from slidesk.persistence.rows.signing import (
    AmendmentRow,
    RecordVersionRow,
    SignatureRow,
    SigningRepository,
)
from slidesk.persistence.transaction import Transaction
from slidesk.services.dto import PersonRef
from slidesk.services.record.codec import stored_schema
from slidesk.services.record.snapshot import RecordSnapshot, build_snapshot, hash_text, live_hash
from slidesk.services.signing.dto import (
    RECORD_CHANGED,
    AmendmentView,
    SignatureView,
    SigningReview,
    VersionView,
)


def version_views(tx: Transaction, procedure_id: int) -> tuple[VersionView, ...]:
    """Every signed version of a procedure, oldest first, inside an open transaction."""
    repo = tx.repo(SigningRepository)
    names = tx.users.names()
    amendments = {a.version: amendment_view(a, names) for a in repo.amendments(procedure_id)}
    signatures = {s.id: s for s in repo.signatures(procedure_id)}
    rows = repo.versions(procedure_id)
    views = []
    for i, v in enumerate(rows):
        ids = json.loads(v.signature_ids)
        # Optional signatures (a later review) given over the same content also belong here.
        sigs = [
            s
            for s in signatures.values()
            if s.version == v.version and (s.id in ids or s.content_hash == v.content_hash)
        ]
        views.append(
            VersionView(
                procedure_id=procedure_id,
                version=v.version,
                content_hash=v.content_hash,
                signed_at=v.signed_at,
                utc_offset_min=v.utc_offset_min,
                amendment=amendments.get(v.version),
                signatures=tuple(signature_view(s) for s in sigs),
                superseded_by=rows[i + 1].version if i + 1 < len(rows) else None,
                content_intact=hash_text(v.content_json) == v.content_hash,
            )
        )
    return tuple(views)


def integrity_problem(
    tx: Transaction,
    procedure_id: int,
    status: ProcedureStatus,
    latest: VersionView | None,
    current: RecordSnapshot,
) -> str | None:
    """Whether the latest signed version still holds, and (while SIGNED) still is the record.

    The live record is rebuilt in the schema the version was signed in (`live_hash`): a
    version signed before the snapshot grew is compared with what that schema holds.
    """
    if latest is None:
        return None
    if not latest.content_intact:
        return f"{RECORD_CHANGED}: the stored content of version {latest.version} was altered."
    if status is ProcedureStatus.SIGNED:
        stored = tx.repo(SigningRepository).versions(procedure_id)[-1]
        schema = stored_schema(stored.content_json)
        live = (
            current.content_hash
            if schema == current.schema
            else live_hash(tx, procedure_id, schema)
        )
        if live != latest.content_hash:
            return (
                f"{RECORD_CHANGED}: the record no longer matches signed version {latest.version}."
            )
    return None


def complete_version(
    tx: Transaction,
    row: ProcedureRow,
    review: SigningReview,
    signature_ids: list[int],
    utc_offset_min: int,
) -> None:
    snapshot = build_snapshot(tx, row.id)
    content = snapshot.to_json()
    version = RecordVersionRow(
        procedure_id=row.id,
        version=review.version,
        content_json=content,
        content_hash=hash_text(content),
        signed_at=tx.now,
        utc_offset_min=utc_offset_min,
        signature_ids=canonical_json(sorted(signature_ids)),
    )
    tx.add(version, event_type=AuditEvent.RECORD_VERSION_SIGNED, subject_id=row.subject_id)
    check_transition(ProcedureStatus(row.status), ProcedureStatus.SIGNED)
    tx.change(
        row,
        event_type=AuditEvent.PROCEDURE_SIGNED,
        reason=f"all required signatures given (version {review.version})",
        procedure_id=row.id,
        subject_id=row.subject_id,
        status=ProcedureStatus.SIGNED.value,
    )


def signature_view(row: SignatureRow) -> SignatureView:
    return SignatureView(
        id=row.id,
        procedure_id=row.procedure_id,
        version=row.version,
        signer_id=row.signer_id,
        signer_username=row.signer_username,
        signer_full_name=row.signer_full_name,
        signer_role=row.signer_role,
        meaning_role=row.meaning_role,
        meaning=row.meaning,
        signed_at=row.signed_at,
        utc_offset_min=row.utc_offset_min,
        content_hash=row.content_hash,
        method=row.method,
        acknowledged=tuple(json.loads(row.acknowledged)),
    )


def amendment_view(row: AmendmentRow, names: dict[int, str]) -> AmendmentView:
    return AmendmentView(
        procedure_id=row.procedure_id,
        version=row.version,
        reason=row.reason,
        opened_at=row.opened_at,
        opened_by=PersonRef(row.opened_by, names.get(row.opened_by, "?")),
    )
