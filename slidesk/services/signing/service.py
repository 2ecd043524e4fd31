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

from collections.abc import Collection, Sequence

from slidesk.clock import Clock
from slidesk.domain.checkpoints import CheckpointReason
from slidesk.domain.errors import (
    DomainError,
    PermissionDenied,
    StateError,
    ValidationError,
)
from slidesk.domain.events import AuditEvent
from slidesk.domain.free_text import free_text
from slidesk.domain.procedure.model import ProcedureStatus, check_transition, require_status
from slidesk.domain.signing import (
    SIGNATURE_METHOD,
    require_named_person,
    require_signable,
    roles_for_meaning,
    signing_role,
    version_complete,
)
from slidesk.domain.users import Actor, Permission
from slidesk.integrity.chain import canonical_json
from slidesk.persistence.rows.signing import (
    AmendmentRow,
    SignatureRow,
    SigningRepository,
)
from slidesk.persistence.uow import UnitOfWork
from slidesk.protocol.model import SignatureMeaning
from slidesk.services.accounts import service as accounts
from slidesk.services.accounts.service import PasswordHasher
from slidesk.services.boundary import boundary
from slidesk.services.procedure.views import load_procedure, procedure_protocol
from slidesk.services.record.snapshot import (
    RecordSnapshot,
    stored_snapshot,
)
from slidesk.services.record.v1 import RecordSnapshotV1
from slidesk.services.signing.dto import (
    AmendmentView,
    SigningResult,
    SigningReview,
    VersionView,
)
from slidesk.services.signing.state import review_in
from slidesk.services.signing.versions import (
    amendment_view,
    complete_version,
    signature_view,
    version_views,
)

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
                event_type=AuditEvent.SIGNATURE_REFUSED,
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
        require_named_person(
            meaning_role,
            signer_id=signer.user_id,
            signer_name=signer.full_name,
            operator_id=row.operator_id,
            nurse_id=row.nurse_id,
        )
        review = review_in(tx, row)
        if review.blocking:
            raise StateError(
                "The record cannot be signed yet: "
                + " ".join(f.message for f in review.blocking[:5])
            )
        status = ProcedureStatus(row.status)
        current = review.meaning(meaning_role)
        require_signable(
            meaning=meaning.meaning,
            required=meaning.required,
            locked=status is ProcedureStatus.SIGNED,
            signed_by=(
                current.signature.signer_full_name if current.signature is not None else None
            ),
            signer_name=signer.full_name,
            signer_signed_as=next(
                (
                    other.meaning
                    for other in review.meanings
                    if other.signature is not None and other.signature.signer_id == signer.user_id
                ),
                None,
            ),
            unacknowledged=[f for f in review.warnings if f.code not in acknowledged],
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
            event_type=AuditEvent.SIGNATURE_APPLIED,
            procedure_id=row.id,
            subject_id=row.subject_id,
        )
        tx.session.flush()
        completed = False
        if status in _OPEN_FOR_SIGNING:
            done = {m.role: m.signature for m in review.meanings if m.signature is not None}
            done[meaning_role] = signature_view(signature)
            if version_complete([m.role for m in review.meanings if m.required], done):
                offset = clock.local_offset_minutes(tx.now)
                complete_version(tx, row, review, [s.id for s in done.values() if s], offset)
                completed = True
        tx.commit()
        view = signature_view(signature)
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
        tx.add(
            amendment, event_type=AuditEvent.AMENDMENT_OPENED, subject_id=row.subject_id, reason=why
        )
        tx.change(
            row,
            event_type=AuditEvent.PROCEDURE_AMENDMENT_OPENED,
            reason=why,
            procedure_id=row.id,
            subject_id=row.subject_id,
            status=ProcedureStatus.AMENDED.value,
        )
        tx.commit()
        return amendment_view(amendment, tx.users.names())


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
