"""Sedation record rules: depth scales, vital-sign checks and alarms, Aldrete, vitals due.

Standard library only. Thresholds come from the protocol (passed in as `VitalAlarmLimits`);
what is physically impossible is fixed here, because no protocol can make it possible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from slidesk.domain.errors import ValidationError
from slidesk.domain.values import parse_decimal
from slidesk.i18n import _

# --- sedation-depth scales -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SedationScale:
    name: str
    low: int
    high: int
    labels: dict[int, str]
    # Scores at or beyond this are deeper than moderate sedation (an alarm).
    deep: frozenset[int]

    def check(self, score: int) -> int:
        if not self.low <= score <= self.high:
            raise ValidationError(
                f"{self.name} score {score} does not exist (the scale runs {self.low} to "
                f"{self.high})."
            )
        return score

    def label(self, score: int) -> str:
        return self.labels.get(score, "")

    def scores(self) -> tuple[int, ...]:
        """From alert to deepest, as a nurse reads the scale."""
        values = range(self.low, self.high + 1)
        return tuple(sorted(values, reverse=self.name == "MOAA/S"))


SCALES: dict[str, SedationScale] = {
    "MOAA/S": SedationScale(
        "MOAA/S",
        0,
        5,
        {
            5: "responds readily to name (alert)",
            4: "lethargic response to name",
            3: "responds only to loud or repeated name",
            2: "responds only to mild prodding",
            1: "responds only to trapezius squeeze",
            0: "no response to trapezius squeeze",
        },
        frozenset({0, 1}),
    ),
    "Ramsay": SedationScale(
        "Ramsay",
        1,
        6,
        {
            1: "anxious, agitated",
            2: "cooperative, oriented, tranquil",
            3: "responds to commands only",
            4: "asleep, brisk response to tap or loud sound",
            5: "asleep, sluggish response",
            6: "no response",
        },
        frozenset({5, 6}),
    ),
    "RASS": SedationScale(
        "RASS",
        -5,
        4,
        {
            4: "combative",
            3: "very agitated",
            2: "agitated",
            1: "restless",
            0: "alert and calm",
            -1: "drowsy",
            -2: "light sedation",
            -3: "moderate sedation",
            -4: "deep sedation",
            -5: "unarousable",
        },
        frozenset({-4, -5}),
    ),
}


def scale(name: str) -> SedationScale:
    try:
        return SCALES[name]
    except KeyError:
        raise ValidationError(f"Sedation scale '{name}' is not known.") from None


# --- vital signs -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VitalAlarmLimits:
    """Alarm thresholds from the protocol: a value below `_below` or above `_above` alarms."""

    spo2_below: int = 90
    hr_below: int = 50
    hr_above: int = 120
    systolic_below: int = 90
    systolic_above: int = 180
    rr_below: int = 8
    rr_above: int = 30
    etco2_above: int | None = None


@dataclass(frozen=True, slots=True)
class VitalSigns:
    """One set of observations. Temperature in tenths of a degree Celsius (exact)."""

    hr: int | None = None
    systolic: int | None = None
    diastolic: int | None = None
    spo2: int | None = None
    rr: int | None = None
    etco2: int | None = None
    temp_dc: int | None = None
    sedation_scale: str | None = None
    sedation_score: int | None = None

    def __post_init__(self) -> None:
        problems = impossible_values(self)
        if problems:
            raise ValidationError(" ".join(problems))

    @property
    def mean_arterial(self) -> int | None:
        """MAP = diastolic + (systolic − diastolic) / 3, rounded to whole mmHg."""
        if self.systolic is None or self.diastolic is None:
            return None
        return round(self.diastolic + (self.systolic - self.diastolic) / 3)

    @property
    def temp_c(self) -> Decimal | None:
        return None if self.temp_dc is None else Decimal(self.temp_dc) / 10


# Physically or clinically impossible at a monitored bedside: refused, never stored.
_RANGES = {
    "hr": (20, 250, "Heart rate", "/min"),
    "systolic": (40, 300, "Systolic pressure", " mmHg"),
    "diastolic": (15, 200, "Diastolic pressure", " mmHg"),
    "spo2": (40, 100, "SpO2", " %"),
    "rr": (0, 70, "Respiratory rate", "/min"),
    "etco2": (0, 150, "EtCO2", " mmHg"),
    "temp_dc": (300, 450, "Temperature", ""),
}


def impossible_values(v: VitalSigns) -> list[str]:
    """Messages for every value that cannot be right (typing slip or monitor artefact)."""
    problems: list[str] = []
    for field, (low, high, what, unit) in _RANGES.items():
        value = getattr(v, field)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{what} must be a whole number.")
        elif not low <= value <= high:
            if field == "temp_dc":
                problems.append(f"Temperature {Decimal(value) / 10} °C is not possible (30–45 °C).")
            elif field == "spo2" and value > high:
                problems.append(f"SpO2 {value} % is impossible: it cannot exceed 100 %.")
            else:
                problems.append(
                    f"{what} {value}{unit} is not possible; check the monitor "
                    f"(accepted {low}–{high}{unit})."
                )
    if (v.systolic is None) != (v.diastolic is None):
        problems.append("Blood pressure needs both systolic and diastolic values.")
    elif v.systolic is not None and v.diastolic is not None and v.systolic <= v.diastolic:
        problems.append(
            f"Systolic {v.systolic} must be higher than diastolic {v.diastolic}; were they swapped?"
        )
    if (v.sedation_scale is None) != (v.sedation_score is None):
        problems.append("A sedation score needs its scale.")
    elif v.sedation_scale is not None and v.sedation_score is not None:
        try:
            scale(v.sedation_scale).check(v.sedation_score)
        except ValidationError as exc:
            problems.append(exc.message)
    measured = (v.hr, v.systolic, v.spo2, v.rr, v.etco2, v.temp_dc, v.sedation_score)
    if all(value is None for value in measured):
        problems.append("Enter at least one observation.")
    return problems


def parse_temperature(text: str | Decimal) -> int:
    """'36.8' or '36,8' °C → 368 tenths; more than one decimal is refused."""
    value = parse_decimal(text, "Temperature")
    tenths = value * 10
    if tenths != tenths.to_integral_value():
        raise ValidationError("Temperature takes one decimal (for example 36.8).")
    return int(tenths)


class AlarmKind(StrEnum):
    SPO2_LOW = "spo2_low"
    HR_LOW = "hr_low"
    HR_HIGH = "hr_high"
    SYSTOLIC_LOW = "systolic_low"
    SYSTOLIC_HIGH = "systolic_high"
    RR_LOW = "rr_low"
    RR_HIGH = "rr_high"
    ETCO2_HIGH = "etco2_high"
    DEEP_SEDATION = "deep_sedation"


@dataclass(frozen=True, slots=True)
class Alarm:
    kind: AlarmKind
    field: str
    message: str


def alarms(v: VitalSigns, limits: VitalAlarmLimits) -> tuple[Alarm, ...]:
    """Values that are possible but alarming, against the protocol's thresholds."""
    found: list[Alarm] = []

    def below(value: int | None, bound: int, kind: AlarmKind, field: str, text: str) -> None:
        if value is not None and value < bound:
            found.append(Alarm(kind, field, f"{text} {value} (below {bound})"))

    def above(value: int | None, bound: int | None, kind: AlarmKind, field: str, text: str) -> None:
        if value is not None and bound is not None and value > bound:
            found.append(Alarm(kind, field, f"{text} {value} (above {bound})"))

    below(v.spo2, limits.spo2_below, AlarmKind.SPO2_LOW, "spo2", "SpO2")
    below(v.hr, limits.hr_below, AlarmKind.HR_LOW, "hr", "HR")
    above(v.hr, limits.hr_above, AlarmKind.HR_HIGH, "hr", "HR")
    below(v.systolic, limits.systolic_below, AlarmKind.SYSTOLIC_LOW, "systolic", "Systolic")
    above(v.systolic, limits.systolic_above, AlarmKind.SYSTOLIC_HIGH, "systolic", "Systolic")
    below(v.rr, limits.rr_below, AlarmKind.RR_LOW, "rr", "RR")
    above(v.rr, limits.rr_above, AlarmKind.RR_HIGH, "rr", "RR")
    above(v.etco2, limits.etco2_above, AlarmKind.ETCO2_HIGH, "etco2", "EtCO2")
    if v.sedation_scale is not None and v.sedation_score is not None:
        sc = scale(v.sedation_scale)
        if v.sedation_score in sc.deep:
            found.append(
                Alarm(
                    AlarmKind.DEEP_SEDATION,
                    "sedation",
                    f"{sc.name} {v.sedation_score}: deeper than moderate sedation",
                )
            )
    return tuple(found)


# --- vitals due ------------------------------------------------------------------------------


class DueState(StrEnum):
    BASELINE = "baseline"  # no observation yet: take a baseline before the first injection
    NOT_DUE = "not_due"
    DUE = "due"  # due now (within a minute)
    OVERDUE = "overdue"
    STOPPED = "stopped"  # monitoring no longer runs on the clock (discharged / closed)


@dataclass(frozen=True, slots=True)
class VitalsDue:
    state: DueState
    due_at: datetime | None
    overdue_by: timedelta = timedelta(0)

    @property
    def needs_attention(self) -> bool:
        return self.state in (DueState.BASELINE, DueState.DUE, DueState.OVERDUE)


_GRACE = timedelta(minutes=1)


def vitals_due(
    *,
    last_vitals_at: datetime | None,
    interval_minutes: int,
    now: datetime,
    monitoring: bool = True,
) -> VitalsDue:
    """When the next set of observations is due.

    Baseline first; then every `interval_minutes` after the last set while `monitoring`
    (sedation or the procedure is running, or recovery is not yet complete).
    """
    if not monitoring:
        return VitalsDue(DueState.STOPPED, None)
    if last_vitals_at is None:
        return VitalsDue(DueState.BASELINE, now)
    due_at = last_vitals_at + timedelta(minutes=interval_minutes)
    if now < due_at - _GRACE:
        return VitalsDue(DueState.NOT_DUE, due_at)
    if now <= due_at + _GRACE:
        return VitalsDue(DueState.DUE, due_at)
    return VitalsDue(DueState.OVERDUE, due_at, now - due_at)


# --- recovery: modified Aldrete --------------------------------------------------------------


ALDRETE_ITEMS: tuple[tuple[str, str, tuple[str, str, str]], ...] = (
    ("activity", "Activity", ("moves 0 extremities", "moves 2 extremities", "moves 4 extremities")),
    (
        "respiration",
        "Respiration",
        ("apnoeic", "dyspnoea or limited breathing", "breathes deeply, coughs freely"),
    ),
    (
        "circulation",
        "Circulation",
        ("BP ≥ 50 % off pre-sedation", "BP 20–49 % off pre-sedation", "BP within 20 %"),
    ),
    ("consciousness", "Consciousness", ("not responding", "arousable on calling", "fully awake")),
    ("spo2", "SpO2", ("< 90 % even with O2", "needs O2 to keep > 90 %", "> 92 % on room air")),
)


@dataclass(frozen=True, slots=True)
class Aldrete:
    activity: int
    respiration: int
    circulation: int
    consciousness: int
    spo2: int

    def __post_init__(self) -> None:
        for key, label, _texts in ALDRETE_ITEMS:
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2:
                raise ValidationError(f"Aldrete '{label}' must be scored 0, 1 or 2.")

    @property
    def total(self) -> int:
        return self.activity + self.respiration + self.circulation + self.consciousness + self.spo2

    def meets(self, threshold: int) -> bool:
        return self.total >= threshold


def aldrete_oxygen_conflict(scores: Aldrete, oxygen_running: str | None) -> str | None:
    """Why the SpO2 item contradicts the charted oxygen, or None.

    `oxygen_running` is the oxygen charted at the time of the assessment ("2 L/min, Nasal
    cannula"), None on room air. SpO2 2 means "> 92 % on room air": with oxygen running the
    patient is not on room air, so the score would overstate recovery.
    """
    if scores.spo2 != 2 or oxygen_running is None:
        return None
    return _(
        "SpO2 scored 2 (> 92 % on room air), but oxygen is charted ({oxygen}): if it was "
        "stopped, chart that first; otherwise score SpO2 1 (needs O2 to keep > 90 %)."
    ).format(oxygen=oxygen_running)


# --- oxygen, events, interventions -----------------------------------------------------------


class OxygenDevice(StrEnum):
    ROOM_AIR = "room_air"
    NASAL_CANNULA = "nasal_cannula"
    FACE_MASK = "face_mask"
    NON_REBREATHER = "non_rebreather"
    BAG_MASK = "bag_mask"

    @property
    def label(self) -> str:
        return {
            OxygenDevice.ROOM_AIR: "Room air (oxygen stopped)",
            OxygenDevice.NASAL_CANNULA: "Nasal cannula",
            OxygenDevice.FACE_MASK: "Face mask",
            OxygenDevice.NON_REBREATHER: "Non-rebreather mask",
            OxygenDevice.BAG_MASK: "Bag-valve mask",
        }[self]


def oxygen_device(value: object) -> OxygenDevice:
    """The oxygen device a caller chose: the enum itself or its stored value ('nasal_cannula').

    A screen's list hands its choice back as plain text; anything that is not one of the
    devices is refused with a message, never passed on.
    """
    if isinstance(value, OxygenDevice):
        return value
    if isinstance(value, str):
        for device in OxygenDevice:
            if value == device.value:
                return device
    names = ", ".join(device.label for device in OxygenDevice)
    raise ValidationError(
        _("Choose the oxygen device from the list ({names}).").format(names=names)
    )


# Flows a nurse can set on the devices in use here (adults); the message names the range.
FLOW_MIN_L_MIN = Decimal("0.5")
FLOW_MAX_L_MIN = Decimal(25)


def parse_flow(text: str | Decimal | int, device: OxygenDevice) -> int:
    """Oxygen flow in L/min → integer mL/min; room air means 0 (whatever was typed), and a
    flow of 0 means the oxygen was stopped (`oxygen_setting` charts it as room air)."""
    if oxygen_device(device) is OxygenDevice.ROOM_AIR:
        return 0
    value = parse_decimal(text, _("Oxygen flow"))
    if value == 0:
        return 0
    if not FLOW_MIN_L_MIN <= value <= FLOW_MAX_L_MIN:
        raise ValidationError(
            _("Oxygen flow {value} L/min is not possible ({low}–{high} L/min).").format(
                value=value, low=FLOW_MIN_L_MIN, high=FLOW_MAX_L_MIN
            )
        )
    ml = value * 1000
    if ml != ml.to_integral_value():
        raise ValidationError(
            _("Oxygen flow {value} L/min has more decimals than a flowmeter shows.").format(
                value=value
            )
        )
    return int(ml)


def oxygen_setting(
    device: OxygenDevice | str, text: str | Decimal | int
) -> tuple[OxygenDevice, int]:
    """What to chart: the device and its flow in mL/min; room air or a flow of 0 is the
    oxygen stopped (room air, 0)."""
    chosen = oxygen_device(device)
    flow = parse_flow(text, chosen)
    return (OxygenDevice.ROOM_AIR, 0) if flow == 0 else (chosen, flow)


class SedationEventKind(StrEnum):
    """Sedation events after the World SIVA reporting tool's common terms."""

    DESATURATION = "desaturation"
    APNOEA = "apnoea"
    AIRWAY_OBSTRUCTION = "airway_obstruction"
    HYPOTENSION = "hypotension"
    BRADYCARDIA = "bradycardia"
    NAUSEA_VOMITING = "nausea_vomiting"
    AGITATION = "agitation"
    ALLERGIC_REACTION = "allergic_reaction"
    VASOVAGAL = "vasovagal"
    REVERSAL_GIVEN = "reversal_given"
    OTHER = "other"

    @property
    def label(self) -> str:
        return (
            self.value.replace("_", " ")
            .replace("nausea vomiting", "nausea / vomiting")
            .capitalize()
        )


class Intervention(StrEnum):
    STIMULATION = "stimulation"
    CHIN_LIFT = "chin_lift"
    JAW_THRUST = "jaw_thrust"
    OXYGEN_INCREASED = "oxygen_increased"
    AIRWAY_ADJUNCT = "airway_adjunct"
    BAG_MASK = "bag_mask_ventilation"
    REVERSAL_AGENT = "reversal_agent"
    FLUIDS = "iv_fluids"
    VASOPRESSOR_ATROPINE = "vasopressor_or_atropine"
    PROCEDURE_PAUSED = "procedure_paused"
    PROCEDURE_STOPPED = "procedure_stopped"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            Intervention.STIMULATION: "Verbal/tactile stimulus",
            Intervention.CHIN_LIFT: "Chin lift",
            Intervention.JAW_THRUST: "Jaw thrust",
            Intervention.OXYGEN_INCREASED: "Oxygen increased",
            Intervention.AIRWAY_ADJUNCT: "Airway adjunct",
            Intervention.BAG_MASK: "Bag-mask ventilation",
            Intervention.REVERSAL_AGENT: "Reversal agent",
            Intervention.FLUIDS: "IV fluids",
            Intervention.VASOPRESSOR_ATROPINE: "Vasopressor / atropine",
            Intervention.PROCEDURE_PAUSED: "Procedure paused",
            Intervention.PROCEDURE_STOPPED: "Procedure stopped",
            Intervention.OTHER: "Other",
        }[self]


# --- timing ----------------------------------------------------------------------------------

# An entry typed more than this after the event it records is marked late (ALCOA:
# contemporaneous, or visibly not).
LATE_ENTRY_AFTER = timedelta(minutes=10)


def is_late(event_at: datetime, recorded_at: datetime) -> bool:
    return recorded_at - event_at > LATE_ENTRY_AFTER
