"""The home list's item model: a lazy, paged adapter over `services.procedures.list_procedures`.

Rows arrive a page at a time (`canFetchMore`/`fetchMore`), so the list opens instantly with
tens of thousands of procedures; the view asks for more as the user scrolls.

Fields (one column each): study ID, planned date (local), index limb, status, progress
(injected / total), operator, kit number.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.services.dto import ProcedurePage, ProcedureSummary
from ui.common.timefmt import local_date_time, utc_offset

PAGE_SIZE = 100

Fetcher = Callable[[int, int], ProcedurePage | None]
"""(offset, limit) → a page of procedures for the current search and filter; None when it
could not be read (the fetcher has said so where the person looks)."""

_Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    STUDY_ID = 0
    DATE = 1
    LIMB = 2
    STATUS = 3
    PROGRESS = 4
    OPERATOR = 5
    KIT = 6


_HEADERS = {
    Column.STUDY_ID: "Subject",
    Column.DATE: "Date",
    Column.LIMB: "Limb",
    Column.STATUS: "Status",
    Column.PROGRESS: "Progress",
    Column.OPERATOR: "Operator",
    Column.KIT: "Kit",
}

_STATUS_COLOURS = {
    ProcedureStatus.PLANNED: "#DCEBF7",
    ProcedureStatus.IN_PROGRESS: "#FBE7B5",
    ProcedureStatus.COMPLETED: "#D7F0E7",
    ProcedureStatus.SIGNED: "#E4E4E4",
    ProcedureStatus.AMENDED: "#F3DDEA",
}

ProcedureIdRole = Qt.ItemDataRole.UserRole + 1


class ProcedureTableModel(QAbstractTableModel):
    def __init__(self, zone: tzinfo, fetcher: Fetcher | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = zone  # dates in the site's time zone
        self._fetcher = fetcher
        self._rows: list[ProcedureSummary] = []
        self._total = 0

    # --- loading -------------------------------------------------------------------------------

    def set_fetcher(self, fetcher: Fetcher | None) -> None:
        """A new search or filter: start again from the first page."""
        self.beginResetModel()
        self._fetcher = fetcher
        self._rows = []
        self._total = 0
        page = fetcher(0, PAGE_SIZE) if fetcher is not None else None
        if page is not None:  # None: it could not be read (the fetcher said so)
            self._rows = list(page.rows)
            self._total = page.total
        self.endResetModel()

    def refresh(self) -> None:
        self.set_fetcher(self._fetcher)

    @property
    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._fetcher is not None and len(self._rows) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        assert self._fetcher is not None
        page = self._fetcher(len(self._rows), PAGE_SIZE)
        fresh = list(page.rows) if page is not None else []
        if not fresh:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self._rows.extend(fresh)
        self.endInsertRows()

    def summary(self, row: int) -> ProcedureSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, procedure_id: int) -> int:
        """The row showing this procedure, or -1 (not loaded, or not in the list)."""
        return next((i for i, r in enumerate(self._rows) if r.id == procedure_id), -1)

    # --- model interface -----------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(Column):
            return self.tr(_HEADERS[Column(section)])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.DATE:
            return (
                f"{local_date_time(row.planned_at, self._zone)} "
                f"({utc_offset(row.planned_at, self._zone)})"
            )
        if role == Qt.ItemDataRole.BackgroundRole and column is Column.STATUS:
            return QBrush(QColor(_STATUS_COLOURS[row.status]))
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.PROGRESS:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == ProcedureIdRole:
            return row.id
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(row, column)
        return None

    def _display(self, row: ProcedureSummary, column: Column) -> str:
        if column is Column.STUDY_ID:
            return row.study_id
        if column is Column.DATE:
            return local_date_time(row.started_at or row.planned_at, self._zone)
        if column is Column.LIMB:
            return self.tr(row.index_limb.label)
        if column is Column.STATUS:
            return self.tr(row.status.label)
        if column is Column.PROGRESS:
            return f"{row.injected_count}/{row.total_sites}"
        if column is Column.OPERATOR:
            return row.operator_name
        return row.kit_number
