"""A small trend plot drawn with QPainter: one measure over time, the procedure day marked.

Values arrive exact (int or Decimal); they become floats only to place pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.followup.common import ACCENT, GRID, INK, MUTED

_PROCEDURE = QColor("#b45309")


@dataclass(frozen=True, slots=True)
class PlotPoint:
    day: date
    value: int | Decimal | None  # None: no number (a flag is shown instead)
    label: str  # time point, e.g. "M6"
    flag: str = ""  # e.g. "NC" for a non-compressible artery


class TrendPlot(QWidget):
    """Points joined by a line; y from `low` to `high`; a dashed line on the procedure day."""

    def __init__(
        self,
        title: str,
        low: Decimal,
        high: Decimal,
        ticks: tuple[Decimal, ...],
        *,
        hint: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.low, self.high, self.ticks = low, high, ticks
        self.hint = hint
        self.points: tuple[PlotPoint, ...] = ()
        self.procedure_day: date | None = None
        self.span: tuple[date, date] | None = None
        self.setMinimumSize(220, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(title)

    def sizeHint(self) -> QSize:
        return QSize(320, 180)

    def set_points(
        self,
        points: tuple[PlotPoint, ...],
        procedure_day: date | None,
        span: tuple[date, date] | None = None,
    ) -> None:
        """Show `points`; `span` fixes the time axis so that plots side by side line up."""
        self.points = tuple(sorted(points, key=lambda p: p.day))
        self.procedure_day = procedure_day
        self.span = span
        shown = ", ".join(
            f"{p.label} {p.value if p.value is not None else p.flag or '—'}" for p in self.points
        )
        self.setAccessibleDescription(f"{self.title}: {shown or 'no values'}")
        self.update()

    # --- painting ------------------------------------------------------------------------------

    def _days(self) -> tuple[date, date] | None:
        if self.span is not None and self.span[0] < self.span[1]:
            return self.span
        days = [p.day for p in self.points]
        if self.procedure_day is not None:
            days.append(self.procedure_day)
        if not days:
            return None
        first, last = min(days), max(days)
        return (first, last) if first != last else (first, date.fromordinal(last.toordinal() + 30))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1.5))
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(INK)
        painter.drawText(QPointF(8, 16), self.title)
        if self.hint:
            painter.setFont(small)
            painter.setPen(MUTED)
            width = painter.fontMetrics().horizontalAdvance(self.hint)
            painter.drawText(QPointF(self.width() - width - 8, 16), self.hint)
        plot = QRectF(40, 26, self.width() - 62, self.height() - 50)
        self._axes(painter, plot, small)
        span = self._days()
        if not self.points:
            painter.setPen(MUTED)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "no values yet")
        if span is None:
            painter.end()
            return
        self._procedure_line(painter, plot, span, small)
        self._series(painter, plot, span, small)
        painter.end()

    def _y(self, plot: QRectF, value: int | Decimal) -> float:
        frac = float((Decimal(value) - self.low) / (self.high - self.low))
        return plot.bottom() - max(0.0, min(1.0, frac)) * plot.height()

    @staticmethod
    def _x(plot: QRectF, span: tuple[date, date], day: date) -> float:
        total = (span[1] - span[0]).days or 1
        return plot.left() + (day - span[0]).days / total * plot.width()

    def _axes(self, painter: QPainter, plot: QRectF, font: QFont) -> None:
        painter.setFont(font)
        for tick in self.ticks:
            y = self._y(plot, tick)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(0, y - 8, plot.left() - 6, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                format(tick, "f"),
            )

    def _procedure_line(
        self, painter: QPainter, plot: QRectF, span: tuple[date, date], font: QFont
    ) -> None:
        if self.procedure_day is None:
            return
        x = self._x(plot, span, self.procedure_day)
        pen = QPen(_PROCEDURE, 1.5, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        painter.setFont(font)
        width = painter.fontMetrics().horizontalAdvance("procedure")
        left = x + 3 if x + 3 + width < plot.right() else x - 3 - width
        painter.drawText(QPointF(left, plot.top() + 10), "procedure")

    def _series(
        self, painter: QPainter, plot: QRectF, span: tuple[date, date], font: QFont
    ) -> None:
        path = QPainterPath()
        started = False
        painter.setFont(font)
        for point in self.points:
            x = self._x(plot, span, point.day)
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(x - 20, plot.bottom() + 2, 40, 14),
                Qt.AlignmentFlag.AlignHCenter,
                point.label,
            )
            if point.value is None:
                if point.flag:
                    painter.setPen(QPen(ACCENT, 1))
                    painter.drawText(
                        QRectF(x - 16, plot.top() - 2, 32, 14),
                        Qt.AlignmentFlag.AlignHCenter,
                        point.flag,
                    )
                continue
            y = self._y(plot, point.value)
            if started:
                path.lineTo(x, y)
            else:
                path.moveTo(x, y)
                started = True
        painter.setPen(QPen(ACCENT, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setBrush(ACCENT)
        for point in self.points:
            if point.value is None:
                continue
            x, y = self._x(plot, span, point.day), self._y(plot, point.value)
            painter.setPen(QPen(QColor("#ffffff"), 1.5))
            painter.drawEllipse(QPointF(x, y), 4.5, 4.5)
            painter.setPen(INK)
            text = str(point.value)
            width = painter.fontMetrics().horizontalAdvance(text)
            left = x + 6 if x + 6 + width < self.width() - 2 else x - 6 - width
            painter.drawText(QPointF(left, y - 6), text)
