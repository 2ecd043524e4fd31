"""A small chart of vital signs and doses over time (QPainter; no plotting dependency).

Heart rate and SpO2 as lines, blood pressure as systolic–diastolic bars, doses as labelled
ticks along the bottom. Alarming points are drawn as filled red squares (shape, not only colour).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from slidesk.clock import Clock
from slidesk.services.sedation.dto import DoseView, SedationRecord, VitalsView
from ui.common.timefmt import local_hm

_HR = QColor("#2563eb")
_SPO2 = QColor("#059669")
_BP = QColor("#6b7280")
_ALARM = QColor("#c81e1e")
_GRID = QColor("#e5e7eb")
_DRUG_COLOURS = {
    "analgesic": QColor("#7c3aed"),
    "sedative": QColor("#d97706"),
    "reversal": QColor("#c81e1e"),
    "other": QColor("#374151"),
}


class VitalsChart(QWidget):
    """Read-only picture of the record; set_record() redraws it."""

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock  # the axis reads the site's wall clock
        self._vitals: tuple[VitalsView, ...] = ()
        self._doses: tuple[DoseView, ...] = ()
        self.setMinimumHeight(170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.tr("Chart of vital signs and doses"))

    def sizeHint(self) -> QSize:
        return QSize(460, 190)

    def set_record(self, record: SedationRecord | None) -> None:
        self._vitals = record.live_vitals if record else ()
        self._doses = record.live_doses if record else ()
        self.update()

    def _span(self) -> tuple[datetime, datetime] | None:
        times = [v.measured_at for v in self._vitals] + [d.given_at for d in self._doses]
        if not times:
            return None
        start, end = min(times), max(times)
        if end - start < timedelta(minutes=10):
            end = start + timedelta(minutes=10)
        pad = (end - start) / 20
        return start - pad, end + pad

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            if painter.isActive():
                painter.end()

    def _paint(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1.5))
        painter.setFont(small)
        span = self._span()
        if span is None:
            painter.setPen(QColor("#6b7280"))
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No vital signs or doses yet")
            )
            return
        left, right, top = 34.0, float(self.width() - 34), 8.0
        dose_band = 34.0
        bottom = float(self.height()) - dose_band - 16
        plot = QRectF(left, top, right - left, bottom - top)
        start, end = span
        total = (end - start).total_seconds()

        def x_of(t: datetime) -> float:
            return left + (t - start).total_seconds() / total * plot.width()

        def y_of(value: float, low: float, high: float) -> float:
            value = min(max(value, low), high)
            return bottom - (value - low) / (high - low) * plot.height()

        self._grid(painter, plot, start, end, x_of)
        # Left axis: 40–200 (HR, BP); right axis: SpO2 80–100 %.
        painter.setPen(QColor("#6b7280"))
        for v in (40, 120, 200):
            painter.drawText(
                QRectF(0, y_of(v, 40, 200) - 7, left - 4, 14), Qt.AlignmentFlag.AlignRight, str(v)
            )
        for v in (80, 90, 100):
            painter.drawText(
                QRectF(right + 4, y_of(v, 80, 100) - 7, 30, 14), Qt.AlignmentFlag.AlignLeft, f"{v}%"
            )
        self._bp(painter, x_of, lambda v: y_of(v, 40, 200))
        self._line(painter, "hr", _HR, x_of, lambda v: y_of(v, 40, 200))
        self._line(painter, "spo2", _SPO2, x_of, lambda v: y_of(v, 80, 100))
        self._doses_band(painter, x_of, bottom + 16, dose_band)
        self._legend(painter, plot)

    def _grid(self, painter: QPainter, plot: QRectF, start: datetime, end: datetime, x_of) -> None:  # type: ignore[no-untyped-def]
        painter.setPen(QPen(_GRID, 1))
        painter.drawRect(plot)
        step = timedelta(minutes=5 if end - start <= timedelta(minutes=60) else 15)
        tick = start.replace(second=0, microsecond=0)
        tick += timedelta(minutes=(-tick.minute) % int(step.total_seconds() // 60))
        while tick <= end:
            x = x_of(tick)
            painter.setPen(QPen(_GRID, 1))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            painter.setPen(QColor("#6b7280"))
            painter.drawText(
                QRectF(x - 20, plot.bottom() + 1, 40, 14),
                Qt.AlignmentFlag.AlignCenter,
                local_hm(tick, self._clock.zone),
            )
            tick += step

    def _line(self, painter: QPainter, field: str, colour: QColor, x_of, y_of) -> None:  # type: ignore[no-untyped-def]
        points = [(v, getattr(v, field)) for v in self._vitals if getattr(v, field) is not None]
        if not points:
            return
        path = QPainterPath()
        for i, (v, value) in enumerate(points):
            p = QPointF(x_of(v.measured_at), y_of(value))
            path.moveTo(p) if i == 0 else path.lineTo(p)
        painter.setPen(QPen(colour, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        for v, value in points:
            p = QPointF(x_of(v.measured_at), y_of(value))
            if v.alarmed(field):
                painter.setPen(QPen(_ALARM, 1))
                painter.setBrush(_ALARM)
                painter.drawRect(QRectF(p.x() - 4, p.y() - 4, 8, 8))
            else:
                painter.setPen(QPen(colour, 1))
                painter.setBrush(QColor("#ffffff"))
                painter.drawEllipse(p, 3, 3)

    def _bp(self, painter: QPainter, x_of, y_of) -> None:  # type: ignore[no-untyped-def]
        for v in self._vitals:
            if v.systolic is None or v.diastolic is None:
                continue
            x = x_of(v.measured_at)
            colour = _ALARM if v.alarmed("systolic") else _BP
            pen = QPen(colour, 3)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, y_of(v.systolic)), QPointF(x, y_of(v.diastolic)))

    def _doses_band(self, painter: QPainter, x_of, top: float, height: float) -> None:  # type: ignore[no-untyped-def]
        last_x = -100.0
        row = 0
        for d in sorted(self._doses, key=lambda d: d.given_at):
            x = x_of(d.given_at)
            row = row + 1 if x - last_x < 70 else 0
            last_x = x
            colour = _DRUG_COLOURS.get(d.drug_kind, _DRUG_COLOURS["other"])
            painter.setPen(QPen(colour, 2))
            painter.drawLine(QPointF(x, top), QPointF(x, top + 6))
            painter.setPen(colour)
            label = f"{d.drug_name[:4]}. {d.text}"
            y = top + 6 + (row % 2) * 13
            painter.drawText(QRectF(x - 2, y, 90, 13), Qt.AlignmentFlag.AlignLeft, label)

    def _legend(self, painter: QPainter, plot: QRectF) -> None:
        x = plot.left() + 6
        for text, colour in ((self.tr("HR"), _HR), (self.tr("SpO2"), _SPO2), (self.tr("BP"), _BP)):
            painter.setPen(QPen(colour, 2))
            painter.drawLine(QPointF(x, plot.top() + 9), QPointF(x + 12, plot.top() + 9))
            painter.setPen(QColor("#374151"))
            painter.drawText(
                QRectF(x + 15, plot.top() + 2, 40, 14), Qt.AlignmentFlag.AlignLeft, text
            )
            x += 58
