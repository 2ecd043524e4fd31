"""Settings of this workstation, each declared once with its type, default, bounds and title.

QSettings holds them (per user, per machine). Nothing clinical lives here: only how the app
behaves on this screen. Read and write through `read()` / `write()` so that a damaged or
hand-edited value falls back to the default instead of breaking the app.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings


@dataclass(frozen=True, slots=True)
class IntSetting:
    key: str
    default: int
    minimum: int
    maximum: int
    title: str

    def clamp(self, value: int) -> int:
        return max(self.minimum, min(self.maximum, value))


IDLE_LOCK_MINUTES = IntSetting(
    key="session/idle_lock_minutes",
    default=10,
    minimum=1,  # never 0: the screen must lock eventually (ACC-05)
    maximum=60,
    title="Lock the screen after this many idle minutes",
)


def read(setting: IntSetting, store: QSettings | None = None) -> int:
    settings = store or QSettings()
    raw = settings.value(setting.key, setting.default)
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        return setting.default
    return setting.clamp(value)


def write(setting: IntSetting, value: int, store: QSettings | None = None) -> None:
    settings = store or QSettings()
    settings.setValue(setting.key, setting.clamp(int(value)))
