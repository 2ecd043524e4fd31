"""Small shared pieces of the nurse's screens: times, the inline message line, a table model base.

Qt only; talks to nothing but DTOs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTime
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QTableView, QTimeEdit, QWidget

from slidesk.clock import Clock

# Calm clinical palette: colour is never the only signal (text says it too).
ALARM_BG = QColor("#fde2e1")
ALARM_FG = QColor("#9b1c1c")
WARN_BG = QColor("#fff4d6")
WARN_FG = QColor("#7a4b00")
OK_FG = QColor("#1d6b3a")
MUTED_FG = QColor("#6b7280")
HIGHLIGHT_BG = QColor("#e8eefc")

_Row = TypeVar("_Row")
_Index = QModelIndex | QPersistentModelIndex


def hm(value: datetime | None) -> str:
    """Local wall-clock time, as read at the bedside."""
    return value.astimezone().strftime("%H:%M") if value else "—"


def local_with_offset(value: datetime) -> str:
    """'Wed 26 Nov 2026 09:30 (UTC+01:00)' — unambiguous on screen and paper."""
    local = value.astimezone()
    offset = local.strftime("%z")
    return f"{local.strftime('%a %d %b %Y %H:%M')} (UTC{offset[:3]}:{offset[3:]})"


class TimeField(QWidget):
    """'Now' by default; untick to type the time an event happened (a late entry)."""

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self.now_box = QCheckBox(self.tr("Now"))
        self.now_box.setChecked(True)
        self.time_edit = QTimeEdit()
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setEnabled(False)
        self.time_edit.setAccessibleName(self.tr("Time of the event"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.now_box)
        layout.addWidget(self.time_edit)
        layout.addStretch(1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.now_box.toggled.connect(self._on_now_box_toggled)

    def _on_now_box_toggled(self, checked: bool) -> None:
        self.time_edit.setEnabled(not checked)
        if not checked:
            local = self._clock.now().astimezone()
            self.time_edit.setTime(QTime(local.hour, local.minute))
            self.time_edit.setFocus()

    def value(self) -> datetime | None:
        """None for 'now' (the service stamps it); otherwise today's local date at the time."""
        if self.now_box.isChecked():
            return None
        now_local = self._clock.now().astimezone()
        t = self.time_edit.time()
        typed = now_local.replace(hour=t.hour(), minute=t.minute(), second=0, microsecond=0)
        if typed > now_local + timedelta(minutes=2):
            typed -= timedelta(days=1)  # 23:50 typed at 00:10 means yesterday
        return typed.astimezone(UTC)

    def reset(self) -> None:
        self.now_box.setChecked(True)


class MessageLine(QLabel):
    """One line under a form: what went wrong, or what was just saved."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setVisible(False)

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


class RowsModel(QAbstractTableModel, Generic[_Row]):
    """A read-only table over a tuple of DTOs; subclasses say what each cell shows.

    Subclasses set `Column` (an IntEnum) and `HEADERS`, and implement `cell`; `tone` and
    `tooltip` add colour and explanation per cell. Voided rows are struck out and muted.
    """

    Column: type[IntEnum]
    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[_Row, ...] = ()

    def set_rows(self, rows: Sequence[_Row]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def row_at(self, row: int) -> _Row:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        column = self.Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(item, column)
        if role == Qt.ItemDataRole.FontRole and self.voided(item):
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            if self.voided(item):
                return QBrush(MUTED_FG) if role == Qt.ItemDataRole.ForegroundRole else None
            tone = self.tone(item, column)
            if tone is None:
                return None
            fg, bg = tone
            colour = fg if role == Qt.ItemDataRole.ForegroundRole else bg
            return QBrush(colour) if colour is not None else None
        return None

    def cell(self, item: _Row, column: IntEnum) -> str:
        raise NotImplementedError

    def tone(self, item: _Row, column: IntEnum) -> tuple[QColor | None, QColor | None] | None:
        return None

    def tooltip(self, item: _Row, column: IntEnum) -> str | None:
        return None

    def voided(self, item: _Row) -> bool:
        return bool(getattr(item, "voided", False))


def ask_reason(parent: QWidget, title: str, prompt: str) -> str | None:
    """Ask for the reason of a correction; None when cancelled or left empty."""
    from PySide6.QtWidgets import QInputDialog

    text, ok = QInputDialog.getText(parent, title, prompt)
    return text.strip() if ok and text.strip() else None


def compact_table(table: QTableView) -> None:
    """Rows one text line high, no row numbers: a dense, calm list."""
    table.verticalHeader().setVisible(False)
    height = table.fontMetrics().height() + 8
    table.verticalHeader().setDefaultSectionSize(height)
    table.verticalHeader().setMinimumSectionSize(height)
    table.setAlternatingRowColors(True)
