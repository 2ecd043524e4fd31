"""Item models of the sign-off dialog: review findings (warnings checkable) and signatures.

Thin adapters over the DTO tuples of `slidesk.services.signing.dto`; columns from an IntEnum.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor, QFont

from slidesk.clock import Clock
from slidesk.domain.signing import Finding, Severity
from slidesk.services.signing.dto import MeaningStatus
from slidesk.services.signing.events import SERIOUS_AE
from ui.common.table_model import Index, RowsTableModel, bold_font

_BLOCK = QColor("#FBE3D6")
_WARN = QColor("#FBF6C8")
_SERIOUS = QColor("#8B0000")


def local_text(value: datetime, zone: tzinfo) -> str:
    """The site's local time with its UTC offset, as everywhere on screen."""
    shown = value.astimezone(zone)
    offset = shown.strftime("%z")
    return f"{shown:%d %b %Y %H:%M} {offset[:3]}:{offset[3:]}"


def _tr(model: QObject, text: str) -> str:
    """A header text translated in the model's own context (as `self.tr` would)."""
    return QCoreApplication.translate(type(model).__name__, text)


def _blocking(finding: Finding) -> bool:
    return finding.severity is Severity.BLOCKING


def is_serious(finding: Finding) -> bool:
    """A serious adverse event: shown in bold dark red, first among the warnings."""
    return finding.code.startswith(f"{SERIOUS_AE}:")


class FindingColumn(IntEnum):
    KIND = 0
    TEXT = 1


class FindingsModel(RowsTableModel[Finding, FindingColumn]):
    """Blocking findings ("Must be fixed") and warnings, each with a box to acknowledge it."""

    def __init__(self) -> None:
        super().__init__(FindingColumn, (_tr(self, "Check"), _tr(self, "Finding")))
        self._acknowledged: set[str] = set()

    def set_rows(self, findings: Iterable[Finding]) -> None:
        rows = tuple(findings)
        self._acknowledged &= {f.code for f in rows}
        super().set_rows(rows)

    @property
    def acknowledged(self) -> frozenset[str]:
        return frozenset(self._acknowledged)

    def all_warnings_acknowledged(self) -> bool:
        return all(
            f.code in self._acknowledged for f in self.rows if f.severity is Severity.WARNING
        )

    def forget_acknowledgements(self) -> None:
        """A tick is one signer's statement: the next signer starts with none."""
        if not self._acknowledged:
            return
        self._acknowledged.clear()
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self.rows) - 1, 0),
                [Qt.ItemDataRole.CheckStateRole],
            )

    def acknowledge_all(self) -> None:
        self._acknowledged |= {f.code for f in self.rows if f.severity is Severity.WARNING}
        if self.rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self.rows) - 1, 0),
                [Qt.ItemDataRole.CheckStateRole],
            )

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        finding = self.row(index)
        if (
            finding is not None
            and index.column() == FindingColumn.KIND
            and finding.severity is Severity.WARNING
        ):
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def display(self, finding: Finding, column: FindingColumn) -> str:
        if column is FindingColumn.KIND:
            return self.tr("Must be fixed") if _blocking(finding) else self.tr("Seen")
        return finding.message

    def check_state(self, finding: Finding, column: FindingColumn) -> Qt.CheckState | None:
        if column is not FindingColumn.KIND or _blocking(finding):
            return None
        checked = finding.code in self._acknowledged
        return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked

    def background(self, finding: Finding, column: FindingColumn) -> QColor:
        return _BLOCK if _blocking(finding) else _WARN

    def foreground(self, finding: Finding, column: FindingColumn) -> QColor | None:
        return _SERIOUS if is_serious(finding) else None

    def font(self, finding: Finding, column: FindingColumn) -> QFont | None:
        return bold_font() if is_serious(finding) else None

    def tooltip(self, finding: Finding, column: FindingColumn) -> str:
        return finding.message

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        finding = self.row(index)
        if finding is None or role != Qt.ItemDataRole.CheckStateRole:
            return False
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


class SignaturesModel(RowsTableModel[MeaningStatus, SignatureColumn]):
    """The protocol's signature meanings and who has signed each for this version."""

    def __init__(self, clock: Clock) -> None:
        headers = ("Meaning", "Signed by", "Date and time", "Status")
        super().__init__(SignatureColumn, tuple(_tr(self, h) for h in headers))
        self._clock = clock

    def display(self, row: MeaningStatus, column: SignatureColumn) -> str:
        sig = row.signature
        if column is SignatureColumn.MEANING:
            optional = "" if row.required else self.tr(" (optional)")
            return f"{row.meaning}{optional}"
        if column is SignatureColumn.SIGNED_BY:
            return f"{sig.signer_full_name} ({sig.signer_role})" if sig else "—"
        if column is SignatureColumn.WHEN:
            return local_text(sig.signed_at, self._clock.zone) if sig else "—"
        if sig is not None:
            return self.tr("Signed")
        if row.superseded:
            return self.tr("Sign again: the record changed after %s signed") % (
                row.superseded[-1].signer_full_name
            )
        return self.tr("Not signed") if row.required else self.tr("Not signed (optional)")

    def foreground(self, row: MeaningStatus, column: SignatureColumn) -> QColor | None:
        if column is not SignatureColumn.STATE:
            return None
        return QColor("#0B4D3B") if row.signature else QColor("#7A2E00")
