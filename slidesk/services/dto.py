"""What services return to the GUI: immutable snapshots, never ORM rows or sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from slidesk.domain.procedure.model import EntryKind, ProcedureStatus, SiteState, SkipReason
from slidesk.domain.users import Role
from slidesk.domain.values import Depth, Limb, Volume


@dataclass(frozen=True, slots=True)
class PersonRef:
    id: int
    full_name: str


@dataclass(frozen=True, slots=True)
class UserView:
    id: int
    username: str
    full_name: str
    roles: frozenset[Role]
    active: bool
    must_change_password: bool
    locked_until: datetime | None
    last_login_at: datetime | None


@dataclass(frozen=True, slots=True)
class SubjectView:
    id: int
    study_id: str
    index_limb: Limb
    centre: str


@dataclass(frozen=True, slots=True)
class EntryView:
    """One entry at a site (injected or skipped), voided ones included for the history."""

    id: int
    site_no: int
    kind: EntryKind
    performed_at: datetime
    recorded_at: datetime
    depth: Depth | None
    volume: Volume | None
    syringe_label: str | None
    performer: PersonRef
    recorder: PersonRef
    deviation_reason: str | None
    skip_reason: SkipReason | None
    skip_detail: str | None
    relocated: bool
    actual_x: Decimal | None
    actual_y: Decimal | None
    voided: bool
    void_reason: str | None


@dataclass(frozen=True, slots=True)
class SiteView:
    number: int
    label: str
    muscle: str
    view: str
    x: Decimal
    y: Decimal
    order_index: int
    state: SiteState
    entry: EntryView | None


@dataclass(frozen=True, slots=True)
class ProcedureView:
    """Everything the workspace shows about one procedure, as of its last commit."""

    id: int
    subject: SubjectView
    protocol_key: str
    protocol_version: str
    kit_number: str
    location: str
    status: ProcedureStatus
    operator: PersonRef
    nurse: PersonRef
    product_release_at: datetime | None
    planned_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    sites: tuple[SiteView, ...]
    entries: tuple[EntryView, ...]
    next_site_no: int | None
    injected_count: int
    skipped_count: int
    deviation_count: int
    injected_volume: Volume
    last_saved_at: datetime | None

    @property
    def total_sites(self) -> int:
        return len(self.sites)

    @property
    def finished_count(self) -> int:
        return self.injected_count + self.skipped_count

    def site(self, number: int) -> SiteView:
        for site in self.sites:
            if site.number == number:
                return site
        raise KeyError(number)


@dataclass(frozen=True, slots=True)
class ProcedureSummary:
    id: int
    study_id: str
    index_limb: Limb
    status: ProcedureStatus
    planned_at: datetime
    started_at: datetime | None
    injected_count: int
    total_sites: int
    operator_name: str
    kit_number: str


@dataclass(frozen=True, slots=True)
class ProcedurePage:
    total: int
    offset: int
    rows: tuple[ProcedureSummary, ...]
