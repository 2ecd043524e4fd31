"""Oxygen at the bedside: the devices, the flows a flowmeter can show, room air as stopped.

Standard library only.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from slidesk.domain.errors import ValidationError
from slidesk.domain.values import parse_decimal
from slidesk.i18n import _


class OxygenDevice(StrEnum):
    ROOM_AIR = "room_air"
    NASAL_CANNULA = "nasal_cannula"
    FACE_MASK = "face_mask"
    NON_REBREATHER = "non_rebreather"
    BAG_MASK = "bag_mask"

    @property
    def label(self) -> str:
        return {
            OxygenDevice.ROOM_AIR: "Room air (oxygen stopped)",
            OxygenDevice.NASAL_CANNULA: "Nasal cannula",
            OxygenDevice.FACE_MASK: "Face mask",
            OxygenDevice.NON_REBREATHER: "Non-rebreather mask",
            OxygenDevice.BAG_MASK: "Bag-valve mask",
        }[self]


def oxygen_device(value: object) -> OxygenDevice:
    """The oxygen device a caller chose: the enum itself or its stored value ('nasal_cannula').

    A screen's list hands its choice back as plain text; anything that is not one of the
    devices is refused with a message, never passed on.
    """
    if isinstance(value, OxygenDevice):
        return value
    if isinstance(value, str):
        for device in OxygenDevice:
            if value == device.value:
                return device
    names = ", ".join(device.label for device in OxygenDevice)
    raise ValidationError(
        _("Choose the oxygen device from the list ({names}).").format(names=names)
    )


# Flows a nurse can set on the devices in use here (adults); the message names the range.
FLOW_MIN_L_MIN = Decimal("0.5")
FLOW_MAX_L_MIN = Decimal(25)


def parse_flow(text: str | Decimal | int, device: OxygenDevice) -> int:
    """Oxygen flow in L/min → integer mL/min; room air means 0 (whatever was typed), and a
    flow of 0 means the oxygen was stopped (`oxygen_setting` charts it as room air)."""
    if oxygen_device(device) is OxygenDevice.ROOM_AIR:
        return 0
    value = parse_decimal(text, _("Oxygen flow"))
    if value == 0:
        return 0
    if not FLOW_MIN_L_MIN <= value <= FLOW_MAX_L_MIN:
        raise ValidationError(
            _("Oxygen flow {value} L/min is not possible ({low}–{high} L/min).").format(
                value=value, low=FLOW_MIN_L_MIN, high=FLOW_MAX_L_MIN
            )
        )
    ml = value * 1000
    if ml != ml.to_integral_value():
        raise ValidationError(
            _("Oxygen flow {value} L/min has more decimals than a flowmeter shows.").format(
                value=value
            )
        )
    return int(ml)


def oxygen_setting(
    device: OxygenDevice | str, text: str | Decimal | int
) -> tuple[OxygenDevice, int]:
    """What to chart: the device and its flow in mL/min; room air or a flow of 0 is the
    oxygen stopped (room air, 0)."""
    chosen = oxygen_device(device)
    flow = parse_flow(text, chosen)
    return (OxygenDevice.ROOM_AIR, 0) if flow == 0 else (chosen, flow)
