"""What the entry panel asks the workspace to record, and the reasons it offers.

Plain values: no Qt, no screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

DEVIATION_PRESETS = (
    "Thin muscle layer at this site",
    "Skin lesion or ulcer close to the planned site",
    "Patient movement during injection",
    "Leakage at the injection site",
)
UNDO_PRESETS = (
    "Entered for the wrong site",
    "Wrong syringe number entered",
    "Entered twice by mistake",
)


@dataclass(frozen=True, slots=True)
class InjectionRequest:
    site_no: int
    depth_mm: Decimal
    volume_ml: Decimal
    syringe: str
    deviation_reason: str | None = None
    actual_position: tuple[Decimal, Decimal] | None = None
