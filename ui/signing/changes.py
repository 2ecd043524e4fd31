"""The changes of an amended record since its last signed version: what, old → new, who, when,
why — shown to the people who sign the amended record (`services.signing_changes`).

Qt only; a thin model over the `RecordChange` DTOs and the box that holds its table.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from slidesk.clock import Clock
from slidesk.services.signing.dto import RecordChange, SignedChanges
from ui.common.table_model import RowsTableModel
from ui.signing.models import local_text

MAX_ROWS_SHOWN = 4


class ChangeColumn(IntEnum):
    WHAT = 0
    CHANGE = 1
    WHO = 2
    WHEN = 3
    REASON = 4


def _tr(text: str) -> str:
    return QCoreApplication.translate("ChangesModel", text)


class ChangesModel(RowsTableModel[RecordChange, ChangeColumn]):
    """One row per change since the last signed version, oldest first."""

    def __init__(self, clock: Clock) -> None:
        headers = (
            _tr("What"),
            _tr("Change (old → new)"),
            _tr("Who"),
            _tr("When"),
            _tr("Reason"),
        )
        super().__init__(ChangeColumn, headers)
        self._clock = clock

    def display(self, row: RecordChange, column: ChangeColumn) -> str:
        if column is ChangeColumn.WHAT:
            return row.what
        if column is ChangeColumn.CHANGE:
            return row.change
        if column is ChangeColumn.WHO:
            return row.who
        if column is ChangeColumn.WHEN:
            return local_text(row.at, self._clock.zone)
        return row.reason

    def tooltip(self, row: RecordChange, column: ChangeColumn) -> str:
        return f"{row.what}: {row.change} — {row.reason}"


class ChangesBox(QGroupBox):
    """The changes since version n: their table, or a line saying there are none yet."""

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ChangesModel(clock)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.verticalHeader().hide()
        # Rows as tall as their wrapped text at the current column widths, on every resize.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().sectionResized.connect(self._fit_height)
        self.table.horizontalHeader().sectionResized.connect(self._fit_height)
        heading = self.table.horizontalHeader()
        heading.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        heading.setSectionResizeMode(ChangeColumn.CHANGE, QHeaderView.ResizeMode.Stretch)
        heading.setSectionResizeMode(ChangeColumn.REASON, QHeaderView.ResizeMode.Stretch)
        self.none_yet = QLabel()
        self.none_yet.setWordWrap(True)
        # Never taller than its content: the warnings list above gets what is left.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.none_yet)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self, *_args: object) -> None:
        """The table as tall as its rows (no empty band), up to MAX_ROWS_SHOWN rows' worth;
        a longer list scrolls and leaves the warnings above their room."""
        rows = self.model.rowCount()
        # What each row needs at the columns' current widths (its height may lag behind).
        least = self.table.verticalHeader().minimumSectionSize()
        shown = sum(
            max(self.table.sizeHintForRow(r), least) for r in range(min(rows, MAX_ROWS_SHOWN))
        )
        frame = 2 * self.table.frameWidth()
        heading = self.table.horizontalHeader()
        header = max(heading.height(), heading.sizeHint().height())
        height = header + max(shown, 1) + frame
        if self.table.height() != height:
            self.table.setFixedHeight(height)

    def set_changes(self, changes: SignedChanges) -> None:
        version = changes.since_version or 0
        count = len(changes.changes)
        self.setTitle(
            self.tr("C&hanges since version %1: %2 — who, when, why")
            .replace("%1", str(version))
            .replace("%2", self.tr("%n change(s)", "", count))
        )
        self.model.set_rows(changes.changes)
        self.table.resizeRowsToContents()
        self._fit_height()
        self.table.setVisible(count > 0)
        self.none_yet.setVisible(count == 0)
        self.none_yet.setText(
            self.tr(
                "Nothing has changed since version %1 yet. Correct the record in the workspace "
                "(Correct entry, Ctrl+E; the nurse's tabs), then sign here."
            ).replace("%1", str(version))
        )
