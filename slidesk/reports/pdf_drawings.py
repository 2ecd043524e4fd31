"""Vector drawings for the report: the leg diagram with site markers, and the vitals chart.

The diagram uses the screen's geometry: the protocol's x/y fractions over the anatomy SVG of a
right leg, mirrored for a left limb. Each site shows its number and its state by shape as well
as colour (readable in black and white). Pure functions of report data; no database.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from slidesk.reports.model import ChartSeries, Diagram, DiagramSite

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#cbd2d9")
# The screen's colours (Okabe–Ito, ui/workspace/palette.py); shape and number carry the state.
DONE = colors.HexColor("#009e73")
DEVIATION = colors.HexColor("#cc79a7")
SKIPPED_FILL = colors.HexColor("#d9d9d9")
VERMILLION = colors.HexColor("#d55e00")
MARKER_INK = colors.HexColor("#1a1a1a")
PENDING = colors.HexColor("#4d4d4d")
WHITE = colors.HexColor("#ffffff")
SERIES_COLOURS = ("#c62828", "#1f4e79", "#4f86c6", "#2e7d32")

STATE_LABELS = {
    "done": "injected",
    "deviation": "injected with a deviation",
    "skipped": "skipped (reason in table)",
    "pending": "not done",
    "next": "not done",
}


@lru_cache(maxsize=8)
def _anatomy(path: str) -> Drawing:
    from svglib.svglib import svg2rlg

    drawing = svg2rlg(path)
    if drawing is None:
        raise ValueError(f"{path}: the leg diagram cannot be read")
    return drawing


def leg_view(diagram: Diagram, view: str, height: float, font: str, bold: str) -> Drawing:
    """One view (front or back) of the index leg, `height` points tall, with its sites."""
    anatomy = _anatomy(diagram.front_svg if view == "front" else diagram.back_svg)
    scale = height / anatomy.height
    width = anatomy.width * scale
    caption = 12.0
    out = Drawing(width, height + caption)
    body = Group(*anatomy.contents)
    mirrored = diagram.limb == "left"
    if mirrored:
        body.transform = (-1, 0, 0, 1, anatomy.width, 0)
    holder = Group(body)
    holder.transform = (scale, 0, 0, scale, 0, caption)
    out.add(holder)
    side = "Left" if mirrored else "Right"
    out.add(
        String(width / 2, 1, f"{side} leg — {view}", fontName=font, fontSize=7, textAnchor="middle")
    )
    for site in diagram.sites:
        if site.view != view:
            continue
        fx = 1 - float(site.x) if mirrored else float(site.x)
        out.add(_marker(site, fx * width, caption + (1 - float(site.y)) * height, bold))
    return out


def _marker(site: DiagramSite, x: float, y: float, bold: str) -> Group:
    r = 5.6
    group = Group()
    state = site.state
    text_colour = WHITE
    if state == "done":
        group.add(Circle(x, y, r, fillColor=DONE, strokeColor=MARKER_INK, strokeWidth=0.6))
    elif state == "deviation":
        d = r * 1.3
        group.add(
            Polygon(
                [x, y + d, x + d, y, x, y - d, x - d, y],
                fillColor=DEVIATION,
                strokeColor=MARKER_INK,
                strokeWidth=0.7,
            )
        )
        text_colour = MARKER_INK
    elif state == "skipped":
        s = r * 0.95
        group.add(
            Rect(
                x - s,
                y - s,
                2 * s,
                2 * s,
                fillColor=SKIPPED_FILL,
                strokeColor=MARKER_INK,
                strokeWidth=0.7,
            )
        )
        group.add(Line(x - s, y - s, x + s, y + s, strokeColor=VERMILLION, strokeWidth=0.9))
        group.add(Line(x - s, y + s, x + s, y - s, strokeColor=VERMILLION, strokeWidth=0.9))
        # The number sits on a small white box so the cross never hides it (as on screen).
        group.add(Rect(x - 4.2, y - 2.8, 8.4, 5.8, fillColor=WHITE, strokeColor=None))
        text_colour = MARKER_INK
    else:
        group.add(Circle(x, y, r, fillColor=WHITE, strokeColor=PENDING, strokeWidth=0.8))
        text_colour = MARKER_INK
    group.add(
        String(
            x,
            y - 2.0,
            str(site.number),
            fontName=bold,
            fontSize=5.6,
            fillColor=text_colour,
            textAnchor="middle",
        )
    )
    return group


def legend(font: str, bold: str) -> Drawing:
    """The marker key, with the same shapes as on the diagram."""
    states = ("done", "deviation", "skipped", "pending")
    out = Drawing(150, 16 * len(states))
    for i, state in enumerate(states):
        y = out.height - 8 - 16 * i
        site = DiagramSite(0, "", "front", 0, 0, state)  # type: ignore[arg-type]
        marker = _marker(site, 8, y, bold)
        # The key shows shapes without numbers (nor the skipped marker's number box).
        marker.contents = marker.contents[: -2 if state == "skipped" else -1]
        out.add(marker)
        out.add(String(22, y - 3, STATE_LABELS[state], fontName=font, fontSize=7.5, fillColor=INK))
    return out


def vitals_chart(series: tuple[ChartSeries, ...], width: float, font: str) -> Drawing | None:
    """Heart rate, blood pressure and SpO2 over time (minutes from the first measurement)."""
    drawn = [s for s in series if s.points]
    if not drawn:
        return None
    height = 150.0
    out = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y = 34, 30
    plot.width, plot.height = width - 175, height - 44
    plot.data = [list(s.points) for s in drawn]
    last = max(p[0] for s in drawn for p in s.points)
    values = [p[1] for s in drawn for p in s.points]
    plot.xValueAxis.valueMin = 0
    plot.xValueAxis.valueMax = max(last, 5)
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
        colour = colors.HexColor(SERIES_COLOURS[i % len(SERIES_COLOURS)])
        plot.lines[i].strokeColor = colour
        plot.lines[i].strokeWidth = 1
        plot.lines[i].symbol = makeMarker("FilledCircle", size=2.4, fillColor=colour)
    out.add(plot)
    out.add(
        String(
            plot.x + plot.width / 2,
            8,
            "minutes from the first measurement",
            fontName=font,
            fontSize=6.5,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )
    key = Legend()
    key.x, key.y = plot.x + plot.width + 14, plot.y + plot.height
    key.fontName, key.fontSize = font, 7
    key.alignment = "right"
    key.columnMaximum = 6  # one column, beside the plot
    key.dx = key.dy = 7
    key.colorNamePairs = [
        (colors.HexColor(SERIES_COLOURS[i % len(SERIES_COLOURS)]), f"{s.label} ({s.unit})")
        for i, s in enumerate(drawn)
    ]
    out.add(key)
    return out
