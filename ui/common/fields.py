"""Input fields shared by the screens: date and time fields that take typing as people type.

Qt's QDateTimeEdit edits one section at a time. Select-all then typing "2026-12-03 13:31" gave
03:01 with the rest in the next field (a separator key moved the focus on), and Up/Down could
change a section other than the one shown under the cursor. These fields:

- Tab enters and leaves them in one press; the sections stay on Left/Right and Up/Down;
- typing from the start (the whole text selected, or the first section, as after Tab) replaces
  the whole value: a full date and time (as shown, or "2026-12-03 13:31"), a date alone (the
  time is kept) or a time alone ("13:31": the date is kept); any other typing goes section by
  section as in Qt, a separator moving to the next section, never out of the field;
- Up/Down change the section under the cursor.

Qt only; no core imports.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QDate, QDateTime, QEvent, QTime
from PySide6.QtGui import QFocusEvent, QKeyEvent, Qt
from PySide6.QtWidgets import QDateTimeEdit, QWidget

_SECTIONS = {
    "y": QDateTimeEdit.Section.YearSection,
    "M": QDateTimeEdit.Section.MonthSection,
    "d": QDateTimeEdit.Section.DaySection,
    "H": QDateTimeEdit.Section.HourSection,
    "h": QDateTimeEdit.Section.HourSection,
    "m": QDateTimeEdit.Section.MinuteSection,
    "s": QDateTimeEdit.Section.SecondSection,
}
_TYPED = re.compile(r"[0-9A-Za-z:\-./ ]")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_ISO = ("yyyy-MM-dd HH:mm", "yyyy-MM-dd H:mm", "yyyy-MM-ddTHH:mm")
_STEP_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
_TAB_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)


def _tokens(display_format: str) -> list[tuple[str, str]]:
    """The format as (letter, run) pairs: a run of a section letter, or ("", literal text)."""
    tokens: list[tuple[str, str]] = []
    for run in re.finditer(r"(y+|M+|d+|H+|h+|m+|s+|z+|[aApP]+)|([^yMdHhmszaApP]+)", display_format):
        text = run.group(0)
        tokens.append((text[0], text) if run.group(1) else ("", text))
    return tokens


class _TypedDateTimeEdit(QDateTimeEdit):
    """The behaviour both fields share (see the module docstring)."""

    _buffer: str | None = None
    _before: QDateTime | None = None
    _tabbing = False

    # --- Tab leaves, separators move on --------------------------------------------------

    def event(self, event: QEvent) -> bool:
        tab = (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _TAB_KEYS
            and not event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        )
        if not tab:
            return super().event(event)
        self._finish_typing()
        self._tabbing = True
        try:
            return super().event(event)
        finally:
            self._tabbing = False

    def focusNextPrevChild(self, forward: bool) -> bool:
        if self._tabbing:
            return QWidget.focusNextPrevChild(self, forward)
        # A separator key ("-", ":", " "): Qt moves to the next section through here; it must
        # never leave the field (the rest of the typing would land in the next one).
        return super().focusNextPrevChild(forward)

    # --- typing a whole value ------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        plain = not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        )
        typed = plain and len(text) == 1 and _TYPED.fullmatch(text) is not None
        if self._buffer is not None:
            if typed:
                self._type(self._buffer + text)
                return
            if event.key() == Qt.Key.Key_Backspace:
                self._type(self._buffer[:-1])
                return
            if event.key() == Qt.Key.Key_Escape:
                self._cancel_typing()
                return
            self._finish_typing()
        elif typed and text.isdigit() and self._at_start():
            self._before = self.dateTime()
            self._type(text)
            return
        if event.key() in _STEP_KEYS:
            self._select_section_under_cursor()
        super().keyPressEvent(event)

    def dateTime(self) -> QDateTime:
        """The value; typing that does not read as a whole value yet is taken first (a
        shortcut may save the form while the cursor is still here)."""
        if self._buffer is not None and self._read(self._buffer) is None:
            self._finish_typing()
        return super().dateTime()

    def time(self) -> QTime:
        return self.dateTime().time()

    def date(self) -> QDate:
        return self.dateTime().date()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._finish_typing()
        super().focusOutEvent(event)

    def typing(self) -> str | None:
        """What is being typed as a whole value (None when editing section by section)."""
        return self._buffer

    def _at_start(self) -> bool:
        edit = self.lineEdit()
        if edit.hasSelectedText() and edit.selectedText() == edit.text():
            return True
        return edit.hasSelectedText() and edit.selectionStart() == 0

    def _type(self, buffer: str) -> None:
        """Show the typing so far; the value follows as soon as it reads as one."""
        self._buffer = buffer
        value = self._read(buffer)
        if value is not None:
            super().setDateTime(value)
        self.lineEdit().setText(buffer)
        self.lineEdit().setCursorPosition(len(buffer))

    def _read(self, buffer: str) -> QDateTime | None:
        before = self._before if self._before is not None else super().dateTime()
        shown = " ".join(self.displayFormat().split())
        words = " ".join(buffer.split())
        for form in (shown, *_ISO):
            value = QDateTime.fromString(words, form)
            if value.isValid() and self._has_date():
                return value
            if value.isValid():
                return QDateTime(before.date(), value.time())
        time = _TIME.match(words)
        if time and self._has_time():
            hour, minute = int(time.group(1)), int(time.group(2))
            if hour < 24 and minute < 60:
                return QDateTime(before.date(), QTime(hour, minute))
        date = QDate.fromString(words, "yyyy-MM-dd")
        if date.isValid() and self._has_date():
            return QDateTime(date, before.time())
        return None

    def _has_date(self) -> bool:
        return bool(self.displayedSections() & QDateTimeEdit.Section.DateSections_Mask)

    def _has_time(self) -> bool:
        return bool(self.displayedSections() & QDateTimeEdit.Section.TimeSections_Mask)

    def _finish_typing(self) -> None:
        """Take what was typed: a whole value, else the same keys section by section."""
        buffer, before = self._buffer, self._before
        if buffer is None or before is None:
            return
        self._buffer = self._before = None
        value = self._read(buffer)
        if value is not None:
            super().setDateTime(value)
            self._show_value(min(len(buffer), len(self.lineEdit().text())))
            return
        super().setDateTime(before)
        self._show_value(0)
        self.setCurrentSectionIndex(0)
        self.setSelectedSection(self.sectionAt(0))
        for key in buffer:
            press = QKeyEvent(
                QEvent.Type.KeyPress, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, key
            )
            super().keyPressEvent(press)

    def _cancel_typing(self) -> None:
        before = self._before
        self._buffer = self._before = None
        if before is not None:
            super().setDateTime(before)
            self._show_value(0)

    def _show_value(self, cursor: int) -> None:
        self.lineEdit().setText(self.textFromDateTime(super().dateTime()))
        self.lineEdit().setCursorPosition(cursor)

    # --- Up/Down: the section under the cursor --------------------------------------------

    def _select_section_under_cursor(self) -> None:
        edit = self.lineEdit()
        at = edit.selectionStart() if edit.hasSelectedText() else edit.cursorPosition()
        position = 0
        index = 0
        for letter, run in _tokens(self.displayFormat()):
            if not letter:
                position += len(run)
                continue
            section = _SECTIONS.get(letter)
            width = len(self.sectionText(section)) if section is not None else len(run)
            if section is not None and position <= at <= position + width:
                if self.currentSection() is not section:
                    self.setCurrentSectionIndex(index)
                return
            position += width
            index += 1


class OneStopDateTimeEdit(_TypedDateTimeEdit):
    """A date-time field that Tab enters and leaves in one press and that takes a whole typed
    date and time (see the module docstring)."""


class OneStopTimeEdit(_TypedDateTimeEdit):
    """A time field (no date shown) that Tab enters and leaves in one press and that takes a
    typed time (see `OneStopDateTimeEdit`)."""

    def __init__(self, time: QTime | None = None, parent: QWidget | None = None) -> None:
        super().__init__(time if time is not None else QTime(0, 0), parent)
