"""The vitals chart: readable in black and white, on site-local clock time, doses and events marked.

Each series has its own marker shape and dash pattern (colour only helps); the time axis shows
the site's wall-clock HH:MM; doses, oxygen changes and sedation events are marked above the
plot with a thin line down to their moment and a short label. A pure function of report data.
"""

from __future__ import annotations

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Group, Line, Polygon, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from slidesk.i18n import _
from slidesk.reports.model import Chart, ChartMark

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#cbd2d9")
# (colour, marker, dash pattern): distinct without colour.
STYLES = (
    ("#b71c1c", "FilledCircle", None),
    ("#1f4e79", "FilledTriangle", (4, 2)),
    ("#1f4e79", "Triangle", (1.2, 1.8)),
    ("#2e7d32", "FilledSquare", (6, 2, 1.2, 2)),
    ("#4a148c", "FilledDiamond", (2, 2)),
)
_LABEL_ROOM = 58.0  # points above the plot for the marks' labels
_LABEL_PITCH = 7.5  # a label takes this much width (rotated, 6 pt text)


def vitals_chart(chart: Chart, width: float, font: str) -> Drawing | None:
    """Heart rate, blood pressure and SpO₂ over site-local time; None without points."""
    drawn = [s for s in chart.series if s.points]
    if not drawn:
        return None
    height = 200.0
    out = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y = 34, 30
    plot.width, plot.height = width - 170, height - 44 - _LABEL_ROOM
    plot.data = [list(s.points) for s in drawn]
    values = [p[1] for s in drawn for p in s.points]
    plot.xValueAxis.valueMin = 0
    plot.xValueAxis.valueMax = chart.end
    plot.xValueAxis.valueSteps = [t for t, _ in chart.ticks]
    labels = dict(chart.ticks)
    plot.xValueAxis.labelTextFormat = lambda v: labels.get(int(v), "")
    plot.yValueAxis.valueMin = max(0, (min(values) // 20) * 20 - 20)
    plot.yValueAxis.valueMax = (max(values) // 20) * 20 + 20
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName = font
        axis.labels.fontSize = 6.5
        axis.strokeColor = MUTED
    plot.yValueAxis.visibleGrid = True
    plot.yValueAxis.gridStrokeColor = RULE
    plot.yValueAxis.gridStrokeWidth = 0.3
    for i in range(len(drawn)):
        colour, marker, dash = STYLES[i % len(STYLES)]
        line = plot.lines[i]
        line.strokeColor = colors.HexColor(colour)
        line.strokeWidth = 0.9
        line.strokeDashArray = dash
        line.symbol = makeMarker(
            marker, size=3.6, fillColor=colors.HexColor(colour), strokeColor=colors.HexColor(colour)
        )
    out.add(plot)
    out.add(_marks(chart, plot, font))
    out.add(
        String(
            plot.x + plot.width / 2,
            8,
            chart.axis_label,
            fontName=font,
            fontSize=6.5,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )
    left = plot.x + plot.width + 12
    for i, series in enumerate(drawn):
        colour, marker, dash = STYLES[i % len(STYLES)]
        ink = colors.HexColor(colour)
        y = plot.y + plot.height - 4 - i * 11
        out.add(Line(left, y, left + 18, y, strokeColor=ink, strokeWidth=0.9, strokeDashArray=dash))
        symbol = makeMarker(marker, size=3.6, fillColor=ink, strokeColor=ink)
        symbol.x, symbol.y = left + 9, y
        out.add(symbol)
        out.add(
            String(
                left + 23,
                y - 2.5,
                f"{series.label} ({series.unit})",
                fontName=font,
                fontSize=7,
                fillColor=INK,
            )
        )
    out.add(_marks_key(left, plot.y + 6, font))
    return out


def _marks(chart: Chart, plot: LinePlot, font: str) -> Group:
    """A thin line at each mark's moment, its symbol on top and a rotated label above."""
    group = Group()
    top = plot.y + plot.height
    scale = plot.width / chart.end if chart.end else 0
    next_free = plot.x - _LABEL_PITCH
    for mark in sorted(chart.marks, key=lambda m: (m.at, m.kind)):
        x = plot.x + mark.at * scale
        group.add(
            Line(x, plot.y, x, top, strokeColor=MUTED, strokeWidth=0.35, strokeDashArray=(1, 2))
        )
        group.add(_symbol(mark, x, top + 3))
        label_x = max(x, next_free + _LABEL_PITCH)
        next_free = label_x
        if label_x != x:  # shifted to stay readable: a leader from the symbol
            group.add(Line(x, top + 6, label_x, top + 9, strokeColor=MUTED, strokeWidth=0.3))
        text = String(0, 0, mark.label, fontName=font, fontSize=6, fillColor=INK)
        holder = Group(text)
        holder.transform = (0, 1, -1, 0, label_x + 2.2, top + 10)
        group.add(holder)
    return group


def _symbol(mark: ChartMark, x: float, y: float) -> Group:
    """Dose ▼, oxygen ○ (square outline), event ◆: shapes, not colours."""
    g = Group()
    if mark.kind == "dose":
        g.add(
            Polygon(
                [x - 2.6, y + 2.6, x + 2.6, y + 2.6, x, y - 1.8],
                fillColor=INK,
                strokeColor=INK,
                strokeWidth=0.3,
            )
        )
    elif mark.kind == "oxygen":
        g.add(Rect(x - 2, y - 1.6, 4, 4, fillColor=colors.white, strokeColor=INK, strokeWidth=0.6))
    else:
        g.add(
            Polygon(
                [x, y + 3.2, x + 2.6, y + 0.4, x, y - 2.4, x - 2.6, y + 0.4],
                fillColor=colors.HexColor("#b00020"),
                strokeColor=INK,
                strokeWidth=0.3,
            )
        )
    return g


def _marks_key(x: float, y: float, font: str) -> Group:
    g = Group()
    for i, (kind, text) in enumerate(
        (("dose", _("dose given")), ("oxygen", _("oxygen change")), ("event", _("sedation event")))
    ):
        row = y + 20 - i * 9
        g.add(_symbol(ChartMark(0, "", kind), x + 3, row))
        g.add(String(x + 10, row - 2, text, fontName=font, fontSize=6.5, fillColor=INK))
    return g
