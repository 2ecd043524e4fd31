"""The bedside rules of charting, without a database: routes, units of the same kind, what a
dose preview tells the nurse, a total against its limits, typed times and when vitals are due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from slidesk.domain.errors import ValidationError
from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.sedation.charting import dose_messages, require_same_kind, route
from slidesk.domain.sedation.doses import (
    Dimension,
    Dose,
    DoseLimits,
    LimitState,
    assess_dose,
    limit_state,
    unit,
)
from slidesk.domain.sedation.timing import DueState, check_event_time, record_due

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
# Fentanyl as a protocol charts it: single 50 µg, warning at 100 µg, maximum 150 µg.
FENTANYL = DoseLimits.from_protocol("ug", Decimal(50), Decimal(100), Decimal(150))


def _ug(amount: int) -> Dose:
    return Dose.parse(amount, "ug")


@pytest.mark.parametrize(
    ("typed", "charted"), [("iv", "IV"), (" Inhaled ", "inhaled"), ("SC", "SC")]
)
def test_a_route_is_charted_as_the_list_spells_it(typed: str, charted: str) -> None:
    assert route(typed) == charted


def test_an_unknown_route_is_refused_with_the_list() -> None:
    with pytest.raises(ValidationError, match=r"Route 'rectal' is not known \(IV, IM"):
        route("rectal")


def test_a_drug_charted_by_mass_cannot_be_typed_by_volume() -> None:
    require_same_kind("Fentanyl", "ug", unit("mg"))
    with pytest.raises(ValidationError, match="Fentanyl is charted in µg; mL is not a unit"):
        require_same_kind("Fentanyl", "ug", unit("mL"))


@pytest.mark.parametrize(
    ("total", "state"),
    [
        (99, LimitState.OK),
        (100, LimitState.WARNING),
        (150, LimitState.AT_MAX),
        (151, LimitState.OVER_MAX),
    ],
)
def test_a_total_stands_against_the_limits(total: int, state: LimitState) -> None:
    assert limit_state(FENTANYL, _ug(total)) is state


def test_without_limits_every_total_is_fine() -> None:
    assert limit_state(DoseLimits(None, None, None), _ug(10_000)) is LimitState.OK


def test_a_converted_dose_is_shown_back_to_be_confirmed() -> None:
    dose = Dose.parse("0.025", "mg")
    messages = dose_messages(
        entered="0.025 mg",
        chart_unit="ug",
        converted=True,
        assessment=assess_dose(dose, Dose.zero(Dimension.MASS), FENTANYL),
        limits=FENTANYL,
        baseline_missing=False,
    )
    assert messages == ("Typed 0.025 mg: this is 25 µg. Confirm the converted dose.",)


def test_a_dose_over_both_limits_says_so_and_stops() -> None:
    messages = dose_messages(
        entered="60 µg",
        chart_unit="ug",
        converted=False,
        assessment=assess_dose(_ug(60), _ug(100), FENTANYL),
        limits=FENTANYL,
        baseline_missing=True,
    )
    assert messages == (
        "60 µg is more than the protocol's single dose of 50 µg.",
        "STOP: the total would be 160 µg, above the protocol maximum of 150 µg. "
        "Only with a documented reason.",
        "No baseline vital signs are recorded yet.",
    )


def test_a_total_reaching_the_warning_warns_once() -> None:
    messages = dose_messages(
        entered="25 µg",
        chart_unit="ug",
        converted=False,
        assessment=assess_dose(_ug(25), _ug(75), FENTANYL),
        limits=FENTANYL,
        baseline_missing=False,
    )
    assert messages == ("The total reaches 100 µg (warning at 100 µg).",)


def test_a_drug_not_on_the_list_has_no_limit_messages() -> None:
    messages = dose_messages(
        entered="500 µg",
        chart_unit="ug",
        converted=False,
        assessment=assess_dose(_ug(500), Dose.zero(Dimension.MASS), DoseLimits(None, None, None)),
        limits=None,
        baseline_missing=False,
    )
    assert messages == ()


def test_a_typed_time_may_lie_two_minutes_ahead_of_the_clock_not_more() -> None:
    planned = T0 - timedelta(hours=1)
    ahead = T0 + timedelta(minutes=2)
    assert check_event_time(ahead, planned_at=planned, now=T0, what="The time") == ahead
    with pytest.raises(ValidationError, match="The time lies in the future"):
        check_event_time(ahead + timedelta(seconds=1), planned_at=planned, now=T0, what="The time")


def test_a_typed_time_long_before_the_planned_day_is_refused() -> None:
    planned = T0
    with pytest.raises(ValidationError, match="before this procedure was planned"):
        check_event_time(T0 - timedelta(hours=13), planned_at=planned, now=T0, what="The time")
    assert check_event_time(T0 - timedelta(hours=11), planned_at=planned, now=T0, what="x")


def _due(**changes: object) -> DueState:
    values: dict[str, object] = {
        "last_vitals_at": T0,
        "first_dose_at": None,
        "status": ProcedureStatus.PLANNED,
        "discharge_met": False,
        "interval_minutes": 5,
        "now": T0 + timedelta(minutes=30),
    }
    values.update(changes)
    return record_due(**values).state  # type: ignore[arg-type]


def test_after_the_baseline_nothing_is_due_until_sedation_starts() -> None:
    assert _due() is DueState.NOT_DUE
    assert _due(last_vitals_at=None) is DueState.BASELINE
    assert _due(first_dose_at=T0) is DueState.OVERDUE
    assert _due(status=ProcedureStatus.IN_PROGRESS) is DueState.OVERDUE


def test_a_discharged_or_signed_patient_is_no_longer_monitored() -> None:
    assert _due(status=ProcedureStatus.IN_PROGRESS, discharge_met=True) is DueState.STOPPED
    assert _due(status=ProcedureStatus.SIGNED, first_dose_at=T0) is DueState.STOPPED
    assert _due(status=ProcedureStatus.AMENDED, first_dose_at=T0) is DueState.STOPPED
