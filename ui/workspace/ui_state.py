"""UI state kept between runs (QSettings): never clinical data, only how the screen looks.

Each setting is declared once, with its type and default.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings


@dataclass(frozen=True, slots=True)
class _Option:
    key: str
    default: object
    kind: type


LARGE_TEXT = _Option("view/large_text", False, bool)
SHOW_RECORD_PANEL = _Option("view/record_panel", True, bool)
SHOW_FOLLOW_UP = _Option("view/follow_up_visits", True, bool)
LAST_LOCATION = _Option("procedure/last_location", "", str)
WINDOW_GEOMETRY = _Option("window/geometry", QByteArray(), QByteArray)


class UiState:
    """Typed access to the few UI settings."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings or QSettings()

    def get(self, option: _Option) -> object:
        value = self._settings.value(option.key, option.default)
        if option.kind is bool:
            return value in (True, "true", "1", 1)
        if option.kind is str:
            return str(value or "")
        return value if value is not None else option.default

    def set(self, option: _Option, value: object) -> None:
        self._settings.setValue(option.key, value)
