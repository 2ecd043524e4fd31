"""Oxygen from the nurse's record: the device as the enum or its stored value; a flow of 0 is
the oxygen stopped (room air); every other device or flow is refused with a clear message (a
`DomainError`) and writes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slidesk.domain.errors import DomainError, ValidationError
from slidesk.domain.sedation.oxygen import OxygenDevice
from slidesk.persistence.rows.sedation import OxygenRow, SedationRepository
from slidesk.services.sedation import service as sedation

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DEVICE_VALUES = [d.value for d in OxygenDevice]
DEVICES = st.one_of(
    st.sampled_from(list(OxygenDevice)),
    st.sampled_from(DEVICE_VALUES),
    # Near misses a screen or a caller might hand over: labels, case, spaces, other types.
    st.sampled_from(
        [d.label for d in OxygenDevice]
        + [v.upper() for v in DEVICE_VALUES]
        + [f" {v}" for v in DEVICE_VALUES]
        + ["", "oxygen", "OxygenDevice.NASAL_CANNULA", "1", "\x00"]
    ),
    st.none(),
    st.integers(-2, 6),
    st.floats(allow_nan=True),
    st.booleans(),
    st.text(max_size=20),
)
FLOWS = st.one_of(
    st.decimals(min_value=-1, max_value=40, places=1),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.integers(-5, 40),
    st.sampled_from(
        [
            "2",
            "2,5",
            " 15 ",
            "0.5",
            "25",
            "0.49",
            "25.1",
            "0.0005",
            "1e3",
            "",
            "abc",
            "NaN",
            "Infinity",
            "-2",
            "2 L",
            "٣",
        ]
    ),
    st.text(max_size=8),
    st.floats(allow_nan=True),
    st.none(),
    st.booleans(),
)


def _expected(device: object, flow: object) -> tuple[OxygenDevice, int] | None:
    """What a correct entry stores (device, mL/min), or None when it must be refused."""
    if isinstance(device, OxygenDevice):
        chosen = device
    elif isinstance(device, str) and device in DEVICE_VALUES:
        chosen = OxygenDevice(device)
    else:
        return None
    if isinstance(flow, bool) or not isinstance(flow, str | Decimal | int):
        return None  # a value of the wrong type is refused at the service's door, room air or not
    if isinstance(flow, Decimal) and not flow.is_finite():
        return None  # so is NaN or an infinity
    if chosen is OxygenDevice.ROOM_AIR:
        return chosen, 0
    try:
        value = Decimal(flow.strip().replace(",", ".")) if isinstance(flow, str) else Decimal(flow)
    except ArithmeticError:
        return None
    if value.is_finite() and value == 0:
        return OxygenDevice.ROOM_AIR, 0  # a flow of 0 is the oxygen stopped
    if not value.is_finite() or not Decimal("0.5") <= value <= 25:
        return None
    ml = value * 1000
    return (chosen, int(ml)) if ml == ml.to_integral_value() else None


def _written(team, pid: int) -> tuple[int, tuple[tuple[str, int], ...]]:
    with team.uow.read() as tx:
        rows = tx.repo(SedationRepository).for_procedure(OxygenRow, pid)
        return tx.audit.count(), tuple((r.device, r.flow_ml_min) for r in rows)


@pytest.fixture
def procedure_id(team) -> int:
    return team.started_procedure().id


@FUZZ
@given(device=DEVICES, flow=FLOWS)
def test_every_oxygen_entry_is_charted_exactly_or_refused_with_nothing_written(
    team, procedure_id, device, flow
) -> None:
    before_count, before_rows = _written(team, procedure_id)
    expected = _expected(device, flow)
    try:
        record = sedation.record_oxygen(
            uow=team.uow,
            clock=team.clock,
            actor=team.nurse,
            procedure_id=procedure_id,
            device=device,
            flow_l_min=flow,
        )
    except DomainError as exc:
        refusal = exc.message
        assert expected is None, f"{device!r} {flow!r} refused: {refusal}"
        assert refusal  # a clear message, never an empty one
        assert _written(team, procedure_id) == (before_count, before_rows)
        return
    assert expected is not None, f"{device!r} {flow!r} was charted"
    chosen, ml = expected
    after_count, after_rows = _written(team, procedure_id)
    assert after_rows == (*before_rows, (chosen.value, ml))
    assert after_count > before_count
    newest = max(record.oxygen, key=lambda o: o.id)
    assert newest.device is chosen
    assert newest.flow_l_min * 1000 == ml


def test_a_device_given_as_its_stored_value_is_charted_like_the_enum(team, procedure_id) -> None:
    record = sedation.record_oxygen(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=procedure_id,
        device="face_mask",
        flow_l_min="6",
    )
    assert record.current_oxygen is not None
    assert record.current_oxygen.device is OxygenDevice.FACE_MASK
    assert record.current_oxygen.flow_l_min == Decimal(6)


def test_an_unknown_device_is_refused_with_the_list_of_devices(team, procedure_id) -> None:
    with pytest.raises(ValidationError, match="Choose the oxygen device from the list"):
        sedation.record_oxygen(
            uow=team.uow,
            clock=team.clock,
            actor=team.nurse,
            procedure_id=procedure_id,
            device="Nasal cannula",
            flow_l_min="2",
        )
    assert _written(team, procedure_id)[1] == ()
