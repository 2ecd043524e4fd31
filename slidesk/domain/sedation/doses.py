"""Exact drug doses: typed in any unit of a dimension, stored as integer nano-units. Stdlib only.

Storage convention (documented in docs/architecture.md terms: "integer micro-units"):
- mass doses are stored in **nanograms** (1 µg = 1 000 ng, 1 mg = 1 000 000 ng),
- volumes in **nanolitres** (1 mL = 1 000 000 nL),
- international units in **nano-IU** (1 IU = 10⁹ nIU).

A nanogram is far below anything a syringe can measure, so every dose a nurse can type
(to 0.001 µg) is stored exactly, sums never drift, and a dose typed in mg reads back in µg
without rounding. A typed value finer than one nano-unit is refused, never rounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from slidesk.domain.errors import ValidationError
from slidesk.domain.values import parse_decimal


class Dimension(StrEnum):
    MASS = "mass"
    VOLUME = "volume"
    UNITS = "units"


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    symbol: str
    dimension: Dimension
    nano: int  # nano-units of the dimension in one of this unit


# Codes as written in protocol files and stored in the database; symbols as shown.
UNITS: dict[str, Unit] = {
    u.code: u
    for u in (
        Unit("ng", "ng", Dimension.MASS, 1),
        Unit("ug", "µg", Dimension.MASS, 1_000),
        Unit("mg", "mg", Dimension.MASS, 1_000_000),
        Unit("g", "g", Dimension.MASS, 1_000_000_000),
        Unit("mL", "mL", Dimension.VOLUME, 1_000_000),
        Unit("IU", "IU", Dimension.UNITS, 1_000_000_000),
    )
}
_ALIASES = {"µg": "ug", "μg": "ug", "mcg": "ug", "ml": "mL", "iu": "IU", "MG": "mg", "UG": "ug"}

# No single dose of anything given at the bedside comes near these; bigger is a typing slip.
_MAX_NANO = {
    Dimension.MASS: 10 * 1_000_000_000,  # 10 g
    Dimension.VOLUME: 5_000 * 1_000_000,  # 5 L
    Dimension.UNITS: 10**6 * 1_000_000_000,  # 1 000 000 IU
}


def unit(code: str) -> Unit:
    """The unit for a code or a common spelling of it ('µg', 'mcg', 'ml'); refuse others."""
    key = _ALIASES.get(code.strip(), code.strip())
    found = UNITS.get(key)
    if found is None:
        known = ", ".join(u.symbol for u in UNITS.values())
        raise ValidationError(f"Unit '{code}' is not known (use one of {known}).")
    return found


def units_of(dimension: Dimension) -> tuple[Unit, ...]:
    return tuple(u for u in UNITS.values() if u.dimension is dimension)


@dataclass(frozen=True, slots=True, order=True)
class Dose:
    """An amount in integer nano-units of its dimension (exact; sums never drift)."""

    dimension: Dimension
    nano: int

    def __post_init__(self) -> None:
        if self.nano < 0:
            raise ValidationError("A dose cannot be negative.")

    @classmethod
    def parse(cls, amount: str | Decimal | int, unit_code: str) -> Dose:
        """Read a typed amount in a unit exactly, or explain what is wrong."""
        u = unit(unit_code)
        value = parse_decimal(amount, "Dose")
        if value <= 0:
            raise ValidationError("A dose must be more than zero.")
        nano = value * u.nano
        if nano != nano.to_integral_value():
            raise ValidationError(
                f"Dose {value} {u.symbol} is more precise than can be given; check the number."
            )
        dose = cls(u.dimension, int(nano))
        if dose.nano > _MAX_NANO[u.dimension]:
            raise ValidationError(f"Dose {value} {u.symbol} is impossibly large; check the unit.")
        return dose

    @classmethod
    def zero(cls, dimension: Dimension) -> Dose:
        return cls(dimension, 0)

    def __add__(self, other: Dose) -> Dose:
        self._same(other)
        return Dose(self.dimension, self.nano + other.nano)

    def _same(self, other: Dose) -> None:
        if other.dimension is not self.dimension:
            raise ValidationError(
                f"A {self.dimension.value} dose cannot be added to a {other.dimension.value} dose."
            )

    def amount_in(self, unit_code: str) -> Decimal:
        """The exact amount expressed in a unit of the same dimension."""
        u = unit(unit_code)
        if u.dimension is not self.dimension:
            raise ValidationError(f"A {self.dimension.value} dose cannot be shown in {u.symbol}.")
        if self.nano == 0:
            return Decimal(0)
        return (Decimal(self.nano) / Decimal(u.nano)).normalize()

    def text(self, unit_code: str) -> str:
        """'50 µg', '0.5 mg', '1 mg' (exact, no exponent, no trailing zeros)."""
        return f"{plain(self.amount_in(unit_code))} {unit(unit_code).symbol}"


def plain(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 50, 0.5, 1000."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def total(doses: list[Dose] | tuple[Dose, ...], dimension: Dimension) -> Dose:
    """Exact sum of doses of one dimension (integer addition: never drifts)."""
    nano = 0
    for dose in doses:
        if dose.dimension is not dimension:
            raise ValidationError("Doses of different kinds cannot be added up.")
        nano += dose.nano
    return Dose(dimension, nano)


@dataclass(frozen=True, slots=True)
class DoseLimits:
    """A drug's protocol limits, already in nano-units (None where the protocol sets none)."""

    single_max: Dose | None
    cumulative_warning: Dose | None
    cumulative_max: Dose | None

    @classmethod
    def from_protocol(
        cls,
        unit_code: str,
        single_max: Decimal | None,
        cumulative_warning: Decimal | None,
        cumulative_max: Decimal | None,
    ) -> DoseLimits:
        def conv(value: Decimal | None) -> Dose | None:
            if value is None:
                return None
            u = unit(unit_code)
            return Dose(u.dimension, int(value * u.nano))

        return cls(conv(single_max), conv(cumulative_warning), conv(cumulative_max))


@dataclass(frozen=True, slots=True)
class DoseAssessment:
    """What a dose would do to the drug's totals, against the protocol's limits."""

    dose: Dose
    before: Dose
    after: Dose
    over_single_max: bool
    at_or_over_warning: bool
    over_cumulative_max: bool

    @property
    def needs_reason(self) -> bool:
        return self.over_single_max or self.over_cumulative_max


class LimitState(StrEnum):
    """Where a drug's running total stands against its protocol limits."""

    OK = "ok"
    WARNING = "warning"  # at or above the protocol's cumulative warning
    AT_MAX = "at_max"  # exactly at the hard maximum: no further dose without a reason
    OVER_MAX = "over_max"  # above the hard maximum (an audited override)


def limit_state(limits: DoseLimits, amount: Dose) -> LimitState:
    """The state of a total against the limits: over or at the maximum, warned, or fine."""
    if limits.cumulative_max is not None:
        if amount.nano > limits.cumulative_max.nano:
            return LimitState.OVER_MAX
        if amount.nano == limits.cumulative_max.nano:
            return LimitState.AT_MAX
    if limits.cumulative_warning is not None and amount.nano >= limits.cumulative_warning.nano:
        return LimitState.WARNING
    return LimitState.OK


def assess_dose(dose: Dose, before: Dose, limits: DoseLimits) -> DoseAssessment:
    """Single dose above single_max, total at/above the warning, total above the hard maximum."""
    after = before + dose
    return DoseAssessment(
        dose=dose,
        before=before,
        after=after,
        over_single_max=limits.single_max is not None and dose.nano > limits.single_max.nano,
        at_or_over_warning=(
            limits.cumulative_warning is not None and after.nano >= limits.cumulative_warning.nano
        ),
        over_cumulative_max=(
            limits.cumulative_max is not None and after.nano > limits.cumulative_max.nano
        ),
    )


CONFIRM_EACH_BOLUS = frozenset({"sedative", "analgesic"})
"""Kinds of drug (the protocol's `kind`) whose every bolus is shown back before it is charted:
a sedative or an opioid given by one accidental tap is not a dose anybody meant."""


def bolus_needs_confirmation(kind: str) -> bool:
    """Whether a bolus of a drug of this kind is confirmed (drug, amount, total after) first."""
    return kind in CONFIRM_EACH_BOLUS
