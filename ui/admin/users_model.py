"""The accounts table of the users dialog: one row per account, the access review's columns.

Qt only: reads `AccessReviewRow`s, shows times on the site's clock; calls no service and
imports no dialog.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from slidesk.clock import Clock
from slidesk.services.accounts.dto import AccessReviewRow
from ui.admin.user_forms import roles_text
from ui.common.timefmt import local_date_time, local_hm

_Index = QModelIndex | QPersistentModelIndex
_MUTED = QBrush(QColor("#8A949E"))
_ALERT = QBrush(QColor("#A33F00"))


class Column(IntEnum):
    USERNAME = 0
    FULL_NAME = 1
    ROLES = 2
    STATUS = 3
    LAST_SIGN_IN = 4
    ROLES_CHANGED = 5
    CREATED = 6


_HEADERS = {
    Column.USERNAME: "Username",
    Column.FULL_NAME: "Full name",
    Column.ROLES: "Roles",
    Column.STATUS: "Status",
    Column.LAST_SIGN_IN: "Last sign-in",
    Column.ROLES_CHANGED: "Roles changed",
    Column.CREATED: "Created",
}


class UsersModel(QAbstractTableModel):
    """Rows: `AccessReviewRow`s, as of the last `set_rows`."""

    def __init__(self, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._rows: tuple[AccessReviewRow, ...] = ()
        self._now: datetime | None = None

    def _local(self, value: datetime | None) -> str:
        return local_date_time(value, self._clock.zone)

    def set_rows(self, rows: tuple[AccessReviewRow, ...], now: datetime) -> None:
        self.beginResetModel()
        self._rows = rows
        self._now = now
        self.endResetModel()

    def row_at(self, row: int) -> AccessReviewRow:
        return self._rows[row]

    def row_of(self, user_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.user_id == user_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(_HEADERS[Column(section)]) if 0 <= section < len(Column) else None
        return None

    def status(self, row: AccessReviewRow) -> str:
        if not row.active:
            return self.tr("Inactive")
        if row.locked_until is not None and self._now is not None and row.locked_until > self._now:
            return self.tr("Locked until %s") % local_hm(row.locked_until, self._clock.zone)
        if row.must_change_password:
            return self.tr("Active · must choose a password")
        return self.tr("Active")

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not row.active:
                return _MUTED
            if column == Column.STATUS and self.status(row).startswith(self.tr("Locked")):
                return _ALERT
            return None
        if role == Qt.ItemDataRole.UserRole:
            return row.user_id
        return None

    def _display(self, row: AccessReviewRow, column: Column) -> str:
        if column == Column.USERNAME:
            return row.username
        if column == Column.FULL_NAME:
            return row.full_name
        if column == Column.ROLES:
            return roles_text(row.roles)
        if column == Column.STATUS:
            return self.status(row)
        if column == Column.LAST_SIGN_IN:
            return self._local(row.last_login_at)
        if column == Column.ROLES_CHANGED:
            return self._local(row.roles_changed_at)
        return self._local(row.created_at)
