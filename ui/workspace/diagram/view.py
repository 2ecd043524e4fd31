"""The leg diagram: front and back views side by side, numbered site markers, tap to choose.

The SVGs hold anatomy only (a RIGHT lower leg); the protocol gives each site's view and its
position as fractions of the right-leg drawing. For a LEFT index limb both the drawing and the
site x are mirrored (x → 1 − x). Labels name the limb, the view and the medial/lateral sides
so that nobody confuses them. Actual positions picked for a relocation are returned in the
same right-leg fractions as the protocol uses, whatever limb is shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QPainter, QPen, QResizeEvent, QTransform
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtSvgWidgets import QGraphicsSvgItem
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
    QGraphicsView,
    QWidget,
)

from slidesk.domain.procedure.model import SiteState
from slidesk.domain.values import Limb
from slidesk.paths import resource_dir
from slidesk.services.dto import ProcedureView, SiteView
from ui.workspace.diagram import palette
from ui.workspace.diagram.markers import AnchoredText, SiteMarker

LEG_W = 400.0
LEG_H = 1000.0
VIEW_GAP = 20.0  # between the two 400-unit drawings; the visible panels are cropped inwards
CROP = 40.0  # each panel hides this much empty margin at both sides of the drawing
VIEWS = ("front", "back")
_E4 = Decimal("0.0001")


class LegDiagramScene(QGraphicsScene):
    """Owns the drawings, labels and markers; knows nothing about services."""

    site_activated = Signal(int)
    """A site marker was tapped or clicked (its number)."""

    position_tapped = Signal(str, object, object)
    """A point on a leg was tapped: view ('front'/'back'), x and y as right-leg Decimals."""

    def __init__(self, parent: QWidget | None = None, diagram_dir: Path | None = None) -> None:
        super().__init__(parent)
        self._dir = diagram_dir or resource_dir() / "diagrams"
        self.limb = Limb.RIGHT
        self.markers: dict[int, SiteMarker] = {}
        self._sites: dict[int, SiteView] = {}
        self._relocation_items: list[QGraphicsItem] = []
        self._labels: list[AnchoredText] = []
        self._renderers: dict[str, QSvgRenderer] = {}
        self._svg_items: dict[str, QGraphicsSvgItem] = {}
        self._pick_site: int | None = None
        self._pick_mark: QGraphicsEllipseItem | None = None
        self._pick_pos = (Decimal(0), Decimal(0))
        self._marker_diameter = palette.MARKER_DIAMETER
        self._label_scale = 1.0
        self._roi = QRectF(0, 0, 2 * LEG_W + VIEW_GAP, LEG_H)
        self.setBackgroundBrush(QBrush(palette.PAPER))

    # --- building ----------------------------------------------------------------------------

    def set_sites(self, sites: Sequence[SiteView], limb: Limb) -> None:
        """Lay out the drawings, labels and one marker per site (once per procedure)."""
        self.clear()
        self.markers.clear()
        self._labels.clear()
        self._relocation_items.clear()
        self._svg_items.clear()
        self._pick_mark = None
        self._pick_site = None
        self.limb = limb
        self._sites = {s.number: s for s in sites}
        for view in VIEWS:
            self._add_drawing(view)
        top, bottom = self._site_band(sites)
        # Room above the first row for title, sides and "knee"; below the last for "ankle".
        self._roi = QRectF(
            CROP - 10, top - 100, 2 * LEG_W + VIEW_GAP - 2 * CROP + 20, bottom - top + 150
        )
        self._add_labels(top, bottom)
        for site in sites:
            marker = SiteMarker(site.number, self._marker_diameter)
            marker.setPos(self.scene_point(site.view, site.x, site.y))
            self.addItem(marker)
            self.markers[site.number] = marker
        self.setSceneRect(self._roi.adjusted(-40, -40, 40, 40))

    def _add_drawing(self, view: str) -> None:
        origin = self.view_origin(view)
        panel = QGraphicsRectItem(QRectF(origin + CROP, 0, LEG_W - 2 * CROP, LEG_H))
        panel.setBrush(QBrush(palette.PANEL))
        panel.setPen(QPen(Qt.PenStyle.NoPen))
        panel.setZValue(-2)
        self.addItem(panel)
        renderer = self._renderers.get(view)
        if renderer is None:
            renderer = QSvgRenderer(str(self._dir / f"leg_{view}_right.svg"))
            self._renderers[view] = renderer
        item = QGraphicsSvgItem()
        item.setSharedRenderer(renderer)
        # Cached in device pixels: re-rendered from the vectors whenever the scale or the
        # screen changes (sharp at any DPI), and a marker repaint only blits the cache.
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        scale = LEG_W / max(1.0, renderer.viewBoxF().width())
        transform = QTransform.fromScale(scale, scale)
        if self.limb is Limb.LEFT:
            transform = QTransform(-scale, 0, 0, scale, LEG_W, 0)
        item.setTransform(transform)
        item.setPos(origin, 0)
        item.setZValue(-1)
        item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.addItem(item)
        self._svg_items[view] = item

    def _add_labels(self, top: float, bottom: float) -> None:
        limb = self.tr("LEFT LEG") if self.limb is Limb.LEFT else self.tr("RIGHT LEG")
        titles = {
            "front": self.tr("%1 — front (anterior)").replace("%1", limb),
            "back": self.tr("%1 — back (posterior)").replace("%1", limb),
        }
        for view in VIEWS:
            origin = self.view_origin(view)
            centre = origin + LEG_W / 2
            self._label(titles[view], QPointF(centre, top - 84), 13, bold=True)
            left, right = self.side_names(view)
            self._label(
                "◂ " + left,
                QPointF(origin + CROP + 6, top - 60),
                10,
                bold=True,
                colour=palette.BLUE,
                align=Qt.AlignmentFlag.AlignLeft,
            )
            self._label(
                right + " ▸",
                QPointF(origin + LEG_W - CROP - 6, top - 60),
                10,
                bold=True,
                colour=palette.BLUE,
                align=Qt.AlignmentFlag.AlignRight,
            )
            self._label(self.tr("▲ knee"), QPointF(centre, top - 38), 9, colour=palette.MUTED_INK)
            self._label(
                self.tr("▼ ankle"), QPointF(centre, bottom + 38), 9, colour=palette.MUTED_INK
            )

    def _label(
        self,
        text: str,
        at: QPointF,
        size: float,
        *,
        bold: bool = False,
        colour: QColor = palette.INK,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignHCenter,
    ) -> AnchoredText:
        label = AnchoredText(text, point_size=size, bold=bold, colour=colour, align=align)
        label.setPos(at)
        label.set_scale_factor(self._label_scale)
        self.addItem(label)
        self._labels.append(label)
        return label

    @staticmethod
    def _site_band(sites: Sequence[SiteView]) -> tuple[float, float]:
        ys = [float(s.y) * LEG_H for s in sites] or [0.25 * LEG_H, 0.65 * LEG_H]
        return min(ys), max(ys)

    # --- geometry ------------------------------------------------------------------------------

    def side_names(self, view: str) -> tuple[str, str]:
        """(left, right) side names as seen by the viewer."""
        medial, lateral = self.tr("MEDIAL"), self.tr("LATERAL")
        # Right leg: front shows lateral at the viewer's left, back shows medial at the left.
        lateral_left = (view == "front") == (self.limb is Limb.RIGHT)
        return (lateral, medial) if lateral_left else (medial, lateral)

    @staticmethod
    def view_origin(view: str) -> float:
        return 0.0 if view == "front" else LEG_W + VIEW_GAP

    def scene_point(self, view: str, x: Decimal, y: Decimal) -> QPointF:
        fx = float(x)
        if self.limb is Limb.LEFT:
            fx = 1.0 - fx
        return QPointF(self.view_origin(view) + fx * LEG_W, float(y) * LEG_H)

    def fractions_at(self, point: QPointF) -> tuple[str, Decimal, Decimal] | None:
        """The view and right-leg fractions under a scene point, or None outside both panels."""
        for view in VIEWS:
            origin = self.view_origin(view)
            if origin + CROP <= point.x() <= origin + LEG_W - CROP and 0 <= point.y() <= LEG_H:
                fx = (point.x() - origin) / LEG_W
                if self.limb is Limb.LEFT:
                    fx = 1.0 - fx
                x = Decimal(str(fx)).quantize(_E4)
                y = Decimal(str(point.y() / LEG_H)).quantize(_E4)
                return view, x, y
        return None

    def region_of_interest(self) -> QRectF:
        return QRectF(self._roi)

    def site_position(self, number: int) -> QPointF:
        return self.markers[number].pos()

    # --- state ---------------------------------------------------------------------------------

    def show_procedure(
        self, view: ProcedureView, selected: int | None, flags: Mapping[int, int]
    ) -> None:
        """Update every marker from a fresh ProcedureView (only changed markers repaint)."""
        for item in self._relocation_items:
            self.removeItem(item)
        self._relocation_items.clear()
        for site in view.sites:
            marker = self.markers.get(site.number)
            if marker is None:
                continue
            marker.set_state(
                site.state,
                selected=site.number == selected,
                flags=flags.get(site.number, 0),
                tooltip=_tooltip(site),
            )
            entry = site.entry
            if entry is not None and entry.relocated and entry.actual_x is not None:
                actual = self.scene_point(site.view, entry.actual_x, entry.actual_y or site.y)
                self._show_relocation(self.scene_point(site.view, site.x, site.y), actual)
                marker.setPos(actual)
                marker.moved = True
            elif marker.moved:
                marker.setPos(self.scene_point(site.view, site.x, site.y))
                marker.moved = False

    def _show_relocation(self, planned: QPointF, actual: QPointF) -> None:
        pen = QPen(palette.MUTED_INK, 2, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        line = QGraphicsLineItem(planned.x(), planned.y(), actual.x(), actual.y())
        line.setPen(pen)
        line.setZValue(5)
        ghost = QGraphicsEllipseItem(QRectF(planned.x() - 7, planned.y() - 7, 14, 14))
        ghost.setPen(pen)
        ghost.setZValue(5)
        for item in (line, ghost):
            item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            self.addItem(item)
            self._relocation_items.append(item)

    def set_marker_diameter(self, diameter: int, label_scale: float) -> None:
        self._marker_diameter = diameter
        self._label_scale = label_scale
        for marker in self.markers.values():
            marker.set_diameter(diameter)
        for label in self._labels:
            label.set_scale_factor(label_scale)

    # --- picking an actual position (relocation) ----------------------------------------------

    @property
    def picking(self) -> int | None:
        return self._pick_site

    def begin_pick(self, site_no: int) -> None:
        """Wait for a tap (or arrow keys + Enter) giving the actual position of `site_no`."""
        site = self._sites[site_no]
        self._pick_site = site_no
        self._pick_pos = (site.x, site.y)
        if self._pick_mark is None:
            pen = QPen(palette.VERMILLION, 3)
            pen.setCosmetic(True)
            mark = QGraphicsEllipseItem(QRectF(-9, -9, 18, 18))
            mark.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
            mark.setPen(pen)
            mark.setZValue(30)
            mark.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            self.addItem(mark)
            self._pick_mark = mark
        self._pick_mark.setPos(self.scene_point(site.view, site.x, site.y))
        self._pick_mark.show()

    def move_pick(self, dx: Decimal, dy: Decimal) -> None:
        if self._pick_site is None or self._pick_mark is None:
            return
        site = self._sites[self._pick_site]
        sign = -1 if self.limb is Limb.LEFT else 1  # arrow right moves right on screen
        x = min(Decimal(1), max(Decimal(0), self._pick_pos[0] + sign * dx))
        y = min(Decimal(1), max(Decimal(0), self._pick_pos[1] + dy))
        self._pick_pos = (x, y)
        self._pick_mark.setPos(self.scene_point(site.view, x, y))

    def accept_pick(self) -> None:
        if self._pick_site is None:
            return
        site = self._sites[self._pick_site]
        x, y = self._pick_pos
        self.cancel_pick()
        self.position_tapped.emit(site.view, x.quantize(_E4), y.quantize(_E4))

    def cancel_pick(self) -> None:
        self._pick_site = None
        if self._pick_mark is not None:
            self._pick_mark.hide()

    # --- input ---------------------------------------------------------------------------------

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        point = event.scenePos()
        if self._pick_site is None:
            for item in self.items(point):
                if isinstance(item, SiteMarker):
                    self.site_activated.emit(item.number)
                    event.accept()
                    return
        found = self.fractions_at(point)
        if found is not None:
            view, x, y = found
            if self._pick_site is not None:
                self.cancel_pick()
            self.position_tapped.emit(view, x, y)
        event.accept()


def _tooltip(site: SiteView) -> str:
    state = {
        SiteState.PENDING: "to do",
        SiteState.NEXT: "next",
        SiteState.DONE: "done",
        SiteState.SKIPPED: "skipped",
        SiteState.DEVIATION: "done with a deviation",
    }[site.state]
    return f"Site {site.number} · {site.label} · {site.muscle} ({site.view}) — {state}"


class LegDiagramView(QGraphicsView):
    """Fits the sites' region to the widget; markers keep their device size."""

    def __init__(self, scene: LegDiagramScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self._scene = scene
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
            | QPainter.RenderHint.TextAntialiasing
        )
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Leg diagram with the injection sites"))
        self.setBackgroundBrush(QBrush(palette.PAPER))
        self.setMinimumSize(420, 360)

    def fit(self) -> None:
        self.fitInView(self._scene.region_of_interest(), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def map_site_to_viewport(self, number: int) -> QPointF:
        """Where a site's marker is drawn in viewport pixels (for tests and tools)."""
        return QPointF(self.mapFromScene(self._scene.site_position(number)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._scene.picking is not None:
            step = Decimal("0.01")
            moves = {
                Qt.Key.Key_Left: (-step, Decimal(0)),
                Qt.Key.Key_Right: (step, Decimal(0)),
                Qt.Key.Key_Up: (Decimal(0), -step),
                Qt.Key.Key_Down: (Decimal(0), step),
            }
            key = Qt.Key(event.key())
            if key in moves:
                self._scene.move_pick(*moves[key])
                event.accept()
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
                self._scene.accept_pick()
                event.accept()
                return
        super().keyPressEvent(event)
