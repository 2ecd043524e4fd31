"""Follow-up visits: what a visit records, as exact values with missing-data codes.

Standard library only. Validation and completeness rules live in
`slidesk.domain.followup.visit_rules`.

Every item of a visit holds either a value or a reason why it is missing (`MissingReason`,
as REDCap's missing-data codes); a blank without a reason blocks signing. Major or minor
amputation is derived from the level, never typed. Areas are exact decimals (stored in
micro-units of cm²), pressures whole mmHg.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from slidesk.domain.errors import ValidationError
from slidesk.domain.followup.vascular import AbiMethod, Pressure, PressureSite
from slidesk.domain.values import parse_decimal

BASELINE_MONTH = 0
EQ5D_DIMENSIONS = ("mobility", "self_care", "usual_activities", "pain_discomfort", "anxiety")
EQ5D_LABELS = (
    "Mobility",
    "Self-care",
    "Usual activities",
    "Pain/discomfort",
    "Anxiety/depression",
)


class MissingReason(StrEnum):
    NOT_DONE = "not_done"
    UNKNOWN = "unknown"
    LOST_TO_FOLLOW_UP = "lost_to_follow_up"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return _MISSING_LABELS[self]


_MISSING_LABELS = {
    MissingReason.NOT_DONE: "Not done",
    MissingReason.UNKNOWN: "Unknown",
    MissingReason.LOST_TO_FOLLOW_UP: "Lost to follow-up",
    MissingReason.REFUSED: "Patient refused",
}


class Item(StrEnum):
    """The items of a visit that must hold a value or a missing code before signing."""

    VITAL_STATUS = "vital_status"
    AMPUTATION = "amputation"
    RUTHERFORD = "rutherford"
    FONTAINE = "fontaine"
    REST_PAIN = "rest_pain"
    VAS = "vas"
    ULCERS = "ulcers"
    WALKING = "walking"
    BRACHIAL_LEFT = PressureSite.BRACHIAL_LEFT.value
    BRACHIAL_RIGHT = PressureSite.BRACHIAL_RIGHT.value
    ANKLE_DP = PressureSite.ANKLE_DP.value
    ANKLE_PT = PressureSite.ANKLE_PT.value
    TOE = PressureSite.TOE.value
    EQ5D = "eq5d"
    RAND36 = "rand36"

    @property
    def label(self) -> str:
        return _ITEM_LABELS[self]


_ITEM_LABELS = {
    Item.VITAL_STATUS: "Vital status",
    Item.AMPUTATION: "Amputation of the index limb",
    Item.RUTHERFORD: "Rutherford category",
    Item.FONTAINE: "Fontaine stage",
    Item.REST_PAIN: "Rest pain",
    Item.VAS: "Pain (VAS)",
    Item.ULCERS: "Ulcers",
    Item.WALKING: "Pain-free walking distance",
    Item.BRACHIAL_LEFT: "Brachial pressure, left",
    Item.BRACHIAL_RIGHT: "Brachial pressure, right",
    Item.ANKLE_DP: "Ankle pressure, dorsalis pedis",
    Item.ANKLE_PT: "Ankle pressure, posterior tibial",
    Item.TOE: "Toe pressure",
    Item.EQ5D: "EQ-5D-5L",
    Item.RAND36: "RAND-36",
}

PRESSURE_ITEMS: dict[PressureSite, Item] = {site: Item(site.value) for site in PressureSite}


class VitalStatus(StrEnum):
    ALIVE = "alive"
    DIED = "died"

    @property
    def label(self) -> str:
        return "Alive" if self is VitalStatus.ALIVE else "Died"


class AmputationLevel(StrEnum):
    """Levels from distal to proximal; proximal of the ankle is major."""

    TOE = "toe"
    RAY = "ray"
    TRANSMETATARSAL = "transmetatarsal"
    LISFRANC = "lisfranc"
    CHOPART = "chopart"
    BELOW_KNEE = "below_knee"
    THROUGH_KNEE = "through_knee"
    ABOVE_KNEE = "above_knee"

    @property
    def is_major(self) -> bool:
        return self in _MAJOR

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]


_MAJOR = frozenset(
    {AmputationLevel.BELOW_KNEE, AmputationLevel.THROUGH_KNEE, AmputationLevel.ABOVE_KNEE}
)
_LEVEL_LABELS = {
    AmputationLevel.TOE: "Toe",
    AmputationLevel.RAY: "Ray",
    AmputationLevel.TRANSMETATARSAL: "Transmetatarsal",
    AmputationLevel.LISFRANC: "Lisfranc",
    AmputationLevel.CHOPART: "Chopart",
    AmputationLevel.BELOW_KNEE: "Below-knee",
    AmputationLevel.THROUGH_KNEE: "Through-knee",
    AmputationLevel.ABOVE_KNEE: "Above-knee",
}


class Fontaine(StrEnum):
    I = "I"  # noqa: E741 - the stage is called I
    IIA = "IIa"
    IIB = "IIb"
    III = "III"
    IV = "IV"

    @property
    def label(self) -> str:
        return _FONTAINE_LABELS[self]


_FONTAINE_LABELS = {
    Fontaine.I: "I — asymptomatic",
    Fontaine.IIA: "IIa — claudication, pain-free walking > 200 m",
    Fontaine.IIB: "IIb — claudication, pain-free walking < 200 m",
    Fontaine.III: "III — ischaemic rest pain",
    Fontaine.IV: "IV — ischaemic ulcer or gangrene",
}

RUTHERFORD_LABELS = (
    "0 — asymptomatic",
    "1 — mild claudication",
    "2 — moderate claudication",
    "3 — severe claudication",
    "4 — ischaemic rest pain",
    "5 — minor tissue loss",
    "6 — major tissue loss",
)


class UlcerLocation(StrEnum):
    TOES = "toes"
    FOREFOOT_DORSAL = "forefoot_dorsal"
    FOREFOOT_PLANTAR = "forefoot_plantar"
    MIDFOOT = "midfoot"
    HEEL = "heel"
    MALLEOLUS_LATERAL = "malleolus_lateral"
    MALLEOLUS_MEDIAL = "malleolus_medial"
    LOWER_LEG = "lower_leg"
    AMPUTATION_STUMP = "stump"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _LOCATION_LABELS[self]


_LOCATION_LABELS = {
    UlcerLocation.TOES: "Toe(s)",
    UlcerLocation.FOREFOOT_DORSAL: "Forefoot, dorsal",
    UlcerLocation.FOREFOOT_PLANTAR: "Forefoot, plantar",
    UlcerLocation.MIDFOOT: "Midfoot",
    UlcerLocation.HEEL: "Heel",
    UlcerLocation.MALLEOLUS_LATERAL: "Lateral malleolus",
    UlcerLocation.MALLEOLUS_MEDIAL: "Medial malleolus",
    UlcerLocation.LOWER_LEG: "Lower leg",
    UlcerLocation.AMPUTATION_STUMP: "Amputation stump",
    UlcerLocation.OTHER: "Other (describe)",
}


class UnableToWalk(StrEnum):
    """Why no pain-free walking distance could be measured on the treadmill."""

    AMPUTATION = "amputation"
    WHEELCHAIR = "wheelchair"
    PAIN_OR_WOUND = "pain_or_wound"
    FRAILTY = "frailty"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _UNABLE_LABELS[self]


_UNABLE_LABELS = {
    UnableToWalk.AMPUTATION: "Amputation",
    UnableToWalk.WHEELCHAIR: "Wheelchair-bound",
    UnableToWalk.PAIN_OR_WOUND: "Rest pain or wound prevents walking",
    UnableToWalk.FRAILTY: "Frailty / other illness",
    UnableToWalk.OTHER: "Other (describe)",
}


class VisitStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    AMENDED = "amended"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "signed": "Signed", "amended": "Amendment open"}[self.value]


# --- value objects -------------------------------------------------------------------------

_UCM2 = 1_000_000  # micro-units per cm²


def area_to_ucm2(area_cm2: str | Decimal) -> int:
    """An ulcer area typed in cm² (at most 2 decimals) as integer micro-units of cm²."""
    value = parse_decimal(area_cm2, "Ulcer area")
    if value <= 0 or value > 1000:
        raise ValidationError(
            f"An ulcer area of {value} cm² is impossible (above 0, at most 1000)."
        )
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(f"Ulcer area {value} cm² has more than 2 decimals.")
    return int(value * _UCM2)


def ucm2_to_area(ucm2: int) -> Decimal:
    return (Decimal(ucm2) / _UCM2).quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class Amputation:
    """An amputation of the index limb; `id` is set once saved."""

    on: date
    level: AmputationLevel
    id: int | None = None

    @property
    def is_major(self) -> bool:
        return self.level.is_major


@dataclass(frozen=True, slots=True)
class Ulcer:
    location: UlcerLocation
    detail: str | None = None
    area_ucm2: int | None = None
    area_missing: MissingReason | None = None
    id: int | None = None

    @property
    def area_cm2(self) -> Decimal | None:
        return ucm2_to_area(self.area_ucm2) if self.area_ucm2 is not None else None


@dataclass(frozen=True, slots=True)
class Eq5d:
    """EQ-5D-5L as ticked on paper: five levels 1–5 (None = not answered) and EQ VAS 0–100.

    The utility index (Dutch value set, Versteegh et al. 2016) is not computed here: its
    coefficients could not be checked against the publication, so it is left to analysis.
    """

    levels: tuple[int | None, ...] = (None, None, None, None, None)
    vas: int | None = None

    @property
    def health_state(self) -> str:
        """The 5-digit profile (11111–55555); '9' stands for an unanswered dimension."""
        return "".join(str(v) if v is not None else "9" for v in self.levels)

    @property
    def answered(self) -> bool:
        return self.vas is not None or any(v is not None for v in self.levels)


@dataclass(frozen=True, slots=True)
class VisitEntry:
    """Everything one visit records (what the form sends and the service stores)."""

    visit_date: date | None = None
    visit_missing: MissingReason | None = None
    assessor_id: int | None = None
    vital_status: VitalStatus | None = None
    death_date: date | None = None
    death_cause: str | None = None
    new_amputation: bool | None = None
    amputations: tuple[Amputation, ...] = ()
    rutherford: int | None = None
    fontaine: Fontaine | None = None
    rest_pain: bool | None = None
    vas_mm: int | None = None
    ulcer_count: int | None = None
    ulcers: tuple[Ulcer, ...] = ()
    walk_distance_m: int | None = None
    walk_unable: UnableToWalk | None = None
    walk_unable_detail: str | None = None
    pressures: Mapping[PressureSite, Pressure] = field(default_factory=dict)
    abi_method: AbiMethod = AbiMethod.HIGHER_ANKLE
    eq5d: Eq5d | None = None
    eq5d_version: str | None = None
    rand36: tuple[int | None, ...] | None = None
    rand36_version: str | None = None
    missing: Mapping[Item, MissingReason] = field(default_factory=dict)

    def pressure(self, site: PressureSite) -> Pressure | None:
        return self.pressures.get(site)

    @property
    def has_major_amputation(self) -> bool:
        return any(a.is_major for a in self.amputations)
