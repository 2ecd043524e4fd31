"""The kit rule (slidesk.domain.kits): a kit belongs to one subject and serves one procedure,
unless that procedure never had an injection."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from slidesk.domain.errors import ConflictError, StateError
from slidesk.domain.kits import KitUse, check_kit_for_new_procedure, check_kit_for_start
from slidesk.domain.procedure.model import ProcedureStatus

DAY = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def use(pid: int, study_id: str, status: ProcedureStatus, *, injected: bool = False) -> KitUse:
    return KitUse(pid, study_id, status, DAY, injected)


def test_a_new_kit_may_be_planned() -> None:
    check_kit_for_new_procedure("SAIL-K004", "SAIL-01-004", [])


@pytest.mark.parametrize("status", list(ProcedureStatus))
def test_a_kit_of_another_subject_is_refused_naming_its_subject(status) -> None:
    with pytest.raises(ConflictError) as refused:
        check_kit_for_new_procedure("SAIL-K004", "SAIL-01-007", [use(3, "SAIL-01-004", status)])
    assert refused.value.message.startswith(
        "Kit SAIL-K004 belongs to subject SAIL-01-004 (recorded with a procedure planned "
        "25 Nov 2026); it cannot be used for SAIL-01-007."
    )


@pytest.mark.parametrize("status", list(ProcedureStatus))
def test_a_kit_with_an_injection_serves_no_second_procedure(status) -> None:
    with pytest.raises(ConflictError, match="A kit serves one procedure; take a new kit"):
        check_kit_for_new_procedure(
            "SAIL-K004", "SAIL-01-004", [use(3, "SAIL-01-004", status, injected=True)]
        )


def test_a_kit_in_a_procedure_in_progress_is_refused_even_before_its_first_injection() -> None:
    with pytest.raises(ConflictError, match="which is in progress"):
        check_kit_for_new_procedure(
            "SAIL-K004", "SAIL-01-004", [use(3, "SAIL-01-004", ProcedureStatus.IN_PROGRESS)]
        )


@pytest.mark.parametrize(
    "status",
    [
        ProcedureStatus.PLANNED,  # planned, never started: the new plan replaces it
        ProcedureStatus.COMPLETED,  # finished without an injection: abandoned
        ProcedureStatus.SIGNED,
        ProcedureStatus.AMENDED,
    ],
)
def test_a_kit_whose_procedure_never_had_an_injection_may_be_planned_again(status) -> None:
    check_kit_for_new_procedure("SAIL-K004", "SAIL-01-004", [use(3, "SAIL-01-004", status)])


def test_a_plan_replaced_by_a_later_plan_of_its_kit_cannot_start() -> None:
    uses = [
        use(3, "SAIL-01-004", ProcedureStatus.PLANNED),
        use(5, "SAIL-01-004", ProcedureStatus.PLANNED),
    ]
    with pytest.raises(StateError, match="that plan replaced this one"):
        check_kit_for_start(3, "SAIL-K004", "SAIL-01-004", uses)
    check_kit_for_start(5, "SAIL-K004", "SAIL-01-004", uses)


def test_a_procedure_cannot_start_with_a_kit_another_procedure_used() -> None:
    uses = [
        use(3, "SAIL-01-004", ProcedureStatus.COMPLETED, injected=True),
        use(5, "SAIL-01-004", ProcedureStatus.PLANNED),
    ]
    with pytest.raises(ConflictError, match="serves one procedure; this one cannot start"):
        check_kit_for_start(5, "SAIL-K004", "SAIL-01-004", uses)


def test_a_procedure_cannot_start_with_a_kit_recorded_for_another_subject() -> None:
    uses = [
        use(3, "SAIL-01-004", ProcedureStatus.PLANNED),
        use(5, "SAIL-01-009", ProcedureStatus.PLANNED),  # a record from before the rule
    ]
    with pytest.raises(ConflictError, match="Kit SAIL-K004 belongs to subject SAIL-01-009"):
        check_kit_for_start(3, "SAIL-K004", "SAIL-01-004", uses)
