"""One skeleton for the item models: a read-only table over a sequence of DTO rows.

Qt only; it knows nothing of slidesk beyond the DTOs it is handed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import IntEnum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

RowT = TypeVar("RowT")
ColumnT = TypeVar("ColumnT", bound=IntEnum)
Index = QModelIndex | QPersistentModelIndex
Colour = QColor | str | None
"""What the colour hooks return: a colour, a colour name ('#1d6b3a'), or None for the default."""

_Role = Qt.ItemDataRole
_DISPLAY = int(_Role.DisplayRole)
_TOOLTIP = int(_Role.ToolTipRole)
_ACCESSIBLE = int(_Role.AccessibleTextRole)
_FOREGROUND = int(_Role.ForegroundRole)
_BACKGROUND = int(_Role.BackgroundRole)
_FONT = int(_Role.FontRole)
_ALIGNMENT = int(_Role.TextAlignmentRole)
_CHECK = int(_Role.CheckStateRole)
_USER = int(_Role.UserRole)


class RowsTableModel(QAbstractTableModel, Generic[RowT, ColumnT]):
    """Rows are DTOs, columns the members of an IntEnum; `data()` asks one hook per role.

    A subclass passes its column enum and header texts (already translated) and overrides
    `display` plus whichever other hooks it needs. Each hook gets the row's DTO and the column
    member, never an index, so no model repeats the index and bounds checks; a hook that
    returns None leaves the role to the view's default. `set_rows()` replaces every row inside
    a begin/end reset.
    """

    def __init__(
        self,
        columns: type[ColumnT],
        headers: Mapping[ColumnT, str] | Sequence[str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = columns
        self._headers = _header_texts(columns, headers)
        self._rows: tuple[RowT, ...] = ()

    # --- rows ---------------------------------------------------------------------------------

    def set_rows(self, rows: Iterable[RowT]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    @property
    def rows(self) -> tuple[RowT, ...]:
        return self._rows

    def row(self, index: Index) -> RowT | None:
        """The DTO behind a view index; None for an invalid or stale index."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def row_at(self, position: int) -> RowT:
        """The DTO of row `position` (IndexError when there is no such row)."""
        return self._rows[position]

    # --- the Qt interface ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        item = self.row(index)
        if item is None or not 0 <= index.column() < len(self._columns):
            return None
        column = self._columns(index.column())
        role = int(role)
        if role == _DISPLAY:
            return self.display(item, column)
        if role == _TOOLTIP:
            return self.tooltip(item, column)
        if role == _FOREGROUND:
            return _brush(self.foreground(item, column))
        if role == _BACKGROUND:
            return _brush(self.background(item, column))
        if role == _FONT:
            return self.font(item, column)
        if role == _ALIGNMENT:
            return self.alignment(item, column)
        if role == _CHECK:
            return self.check_state(item, column)
        if role == _ACCESSIBLE:
            return self.accessible_text(item, column)
        if role >= _USER:
            return self.user_data(item, column, role)
        return None

    # --- hooks (override what the model shows) ------------------------------------------------

    def display(self, row: RowT, column: ColumnT) -> str | None:
        raise NotImplementedError

    def tooltip(self, row: RowT, column: ColumnT) -> str | None:
        return None

    def foreground(self, row: RowT, column: ColumnT) -> Colour:
        return None

    def background(self, row: RowT, column: ColumnT) -> Colour:
        return None

    def font(self, row: RowT, column: ColumnT) -> QFont | None:
        return None

    def alignment(self, row: RowT, column: ColumnT) -> Qt.AlignmentFlag | None:
        return None

    def check_state(self, row: RowT, column: ColumnT) -> Qt.CheckState | None:
        return None

    def accessible_text(self, row: RowT, column: ColumnT) -> str | None:
        """What a screen reader says; None lets Qt read the display text."""
        return None

    def user_data(self, row: RowT, column: ColumnT, role: int) -> Any:
        """Roles from Qt.UserRole on (e.g. the id a view opens on activation)."""
        return None


def bold_font() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def _brush(colour: Colour) -> QBrush | None:
    return None if colour is None else QBrush(QColor(colour))


def _header_texts(
    columns: type[IntEnum], headers: Mapping[Any, str] | Sequence[str]
) -> tuple[str, ...]:
    """One text per column, in column order; a missing or extra header is a programming error."""
    if [int(c) for c in columns] != list(range(len(columns))):
        raise ValueError(f"The columns of {columns.__name__} must be numbered 0, 1, 2, …")
    if isinstance(headers, Mapping):
        missing = [c.name for c in columns if c not in headers]
        if missing or len(headers) != len(columns):
            raise ValueError(f"Headers do not match the columns {columns.__name__}: {missing}")
        return tuple(headers[c] for c in columns)
    if len(headers) != len(columns):
        raise ValueError(
            f"{len(headers)} headers for the {len(columns)} columns of {columns.__name__}"
        )
    return tuple(headers)
