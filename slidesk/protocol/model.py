"""What a trial protocol says, as frozen dataclasses: the product, the sites, the ranges, the
drugs, the checklist, the follow-up schedule, the signatures.

Plain values only: no file reading and no validation (that is `reader` and the section
parsers), no database, no Qt. Imports only the domain's value types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from slidesk.domain.sedation.vitals import VitalAlarmLimits
from slidesk.domain.users import Role
from slidesk.outcomes import ALGORITHM_VERSION

VIEWS = ("front", "back")
MEDICATION_KINDS = ("analgesic", "sedative", "reversal", "other")
DOSE_UNITS = ("ug", "mg", "g", "mL", "L/min", "IU")


class ProtocolError(ValueError):
    """The protocol file is unusable; the message names file, key and problem."""


@dataclass(frozen=True, slots=True)
class Site:
    number: int
    label: str
    muscle: str
    view: str
    x: Decimal
    y: Decimal


@dataclass(frozen=True, slots=True)
class InjectionSpec:
    depth_min_mm: Decimal
    depth_max_mm: Decimal
    depth_default_mm: Decimal
    volume_ml: Decimal
    volume_min_ml: Decimal
    volume_max_ml: Decimal


@dataclass(frozen=True, slots=True)
class Product:
    name: str
    cells_per_site: int
    syringes_per_kit: int
    kit_pattern: str
    kit_example: str
    syringe_pattern: str
    syringe_example: str
    syringe_format: str
    use_by_minutes: int
    use_by_warning_minutes: int


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    key: str
    text: str
    # The roles that confirm it, each by its own person (slidesk.domain.procedure.checklist).
    confirm_by: tuple[Role, ...]


@dataclass(frozen=True, slots=True)
class Medication:
    key: str
    name: str
    unit: str
    route: str
    kind: str
    increments: tuple[Decimal, ...]
    single_max: Decimal | None
    cumulative_warning: Decimal | None
    cumulative_max: Decimal | None


@dataclass(frozen=True, slots=True)
class SedationSpec:
    scale: str
    vitals_interval_minutes: int
    discharge_aldrete_min: int
    # A sedation score older than this at an injection is shown as stale (per-site sedation).
    score_interval_minutes: int
    # Vital-sign alarm thresholds ([sedation.alarms]); the defaults are the common ones.
    alarms: VitalAlarmLimits = field(default_factory=VitalAlarmLimits)


# Procedure-related adverse-event terms offered as a short list (free text stays possible).
DEFAULT_AE_TERMS = (
    "Injection-site haematoma",
    "Injection-site pain",
    "Injection-site bleeding",
    "Vasovagal reaction",
    "Allergic reaction",
    "Hypotension",
    "Respiratory depression",
    "Desaturation",
    "Nausea",
    "Vomiting",
    "Bradycardia",
    "Injection-site infection",
    "Paraesthesia",
    "Fever",
)


@dataclass(frozen=True, slots=True)
class AdverseEventSpec:
    terms: tuple[str, ...] = DEFAULT_AE_TERMS
    relatedness: tuple[str, ...] = ("unrelated", "unlikely", "possible", "probable", "definite")
    related_from: str = "possible"
    expectedness: tuple[str, ...] = ("expected", "unexpected", "not assessed")
    sae_report_hours: int = 24


@dataclass(frozen=True, slots=True)
class FollowUpVisit:
    month: int
    window_before_days: int
    window_after_days: int


@dataclass(frozen=True, slots=True)
class OutcomeRules:
    """The [outcomes] table: therapy-success thresholds and follow-up instruments."""

    algorithm: str = ALGORITHM_VERSION
    primary_month: int = 6
    rutherford_improvement: int = 1
    vas_improvement_mm: int = 1
    fontaine_walk_cutoff_m: int = 200
    abi_method: str = "higher_ankle"
    eq5d_version: str = "EQ-5D-5L, Dutch, paper"
    rand36_version: str = "RAND-36 1.0, Dutch, paper"


@dataclass(frozen=True, slots=True)
class SignatureMeaning:
    role: str
    meaning: str
    required: bool


@dataclass(frozen=True, slots=True)
class Protocol:
    """One version of a trial protocol, as the app needs it."""

    key: str
    version: str
    title: str
    registry_ids: tuple[str, ...]
    provisional_note: str
    subject_id_pattern: str
    subject_id_example: str
    product: Product
    injection: InjectionSpec
    sites: tuple[Site, ...]
    order: tuple[int, ...]
    checklist: tuple[ChecklistItem, ...]
    site_flags: tuple[str, ...]
    medications: tuple[Medication, ...]
    sedation: SedationSpec
    follow_up: tuple[FollowUpVisit, ...]
    signatures: tuple[SignatureMeaning, ...]
    source: str
    adverse_events: AdverseEventSpec = AdverseEventSpec()
    outcomes: OutcomeRules = OutcomeRules()

    @property
    def site_count(self) -> int:
        return len(self.sites)

    def site(self, number: int) -> Site:
        for site in self.sites:
            if site.number == number:
                return site
        raise KeyError(number)

    def has_site(self, number: int) -> bool:
        return any(s.number == number for s in self.sites)

    def medication(self, key: str) -> Medication | None:
        for med in self.medications:
            if med.key == key:
                return med
        return None
