"""Dose arithmetic is exact: any dose round-trips between units, totals never drift."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slidesk.domain.errors import ValidationError
from slidesk.domain.sedation.doses import (
    Dimension,
    Dose,
    DoseLimits,
    assess_dose,
    plain,
    total,
    unit,
)

# Any dose a nurse can type: below 10 g, to the nanogram.
nanograms = st.integers(min_value=1, max_value=9_999_999_999)


@given(nanograms)
def test_any_mass_dose_round_trips_exactly_through_mg_and_ug(ng: int) -> None:
    dose = Dose(Dimension.MASS, ng)
    for code in ("mg", "ug", "ng", "g"):
        typed = dose.amount_in(code)
        assert Dose.parse(str(typed), code) == dose
        assert Dose.parse(plain(typed), code) == dose


@given(st.lists(nanograms, min_size=1, max_size=40))
def test_cumulative_total_equals_the_exact_sum_in_any_order(amounts: list[int]) -> None:
    doses = [Dose(Dimension.MASS, n) for n in amounts]
    forward = total(doses, Dimension.MASS)
    backward = total(list(reversed(doses)), Dimension.MASS)
    assert forward == backward == Dose(Dimension.MASS, sum(amounts))
    # Shown in mg and summed as Decimals, the figures agree to the last digit.
    assert sum((d.amount_in("mg") for d in doses), Decimal(0)) == forward.amount_in("mg")


@given(st.integers(min_value=1, max_value=1000), st.integers(min_value=1, max_value=1000))
def test_one_tenth_mg_steps_never_drift(steps: int, per_step_tenths: int) -> None:
    step = Dose.parse(Decimal(per_step_tenths) / 10, "mg")
    running = Dose.zero(Dimension.MASS)
    for _ in range(steps):
        running = running + step
    assert running.amount_in("mg") == Decimal(steps * per_step_tenths) / 10


def test_fentanyl_typed_in_mg_reads_back_in_micrograms() -> None:
    assert Dose.parse("0.05", "mg").text("ug") == "50 µg"
    assert Dose.parse("0,05", "mg").text("ug") == "50 µg"
    assert Dose.parse("50", "µg") == Dose.parse("0.05", "mg")
    assert Dose.parse("1", "mg").text("mg") == "1 mg"
    assert Dose.parse("0.5", "mg").text("mg") == "0.5 mg"


@pytest.mark.parametrize(
    ("amount", "code", "message"),
    [
        ("0", "mg", "more than zero"),
        ("-1", "mg", "more than zero"),
        ("abc", "mg", "not a number"),
        ("0.0000000001", "mg", "more precise"),
        ("20", "g", "impossibly large"),
        ("1", "mmol", "not known"),
    ],
)
def test_bad_doses_are_refused_with_a_reason(amount: str, code: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Dose.parse(amount, code)


def test_mass_cannot_be_shown_in_millilitres() -> None:
    with pytest.raises(ValidationError):
        Dose.parse("1", "mg").text("mL")
    assert unit("mcg").code == "ug"


def _fentanyl() -> DoseLimits:
    return DoseLimits.from_protocol("ug", Decimal(50), Decimal(100), Decimal(200))


def test_single_dose_above_single_max_is_flagged_but_not_at_it() -> None:
    zero = Dose.zero(Dimension.MASS)
    assert not assess_dose(Dose.parse("50", "ug"), zero, _fentanyl()).over_single_max
    assert assess_dose(Dose.parse("50.001", "ug"), zero, _fentanyl()).over_single_max


def test_cumulative_warning_at_the_threshold_and_hard_stop_only_above_the_maximum() -> None:
    limits = _fentanyl()
    at_75 = Dose.parse("75", "ug")
    assert not assess_dose(Dose.parse("24.999", "ug"), at_75, limits).at_or_over_warning
    reaching = assess_dose(Dose.parse("25", "ug"), at_75, limits)
    assert reaching.at_or_over_warning
    assert not reaching.over_cumulative_max
    at_max = assess_dose(Dose.parse("50", "ug"), Dose.parse("150", "ug"), limits)
    assert not at_max.over_cumulative_max
    assert at_max.after == Dose.parse("200", "ug")
    over = assess_dose(Dose.parse("0.001", "ug"), Dose.parse("200", "ug"), limits)
    assert over.over_cumulative_max
    assert over.needs_reason
