"""Vital signs: one set of observations, what is impossible, and what alarms.

Standard library only. Thresholds come from the protocol (passed in as `VitalAlarmLimits`);
what is physically impossible is fixed here, because no protocol can make it possible. Must
not import services, persistence or the protocol reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from slidesk.domain.errors import ValidationError
from slidesk.domain.sedation.scales import scale
from slidesk.domain.values import parse_decimal


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
