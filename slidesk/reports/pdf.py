"""The procedure report as a PDF: a pure function of a `Report` (same report → same bytes).

reportlab platypus, A4, DejaVu Sans embedded (searchable text, µ and ₂ print everywhere),
reportlab's invariant mode (no creation date or random IDs in the file). Every page carries the
document ID, the record's SHA-256 and "page x of y"; a report that is not a signed version
carries its watermark ("DRAFT — NOT SIGNED") across every page. The record hash is also in the
PDF's keywords so `slidesk verify-pdf` can match a file to the database. Tables repeat their
header row and flow over pages. Signing the PDF is a separate step (`slidesk.reports.pdfsign`).
"""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
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
    TableStyle,
)
from reportlab.platypus import Table as Grid
from reportlab.platypus.flowables import Flowable

from slidesk.reports import model
from slidesk.reports.pdf_chart import vitals_chart
from slidesk.reports.pdf_drawings import leg_view, legend
from slidesk.reports.pdf_parts import (
    ALERT,
    ALERT_FILL,
    AMBER,
    BOLD,
    DRAFT_FILL,
    FONT,
    MARGIN,
    MUTED,
    RULE,
    WIDTH,
    Styles,
    block,
    box,
    esc,
    h2,
    header_grid,
    signature_block,
    state_box,
    styles,
    table,
    with_heading,
)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
KEYWORD_HASH = "record-sha256:"
KEYWORD_DOC = "document-id:"
WATERMARK_INK = colors.HexColor("#b00020")


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


# reportlab keeps state in module globals (rl_config.invariant, font and drawing caches), so two
# builds at once in one process can corrupt each other ("'Group' object has no attribute
# '_parent'"): the app builds on worker threads, so builds take turns.
_ONE_AT_A_TIME = threading.Lock()


def build_pdf(report: model.Report) -> bytes:
    """The report's PDF bytes (deterministic for a given report)."""
    with _ONE_AT_A_TIME:
        return _build(report)


def _build(report: model.Report) -> bytes:
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
        doc.build(_story(report, styles()), canvasmaker=_canvas_class(report))
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
            if report.checkpoint_text:
                # Beside the short "Generated …" line: the record hash line is long.
                self.drawRightString(A4[0] - MARGIN, bottom - 16, report.checkpoint_text)
            self.setFont(BOLD, 7.5)
            self.drawRightString(A4[0] - MARGIN, bottom, f"page {page} of {total}")
            if report.watermark:
                self._watermark(report.watermark)
            self.restoreState()

        def _watermark(self, text: str) -> None:
            """Across the page, translucent: the content under it stays readable."""
            self.saveState()
            self.translate(A4[0] / 2, A4[1] / 2)
            self.rotate(52)
            self.setFillColor(WATERMARK_INK)
            self.setFillAlpha(0.13)
            self.setFont(BOLD, 54)
            self.drawCentredString(0, -18, text)
            self.restoreState()

    return _NumberedCanvas


def _story(report: model.Report, st: Styles) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph(esc(report.title), st["title"]),
        Spacer(1, 3),
        state_box(report, st),
    ]
    if report.integrity_warning:
        story += [Spacer(1, 4), box(report.integrity_warning, ALERT, ALERT_FILL, st, bold=True)]
    if report.amendment_banner:
        lines = [f"<b>{esc(report.amendment_banner)}</b>"]
        if report.amendment_changes:
            lines.append("Changed since the previous version:")
            lines += [f"• {esc(c)}" for c in report.amendment_changes]
        else:
            lines.append("No recorded values changed since the previous version.")
        story += [Spacer(1, 4), box("<br/>".join(lines), AMBER, DRAFT_FILL, st, markup=True)]
    story += [Spacer(1, 6), header_grid(report.header, st)]
    story.append(Paragraph(esc(report.time_note), st["small"]))

    story.extend(with_heading(h2("Time-out checklist", st), table(report.checklist, st)))
    if report.checklist_note:
        story.append(Paragraph(esc(report.checklist_note), st["small"]))

    story.append(CondPageBreak(95 * mm))
    story.extend(h2("Injection sites", st))
    story.append(_diagram_row(report, st))
    story.append(Paragraph(esc(report.protocol_statement), st["small"]))
    story.append(Spacer(1, 6))
    story.extend(table(report.sites, st))
    if report.site_note:
        story.append(Paragraph(esc(report.site_note), st["small"]))
    for extra in report.site_sections:
        story.extend(table(extra, st))

    sedation_heading = h2("Sedation and monitoring", st)
    if report.sedation_note:
        sedation_heading.append(Paragraph(esc(report.sedation_note), st["base"]))
    chart = vitals_chart(report.chart, WIDTH, FONT) if report.chart else None
    for section in report.sedation:
        story.extend(with_heading(sedation_heading, table(section, st)))
        sedation_heading = []
        if chart is not None and "HR" in section.columns:  # under the vital signs
            story.append(KeepTogether([Paragraph("Vital signs over time", st["h3"]), chart]))
            chart = None
    story.extend(sedation_heading)
    if chart is not None:
        story.append(KeepTogether([Paragraph("Vital signs over time", st["h3"]), chart]))

    events: list[Flowable] = [block(item, st) for item in report.adverse_events]
    if report.adverse_events_note:
        events.append(Paragraph(esc(report.adverse_events_note), st["base"]))
    story.extend(with_heading(h2("Adverse events", st), events))

    story.extend(
        with_heading(
            h2("Corrections (from the audit trail)", st),
            table(report.corrections, st, titled=False),
        )
    )

    story.append(signature_block(report, st))
    if report.versions is not None:
        story.extend(
            with_heading(h2("Version history", st), table(report.versions, st, titled=False))
        )
    # The footnote ends the last page with what comes before it, never on a page of its own.
    footnote = [Spacer(1, 8), Paragraph(esc(report.footnote), st["small"])]
    return [*story[:-1], KeepTogether([story[-1], *footnote])]


def _diagram_row(report: model.Report, st: Styles) -> Grid:
    height = 78 * mm
    back = leg_view(report.diagram, "back", height, FONT, BOLD)
    front = leg_view(report.diagram, "front", height, FONT, BOLD)
    totals = Grid(
        [
            [Paragraph(esc(t.label), st["label"]), Paragraph(esc(t.value), st["value"])]
            for t in report.totals
        ],
        colWidths=[27 * mm, 45 * mm],
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
    row = Grid([[back, front, side]], colWidths=[back.width + 12, front.width + 12, None])
    row.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return row
