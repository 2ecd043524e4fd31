"""The home screen's follow-up panel: visits overdue, due now, unsigned or coming up.

`DueVisitsModel` fields (one column each): subject (study ID), visit (time point), target date,
window (first–last day), state (in words, with how many days).
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.followup.schedule import DueState
from slidesk.services.followup import service as followup
from slidesk.services.followup.dto import DueVisit
from ui.common.follow import Follower
from ui.common.table_model import RowsTableModel
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Topic
from ui.followup.common import DUE_COLOURS, MessageLine, day_text, shortcut_text
from ui.session import BedsideSession

SubjectIdRole = Qt.ItemDataRole.UserRole + 1


class Column(IntEnum):
    SUBJECT = 0
    VISIT = 1
    TARGET = 2
    WINDOW = 3
    STATE = 4


_HEADERS = {
    Column.SUBJECT: "Subject",
    Column.VISIT: "Visit",
    Column.TARGET: "Target",
    Column.WINDOW: "Window",
    Column.STATE: "State",
}


def state_text(item: DueVisit) -> str:
    """The visit's state in words, by its window: due (window open), overdue (closed)."""
    n = item.days
    days = _tr("1 day") if n == 1 else _tr("{n} days").format(n=n)
    if item.window is None:  # the baseline: taken before the procedure, its window closes then
        match item.state:
            case DueState.DUE if n == 0:
                return _tr("Due: not entered yet (the procedure is today)")
            case DueState.DUE:
                return _tr("Due before the procedure (in {days})").format(days=days)
            case DueState.OVERDUE:
                return _tr("Overdue: not entered, procedure {days} ago").format(days=days)
    match item.state:
        case DueState.OVERDUE:
            return _tr("Overdue by {days}").format(days=days)
        case DueState.DUE:
            return _tr("Due now ({days} left)").format(days=days)
        case DueState.UPCOMING:
            return _tr("Window opens in {days}").format(days=days)
        case _:
            return item.state.label


def _tr(text: str) -> str:
    return QCoreApplication.translate("DueVisitsModel", text)


class DueVisitsModel(RowsTableModel[DueVisit, Column]):
    def __init__(self, parent: QObject | None = None) -> None:
        headers = {c: QCoreApplication.translate("DueVisitsModel", t) for c, t in _HEADERS.items()}
        super().__init__(Column, headers, parent)

    def accessible_text(self, item: DueVisit, column: Column) -> str:
        return self.display(item, column)

    def tooltip(self, item: DueVisit, column: Column) -> str | None:
        if item.window is None:
            return None
        return self.tr("Target {t}; window {a} to {b}").format(
            t=day_text(item.window.target),
            a=day_text(item.window.opens),
            b=day_text(item.window.closes),
        )

    def background(self, item: DueVisit, column: Column) -> str | None:
        return DUE_COLOURS[item.state][0] if column is Column.STATE else None

    def foreground(self, item: DueVisit, column: Column) -> str | None:
        return DUE_COLOURS[item.state][1] if column is Column.STATE else None

    def user_data(self, item: DueVisit, column: Column, role: int) -> Any:
        return item.subject_id if role == SubjectIdRole else None

    def display(self, item: DueVisit, column: Column) -> str:
        window = item.window
        match column:
            case Column.SUBJECT:
                return item.study_id
            case Column.VISIT:
                return item.label
            case Column.TARGET:
                return day_text(window.target) if window else "before the procedure"
            case Column.WINDOW:
                if window is None:
                    return "—"
                return f"{window.opens.strftime('%d %b')} – {day_text(window.closes)}"
            case Column.STATE:
                return state_text(item)
        return ""


class DueVisitsPanel(QWidget):
    """Follow-up visits that need attention; opens a subject's outcomes on Enter."""

    subject_opened = Signal(int)
    """The user asked to open this subject's outcomes (subject id)."""

    def __init__(
        self, context: AppContext, session: BedsideSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._session = session
        self._windows: list[QWidget] = []
        self.title = QLabel(self.tr("<b>Follow-up visits</b>"))
        self.summary = QLabel()
        self.summary.setStyleSheet("color: #4b5563;")
        self.upcoming_box = QCheckBox(self.tr("Show &upcoming (30 days)"))
        self.upcoming_box.setChecked(True)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Refresh ({key})").format(key=shortcut_text("F5")))
        self.open_button = QPushButton(self.tr("&Open subject"))
        self.open_button.setToolTip(self.tr("Open the subject's outcomes (Enter)"))
        self.message = MessageLine()
        self.model = DueVisitsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Tab goes on to the next control; Qt's tables would walk the cells and never let go.
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setAccessibleName(self.tr("Follow-up visits needing attention"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.empty = QLabel(self.tr("No follow-up visit needs attention."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #6b7280; padding: 12px;")
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.summary, 1)
        top.addWidget(self.upcoming_box)
        top.addWidget(self.refresh_button)
        top.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self._refresh_shortcut = QShortcut(QKeySequence("F5"), self)
        self._connect_signals()
        # A visit saved or signed, a procedure completed (its date starts the schedule), a
        # subject registered: the list reads again, at once or when next shown.
        self.follower = Follower(
            self,
            context.changes,
            (Topic.FOLLOW_UP, Topic.PROCEDURE, Topic.SUBJECTS),
            self.refresh,
        )
        self.refresh()

    def _connect_signals(self) -> None:
        self.refresh_button.clicked.connect(self._on_refresh_button_clicked)
        self._refresh_shortcut.activated.connect(self.refresh)
        self.upcoming_box.toggled.connect(self._on_upcoming_box_toggled)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.table.activated.connect(self._on_table_activated)
        self._session.active_changed.connect(self._on_session_active_changed)

    def refresh(self, today: date | None = None) -> None:
        actor = self._session.active
        if actor is None:
            self.model.set_rows([])
            self.message.info(self.tr("Sign in to see the follow-up visits."))
            self._update_empty()
            return
        self.follower.stale = False
        found = operations.read(
            self._context,
            followup.due_visits,
            actor=actor,
            show_error=self.message.error,
            what=self.tr("The list of follow-up visits"),
            clock=self._context.clock,
            today=today,
        )
        if found is None:
            self.model.set_rows([])
            self._update_empty()
            return
        rows = found
        self.message.clear_message()
        if not self.upcoming_box.isChecked():
            rows = tuple(r for r in rows if r.state is not DueState.UPCOMING)
        self.model.set_rows(rows)
        counts = {state: sum(1 for r in rows if r.state is state) for state in DueState}
        self.summary.setText(
            self.tr("{o} overdue · {d} due · {s} unsigned · {u} upcoming").format(
                o=counts[DueState.OVERDUE],
                d=counts[DueState.DUE],
                s=counts[DueState.STARTED],
                u=counts[DueState.UPCOMING],
            )
        )
        self._update_empty()

    def _update_empty(self) -> None:
        empty = self.model.rowCount() == 0
        self.empty.setVisible(empty)
        self.table.setVisible(not empty)
        self.open_button.setEnabled(not empty)

    def _on_upcoming_box_toggled(self, _checked: bool) -> None:
        self.refresh()

    def _on_session_active_changed(self, _actor: object) -> None:
        self.refresh()

    def _on_refresh_button_clicked(self) -> None:
        # clicked(bool) would arrive as `today`; the list is for the clock's today.
        self.refresh()

    def _on_open_button_clicked(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0, 0)
        if index.isValid():
            self._on_table_activated(index)

    def _on_table_activated(self, index: QModelIndex) -> None:
        item = self.model.row(index)
        if item is None:
            return
        self.subject_opened.emit(item.subject_id)
        self.open_subject(item.subject_id)

    def open_subject(self, subject_id: int) -> QWidget:
        from ui.followup.subject_outcomes import SubjectOutcomesWindow

        window = SubjectOutcomesWindow(self._context, self._session, self, subject_id)
        window.show()
        self._windows.append(window)
        return window
