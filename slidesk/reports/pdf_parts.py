"""Building blocks of the report PDF: styles, boxes, tables, label–value blocks, signatures.

Pure reportlab flowables from report data (`slidesk.reports.model`); no database. Undone
(voided) rows are printed struck through and greyed, never hidden: the original stays legible.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from slidesk.reports import model

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#cbd2d9")
HEAD_FILL = colors.HexColor("#e4e7eb")
MARK_FILL = colors.HexColor("#fff4e5")
ACCENT = colors.HexColor("#1f4e79")
ALERT = colors.HexColor("#b00020")
ALERT_FILL = colors.HexColor("#fdecea")
AMBER = colors.HexColor("#8a5300")
SIGNED_FILL = colors.HexColor("#e8f3ea")
DRAFT_FILL = colors.HexColor("#fff4e5")
STRUCK = colors.HexColor("#7b8794")

MARGIN = 16 * mm
WIDTH = A4[0] - 2 * MARGIN

Styles = dict[str, ParagraphStyle]


def styles() -> Styles:
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.5, leading=11, textColor=INK)
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=15, leading=19),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=9, textColor=MUTED),
        "h2": ParagraphStyle(
            "h2",
            base,
            fontName=BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=9,
            spaceAfter=4,
            textColor=ACCENT,
        ),
        "h3": ParagraphStyle("h3", base, fontName=BOLD, fontSize=9, spaceBefore=5, spaceAfter=2),
        "cell": ParagraphStyle("cell", base, fontSize=7.2, leading=8.8, alignment=TA_LEFT),
        "struck": ParagraphStyle("struck", base, fontSize=7.2, leading=8.8, textColor=STRUCK),
        "cellhead": ParagraphStyle("cellhead", base, fontName=BOLD, fontSize=7.2, leading=8.8),
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=9.5, textColor=MUTED),
        "label": ParagraphStyle("label", base, fontSize=7.5, leading=9.5, textColor=MUTED),
        "value": ParagraphStyle("value", base, fontName=BOLD, fontSize=8.5, leading=10.5),
    }


def esc(text: str) -> str:
    """Text for a Paragraph: markup characters escaped, line breaks kept."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\n", "<br/>")


def h2(text: str, st: Styles) -> list[Flowable]:
    """A section heading that never ends a page (at least 35 mm follow it)."""
    return [CondPageBreak(35 * mm), Paragraph(esc(text), st["h2"])]


def box(
    text: str,
    colour: colors.Color,
    fill: colors.Color,
    st: Styles,
    *,
    bold: bool = False,
    markup: bool = False,
) -> Table:
    style = ParagraphStyle("box", st["base"], textColor=colour, fontName=BOLD if bold else FONT)
    body = Paragraph(text if markup else esc(text), style)
    framed = Table([[body]], colWidths=[WIDTH])
    framed.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("BOX", (0, 0), (-1, -1), 0.8, colour),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return framed


def state_box(report: model.Report, st: Styles) -> Table:
    fill = SIGNED_FILL if report.signed else DRAFT_FILL
    colour = colors.HexColor("#1b5e20") if report.signed else AMBER
    style = ParagraphStyle("state", st["base"], fontName=BOLD, textColor=colour)
    framed = Table(
        [
            [
                Paragraph(esc(report.state_text), style),
                Paragraph(esc(report.document_id), st["small"]),
            ]
        ],
        colWidths=[WIDTH * 0.6, WIDTH * 0.4],
    )
    framed.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
                ("RIGHTPADDING", (0, 0), (-1, -1), 7),
            ]
        )
    )
    return framed


def header_grid(
    fields: tuple[model.HeaderField, ...], st: Styles, *, struck: bool = False
) -> Table:
    """Label–value pairs, two pairs to a row."""
    value = st["struck"] if struck else st["value"]
    cells = [
        [Paragraph(esc(f.label), st["label"]), Paragraph(_strike(esc(f.value), struck), value)]
        for f in fields
    ]
    rows = []
    for i in range(0, len(cells), 2):
        rows.append(cells[i] + (cells[i + 1] if i + 1 < len(cells) else ["", ""]))
    grid = Table(rows, colWidths=[WIDTH * 0.16, WIDTH * 0.34, WIDTH * 0.16, WIDTH * 0.34])
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                # A light grid, as in the tables: reads as a form, each value in its own cell.
                ("GRID", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return grid


def block(item: model.Block, st: Styles) -> Flowable:
    """One adverse event: its title, then every field; framed in red when serious."""
    title = ParagraphStyle("blocktitle", st["h3"], textColor=ALERT if item.marked else INK)
    parts: list[Flowable] = [
        Paragraph(_strike(esc(item.title), item.struck), title),
        header_grid(item.fields, st, struck=item.struck),
    ]
    return KeepTogether(parts)


def _strike(markup: str, struck: bool) -> str:
    return f"<strike>{markup}</strike>" if struck else markup


class Headed(Flowable):  # type: ignore[misc]
    """Headings and the table under them: the headings never end a page without the table's
    first rows. If the headings and the table's head and first row do not fit where it
    stands, all of it starts on the next page; a long table then splits as usual, its
    column heads repeated."""

    def __init__(self, heads: list[Flowable], grid: Table) -> None:
        super().__init__()
        self.heads = heads
        self.grid = grid
        self._sizes: list[tuple[float, float, float]] = []  # (before, height, after) per head

    def _heads_height(self) -> float:
        return sum(before + height + after for before, height, after in self._sizes)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._sizes = [
            (head.getSpaceBefore(), head.wrap(avail_width, avail_height)[1], head.getSpaceAfter())
            for head in self.heads
        ]
        self._grid_size = self.grid.wrap(avail_width, avail_height)
        self.width, self.height = avail_width, self._heads_height() + self._grid_size[1]
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        room = avail_height - self._heads_height()
        parts = self.grid.split(avail_width, room) if room > 0 else []
        if not parts:
            return []  # not even the first row fits: the frame tries the next page
        return [*self.heads, *parts]

    def draw(self) -> None:
        y = self.height
        for head, (before, height, after) in zip(self.heads, self._sizes, strict=True):
            y -= before + height
            head.drawOn(self.canv, 0, y)
            y -= after
        width, height = self._grid_size
        self.grid.drawOn(self.canv, (self.width - width) / 2, y - height)


def with_heading(heading: list[Flowable], rest: list[Flowable]) -> list[Flowable]:
    """A heading kept on the page of what follows it (a table's first rows, or the first
    block), never alone at a page's foot."""
    heads = [f for f in heading if not isinstance(f, CondPageBreak)]
    if not rest:
        return heading
    first, *others = rest
    if isinstance(first, Headed):
        return [Headed([*heads, *first.heads], first.grid), *others]
    return [KeepTogether([*heads, first]), *others]


def table(table: model.Table, st: Styles, *, titled: bool = True) -> list[Flowable]:
    heads: list[Flowable] = [Paragraph(esc(table.title), st["h3"])] if titled else []
    if not table.rows:
        parts: list[Flowable] = [
            KeepTogether([*heads, Paragraph(esc(table.empty_text), st["base"])])
        ]
        if table.note:
            parts.append(Paragraph(esc(table.note), st["small"]))
        return parts
    weights = table.widths or tuple(1.0 for _ in table.columns)
    total = sum(weights)
    widths = [WIDTH * w / total for w in weights]
    struck = set(table.struck_rows)
    data = [[Paragraph(esc(c), st["cellhead"]) for c in table.columns]]
    data += [
        [
            Paragraph(_strike(esc(c), i in struck), st["struck" if i in struck else "cell"])
            for c in row
        ]
        for i, row in enumerate(table.rows)
    ]
    grid = Table(data, colWidths=widths, repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        # A full light grid: reads as a form, and keeps cells machine-extractable.
        ("GRID", (0, 0), (-1, -1), 0.25, RULE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, MUTED),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    style += [("BACKGROUND", (0, i + 1), (-1, i + 1), MARK_FILL) for i in table.marked_rows]
    grid.setStyle(TableStyle(style))
    # The title keeps with the first rows; a long table splits, repeating its column heads.
    parts = [Headed(heads, grid)]
    if table.note:
        parts.append(Paragraph(esc(table.note), st["small"]))
    return parts


def signature_block(report: model.Report, st: Styles) -> Flowable:
    parts: list[Flowable] = [Paragraph("Electronic signatures", st["h2"])]  # kept together
    if not report.signatures and not report.unsigned_meanings:
        parts.append(Paragraph("No signatures are defined by the protocol.", st["base"]))
    rows = []
    for sig in report.signatures:
        rows.append(
            [
                Paragraph(f"<b>{esc(sig.printed_name)}</b><br/>{esc(sig.role)}", st["cell"]),
                Paragraph(esc(sig.meaning), st["cell"]),
                Paragraph(esc(sig.signed_at_text), st["cell"]),
                Paragraph(
                    f"{esc(sig.method)}<br/>record SHA-256 {sig.content_hash[:16]}…",
                    st["cell"],
                ),
            ]
        )
    for meaning in report.unsigned_meanings:
        rows.append(
            [
                Paragraph("<b>Not signed</b>", st["cell"]),
                Paragraph(esc(meaning), st["cell"]),
                Paragraph("—", st["cell"]),
                Paragraph("", st["cell"]),
            ]
        )
    if rows:
        head = [
            Paragraph(c, st["cellhead"])
            for c in ("Signed by", "Meaning", "Date and time", "Method")
        ]
        grid = Table(
            [head, *rows], colWidths=[WIDTH * 0.24, WIDTH * 0.3, WIDTH * 0.2, WIDTH * 0.26]
        )
        grid.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                    ("GRID", (0, 0), (-1, -1), 0.3, RULE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        parts.append(grid)
    return KeepTogether(parts)
