"""Electronic signatures, locking and amendments (21 CFR 11.50/11.70/11.200; LCK-01…05).

- `review_for_signing` lists what blocks signing and what must be acknowledged.
- `sign_record` re-authenticates the signer (username + password, at that moment), checks the
  signer holds the meaning's role and is the named person for "I did this" meanings, and writes
  an append-only signature over the SHA-256 of the record's canonical content. When every
  required meaning is signed over the same content, that content is frozen as version n and the
  procedure becomes SIGNED (read-only for every service).
- `open_amendment` reopens a signed record for audited correction, with a reason and the
  opener's password typed now; the amended record needs new signatures and becomes version
  n+1. Earlier versions stay as they were.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence

from slidesk.clock import Clock
from slidesk.domain.checkpoints import CheckpointReason
from slidesk.domain.errors import (
    ConflictError,
    DomainError,
    PermissionDenied,
    StateError,
    ValidationError,
)
from slidesk.domain.events import AuditEvent
from slidesk.domain.free_text import free_text
from slidesk.domain.procedure.model import ProcedureStatus, check_transition, require_status
from slidesk.domain.signing import (
    PERSONAL_MEANINGS,
    SIGNATURE_METHOD,
    Finding,
    Severity,
    roles_for_meaning,
    signing_role,
)
from slidesk.domain.users import Actor, Permission
from slidesk.i18n import _
from slidesk.integrity.chain import canonical_json
from slidesk.persistence.rows.core import ProcedureRow
from slidesk.persistence.rows.signing import (
    AmendmentRow,
    RecordVersionRow,
    SignatureRow,
    SigningRepository,
)
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.protocol.model import SignatureMeaning
from slidesk.services.accounts import service as accounts
from slidesk.services.accounts.service import PasswordHasher
from slidesk.services.boundary import boundary
from slidesk.services.dto import PersonRef
from slidesk.services.procedure.views import load_procedure, procedure_protocol
from slidesk.services.procedure.workspace import reconciliation_in
from slidesk.services.record.codec import stored_schema
from slidesk.services.record.snapshot import (
    RecordSnapshot,
    build_snapshot,
    hash_text,
    live_hash,
    stored_snapshot,
)
from slidesk.services.record.v1 import RecordSnapshotV1
from slidesk.services.signing.dto import (
    RECORD_CHANGED,
    AmendmentView,
    MeaningStatus,
    SignatureView,
    SigningResult,
    SigningReview,
    VersionView,
)
from slidesk.services.signing.review import review_findings

_OPEN_FOR_SIGNING = (ProcedureStatus.COMPLETED, ProcedureStatus.AMENDED)


@boundary
def review_for_signing(*, uow: UnitOfWork, actor: Actor, procedure_id: int) -> SigningReview:
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        return review_in(tx, load_procedure(tx, procedure_id))


@boundary
def sign_record(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    procedure_id: int,
    meaning_role: str,
    username: str,
    password: str,
    acknowledged: Collection[str] = (),
    hasher: PasswordHasher | None = None,
) -> SigningResult:
    """Sign as the person whose username and password are typed now (never on behalf).

    `actor` is whoever is at the keyboard; the signer is who re-authenticates. A wrong password,
    another user's password or an inactive account is refused and logged by `authenticate`;
    nothing is written to the signature table then.
    """
    actor.require(Permission.READ_RECORDS)
    signer = accounts.authenticate(
        uow=uow,
        clock=clock,
        username=username,
        password=password,
        hasher=hasher,
        purpose="signature",
    )
    try:
        result = _sign(uow, clock, signer, procedure_id, meaning_role, set(acknowledged))
    except DomainError as exc:
        # A refused signature leaves no signature row, but the attempt is in the trail.
        with uow.begin(actor=signer, clock=clock) as tx:
            tx.event(
                event_type="signature.refused",
                entity="procedures",
                entity_id=str(procedure_id),
                procedure_id=procedure_id,
                details={"meaning": meaning_role, "why": exc.message},
            )
            tx.commit()
        raise
    uow.milestone(clock, CheckpointReason.SIGNATURE)
    return result


def _sign(
    uow: UnitOfWork,
    clock: Clock,
    signer: Actor,
    procedure_id: int,
    meaning_role: str,
    acknowledged: set[str],
) -> SigningResult:
    signer.require(Permission.SIGN_RECORDS)
    role = signing_role(meaning_role, signer.roles)
    with uow.begin(actor=signer, clock=clock, role=role) as tx:
        row = load_procedure(tx, procedure_id)
        protocol = procedure_protocol(tx, row)
        meaning = _meaning(protocol.signatures, meaning_role)
        if role is None:
            allowed = " or ".join(sorted(r.value for r in roles_for_meaning(meaning_role)))
            raise PermissionDenied(
                f"{signer.full_name} does not hold the {allowed} role needed to sign "
                f"“{meaning.meaning}”. Nobody signs on behalf of someone else."
            )
        _require_named_person(row, meaning_role, signer)
        review = review_in(tx, row)
        if review.blocking:
            raise StateError(
                "The record cannot be signed yet: "
                + " ".join(f.message for f in review.blocking[:5])
            )
        status = ProcedureStatus(row.status)
        current = review.meaning(meaning_role)
        if current.signature is not None:
            who = current.signature.signer_full_name
            raise ConflictError(f"“{meaning.meaning}” is already signed by {who} for this version.")
        if status is ProcedureStatus.SIGNED and meaning.required:
            raise StateError("The record is signed and locked; open an amendment to change it.")
        for other in review.meanings:
            if other.signature is not None and other.signature.signer_id == signer.user_id:
                raise ConflictError(
                    f"{signer.full_name} already signed this version as “{other.meaning}”; "
                    "each meaning needs a different person."
                )
        missing = [f for f in review.warnings if f.code not in acknowledged]
        if missing:
            raise ValidationError(
                f"Acknowledge {len(missing)} warning(s) before signing: "
                + " ".join(f.message for f in missing[:3])
            )
        signature = SignatureRow(
            procedure_id=row.id,
            version=review.version,
            signer_id=signer.user_id,
            signer_username=signer.username,
            signer_full_name=signer.full_name,
            signer_role=role.value,
            meaning_role=meaning_role,
            meaning=meaning.meaning,
            signed_at=tx.now,
            utc_offset_min=clock.local_offset_minutes(tx.now),
            content_hash=review.content_hash,
            method=SIGNATURE_METHOD,
            acknowledged=canonical_json([f.message for f in review.warnings]),
        )
        tx.add(
            signature,
            event_type="signature.applied",
            procedure_id=row.id,
            subject_id=row.subject_id,
        )
        tx.session.flush()
        completed = False
        if status in _OPEN_FOR_SIGNING:
            done = {m.role: m.signature for m in review.meanings if m.signature is not None}
            done[meaning_role] = _signature_view(signature)
            if all(done.get(m.role) for m in review.meanings if m.required):
                offset = clock.local_offset_minutes(tx.now)
                _complete_version(tx, row, review, [s.id for s in done.values() if s], offset)
                completed = True
        tx.commit()
        view = _signature_view(signature)
    with uow.read() as tx:
        fresh = review_in(tx, load_procedure(tx, procedure_id))
    return SigningResult(
        signature=view, status=fresh.status, version_completed=completed, review=fresh
    )


@boundary
def open_amendment(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    procedure_id: int,
    reason: str,
    password: str,
    hasher: PasswordHasher | None = None,
) -> AmendmentView:
    """Reopen a signed record for correction; the reason heads the amended version's report.

    An amendment reopens signed source data, so like a signature it needs the opener's own
    password typed now: checked by `accounts.authenticate` with the account's hasher, a wrong
    one is refused with the sign-in message and counted like a failed sign-in (five lock the
    account), and nothing is opened.
    """
    _require_amender(actor)
    why = free_text(reason, "Amendment reason", required=True) or ""
    opener = accounts.authenticate(
        uow=uow,
        clock=clock,
        username=actor.username,
        password=password,
        hasher=hasher,
        purpose="amendment",
        success_event=AuditEvent.AUTH_AMENDMENT,
    )
    _require_amender(opener)  # the roles as they are now, not as they were at sign-in
    with uow.begin(actor=opener, clock=clock) as tx:
        row = load_procedure(tx, procedure_id)
        require_status(ProcedureStatus(row.status), [ProcedureStatus.SIGNED], "open an amendment")
        check_transition(ProcedureStatus.SIGNED, ProcedureStatus.AMENDED)
        repo = tx.repo(SigningRepository)
        latest = max((v.version for v in repo.versions(row.id)), default=0)
        amendment = AmendmentRow(
            procedure_id=row.id,
            version=latest + 1,
            reason=why,
            opened_at=tx.now,
            opened_by=opener.user_id,
        )
        tx.add(amendment, event_type="amendment.opened", subject_id=row.subject_id, reason=why)
        tx.change(
            row,
            event_type="procedure.amendment_opened",
            reason=why,
            procedure_id=row.id,
            subject_id=row.subject_id,
            status=ProcedureStatus.AMENDED.value,
        )
        tx.commit()
        return _amendment_view(amendment, tx.users.names())


def _require_amender(actor: Actor) -> None:
    """Who records the procedure (operator or sedation nurse) may amend it."""
    if not (actor.can(Permission.RECORD_INJECTION) or actor.can(Permission.RECORD_SEDATION)):
        actor.require(Permission.RECORD_INJECTION)


@boundary
def list_versions(*, uow: UnitOfWork, actor: Actor, procedure_id: int) -> tuple[VersionView, ...]:
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        load_procedure(tx, procedure_id)
        return version_views(tx, procedure_id)


# --- internals -------------------------------------------------------------------------------


def _meaning(meanings: Sequence[SignatureMeaning], role: str) -> SignatureMeaning:
    for m in meanings:
        if m.role == role:
            return m
    known = ", ".join(m.role for m in meanings) or "none"
    raise ValidationError(f"The protocol has no signature meaning '{role}' (it has: {known}).")


def _require_named_person(row: ProcedureRow, meaning_role: str, signer: Actor) -> None:
    """Only the person who did the work may sign that they did it (SIG-06)."""
    if meaning_role not in PERSONAL_MEANINGS:
        return
    named = row.operator_id if meaning_role == "operator" else row.nurse_id
    if signer.user_id != named:
        what = "operator" if meaning_role == "operator" else "sedation nurse"
        raise PermissionDenied(
            f"Only the procedure's {what} can give this signature; {signer.full_name} is not "
            "named on this procedure. Nobody signs on behalf of someone else."
        )


def _complete_version(
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
    tx.add(version, event_type="record.version_signed", subject_id=row.subject_id)
    check_transition(ProcedureStatus(row.status), ProcedureStatus.SIGNED)
    tx.change(
        row,
        event_type="procedure.signed",
        reason=f"all required signatures given (version {review.version})",
        procedure_id=row.id,
        subject_id=row.subject_id,
        status=ProcedureStatus.SIGNED.value,
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
    integrity = _integrity_problem(tx, row.id, status, latest, snapshot)
    if status is ProcedureStatus.SIGNED and latest is not None:
        version, target = latest.version, latest.content_hash
    else:
        version, target = (latest.version + 1 if latest else 1), current_hash
    signatures = [_signature_view(s) for s in repo.signatures(row.id) if s.version == version]
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
        amendment = _amendment_view(opened[-1], tx.users.names()) if opened else None
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
        amended = findings + _amendment_findings(tx, row.id, latest.version, snapshot)
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


def _amendment_findings(
    tx: Transaction, procedure_id: int, version: int, snapshot: RecordSnapshot
) -> tuple[Finding, ...]:
    from slidesk.services.reporting.changes import amendment_changes
    from slidesk.services.workstation.settings import zone_in

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
    if not lines:
        # An amendment exists to change the record: signing it unchanged would make a new
        # version that says nothing new. Refused until something is corrected or added.
        return (
            Finding(
                "amendment-unchanged",
                Severity.BLOCKING,
                _(
                    "Nothing has changed since version {version}: correct the record in the "
                    "workspace (each change with its reason) before anyone signs the amendment."
                ).format(version=version),
            ),
        )
    return tuple(
        Finding(
            f"amended:{hashlib.sha256(line.encode()).hexdigest()[:10]}",
            Severity.WARNING,
            f"Changed since version {version}: {line}",
        )
        for line in lines
    )


def _integrity_problem(
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


def version_views(tx: Transaction, procedure_id: int) -> tuple[VersionView, ...]:
    """Every signed version of a procedure, oldest first, inside an open transaction."""
    repo = tx.repo(SigningRepository)
    names = tx.users.names()
    amendments = {a.version: _amendment_view(a, names) for a in repo.amendments(procedure_id)}
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
                signatures=tuple(_signature_view(s) for s in sigs),
                superseded_by=rows[i + 1].version if i + 1 < len(rows) else None,
                content_intact=hash_text(v.content_json) == v.content_hash,
            )
        )
    return tuple(views)


def _signature_view(row: SignatureRow) -> SignatureView:
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


def _amendment_view(row: AmendmentRow, names: dict[int, str]) -> AmendmentView:
    return AmendmentView(
        procedure_id=row.procedure_id,
        version=row.version,
        reason=row.reason,
        opened_at=row.opened_at,
        opened_by=PersonRef(row.opened_by, names.get(row.opened_by, "?")),
    )


@boundary
def snapshot_of_version(
    *, uow: UnitOfWork, actor: Actor, procedure_id: int, version: int
) -> RecordSnapshot | RecordSnapshotV1:
    """The frozen content of a signed version, in the schema it was signed in."""
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        for v in tx.repo(SigningRepository).versions(procedure_id):
            if v.version == version:
                return stored_snapshot(v.content_json)
    raise StateError(f"Procedure {procedure_id} has no signed version {version}.")
