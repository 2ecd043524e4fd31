"""Item models of the sign-off dialog: review findings (warnings checkable) and signatures.

Thin adapters over the DTO tuples of `slidesk.services.signing_dto`; columns from an IntEnum.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from slidesk.domain.signing import Finding, Severity
from slidesk.services.signing_dto import MeaningStatus

_Index = QModelIndex | QPersistentModelIndex
_BLOCK = QColor("#FBE3D6")
_WARN = QColor("#FBF6C8")


def local_text(value: datetime) -> str:
    """Local time with its UTC offset, as everywhere on screen."""
    shown = value.astimezone()
    offset = shown.strftime("%z")
    return f"{shown:%d %b %Y %H:%M} {offset[:3]}:{offset[3:]}"


class FindingColumn(IntEnum):
    KIND = 0
    TEXT = 1


class FindingsModel(QAbstractTableModel):
    """Blocking findings ("Must be fixed") and warnings, each with a box to acknowledge it."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: tuple[Finding, ...] = ()
        self._acknowledged: set[str] = set()

    def set_rows(self, findings: tuple[Finding, ...]) -> None:
        self.beginResetModel()
        self._rows = findings
        self._acknowledged &= {f.code for f in findings}
        self.endResetModel()

    @property
    def acknowledged(self) -> frozenset[str]:
        return frozenset(self._acknowledged)

    def all_warnings_acknowledged(self) -> bool:
        return all(
            f.code in self._acknowledged for f in self._rows if f.severity is Severity.WARNING
        )

    def acknowledge_all(self) -> None:
        self._acknowledged |= {f.code for f in self._rows if f.severity is Severity.WARNING}
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, 0),
                [Qt.ItemDataRole.CheckStateRole],
            )

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FindingColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Check"), self.tr("Finding"))[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if (
            index.isValid()
            and index.column() == FindingColumn.KIND
            and self._rows[index.row()].severity is Severity.WARNING
        ):
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        finding = self._rows[index.row()]
        column = FindingColumn(index.column())
        blocking = finding.severity is Severity.BLOCKING
        if role == Qt.ItemDataRole.DisplayRole:
            if column is FindingColumn.KIND:
                return self.tr("Must be fixed") if blocking else self.tr("Seen")
            return finding.message
        if role == Qt.ItemDataRole.CheckStateRole and column is FindingColumn.KIND:
            if blocking:
                return None
            checked = finding.code in self._acknowledged
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(_BLOCK if blocking else _WARN)
        if role == Qt.ItemDataRole.ToolTipRole:
            return finding.message
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        finding = self._rows[index.row()]
        if finding.severity is not Severity.WARNING:
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        if checked:
            self._acknowledged.add(finding.code)
        else:
            self._acknowledged.discard(finding.code)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True


class SignatureColumn(IntEnum):
    MEANING = 0
    SIGNED_BY = 1
    WHEN = 2
    STATE = 3


class SignaturesModel(QAbstractTableModel):
    """The protocol's signature meanings and who has signed each for this version."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: tuple[MeaningStatus, ...] = ()

    def set_rows(self, meanings: tuple[MeaningStatus, ...]) -> None:
        self.beginResetModel()
        self._rows = meanings
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(SignatureColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (
                self.tr("Meaning"),
                self.tr("Signed by"),
                self.tr("Date and time"),
                self.tr("Status"),
            )[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = SignatureColumn(index.column())
        sig = row.signature
        if role == Qt.ItemDataRole.DisplayRole:
            if column is SignatureColumn.MEANING:
                optional = "" if row.required else self.tr(" (optional)")
                return f"{row.meaning}{optional}"
            if column is SignatureColumn.SIGNED_BY:
                return f"{sig.signer_full_name} ({sig.signer_role})" if sig else "—"
            if column is SignatureColumn.WHEN:
                return local_text(sig.signed_at) if sig else "—"
            if sig is not None:
                return self.tr("Signed")
            if row.superseded:
                return self.tr("Sign again: the record changed after %s signed") % (
                    row.superseded[-1].signer_full_name
                )
            return self.tr("Not signed") if row.required else self.tr("Not signed (optional)")
        if role == Qt.ItemDataRole.ForegroundRole and column is SignatureColumn.STATE:
            return QBrush(QColor("#0B4D3B") if sig else QColor("#7A2E00"))
        return None
