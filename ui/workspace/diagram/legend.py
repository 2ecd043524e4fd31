"""A one-line key under the diagram: each site state's shape, drawn by the marker itself."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStyleOptionGraphicsItem, QWidget

from slidesk.domain.procedure.model import SiteState
from ui.workspace.diagram.markers import SiteMarker

_ICON_PX = 30


def marker_icon(state: SiteState, *, flagged: bool = False, number: int = 7) -> QPixmap:
    marker = SiteMarker(number, diameter=_ICON_PX - 4)
    marker.set_state(state, selected=False, flags=1 if flagged else 0, tooltip="")
    marker._set_pulsing(False)  # a still picture
    pixmap = QPixmap(_ICON_PX + 8, _ICON_PX + 8)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.translate(QPointF(pixmap.width() / 2, pixmap.height() / 2))
    marker.paint(painter, QStyleOptionGraphicsItem(), None)
    painter.end()
    return pixmap


class DiagramLegend(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 0, 10, 4)
        layout.setSpacing(4)
        layout.addStretch(1)
        entries = (
            (SiteState.PENDING, False, self.tr("to do")),
            (SiteState.NEXT, False, self.tr("next")),
            (SiteState.DONE, False, self.tr("done")),
            (SiteState.DEVIATION, False, self.tr("deviation")),
            (SiteState.SKIPPED, False, self.tr("skipped")),
            (SiteState.DONE, True, self.tr("finding flagged")),
        )
        for state, flagged, text in entries:
            icon = QLabel()
            icon.setPixmap(marker_icon(state, flagged=flagged))
            label = QLabel(text)
            label.setStyleSheet("color:#4D4D4D;")
            layout.addWidget(icon)
            layout.addWidget(label)
            layout.addSpacing(6)
        hint = QLabel(self.tr("· dashed line = relocated"))
        hint.setToolTip(self.tr("A dashed line joins a site relocated to where it was injected."))
        hint.setStyleSheet("color:#4D4D4D;")
        layout.addWidget(hint)
        layout.addStretch(1)
        self.setAccessibleName(self.tr("Key to the site markers"))
