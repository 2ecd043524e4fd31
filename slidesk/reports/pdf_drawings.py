"""Vector drawings for the report: the leg diagram with site markers (the chart: pdf_chart).

The diagram uses the screen's geometry: the protocol's x/y fractions over the anatomy SVG of a
right leg, mirrored for a left limb. Each site shows its number and its state by shape as well
as colour (readable in black and white). Pure functions of report data; no database.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors

from slidesk.i18n import N_, _
from slidesk.reports.model import Diagram, DiagramSite

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#cbd2d9")
# The screen's colours (Okabe–Ito, ui/workspace/diagram/palette.py); shape and number carry the
# state.
DONE = colors.HexColor("#009e73")
DEVIATION = colors.HexColor("#cc79a7")
SKIPPED_FILL = colors.HexColor("#d9d9d9")
VERMILLION = colors.HexColor("#d55e00")
MARKER_INK = colors.HexColor("#1a1a1a")
PENDING = colors.HexColor("#4d4d4d")
WHITE = colors.HexColor("#ffffff")

STATE_LABELS = {
    "done": "injected",
    "deviation": "injected with a deviation",
    "skipped": "skipped (reason in table)",
    "moved": N_("relocated (dotted: where planned)"),
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

    def point(x: Decimal, y: Decimal) -> tuple[float, float]:
        fx = 1 - float(x) if mirrored else float(x)
        return fx * width, caption + (1 - float(y)) * height

    for site in diagram.sites:
        if site.view != view:
            continue
        x, y = point(site.x, site.y)
        if site.actual_x is not None and site.actual_y is not None:
            # Relocated: a dotted ring where it was planned, a line to where it was injected.
            ax, ay = point(site.actual_x, site.actual_y)
            out.add(
                Circle(
                    x,
                    y,
                    3.2,
                    fillColor=None,
                    strokeColor=MARKER_INK,
                    strokeWidth=0.6,
                    strokeDashArray=(1, 1.2),
                )
            )
            out.add(
                Line(
                    x, y, ax, ay, strokeColor=MARKER_INK, strokeWidth=0.6, strokeDashArray=(2, 1.5)
                )
            )
            x, y = ax, ay
        out.add(_marker(site, x, y, bold))
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
    out = Drawing(150, 16 * (len(states) + 1))
    y = 8.0
    out.add(
        Circle(
            3,
            y + 5,
            3.2,
            fillColor=None,
            strokeColor=MARKER_INK,
            strokeWidth=0.6,
            strokeDashArray=(1, 1.2),
        )
    )
    out.add(
        Line(3, y + 5, 10, y, strokeColor=MARKER_INK, strokeWidth=0.6, strokeDashArray=(2, 1.5))
    )
    moved = _marker(DiagramSite(0, "", "front", Decimal(0), Decimal(0), "deviation"), 11, y, bold)
    moved.contents = moved.contents[:-1]
    out.add(moved)
    out.add(String(22, y - 3, _(STATE_LABELS["moved"]), fontName=font, fontSize=7.5, fillColor=INK))
    for i, state in enumerate(states):
        y = out.height - 8 - 16 * i
        site = DiagramSite(0, "", "front", Decimal(0), Decimal(0), state)
        marker = _marker(site, 8, y, bold)
        # The key shows shapes without numbers (nor the skipped marker's number box).
        marker.contents = marker.contents[: -2 if state == "skipped" else -1]
        out.add(marker)
        out.add(String(22, y - 3, STATE_LABELS[state], fontName=font, fontSize=7.5, fillColor=INK))
    return out
