"""Small shared pieces of the nurse's screens: times, the inline message line, a table model base.

Qt only; talks to nothing but DTOs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from enum import IntEnum
from typing import TypeVar

from PySide6.QtCore import Qt, QTime, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QWidget,
)

from slidesk.clock import Clock, local
from ui.common.fields import OneStopDateTimeEdit, OneStopTimeEdit
from ui.common.table_model import RowsTableModel
from ui.common.timefmt import from_site_wall_clock, local_hm, site_wall_clock

# Calm clinical palette: colour is never the only signal (text says it too).
ALARM_BG = QColor("#fde2e1")
ALARM_FG = QColor("#9b1c1c")
WARN_BG = QColor("#fff4d6")
WARN_FG = QColor("#7a4b00")
OK_FG = QColor("#1d6b3a")
MUTED_FG = QColor("#6b7280")
HIGHLIGHT_BG = QColor("#e8eefc")

_Row = TypeVar("_Row")


class TimeField(QWidget):
    """'Now' by default, showing the clock's time greyed; untick to type the time an event
    happened (a late entry).

    While an amendment is open (`set_late_only`) every new entry is a late entry: there is no
    'Now', and the field takes a date and time, the procedure's day by default, time first.
    """

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._late_only = False
        self.now_box = QCheckBox(self.tr("Now"))
        self.now_box.setChecked(True)
        self.time_edit = OneStopTimeEdit()
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setEnabled(False)
        self.time_edit.setAccessibleName(self.tr("Time of the event"))
        self.late_edit = OneStopDateTimeEdit()
        self.late_edit.setDisplayFormat("HH:mm  dd MMM yyyy")
        self.late_edit.setAccessibleName(self.tr("When it happened (late entry)"))
        self.late_edit.setToolTip(
            self.tr("Amendment open: type when it really happened (a late entry).")
        )
        self.late_edit.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.now_box)
        layout.addWidget(self.time_edit)
        layout.addWidget(self.late_edit)
        layout.addStretch(1)
        # While 'Now' is ticked the greyed field shows the clock's time, never the last one
        # typed; it follows the clock while it is on screen.
        self.tick = QTimer(self)
        self.tick.setInterval(10_000)
        self._connect_signals()
        self._show_now()

    def _connect_signals(self) -> None:
        self.now_box.toggled.connect(self._on_now_box_toggled)
        self.tick.timeout.connect(self._on_tick_timeout)

    def _show_now(self) -> None:
        now = local(self._clock.now(), self._clock)
        self.time_edit.setTime(QTime(now.hour, now.minute))

    def _on_now_box_toggled(self, checked: bool) -> None:
        self.time_edit.setEnabled(not checked)
        self._show_now()  # ticked: the time now; unticked: start typing from now
        if not checked:
            self.time_edit.setFocus()

    def _on_tick_timeout(self) -> None:
        if self.now_box.isChecked():
            self._show_now()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._on_tick_timeout()
        self.tick.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.tick.stop()
        super().hideEvent(event)

    def set_late_only(self, day: datetime | None) -> None:
        """An amendment is open (`day`: when the procedure started) or not (None)."""
        late = day is not None
        if late and not self._late_only and day is not None:
            # Whole minutes, as shown: no hidden seconds of the start are kept.
            start = day.replace(second=0, microsecond=0)
            self.late_edit.setDateTime(site_wall_clock(start, self._clock.zone))
        self._late_only = late
        self.now_box.setVisible(not late)
        self.time_edit.setVisible(not late)
        self.late_edit.setVisible(late)

    def value(self) -> datetime | None:
        """None for 'now' (the service stamps it); otherwise today's local date at the time;
        during an amendment the date and time typed."""
        if self._late_only:
            return from_site_wall_clock(self.late_edit.dateTime(), self._clock.zone)
        if self.now_box.isChecked():
            return None
        now_local = local(self._clock.now(), self._clock)
        t = self.time_edit.time()
        typed = now_local.replace(hour=t.hour(), minute=t.minute(), second=0, microsecond=0)
        if typed > now_local + timedelta(minutes=2):
            typed -= timedelta(days=1)  # 23:50 typed at 00:10 means yesterday
        return typed.astimezone(UTC)

    def reset(self) -> None:
        """After a saved entry: 'Now' again (a late entry keeps its day and time for the next)."""
        self.now_box.setChecked(True)
        self._show_now()


class ReturnComboBox(QComboBox):
    """A choice in a form where Return saves (the sedation score, an Aldrete item).

    A closed QComboBox ignores Return; this one says `return_pressed`. With the list open,
    Return still picks the item.
    """

    return_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            self.return_pressed.emit()
            return
        super().keyPressEvent(event)


class MessageLine(QLabel):
    """One line under a form: what went wrong, or what was just saved.

    A message is true of the inputs it was said about: `follow(form)` clears it as soon as
    the person changes any input of the form (types, chooses, ticks, selects a row), so
    "Heart rate 7/min is not possible" goes when the rate is fixed. Changes made by the
    program (a form reset after saving) leave it. The tabs of the nurse's panel also clear it
    when another procedure is shown (`ui.nurse.entry.RecordEntry.set_record`).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setVisible(False)

    def follow(self, form: QWidget) -> None:
        """Clear this message when a person changes an input anywhere in `form`."""
        for edit in form.findChildren(QLineEdit):
            edit.textEdited.connect(self._on_input)
        for combo in form.findChildren(QComboBox):
            combo.activated.connect(self._on_input)
        for spin in form.findChildren(QDateTimeEdit):
            spin.dateTimeChanged.connect(self._on_typed)
        for text in form.findChildren(QPlainTextEdit):
            text.textChanged.connect(self._on_typed)  # typed: it has the focus
        for button in form.findChildren(QAbstractButton):
            if button.isCheckable():
                button.clicked.connect(self._on_input)
        for view in form.findChildren(QAbstractItemView):
            if view.selectionModel() is not None and not _inside_combo(view, form):
                view.selectionModel().selectionChanged.connect(self._on_input)
                view.selectionModel().currentChanged.connect(self._on_input)  # arrows

    def _on_input(self, *_args: object) -> None:
        self.clear_message()

    def _on_typed(self, *_args: object) -> None:
        """A time or a text typed (its field has the focus), not one the program set."""
        sender = self.sender()
        if isinstance(sender, QWidget) and sender.hasFocus():
            self.clear_message()

    def error(self, text: str) -> None:
        self._show(text, "#9b1c1c", "#fde2e1")

    def warn(self, text: str) -> None:
        self._show(text, "#7a4b00", "#fff4d6")

    def ok(self, text: str) -> None:
        self._show(text, "#1d6b3a", "#e6f4ea")

    def clear_message(self) -> None:
        self.setText("")
        self.setVisible(False)

    def _show(self, text: str, fg: str, bg: str) -> None:
        self.setText(text)
        self.setStyleSheet(f"color: {fg}; background: {bg}; padding: 4px 6px; border-radius: 3px;")
        self.setVisible(True)


def _inside_combo(widget: QWidget, form: QWidget) -> bool:
    """Whether `widget` belongs to a combo box's drop-down list (not a table of the form)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not form:
        if isinstance(parent, QComboBox):
            return True
        parent = parent.parentWidget()
    return False


class RowsModel(RowsTableModel[_Row, IntEnum]):
    """The nurse's tables: a `RowsTableModel` whose struck-out (voided) rows read muted.

    Subclasses set `Column` (an IntEnum) and `HEADERS`, and implement `display`; `tone` adds
    a (foreground, background) colour per cell and `tooltip` the explanation.
    """

    Column: type[IntEnum]
    HEADERS: tuple[str, ...] = ()

    def __init__(self, zone: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(self.Column, self.HEADERS, parent)
        self.zone = zone  # times in the site's zone

    def hm(self, value: datetime | None) -> str:
        """A time of this table, on the site's wall clock."""
        return local_hm(value, self.zone)

    def font(self, row: _Row, column: IntEnum) -> QFont | None:
        if not self.voided(row):
            return None
        font = QFont()
        font.setStrikeOut(True)
        return font

    def foreground(self, row: _Row, column: IntEnum) -> QColor | None:
        if self.voided(row):
            return MUTED_FG
        tone = self.tone(row, column)
        return tone[0] if tone else None

    def background(self, row: _Row, column: IntEnum) -> QColor | None:
        tone = None if self.voided(row) else self.tone(row, column)
        return tone[1] if tone else None

    def tone(self, item: _Row, column: IntEnum) -> tuple[QColor | None, QColor | None] | None:
        return None

    def voided(self, item: _Row) -> bool:
        return bool(getattr(item, "voided", False))


def ask_reason(parent: QWidget, title: str, prompt: str) -> str | None:
    """Ask for the reason of a correction: None when cancelled, "" when left blank (the
    caller says that a reason is needed)."""
    from PySide6.QtWidgets import QInputDialog

    text, ok = QInputDialog.getText(parent, title, prompt)
    return text.strip() if ok else None


def compact_table(table: QTableView) -> None:
    """Rows one text line high, no row numbers: a dense, calm list."""
    table.verticalHeader().setVisible(False)
    height = table.fontMetrics().height() + 8
    table.verticalHeader().setDefaultSectionSize(height)
    table.verticalHeader().setMinimumSectionSize(height)
    table.setAlternatingRowColors(True)
