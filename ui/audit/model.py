"""A lazy table model over pages of audit entries, one row per changed field.

Rows arrive a page at a time through `canFetchMore`/`fetchMore` (the view asks as it scrolls),
so opening the viewer on 100,000 entries reads one page, not the whole trail. Each entry's
first line carries when/who/kind; its further lines (more fields of the same change) are
shown in a quieter colour, and entries alternate their background so they read as groups.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from slidesk.services.audit.trail import AuditChange, AuditEntryView, AuditPage

PageLoader = Callable[[int | None], AuditPage | None]
"""Loads the page after a cursor (None: the first page); None when it could not be read (the
loader has said so where the person looks)."""

_QUIET = QBrush(QColor("#8A949E"))
_BAND = QBrush(QColor("#F3F6F9"))
_PLAIN = QBrush(QColor("#FFFFFF"))

_Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    WHEN = 0
    WHO = 1
    KIND = 2
    SUBJECT = 3
    WHAT = 4
    OLD = 5
    NEW = 6
    REASON = 7


_HEADERS = {
    Column.WHEN: "When (local time)",
    Column.WHO: "Who",
    Column.KIND: "Kind of change",
    Column.SUBJECT: "Subject",
    Column.WHAT: "What",
    Column.OLD: "Old value",
    Column.NEW: "New value",
    Column.REASON: "Reason",
}


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One row: an entry and one of its changed fields (None when it changed none)."""

    entry: AuditEntryView
    change: AuditChange | None
    first: bool
    band: bool


def entity_text(entry: AuditEntryView) -> str:
    """The record the entry is about, in words (an account by its holder's name)."""
    return entry.record


def who_text(entry: AuditEntryView) -> str:
    """'S. Bakker, RN (nurse) as nurse': name, username, and the role acted in."""
    return entry.who


class AuditTrailModel(QAbstractTableModel):
    """Rows: `AuditLine`s, loaded page by page from `loader`."""

    def __init__(self, loader: PageLoader | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._loader = loader
        self._lines: list[AuditLine] = []
        self._cursor: int | None = None
        self._more = False
        self._entries = 0
        self.notice: str | None = None

    # --- loading ----------------------------------------------------------------------------

    def set_loader(self, loader: PageLoader) -> None:
        """Start over with another filter: first page now, the rest as the view scrolls."""
        self.beginResetModel()
        self._loader = loader
        self._lines = []
        self._entries = 0
        page = loader(None)  # None: it could not be read (the loader said so)
        self.notice = page.notice if page is not None else None
        if page is not None:
            self._append(page)
        else:
            self._more = False
        self.endResetModel()

    def release(self) -> None:
        """Forget the loader (it refers back to its window): no more pages, no cycle."""
        self._loader = None
        self._more = False

    @property
    def loaded_entries(self) -> int:
        return self._entries

    def line(self, row: int) -> AuditLine:
        return self._lines[row]

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more or self._loader is None:
            return
        page = self._loader(self._cursor)
        if page is None:  # could not be read (the loader said so): no more pages
            self._more = False
            return
        added = _lines(page, self._entries)
        if not added:
            self._more = False
            return
        self.beginInsertRows(QModelIndex(), len(self._lines), len(self._lines) + len(added) - 1)
        self._store(page, added)
        self.endInsertRows()

    def _append(self, page: AuditPage) -> None:
        self._store(page, _lines(page, self._entries))

    def _store(self, page: AuditPage, added: list[AuditLine]) -> None:
        self._lines.extend(added)
        self._entries += len(page.entries)
        self._cursor = page.next_cursor
        self._more = page.next_cursor is not None

    # --- the table --------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(_HEADERS[Column(section)]) if 0 <= section < len(Column) else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(line, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(line, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            quiet = not line.first and column <= Column.SUBJECT
            return _QUIET if quiet else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return _BAND if line.band else _PLAIN
        if role == Qt.ItemDataRole.UserRole:
            return line.entry.seq
        return None

    @staticmethod
    def _display(line: AuditLine, column: Column) -> str:
        entry, change = line.entry, line.change
        if column == Column.WHEN:
            return entry.local_time
        if column == Column.WHO:
            return who_text(entry)
        if column == Column.KIND:
            return entry.event_type
        if column == Column.SUBJECT:
            return entry.study_id or ""
        if column == Column.WHAT:
            what = entity_text(entry)
            if change is not None and change.label:
                return f"{what} · {change.label}" if what else change.label
            return what
        if column == Column.OLD:
            return change.old if change is not None else ""
        if column == Column.NEW:
            return change.new if change is not None else ""
        return entry.reason or ""

    @staticmethod
    def _tooltip(line: AuditLine, column: Column) -> str:
        entry = line.entry
        if column == Column.WHO:
            return f"{entry.full_name or entry.username or '—'} · host {entry.host}"
        if column in (Column.WHAT, Column.OLD, Column.NEW) and line.change is not None:
            return line.change.sentence or AuditTrailModel._display(line, column)
        if column == Column.REASON:
            return AuditTrailModel._display(line, column)
        if column == Column.KIND and entry.label:
            return entry.label
        procedure = f" · procedure {entry.procedure_id}" if entry.procedure_id else ""
        return (
            f"Audit entry {entry.seq} ({entry.action}){procedure} · "
            f"UTC {entry.at_utc:%Y-%m-%d %H:%M:%S} · hash {entry.hash[:16]}…"
        )


def _lines(page: AuditPage, entries_before: int) -> list[AuditLine]:
    lines: list[AuditLine] = []
    for n, entry in enumerate(page.entries, start=entries_before):
        band = n % 2 == 1
        changes: tuple[AuditChange | None, ...] = entry.changes or (None,)
        for i, change in enumerate(changes):
            lines.append(AuditLine(entry, change, i == 0, band))
    return lines
