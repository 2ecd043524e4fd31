"""Graphics items of the leg diagram: site markers and labels that keep their screen size.

Markers ignore the view's scaling (ItemIgnoresTransformations), so a marker is the same
number of device pixels (≥ 44) whether the leg is drawn small on a laptop or large on 4K.
Each state has its own shape, the site number is always drawn, and colour is only a third cue.
"""

from __future__ import annotations

from PySide6.QtCore import Property, QEasingCurve, QPointF, QRectF, Qt, QVariantAnimation
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from slidesk.domain.procedure.model import SiteState
from ui.workspace.diagram import palette


class SiteMarker(QGraphicsObject):
    """One numbered injection site. Position is set by the scene; size is in device pixels."""

    def __init__(self, number: int, diameter: int = palette.MARKER_DIAMETER) -> None:
        super().__init__()
        self.number = number
        self.state: SiteState | None = None  # nothing shown yet: the first set_state paints
        self.selected_site = False
        self.flag_count = 0
        self.moved = False  # drawn at an actual (relocated) position, not the planned one
        self._diameter = diameter
        self._pulse = 0.0
        self._animation: QVariantAnimation | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(10)

    # --- state -------------------------------------------------------------------------------

    def set_diameter(self, diameter: int) -> None:
        self.prepareGeometryChange()
        self._diameter = diameter
        self.update()

    def set_state(self, state: SiteState, *, selected: bool, flags: int, tooltip: str) -> None:
        changed = (state, selected, flags) != (self.state, self.selected_site, self.flag_count)
        if not changed:
            return
        self.setToolTip(tooltip)
        self.state = state
        self.selected_site = selected
        self.flag_count = flags
        self.setZValue(12 if selected or state is SiteState.NEXT else 10)
        self._set_pulsing(state is SiteState.NEXT)
        self.update()

    def _set_pulsing(self, on: bool) -> None:
        if on and self._animation is None:
            anim = QVariantAnimation(self)
            anim.setStartValue(0.0)
            anim.setKeyValueAt(0.5, 1.0)
            anim.setEndValue(0.0)
            anim.setDuration(1600)
            anim.setLoopCount(-1)
            anim.setEasingCurve(QEasingCurve.Type.InOutSine)
            anim.valueChanged.connect(self._on_animation_value_changed)
            anim.start()
            self._animation = anim
        elif not on and self._animation is not None:
            self._animation.stop()
            self._animation.deleteLater()
            self._animation = None
            self._pulse = 0.0

    def _on_animation_value_changed(self, value: float) -> None:
        self._pulse = float(value)
        self.update()

    def _get_pulse(self) -> float:
        return self._pulse

    pulse = Property(float, _get_pulse)

    # --- geometry ------------------------------------------------------------------------------

    def boundingRect(self) -> QRectF:
        half = self._diameter / 2 + 10  # room for the pulsing halo and the selection ring
        return QRectF(-half, -half, 2 * half, 2 * half)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        r = self._diameter / 2
        path.addEllipse(QPointF(0, 0), r, r)
        return path

    # --- painting ------------------------------------------------------------------------------

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        d = self._diameter
        r = d / 2 - 2
        state = self.state
        if state is SiteState.NEXT:
            halo = QColor(palette.ORANGE)
            halo.setAlphaF(0.25 + 0.35 * self._pulse)
            painter.setPen(QPen(halo, 3 + 4 * self._pulse))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), r + 5, r + 5)
        if self.selected_site:
            pen = QPen(palette.BLUE, 3, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(-r - 7, -r - 7, 2 * r + 14, 2 * r + 14))
        text_colour = palette.INK
        if state is SiteState.PENDING:
            painter.setPen(QPen(palette.MUTED_INK, 2))
            painter.setBrush(QBrush(QColor(255, 255, 255, 225)))
            painter.drawEllipse(QPointF(0, 0), r, r)
        elif state is SiteState.NEXT:
            painter.setPen(QPen(palette.INK, 1))
            painter.setBrush(QBrush(palette.PAPER))
            painter.drawEllipse(QPointF(0, 0), r, r)
            painter.setPen(QPen(palette.ORANGE, 6))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), r - 3, r - 3)
        elif state is SiteState.DONE:
            painter.setPen(QPen(palette.INK, 1.5))
            painter.setBrush(QBrush(palette.BLUISH_GREEN))
            painter.drawEllipse(QPointF(0, 0), r, r)
            text_colour = palette.PAPER
            self._badge(painter, r, "check")
        elif state is SiteState.SKIPPED:
            side = r * 1.7
            box = QRectF(-side / 2, -side / 2, side, side)
            painter.setPen(QPen(palette.INK, 2))
            painter.setBrush(QBrush(QColor("#D9D9D9")))
            painter.drawRect(box)
            painter.setPen(QPen(palette.VERMILLION, 3))
            painter.drawLine(box.topLeft(), box.bottomRight())
            painter.drawLine(box.topRight(), box.bottomLeft())
        elif state is SiteState.DEVIATION:
            diamond = QPolygonF(
                [QPointF(0, -r - 3), QPointF(r + 3, 0), QPointF(0, r + 3), QPointF(-r - 3, 0)]
            )
            painter.setPen(QPen(palette.INK, 2))
            painter.setBrush(QBrush(palette.REDDISH_PURPLE))
            painter.drawPolygon(diamond)
            self._badge(painter, r, "!")
        self._number(painter, r, text_colour, boxed=state is SiteState.SKIPPED)
        if self.flag_count:
            self._flag(painter, r)

    def _number(self, painter: QPainter, r: float, colour: QColor, *, boxed: bool) -> None:
        font = QFont(painter.font())
        font.setBold(True)
        font.setPixelSize(max(12, int(r * 0.85)))
        painter.setFont(font)
        rect = QRectF(-r, -r, 2 * r, 2 * r)
        if boxed:  # keep the number readable over the cross
            metrics_w = r * (1.1 if self.number >= 10 else 0.7)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(QColor(255, 255, 255, 235)))
            painter.drawRoundedRect(
                QRectF(-metrics_w / 2 - 2, -r * 0.45, metrics_w + 4, r * 0.9), 3, 3
            )
        painter.setPen(QPen(colour))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(self.number))

    def _badge(self, painter: QPainter, r: float, kind: str) -> None:
        """A small white disc at the lower right carrying a check or an exclamation mark."""
        centre = QPointF(r * 0.72, r * 0.72)
        br = max(7.0, r * 0.38)
        painter.setPen(QPen(palette.INK, 1.5))
        painter.setBrush(QBrush(palette.PAPER))
        painter.drawEllipse(centre, br, br)
        if kind == "check":
            pen = QPen(palette.INK, 2.2)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            path = QPainterPath(centre + QPointF(-br * 0.5, 0))
            path.lineTo(centre + QPointF(-br * 0.1, br * 0.45))
            path.lineTo(centre + QPointF(br * 0.55, -br * 0.45))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        else:
            font = QFont(painter.font())
            font.setBold(True)
            font.setPixelSize(int(br * 1.5))
            painter.setFont(font)
            painter.setPen(QPen(palette.INK))
            painter.drawText(
                QRectF(centre.x() - br, centre.y() - br, 2 * br, 2 * br),
                Qt.AlignmentFlag.AlignCenter,
                "!",
            )

    def _flag(self, painter: QPainter, r: float) -> None:
        """A pennant at the upper right: a local finding was flagged at this site."""
        base = QPointF(r * 0.55, -r * 0.2)
        painter.setPen(QPen(palette.INK, 2))
        painter.drawLine(base, base + QPointF(0, -r * 1.0))
        pennant = QPolygonF(
            [
                base + QPointF(0, -r * 1.0),
                base + QPointF(r * 0.7, -r * 0.8),
                base + QPointF(0, -r * 0.55),
            ]
        )
        painter.setBrush(QBrush(palette.YELLOW))
        painter.setPen(QPen(palette.INK, 1.2))
        painter.drawPolygon(pennant)


class AnchoredText(QGraphicsTextItem):
    """A label fixed to a scene point but drawn at constant screen size, aligned around it."""

    def __init__(
        self,
        text: str,
        *,
        point_size: float = 11,
        bold: bool = False,
        colour: QColor = palette.INK,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignHCenter,
    ) -> None:
        super().__init__()
        self._align = align
        self._base_size = point_size
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setDefaultTextColor(colour)
        font = self.font()
        font.setPointSizeF(point_size)
        font.setBold(bold)
        self.setFont(font)
        self.setPlainText(text)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(20)
        self._realign()

    def set_scale_factor(self, factor: float) -> None:
        font = self.font()
        font.setPointSizeF(self._base_size * factor)
        self.setFont(font)
        self._realign()

    def setPlainText(self, text: str) -> None:  # keep the alignment when the text changes
        super().setPlainText(text)
        self._realign()

    def _realign(self) -> None:
        rect = self.boundingRect()
        dx = 0.0
        if self._align & Qt.AlignmentFlag.AlignHCenter:
            dx = -rect.width() / 2
        elif self._align & Qt.AlignmentFlag.AlignRight:
            dx = -rect.width()
        # The item's own transform still applies with ItemIgnoresTransformations: device pixels.
        self.setTransform(QTransform.fromTranslate(dx, -rect.height() / 2))
