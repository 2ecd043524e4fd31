"""ABI and TBI from raw pressures: exact arithmetic, the method, and the flags."""

from __future__ import annotations

from decimal import Decimal

import pytest

from slidesk.domain.errors import ValidationError
from slidesk.domain.followup.vascular import (
    AbiMethod,
    Pressure,
    PressureFlag,
    RatioStatus,
    abi_band,
    compute_abi,
    compute_tbi,
    ratio,
)

NC = Pressure(flag=PressureFlag.NON_COMPRESSIBLE)
NM = Pressure(flag=PressureFlag.NOT_MEASURABLE)


def p(mmhg: int) -> Pressure:
    return Pressure(mmhg)


def test_abi_is_the_higher_ankle_over_the_higher_arm():
    result = compute_abi(p(60), p(72), p(140), p(150))
    assert result.status is RatioStatus.COMPUTED
    assert result.value == Decimal("0.48")
    assert (result.numerator_mmhg, result.denominator_mmhg) == (72, 150)
    assert result.note == ""


def test_lower_ankle_method_uses_the_lower_ankle_pressure():
    result = compute_abi(p(60), p(72), p(140), p(150), AbiMethod.LOWER_ANKLE)
    assert result.value == Decimal("0.40")


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [
        (27, 40, "0.68"),
        (67, 100, "0.67"),
        (1, 3, "0.33"),
        (2, 3, "0.67"),
        (81, 120, "0.68"),
        (0, 120, "0.00"),
        (180, 120, "1.50"),
    ],
)
def test_ratio_is_exact_and_rounds_half_up_to_two_places(num, den, expected):
    value = ratio(num, den)
    assert value == Decimal(expected)
    assert isinstance(value, Decimal)
    assert value.as_tuple().exponent == -2


def test_a_non_compressible_ankle_artery_gives_no_number():
    result = compute_abi(NC, p(80), p(130), p(128))
    assert result.status is RatioStatus.NON_COMPRESSIBLE
    assert result.value is None
    assert str(result) == "non-compressible"


def test_one_unmeasurable_ankle_artery_uses_the_other_and_says_so():
    result = compute_abi(NM, p(50), p(125), p(120))
    assert result.value == Decimal("0.40")
    assert "one ankle artery only" in result.note


def test_both_ankle_arteries_unmeasurable():
    assert compute_abi(NM, NM, p(120), p(120)).status is RatioStatus.NOT_MEASURABLE


def test_missing_readings_leave_the_abi_incomplete():
    assert compute_abi(None, None, p(120), p(120)).status is RatioStatus.INCOMPLETE
    assert compute_abi(p(80), p(70), None, None).status is RatioStatus.INCOMPLETE
    assert compute_abi(p(80), p(70), NM, NM).status is RatioStatus.INCOMPLETE


def test_one_arm_only_is_used_and_noted():
    result = compute_abi(p(90), p(70), NM, p(120))
    assert result.value == Decimal("0.75")
    assert "one arm only" in result.note


def test_tbi_is_toe_over_the_higher_arm_with_flags():
    assert compute_tbi(p(30), p(140), p(150)).value == Decimal("0.20")
    assert compute_tbi(NC, p(140), p(150)).status is RatioStatus.NON_COMPRESSIBLE
    assert compute_tbi(NM, p(140), p(150)).status is RatioStatus.NOT_MEASURABLE
    assert compute_tbi(None, p(140), p(150)).status is RatioStatus.INCOMPLETE


def test_a_pressure_is_a_number_or_a_flag_and_plausible():
    with pytest.raises(ValidationError):
        Pressure()
    with pytest.raises(ValidationError):
        Pressure(120, PressureFlag.NOT_MEASURABLE)
    with pytest.raises(ValidationError, match="impossible"):
        Pressure(400)


@pytest.mark.parametrize(
    ("value", "band"),
    [
        ("1.31", "unreliable"),
        ("1.30", "normal"),
        ("0.91", "normal"),
        ("0.90", "mild"),
        ("0.31", "mild"),
        ("0.30", "severe"),
    ],
)
def test_abi_bands(value, band):
    assert band in abi_band(Decimal(value))
