"""What the follow-up services return: immutable snapshots (domain values and these DTOs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from slidesk.domain.followup.model import BASELINE_MONTH, Amputation, VisitEntry, VisitStatus
from slidesk.domain.followup.rand36 import ScaleScore
from slidesk.domain.followup.schedule import DueState, VisitWindow
from slidesk.domain.followup.vascular import AbiMethod, Ratio
from slidesk.domain.followup.visit_order import time_point_label
from slidesk.outcomes import Criterion, Verdict
from slidesk.services.dto import PersonRef, SubjectView


@dataclass(frozen=True, slots=True)
class CriterionView:
    key: str
    title: str
    status: Criterion
    reason: str


@dataclass(frozen=True, slots=True)
class VerdictView:
    """A stored therapy-success verdict, as computed from its recorded inputs."""

    visit_id: int
    month: int
    verdict: Verdict
    criteria: tuple[CriterionView, ...]
    algorithm_version: str
    inputs_json: str
    computed_at: datetime
    primary: bool  # the protocol's primary time point
    provisional: bool  # the visit is not signed yet


@dataclass(frozen=True, slots=True)
class VisitView:
    id: int
    subject_id: int
    month: int
    status: VisitStatus
    entry: VisitEntry
    window: VisitWindow | None
    outside_window_days: int  # 0 inside the window (or no window); <0 early, >0 late
    assessor: PersonRef | None
    created_at: datetime
    created_by: PersonRef
    updated_at: datetime
    updated_by: PersonRef
    signed_at: datetime | None
    signed_by: PersonRef | None
    blanks: tuple[str, ...]
    warnings: tuple[str, ...]
    abi: Ratio
    tbi: Ratio
    rand36_scores: tuple[ScaleScore, ...] | None
    verdict: VerdictView | None
    other_amputations: tuple[Amputation, ...]  # reported at the subject's other visits

    @property
    def label(self) -> str:
        return time_point_label(self.month)

    @property
    def is_baseline(self) -> bool:
        return self.month == BASELINE_MONTH

    @property
    def editable(self) -> bool:
        return self.status is not VisitStatus.SIGNED


@dataclass(frozen=True, slots=True)
class TimePointView:
    month: int
    window: VisitWindow | None
    state: DueState | None  # None for the baseline and when no procedure date is known
    visit: VisitView | None

    @property
    def label(self) -> str:
        return time_point_label(self.month)


@dataclass(frozen=True, slots=True)
class SubjectOutcomes:
    subject: SubjectView
    procedure_date: date | None
    procedure_date_note: str  # where the date comes from
    primary_month: int
    time_points: tuple[TimePointView, ...]
    deceased_on: date | None
    today: date
    abi_method: AbiMethod  # for new visits, from the protocol
    eq5d_version: str  # default questionnaire versions, from the protocol
    rand36_version: str
    fontaine_cutoff_m: int

    def time_point(self, month: int) -> TimePointView:
        return next(t for t in self.time_points if t.month == month)


@dataclass(frozen=True, slots=True)
class DueVisit:
    """One visit to plan or chase, for the home screen."""

    subject_id: int
    study_id: str
    month: int
    window: VisitWindow | None  # None for a missing baseline
    state: DueState
    days: int  # days until the window opens (upcoming), left (due) or past closing (overdue)

    @property
    def label(self) -> str:
        return time_point_label(self.month)


@dataclass(frozen=True, slots=True)
class EntryPreview:
    """What the form shows live while typing: derived values, blanks, warnings."""

    abi: Ratio
    tbi: Ratio
    rand36_scores: tuple[ScaleScore, ...] | None
    blanks: tuple[str, ...]
    warnings: tuple[str, ...]
