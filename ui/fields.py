"""Input fields shared by the screens."""

from __future__ import annotations

from PySide6.QtWidgets import QDateTimeEdit, QTimeEdit, QWidget


class OneStopDateTimeEdit(QDateTimeEdit):
    """A date-time field that Tab enters and leaves in one press.

    Qt's QDateTimeEdit spends Tab on its sections (year, month, day, hour, minute): a form
    with one took nine presses to cross. The sections stay reachable with Left/Right and
    Up/Down, as in Qt's default.
    """

    def focusNextPrevChild(self, forward: bool) -> bool:
        return QWidget.focusNextPrevChild(self, forward)


class OneStopTimeEdit(QTimeEdit):
    """A time field that Tab enters and leaves in one press (see `OneStopDateTimeEdit`)."""

    def focusNextPrevChild(self, forward: bool) -> bool:
        return QWidget.focusNextPrevChild(self, forward)
