"""The composite endpoint on a table of cases: every criterion and the edge cases."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slidesk.outcomes import (
    ALGORITHM_VERSION,
    AmputationInput,
    BaselineInputs,
    Criterion,
    Thresholds,
    Verdict,
    VisitInputs,
    therapy_success,
)

M, N, U = Criterion.MET, Criterion.NOT_MET, Criterion.UNKNOWN
TOE = AmputationInput(date(2026, 3, 1), "toe", False)
BKA = AmputationInput(date(2026, 4, 1), "below_knee", True)


def visit(**kwargs) -> VisitInputs:
    values = {"month": 6, "alive": True, "amputation_assessed": True, "rutherford": 3, "vas_mm": 40}
    values.update(kwargs)
    return VisitInputs(**values)


BASE = BaselineInputs(rutherford=4, vas_mm=60)

CASES = [
    # name, baseline, visit, verdict, (A, B, C, D)
    ("improved in both", BASE, visit(), Verdict.SUCCESS, (M, M, M, M)),
    ("died", BASE, visit(alive=False, death_date=date(2026, 4, 2)), Verdict.FAILURE, (N, M, M, M)),
    (
        "died with everything else missing",
        BaselineInputs(None, None),
        visit(alive=False, amputation_assessed=False, rutherford=None, vas_mm=None),
        Verdict.FAILURE,
        (N, U, U, U),
    ),
    ("major amputation", BASE, visit(amputations=(BKA,)), Verdict.FAILURE, (M, N, M, M)),
    (
        "major amputation with other data missing",
        BaselineInputs(None, None),
        visit(alive=None, amputations=(BKA,), rutherford=None, vas_mm=None),
        Verdict.FAILURE,
        (U, N, U, U),
    ),
    ("minor amputation only", BASE, visit(amputations=(TOE,)), Verdict.SUCCESS, (M, M, M, M)),
    ("unchanged in both", BASE, visit(rutherford=4, vas_mm=60), Verdict.FAILURE, (M, M, M, N)),
    (
        "Rutherford worse, VAS better",
        BASE,
        visit(rutherford=5, vas_mm=20),
        Verdict.FAILURE,
        (M, M, N, M),
    ),
    (
        "Rutherford better, VAS worse",
        BASE,
        visit(rutherford=2, vas_mm=61),
        Verdict.FAILURE,
        (M, M, N, M),
    ),
    (
        "only Rutherford improved, VAS unchanged",
        BASE,
        visit(rutherford=3, vas_mm=60),
        Verdict.SUCCESS,
        (M, M, M, M),
    ),
    (
        "only VAS improved, Rutherford unchanged",
        BASE,
        visit(rutherford=4, vas_mm=59),
        Verdict.SUCCESS,
        (M, M, M, M),
    ),
    (
        "VAS missing at the visit, Rutherford unchanged",
        BASE,
        visit(rutherford=4, vas_mm=None),
        Verdict.INCOMPLETE,
        (M, M, U, U),
    ),
    (
        "VAS missing but Rutherford improved",
        BASE,
        visit(vas_mm=None),
        Verdict.INCOMPLETE,
        (M, M, U, M),
    ),
    (
        "VAS missing and Rutherford worse",
        BASE,
        visit(rutherford=5, vas_mm=None),
        Verdict.FAILURE,
        (M, M, N, U),
    ),
    (
        "baseline Rutherford missing",
        BaselineInputs(None, 60),
        visit(),
        Verdict.INCOMPLETE,
        (M, M, U, M),
    ),
    ("vital status unknown", BASE, visit(alive=None), Verdict.INCOMPLETE, (U, M, M, M)),
    (
        "amputation status unknown",
        BASE,
        visit(amputation_assessed=False),
        Verdict.INCOMPLETE,
        (M, U, M, M),
    ),
    (
        "everything missing, no death",
        BaselineInputs(None, None),
        visit(alive=None, amputation_assessed=False, rutherford=None, vas_mm=None),
        Verdict.INCOMPLETE,
        (U, U, U, U),
    ),
]


@pytest.mark.parametrize(
    ("baseline", "inputs", "verdict", "statuses"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_composite_verdict_and_each_criterion(baseline, inputs, verdict, statuses):
    result = therapy_success(baseline, inputs)
    assert result.verdict is verdict
    assert tuple(c.status for c in result.criteria) == statuses
    assert [c.key for c in result.criteria] == ["A", "B", "C", "D"]
    assert all(c.reason for c in result.criteria)


def test_reasons_say_plainly_what_was_compared():
    result = therapy_success(BASE, visit(rutherford=5, vas_mm=20, amputations=(TOE,)))
    assert result.criterion("C").reason.startswith("Rutherford 4 → 5 (worse); VAS 60 mm → 20 mm")
    assert "1 minor amputation" in result.criterion("B").reason
    died = therapy_success(BASE, visit(alive=False, death_date=date(2026, 4, 2)))
    assert died.criterion("A").reason == "Died on 2026-04-02."
    major = therapy_success(BASE, visit(amputations=(TOE, BKA)))
    assert major.criterion("B").reason == "Major (below-knee) amputation on 2026-04-01."


def test_thresholds_come_from_the_protocol():
    strict = Thresholds(rutherford_improvement=2, vas_improvement_mm=15)
    small = visit(rutherford=3, vas_mm=50)  # down by 1 and by 10 mm
    assert therapy_success(BASE, small).verdict is Verdict.SUCCESS
    result = therapy_success(BASE, small, thresholds=strict)
    assert result.verdict is Verdict.FAILURE
    assert "≥ 2" in result.criterion("D").reason
    assert "≥ 15 mm" in result.criterion("D").reason
    assert therapy_success(BASE, visit(vas_mm=45), thresholds=strict).verdict is Verdict.SUCCESS


def test_the_result_is_frozen_versioned_and_carries_its_inputs():
    result = therapy_success(BASE, visit(amputations=(TOE,)))
    assert result.algorithm_version == ALGORITHM_VERSION
    with pytest.raises(FrozenInstanceError):
        result.verdict = Verdict.FAILURE  # type: ignore[misc]
    assert result.inputs["baseline"] == {"rutherford": 4, "vas_mm": 60}
    assert result.inputs["visit"]["amputations"] == [
        {"date": "2026-03-01", "level": "toe", "major": False}
    ]
    assert result.inputs["thresholds"] == {"rutherford_improvement": 1, "vas_improvement_mm": 1}


def test_same_inputs_give_the_same_verdict():
    assert therapy_success(BASE, visit()) == therapy_success(BASE, visit())


_maybe_small = st.one_of(st.none(), st.integers(0, 6))
_maybe_vas = st.one_of(st.none(), st.integers(0, 100))


@given(
    base_r=_maybe_small,
    base_v=_maybe_vas,
    alive=st.one_of(st.none(), st.booleans()),
    assessed=st.booleans(),
    major=st.booleans(),
    r=_maybe_small,
    v=_maybe_vas,
)
def test_the_verdict_follows_three_valued_logic_over_the_criteria(
    base_r, base_v, alive, assessed, major, r, v
):
    amputations = (BKA,) if major else ()
    result = therapy_success(
        BaselineInputs(base_r, base_v),
        VisitInputs(6, alive, None, assessed, amputations, r, v),
    )
    statuses = {c.status for c in result.criteria}
    if alive is False or major:
        assert result.verdict is Verdict.FAILURE  # decisive whatever else is missing
    if Criterion.NOT_MET in statuses:
        assert result.verdict is Verdict.FAILURE
    elif Criterion.UNKNOWN in statuses:
        assert result.verdict is Verdict.INCOMPLETE
    else:
        assert result.verdict is Verdict.SUCCESS
    if result.verdict is Verdict.SUCCESS:
        assert r is not None
        assert v is not None
        assert base_r is not None
        assert base_v is not None
        assert r <= base_r
        assert v <= base_v
        assert r < base_r or v < base_v
