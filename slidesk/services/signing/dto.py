"""What the signing services return: signatures, versions, the pre-signing review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.signing import Finding, Severity
from slidesk.services.dto import PersonRef

RECORD_CHANGED = "signature invalid – record changed"


@dataclass(frozen=True, slots=True)
class SignatureView:
    """One electronic signature as printed and shown: name, date/time with offset, meaning."""

    id: int
    procedure_id: int
    version: int
    signer_id: int
    signer_username: str
    signer_full_name: str
    signer_role: str
    meaning_role: str
    meaning: str
    signed_at: datetime
    utc_offset_min: int
    content_hash: str
    method: str
    acknowledged: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MeaningStatus:
    """One meaning of the protocol's [[signatures]] for the version under signature."""

    role: str
    meaning: str
    required: bool
    signature: SignatureView | None
    # Given on an earlier state of this version that was changed before the version was
    # complete: no longer valid, the person signs again.
    superseded: tuple[SignatureView, ...]


@dataclass(frozen=True, slots=True)
class AmendmentView:
    procedure_id: int
    version: int
    reason: str
    opened_at: datetime
    opened_by: PersonRef


@dataclass(frozen=True, slots=True)
class VersionView:
    """A signed version: frozen content, its hash and the signatures that completed it."""

    procedure_id: int
    version: int
    content_hash: str
    signed_at: datetime
    utc_offset_min: int
    amendment: AmendmentView | None
    signatures: tuple[SignatureView, ...]
    superseded_by: int | None
    content_intact: bool


@dataclass(frozen=True, slots=True)
class SigningReview:
    """What is missing or odd before signing, who has signed, and the record's integrity."""

    procedure_id: int
    study_id: str
    status: ProcedureStatus
    # The version a new signature would cover (the latest signed one when status is SIGNED).
    version: int
    content_hash: str
    findings: tuple[Finding, ...]
    meanings: tuple[MeaningStatus, ...]
    versions: tuple[VersionView, ...]
    open_amendment: AmendmentView | None
    # RECORD_CHANGED (and why) when the signed record no longer matches its signature.
    integrity_problem: str | None

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.BLOCKING)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def signable(self) -> bool:
        """A signature can be added now (there is something unsigned and nothing blocks)."""
        if self.blocking:
            return False
        return any(m.signature is None for m in self.meanings)

    @property
    def complete(self) -> bool:
        return all(m.signature is not None for m in self.meanings if m.required)

    def meaning(self, role: str) -> MeaningStatus:
        for m in self.meanings:
            if m.role == role:
                return m
        raise KeyError(role)


@dataclass(frozen=True, slots=True)
class SigningResult:
    signature: SignatureView
    status: ProcedureStatus
    # True when this signature completed the version (the record is now SIGNED and locked).
    version_completed: bool
    review: SigningReview


@dataclass(frozen=True, slots=True)
class RecordChange:
    """One change of a signed record during its amendment, as the signers review it."""

    at: datetime
    who: str
    what: str  # "Site 12", "Dose #4 (Fentanyl)"
    change: str  # "depth 12.5 mm → 14.0 mm", "added late: happened …", "struck out"
    reason: str


@dataclass(frozen=True, slots=True)
class SignedChanges:
    """What changed since the last signed version (nothing when the record was never signed)."""

    procedure_id: int
    since_version: int | None
    since: datetime | None
    amendment_reason: str | None  # the open amendment's reason, while one is open
    changes: tuple[RecordChange, ...]
