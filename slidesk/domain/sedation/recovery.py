"""Recovery after sedation: the modified Aldrete score and its SpO2 item against oxygen.

Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass

from slidesk.domain.errors import ValidationError
from slidesk.i18n import _

ALDRETE_ITEMS: tuple[tuple[str, str, tuple[str, str, str]], ...] = (
    ("activity", "Activity", ("moves 0 extremities", "moves 2 extremities", "moves 4 extremities")),
    (
        "respiration",
        "Respiration",
        ("apnoeic", "dyspnoea or limited breathing", "breathes deeply, coughs freely"),
    ),
    (
        "circulation",
        "Circulation",
        ("BP ≥ 50 % off pre-sedation", "BP 20–49 % off pre-sedation", "BP within 20 %"),
    ),
    ("consciousness", "Consciousness", ("not responding", "arousable on calling", "fully awake")),
    ("spo2", "SpO2", ("< 90 % even with O2", "needs O2 to keep > 90 %", "> 92 % on room air")),
)


@dataclass(frozen=True, slots=True)
class Aldrete:
    activity: int
    respiration: int
    circulation: int
    consciousness: int
    spo2: int

    def __post_init__(self) -> None:
        for key, label, _texts in ALDRETE_ITEMS:
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2:
                raise ValidationError(f"Aldrete '{label}' must be scored 0, 1 or 2.")

    @property
    def total(self) -> int:
        return self.activity + self.respiration + self.circulation + self.consciousness + self.spo2

    def meets(self, threshold: int) -> bool:
        return self.total >= threshold


def aldrete_oxygen_conflict(scores: Aldrete, oxygen_running: str | None) -> str | None:
    """Why the SpO2 item contradicts the charted oxygen, or None.

    `oxygen_running` is the oxygen charted at the time of the assessment ("2 L/min, Nasal
    cannula"), None on room air. SpO2 2 means "> 92 % on room air": with oxygen running the
    patient is not on room air, so the score would overstate recovery.
    """
    if scores.spo2 != 2 or oxygen_running is None:
        return None
    return _(
        "SpO2 scored 2 (> 92 % on room air), but oxygen is charted ({oxygen}): if it was "
        "stopped, chart that first; otherwise score SpO2 1 (needs O2 to keep > 90 %)."
    ).format(oxygen=oxygen_running)
