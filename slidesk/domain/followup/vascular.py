"""Ankle–brachial and toe–brachial index from raw systolic pressures. Standard library only.

Only the pressures are stored; the ratios are derived here, so the method can change later.

- ABI (index limb) = ankle pressure ÷ the higher of the two brachial pressures. The ankle
  pressure is, by default, the *higher* of dorsalis pedis and posterior tibial (the getABI /
  "highest ankle pressure" method); the *lower* ankle pressure variant is available.
- TBI = toe pressure ÷ the higher brachial pressure.
- A non-compressible ankle artery makes the ABI unreliable, so no number is given. An artery
  or arm that is not measurable (no signal, fistula arm, amputated toe) is left out and the
  result says so; the same holds for a reading that was not taken (it carries a missing code
  elsewhere).
- Rounding: the exact quotient of two whole mmHg values is rounded to 2 decimals, half up
  (0.675 → 0.68, 0.674 → 0.67). The result is an exact `Decimal`, never a float.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

from slidesk.domain.errors import ValidationError

MAX_PRESSURE_MMHG = 350
_CENT = Decimal("0.01")


class PressureFlag(StrEnum):
    """Why a pressure has no number, when it was attempted."""

    NON_COMPRESSIBLE = "non_compressible"
    NOT_MEASURABLE = "not_measurable"

    @property
    def label(self) -> str:
        return "non-compressible" if self is PressureFlag.NON_COMPRESSIBLE else "not measurable"


class PressureSite(StrEnum):
    BRACHIAL_LEFT = "brachial_left"
    BRACHIAL_RIGHT = "brachial_right"
    ANKLE_DP = "ankle_dp"
    ANKLE_PT = "ankle_pt"
    TOE = "toe"

    @property
    def label(self) -> str:
        return _SITE_LABELS[self]


_SITE_LABELS = {
    PressureSite.BRACHIAL_LEFT: "Brachial, left arm",
    PressureSite.BRACHIAL_RIGHT: "Brachial, right arm",
    PressureSite.ANKLE_DP: "Ankle, dorsalis pedis",
    PressureSite.ANKLE_PT: "Ankle, posterior tibial",
    PressureSite.TOE: "Toe (hallux)",
}


class AbiMethod(StrEnum):
    HIGHER_ANKLE = "higher_ankle"
    LOWER_ANKLE = "lower_ankle"

    @property
    def label(self) -> str:
        if self is AbiMethod.HIGHER_ANKLE:
            return "higher ankle pressure ÷ higher brachial pressure"
        return "lower ankle pressure ÷ higher brachial pressure"


@dataclass(frozen=True, slots=True)
class Pressure:
    """One systolic pressure: a whole number of mmHg, or a flag saying why there is none."""

    mmhg: int | None = None
    flag: PressureFlag | None = None

    def __post_init__(self) -> None:
        if (self.mmhg is None) == (self.flag is None):
            raise ValidationError("A pressure is either a number of mmHg or flagged, not both.")
        if self.mmhg is not None and not 0 <= self.mmhg <= MAX_PRESSURE_MMHG:
            raise ValidationError(
                f"A systolic pressure of {self.mmhg} mmHg is impossible "
                f"(0–{MAX_PRESSURE_MMHG}); flag a non-compressible artery instead."
            )

    def __str__(self) -> str:
        return f"{self.mmhg} mmHg" if self.mmhg is not None else str(self.flag and self.flag.label)


class RatioStatus(StrEnum):
    COMPUTED = "computed"
    NON_COMPRESSIBLE = "non_compressible"
    NOT_MEASURABLE = "not_measurable"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True, slots=True)
class Ratio:
    """A derived index with how it was obtained (for display and for the record)."""

    status: RatioStatus
    value: Decimal | None = None
    numerator_mmhg: int | None = None
    denominator_mmhg: int | None = None
    note: str = ""

    def __str__(self) -> str:
        if self.value is not None:
            return format(self.value, "f")
        return {
            RatioStatus.NON_COMPRESSIBLE: "non-compressible",
            RatioStatus.NOT_MEASURABLE: "not measurable",
            RatioStatus.INCOMPLETE: "—",
        }.get(self.status, "—")


def ratio(numerator: int, denominator: int) -> Decimal:
    """numerator ÷ denominator, exact, rounded half up to 2 decimals."""
    if denominator <= 0:
        raise ValidationError("The brachial pressure must be above 0 mmHg to compute an index.")
    with localcontext() as ctx:
        ctx.prec = 34
        return (Decimal(numerator) / Decimal(denominator)).quantize(_CENT, ROUND_HALF_UP)


def _brachial(left: Pressure | None, right: Pressure | None) -> tuple[int | None, str]:
    arms = [p.mmhg for p in (left, right) if p is not None and p.mmhg is not None]
    if not arms:
        return None, ""
    note = "" if len(arms) == 2 else "one arm only"
    return max(arms), note


def compute_abi(
    ankle_dp: Pressure | None,
    ankle_pt: Pressure | None,
    brachial_left: Pressure | None,
    brachial_right: Pressure | None,
    method: AbiMethod = AbiMethod.HIGHER_ANKLE,
) -> Ratio:
    """The index limb's ABI; `None` means the reading was not taken (a missing code)."""
    ankles = [p for p in (ankle_dp, ankle_pt) if p is not None]
    if any(p.flag is PressureFlag.NON_COMPRESSIBLE for p in ankles):
        return Ratio(RatioStatus.NON_COMPRESSIBLE, note="an ankle artery is non-compressible")
    numbers = [p.mmhg for p in ankles if p.mmhg is not None]
    if not numbers:
        if ankles:
            return Ratio(RatioStatus.NOT_MEASURABLE, note="no ankle pressure measurable")
        return Ratio(RatioStatus.INCOMPLETE, note="ankle pressures not recorded")
    denominator, arm_note = _brachial(brachial_left, brachial_right)
    if denominator is None:
        return Ratio(RatioStatus.INCOMPLETE, note="no brachial pressure")
    numerator = max(numbers) if method is AbiMethod.HIGHER_ANKLE else min(numbers)
    notes = [n for n in (arm_note, "one ankle artery only" if len(numbers) == 1 else "") if n]
    return Ratio(
        RatioStatus.COMPUTED,
        ratio(numerator, denominator),
        numerator,
        denominator,
        "; ".join(notes),
    )


def compute_tbi(
    toe: Pressure | None, brachial_left: Pressure | None, brachial_right: Pressure | None
) -> Ratio:
    if toe is None:
        return Ratio(RatioStatus.INCOMPLETE, note="toe pressure not recorded")
    if toe.flag is PressureFlag.NON_COMPRESSIBLE:
        return Ratio(RatioStatus.NON_COMPRESSIBLE, note="toe artery non-compressible")
    if toe.mmhg is None:
        return Ratio(RatioStatus.NOT_MEASURABLE, note="toe pressure not measurable")
    denominator, arm_note = _brachial(brachial_left, brachial_right)
    if denominator is None:
        return Ratio(RatioStatus.INCOMPLETE, note="no brachial pressure")
    return Ratio(
        RatioStatus.COMPUTED, ratio(toe.mmhg, denominator), toe.mmhg, denominator, arm_note
    )


def abi_band(value: Decimal) -> str:
    """The usual reading of an ABI value (clinical reference §4.4)."""
    if value > Decimal("1.30"):
        return "above 1.30: arteries probably non-compressible, unreliable"
    if value >= Decimal("0.91"):
        return "normal range"
    if value >= Decimal("0.31"):
        return "mild to moderate PAD"
    return "severe PAD"
