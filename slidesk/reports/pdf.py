"""The procedure report as a PDF: a pure function of a `Report` (same report → same bytes).

reportlab platypus, A4, DejaVu Sans embedded (searchable text, µ and ₂ print everywhere),
reportlab's invariant mode (no creation date or random IDs in the file). Every page carries the
document ID, the record's SHA-256 and "page x of y"; the record hash is also in the PDF's
keywords so `slidesk verify-pdf` can match a file to the database. Tables repeat their header
row and flow over pages. Signing the PDF is a separate step (`slidesk.reports.pdfsign`).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from slidesk.reports import model
from slidesk.reports.pdf_drawings import leg_view, legend, vitals_chart

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
KEYWORD_HASH = "record-sha256:"
KEYWORD_DOC = "document-id:"

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#cbd2d9")
HEAD_FILL = colors.HexColor("#e4e7eb")
ZEBRA = colors.HexColor("#f5f7fa")
MARK_FILL = colors.HexColor("#fff4e5")
ACCENT = colors.HexColor("#1f4e79")
ALERT = colors.HexColor("#b00020")
ALERT_FILL = colors.HexColor("#fdecea")
AMBER = colors.HexColor("#8a5300")
SIGNED_FILL = colors.HexColor("#e8f3ea")
DRAFT_FILL = colors.HexColor("#fff4e5")

MARGIN = 16 * mm
WIDTH = A4[0] - 2 * MARGIN


class ReportFontMissing(RuntimeError):
    """The DejaVu fonts are not installed; the message says how to install them."""


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        raise ReportFontMissing(
            f"The report font DejaVu Sans is missing ({regular}). Install it "
            "(Debian/Ubuntu: apt-get install fonts-dejavu-core) and try again."
        )
    pdfmetrics.registerFont(TTFont(FONT, str(regular)))
    pdfmetrics.registerFont(TTFont(BOLD, str(bold)))


def _styles() -> dict[str, ParagraphStyle]:
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
        "cellhead": ParagraphStyle("cellhead", base, fontName=BOLD, fontSize=7.2, leading=8.8),
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=9.5, textColor=MUTED),
        "label": ParagraphStyle("label", base, fontSize=7.5, leading=9.5, textColor=MUTED),
        "value": ParagraphStyle("value", base, fontName=BOLD, fontSize=8.5, leading=10.5),
    }


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build_pdf(report: model.Report) -> bytes:
    """The report's PDF bytes (deterministic for a given report)."""
    _register_fonts()
    previous = rl_config.invariant
    rl_config.invariant = 1
    try:
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=18 * mm,
            bottomMargin=20 * mm,
            title=f"{report.title} — {report.document_id}",
            author="SLI Desk",
            subject=report.state_text,
            creator="SLI Desk",
            keywords=[f"{KEYWORD_HASH}{report.record_hash}", f"{KEYWORD_DOC}{report.document_id}"],
        )
        styles = _styles()
        story = _story(report, styles)
        doc.build(story, canvasmaker=_canvas_class(report))
        return buffer.getvalue()
    finally:
        rl_config.invariant = previous


def _canvas_class(report: model.Report) -> type[rl_canvas.Canvas]:
    """A canvas that knows the page count when it draws each page's footer ("page x of y")."""

    class _NumberedCanvas(rl_canvas.Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            page = self._pageNumber
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            top = A4[1] - 12 * mm
            self.line(MARGIN, top - 2, A4[0] - MARGIN, top - 2)
            self.setFont(FONT, 7.5)
            self.setFillColor(MUTED)
            self.drawString(MARGIN, top + 1, report.running_title)
            self.drawRightString(A4[0] - MARGIN, top + 1, report.state_text)
            bottom = 12 * mm
            self.line(MARGIN, bottom + 8, A4[0] - MARGIN, bottom + 8)
            self.setFont(FONT, 6.8)
            self.drawString(MARGIN, bottom, f"Document {report.document_id}")
            self.drawString(MARGIN, bottom - 8, f"Record SHA-256 {report.record_hash}")
            self.drawString(MARGIN, bottom - 16, report.generated_text)
            self.setFont(BOLD, 7.5)
            self.drawRightString(A4[0] - MARGIN, bottom, f"page {page} of {total}")
            self.restoreState()

    return _NumberedCanvas


def _h2(text: str, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """A section heading that never ends a page (at least 35 mm follow it)."""
    return [CondPageBreak(35 * mm), Paragraph(_esc(text), st["h2"])]


def _story(report: model.Report, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph(_esc(report.title), st["title"]),
        Spacer(1, 3),
        _state_box(report, st),
    ]
    if report.integrity_warning:
        story += [Spacer(1, 4), _box(report.integrity_warning, ALERT, ALERT_FILL, st, bold=True)]
    if report.amendment_banner:
        lines = [f"<b>{_esc(report.amendment_banner)}</b>"]
        if report.amendment_changes:
            lines.append("Changed since the previous version:")
            lines += [f"• {_esc(c)}" for c in report.amendment_changes]
        else:
            lines.append("No recorded values changed since the previous version.")
        story += [Spacer(1, 4), _box("<br/>".join(lines), AMBER, DRAFT_FILL, st, markup=True)]
    story += [Spacer(1, 6), _header_grid(report.header, st)]
    story.append(Paragraph(_esc(report.time_note), st["small"]))

    story.extend(_h2("Time-out checklist", st))
    if report.checklist is not None:
        story.extend(_table(report.checklist, st))
    if report.checklist_note:
        story.append(Paragraph(_esc(report.checklist_note), st["small"]))

    story.append(CondPageBreak(95 * mm))
    story.extend(_h2("Injection sites", st))
    story.append(_diagram_row(report, st))
    story.append(Spacer(1, 6))
    story.extend(_table(report.sites, st))

    story.extend(_h2("Sedation and monitoring", st))
    if report.sedation_note:
        story.append(Paragraph(_esc(report.sedation_note), st["base"]))
    chart = vitals_chart(report.chart, WIDTH, FONT)
    for table in report.sedation:
        story.extend(_table(table, st))
        if table.title == "Vital signs" and chart is not None:
            story.append(KeepTogether([Paragraph("Vital signs over time", st["h3"]), chart]))

    story.extend(_h2("Adverse events", st))
    if report.adverse_events is not None:
        story.extend(_table(report.adverse_events, st, titled=False))
    else:
        story.append(Paragraph("No adverse-event record module is installed.", st["base"]))

    story.extend(_h2("Corrections (from the audit trail)", st))
    story.extend(_table(report.corrections, st, titled=False))

    story.append(_signature_block(report, st))
    if report.versions is not None:
        story.extend(_h2("Version history", st))
        story.extend(_table(report.versions, st, titled=False))
    story += [Spacer(1, 8), Paragraph(_esc(report.footnote), st["small"])]
    return story


def _box(
    text: str,
    colour: colors.Color,
    fill: colors.Color,
    st: dict[str, ParagraphStyle],
    *,
    bold: bool = False,
    markup: bool = False,
) -> Table:
    style = ParagraphStyle("box", st["base"], textColor=colour, fontName=BOLD if bold else FONT)
    body = Paragraph(text if markup else _esc(text), style)
    box = Table([[body]], colWidths=[WIDTH])
    box.setStyle(
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
    return box


def _state_box(report: model.Report, st: dict[str, ParagraphStyle]) -> Table:
    fill = SIGNED_FILL if report.signed else DRAFT_FILL
    colour = colors.HexColor("#1b5e20") if report.signed else AMBER
    style = ParagraphStyle("state", st["base"], fontName=BOLD, textColor=colour)
    box = Table(
        [
            [
                Paragraph(_esc(report.state_text), style),
                Paragraph(_esc(report.document_id), st["small"]),
            ]
        ],
        colWidths=[WIDTH * 0.6, WIDTH * 0.4],
    )
    box.setStyle(
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
    return box


def _header_grid(fields: tuple[model.HeaderField, ...], st: dict[str, ParagraphStyle]) -> Table:
    cells = [
        [Paragraph(_esc(f.label), st["label"]), Paragraph(_esc(f.value), st["value"])]
        for f in fields
    ]
    rows = []
    for i in range(0, len(cells), 2):
        pair = cells[i] + (cells[i + 1] if i + 1 < len(cells) else ["", ""])
        rows.append(pair)
    grid = Table(rows, colWidths=[WIDTH * 0.16, WIDTH * 0.34, WIDTH * 0.16, WIDTH * 0.34])
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return grid


def _diagram_row(report: model.Report, st: dict[str, ParagraphStyle]) -> Table:
    height = 78 * mm
    back = leg_view(report.diagram, "back", height, FONT, BOLD)
    front = leg_view(report.diagram, "front", height, FONT, BOLD)
    totals = Table(
        [
            [Paragraph(_esc(t.label), st["label"]), Paragraph(_esc(t.value), st["value"])]
            for t in report.totals
        ],
        colWidths=[30 * mm, 32 * mm],
    )
    totals.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    side = [
        Paragraph("Totals", st["h3"]),
        totals,
        Spacer(1, 8),
        Paragraph("Key", st["h3"]),
        legend(FONT, BOLD),
    ]
    row = Table([[back, front, side]], colWidths=[back.width + 12, front.width + 12, None])
    row.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return row


def _table(
    table: model.Table, st: dict[str, ParagraphStyle], *, titled: bool = True
) -> list[Flowable]:
    parts: list[Flowable] = []
    if titled:
        parts += [CondPageBreak(30 * mm), Paragraph(_esc(table.title), st["h3"])]
    if not table.rows:
        parts.append(Paragraph(_esc(table.empty_text), st["base"]))
        if table.note:
            parts.append(Paragraph(_esc(table.note), st["small"]))
        return parts
    weights = table.widths or tuple(1.0 for _ in table.columns)
    total = sum(weights)
    widths = [WIDTH * w / total for w in weights]
    data = [[Paragraph(_esc(c), st["cellhead"]) for c in table.columns]]
    data += [[Paragraph(_esc(c), st["cell"]) for c in row] for row in table.rows]
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
    parts.append(grid)
    if table.note:
        parts.append(Paragraph(_esc(table.note), st["small"]))
    # Headings keep with what follows (keepWithNext); a long table splits, repeating its head.
    return parts


def _signature_block(report: model.Report, st: dict[str, ParagraphStyle]) -> Flowable:
    parts: list[Flowable] = [Paragraph("Electronic signatures", st["h2"])]  # kept together
    if not report.signatures and not report.unsigned_meanings:
        parts.append(Paragraph("No signatures are defined by the protocol.", st["base"]))
    rows = []
    for sig in report.signatures:
        rows.append(
            [
                Paragraph(f"<b>{_esc(sig.printed_name)}</b><br/>{_esc(sig.role)}", st["cell"]),
                Paragraph(_esc(sig.meaning), st["cell"]),
                Paragraph(_esc(sig.signed_at_text), st["cell"]),
                Paragraph(
                    f"{_esc(sig.method)}<br/>record SHA-256 {sig.content_hash[:16]}…",
                    st["cell"],
                ),
            ]
        )
    for meaning in report.unsigned_meanings:
        rows.append(
            [
                Paragraph("<b>Not signed</b>", st["cell"]),
                Paragraph(_esc(meaning), st["cell"]),
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
