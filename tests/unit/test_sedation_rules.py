"""Vital-sign checks and alarms, vitals due, Aldrete, and the adverse-event rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from slidesk.domain.errors import ValidationError
from slidesk.domain.sedation.adverse_events import (
    CausalityScale,
    Grade,
    Outcome,
    SeriousCriterion,
    decide_seriousness,
    parse_site_numbers,
    sae_report_deadline,
)
from slidesk.domain.sedation.recovery import Aldrete
from slidesk.domain.sedation.scales import scale
from slidesk.domain.sedation.timing import DueState, is_late, vitals_due
from slidesk.domain.sedation.vitals import (
    AlarmKind,
    VitalAlarmLimits,
    VitalSigns,
    alarms,
    parse_temperature,
)

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"spo2": 101}, "cannot exceed 100"),
        ({"systolic": 80, "diastolic": 95}, "higher than diastolic"),
        ({"systolic": 90, "diastolic": 90}, "higher than diastolic"),
        ({"hr": 0}, "Heart rate 0/min is not possible"),
        ({"hr": 400}, "Heart rate 400/min is not possible"),
        ({"systolic": 120}, "both systolic and diastolic"),
        ({"temp_dc": 470}, "not possible"),
        ({"sedation_scale": "MOAA/S", "sedation_score": 6}, "does not exist"),
        ({}, "at least one observation"),
    ],
)
def test_impossible_vital_signs_are_refused_with_a_clear_message(values, message) -> None:
    with pytest.raises(ValidationError, match=message):
        VitalSigns(**values)


def test_alarming_values_are_flagged_against_the_protocol_thresholds() -> None:
    limits = VitalAlarmLimits()
    signs = VitalSigns(hr=45, systolic=85, diastolic=50, spo2=88, rr=14)
    kinds = {a.kind for a in alarms(signs, limits)}
    assert kinds == {AlarmKind.HR_LOW, AlarmKind.SYSTOLIC_LOW, AlarmKind.SPO2_LOW}
    assert alarms(VitalSigns(hr=121), limits)[0].kind is AlarmKind.HR_HIGH
    assert alarms(VitalSigns(hr=50, spo2=90, systolic=90, diastolic=60), limits) == ()
    stricter = VitalAlarmLimits(spo2_below=94)
    assert alarms(VitalSigns(spo2=93), stricter)[0].message == "SpO2 93 (below 94)"


def test_deep_sedation_alarms_on_each_scale() -> None:
    limits = VitalAlarmLimits()
    assert alarms(VitalSigns(sedation_scale="MOAA/S", sedation_score=1), limits)
    assert not alarms(VitalSigns(sedation_scale="MOAA/S", sedation_score=3), limits)
    assert alarms(VitalSigns(sedation_scale="RASS", sedation_score=-4), limits)
    assert alarms(VitalSigns(sedation_scale="Ramsay", sedation_score=6), limits)
    assert scale("MOAA/S").scores()[0] == 5


def test_mean_arterial_pressure_and_temperature_are_exact() -> None:
    signs = VitalSigns(systolic=120, diastolic=80, temp_dc=parse_temperature("36,8"))
    assert signs.mean_arterial == 93
    assert str(signs.temp_c) == "36.8"
    with pytest.raises(ValidationError, match="one decimal"):
        parse_temperature("36.85")


def test_vitals_due_baseline_then_every_interval_then_overdue() -> None:
    assert vitals_due(last_vitals_at=None, interval_minutes=5, now=T0).state is DueState.BASELINE
    soon = vitals_due(last_vitals_at=T0, interval_minutes=5, now=T0 + timedelta(minutes=2))
    assert soon.state is DueState.NOT_DUE
    assert soon.due_at == T0 + timedelta(minutes=5)
    due = vitals_due(last_vitals_at=T0, interval_minutes=5, now=T0 + timedelta(minutes=5))
    assert due.state is DueState.DUE
    assert due.needs_attention
    late = vitals_due(last_vitals_at=T0, interval_minutes=5, now=T0 + timedelta(minutes=9))
    assert late.state is DueState.OVERDUE
    assert late.overdue_by == timedelta(minutes=4)
    off = vitals_due(last_vitals_at=T0, interval_minutes=5, now=T0, monitoring=False)
    assert off.state is DueState.STOPPED


def test_aldrete_total_and_threshold() -> None:
    score = Aldrete(2, 2, 2, 2, 1)
    assert score.total == 9
    assert score.meets(9)
    assert not score.meets(10)
    with pytest.raises(ValidationError, match="0, 1 or 2"):
        Aldrete(3, 2, 2, 2, 2)


def test_entries_typed_more_than_ten_minutes_later_are_late() -> None:
    assert not is_late(T0, T0 + timedelta(minutes=10))
    assert is_late(T0, T0 + timedelta(minutes=10, seconds=1))


def test_grade_five_is_always_serious_with_death_as_criterion() -> None:
    result = decide_seriousness(Grade.DEATH, False, (), Outcome.FATAL)
    assert result.serious
    assert SeriousCriterion.DEATH in result.criteria
    result = decide_seriousness(Grade.DEATH, False, (), Outcome.ONGOING)
    assert result.serious


def test_seriousness_rules_refuse_contradictions() -> None:
    with pytest.raises(ValidationError, match="at least one seriousness criterion"):
        decide_seriousness(Grade.SEVERE, True, (), Outcome.ONGOING)
    with pytest.raises(ValidationError, match="marked not serious"):
        decide_seriousness(Grade.MILD, False, {SeriousCriterion.HOSPITALISATION}, Outcome.ONGOING)
    with pytest.raises(ValidationError, match="grade 5"):
        decide_seriousness(Grade.SEVERE, True, {SeriousCriterion.DEATH}, Outcome.ONGOING)
    with pytest.raises(ValidationError, match="grade 5"):
        decide_seriousness(Grade.SEVERE, True, {SeriousCriterion.LIFE_THREATENING}, Outcome.FATAL)


def test_sae_deadline_is_24_hours_after_first_knowledge() -> None:
    assert sae_report_deadline(T0, 24) == T0 + timedelta(hours=24)


def test_causality_scale_counts_possible_and_above_as_related() -> None:
    scale_ = CausalityScale(
        ("unrelated", "unlikely", "possible", "probable", "definite"), "possible"
    )
    assert [scale_.is_related(v) for v in scale_.levels] == [False, False, True, True, True]
    with pytest.raises(ValidationError, match="not on the scale"):
        scale_.check("certain", "the sedation")


def test_site_numbers_are_parsed_and_unknown_sites_refused() -> None:
    assert parse_site_numbers("5, 3 3", range(1, 31)) == (3, 5)
    with pytest.raises(ValidationError, match="no site 31"):
        parse_site_numbers((31,), range(1, 31))
