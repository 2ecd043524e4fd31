"""Checks for `slidesk verify`: every signature still matches what it signed.

For each signed version: its stored content still hashes to its recorded hash; each signature
that completed it was given over that hash; and, while the record is SIGNED, the live record
still equals its latest signed version, rebuilt in the snapshot schema that version was signed
in (a raw-SQL edit of a signed value is reported as "signature invalid – record changed").
Issued PDFs still match their recorded SHA-256. Read-only.
"""

from __future__ import annotations

import hashlib
import json
import logging

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.i18n import _
from slidesk.persistence.rows.signing import SigningRepository
from slidesk.persistence.transaction import Transaction
from slidesk.services.record.codec import stored_schema
from slidesk.services.record.snapshot import hash_text, live_hash
from slidesk.services.signing.dto import RECORD_CHANGED

log = logging.getLogger(__name__)


def signature_problems(tx: Transaction) -> list[str]:
    repo = tx.repo(SigningRepository)
    problems: list[str] = []
    for procedure_id in repo.signed_procedure_ids():
        try:
            problems.extend(_procedure_problems(tx, repo, procedure_id))
        except Exception as exc:  # a record that cannot be read is a finding
            log.info("procedure %s could not be checked", procedure_id, exc_info=exc)
            problems.append(
                _("procedure {id}: the signed record cannot be read to check it: {problem}").format(
                    id=procedure_id, problem=f"{type(exc).__name__}: {exc}"
                )
            )
    for doc in repo.all_documents():
        if not isinstance(doc.pdf, bytes) or hashlib.sha256(doc.pdf).hexdigest() != doc.pdf_sha256:
            problems.append(
                f"report {doc.document_id} (procedure {doc.procedure_id}): the archived PDF "
                "no longer matches its recorded SHA-256"
            )
    return problems


def _procedure_problems(tx: Transaction, repo: SigningRepository, procedure_id: int) -> list[str]:
    problems: list[str] = []
    versions = repo.versions(procedure_id)
    signatures = {s.id: s for s in repo.signatures(procedure_id)}
    for v in versions:
        where = f"procedure {procedure_id} version {v.version}"
        if hash_text(v.content_json) != v.content_hash:
            problems.append(f"{where}: {RECORD_CHANGED} (the stored signed content was altered)")
        for sig_id in json.loads(v.signature_ids):
            sig = signatures.get(sig_id)
            if sig is None:
                problems.append(f"{where}: signature {sig_id} is missing")
            elif sig.content_hash != v.content_hash or sig.version != v.version:
                problems.append(
                    f"{where}: signature {sig_id} ({sig.signer_full_name}, {sig.meaning}) "
                    f"does not cover this version's content: {RECORD_CHANGED}"
                )
    procedure = tx.procedures.get(procedure_id)
    if procedure is not None and procedure.status == ProcedureStatus.SIGNED.value and versions:
        latest = versions[-1]
        # Rebuilt in the schema the version was signed in (see record_snapshot.live_hash).
        try:
            live = live_hash(tx, procedure_id, stored_schema(latest.content_json))
        except ValueError as exc:
            problems.append(f"procedure {procedure_id} version {latest.version}: {exc}")
            return problems
        if live != latest.content_hash:
            problems.append(
                f"procedure {procedure_id}: {RECORD_CHANGED} since version {latest.version} "
                "was signed (the live record differs from what was signed)"
            )
    return problems
