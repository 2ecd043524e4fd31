"""Item model of the review: one row per site in protocol order, what was done there.

Fields: site number, label, state, time (local), syringe, depth, volume, note (skip reason,
deviation reason, relocation, flags).
"""

from __future__ import annotations

from datetime import tzinfo
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from slidesk.domain.procedure.model import SiteState
from slidesk.services.dto import ProcedureView, SiteView
from slidesk.services.procedure.dto_workspace import SiteFlagView
from ui.common.timefmt import local_hm

_Index = QModelIndex | QPersistentModelIndex


class ReviewColumn(IntEnum):
    SITE = 0
    LABEL = 1
    STATE = 2
    TIME = 3
    SYRINGE = 4
    DEPTH = 5
    VOLUME = 6
    NOTE = 7


_HEADERS = ("Site", "Label", "State", "Time", "Syringe", "Depth", "Volume", "Note")
_STATE_TEXT = {
    SiteState.PENDING: "NOT DONE",
    SiteState.NEXT: "NOT DONE",
    SiteState.DONE: "Injected",
    SiteState.SKIPPED: "Skipped",
    SiteState.DEVIATION: "Injected (deviation)",
}
_STATE_COLOUR = {
    SiteState.PENDING: "#FBE3D6",
    SiteState.NEXT: "#FBE3D6",
    SiteState.DONE: "#D7F0E7",
    SiteState.SKIPPED: "#E4E4E4",
    SiteState.DEVIATION: "#F3DDEA",
}


class ReviewSitesModel(QAbstractTableModel):
    def __init__(self, zone: tzinfo, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._sites: tuple[SiteView, ...] = ()
        self._flags: dict[int, list[SiteFlagView]] = {}

    def set_rows(self, view: ProcedureView, flags: tuple[SiteFlagView, ...] = ()) -> None:
        self.beginResetModel()
        self._sites = view.sites
        self._flags = {}
        for flag in flags:
            self._flags.setdefault(flag.site_no, []).append(flag)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._sites)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ReviewColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(_HEADERS):
            return self.tr(_HEADERS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._sites):
            return None
        site = self._sites[index.row()]
        column = ReviewColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(site, column)
        if role == Qt.ItemDataRole.BackgroundRole and column is ReviewColumn.STATE:
            return QBrush(QColor(_STATE_COLOUR[site.state]))
        if role == Qt.ItemDataRole.ToolTipRole and column is ReviewColumn.NOTE:
            return self._text(site, column) or None
        return None

    def _text(self, site: SiteView, column: ReviewColumn) -> str:
        entry = site.entry
        if column is ReviewColumn.SITE:
            return str(site.number)
        if column is ReviewColumn.LABEL:
            return site.label
        if column is ReviewColumn.STATE:
            return self.tr(_STATE_TEXT[site.state])
        if entry is None:
            return ""
        if column is ReviewColumn.TIME:
            return local_hm(entry.performed_at, self._zone)
        if column is ReviewColumn.SYRINGE:
            return entry.syringe_label or ""
        if column is ReviewColumn.DEPTH:
            return str(entry.depth) if entry.depth else ""
        if column is ReviewColumn.VOLUME:
            return str(entry.volume) if entry.volume else ""
        notes = []
        if entry.skip_reason is not None:
            notes.append(
                entry.skip_reason.label + (f": {entry.skip_detail}" if entry.skip_detail else "")
            )
        if entry.relocated:
            notes.append(self.tr("relocated"))
        if entry.deviation_reason:
            notes.append(entry.deviation_reason)
        notes += [
            f"⚑ {f.flag}" + (f": {f.note}" if f.note else "")
            for f in self._flags.get(site.number, [])
        ]
        return "; ".join(notes)
