"""The procedure report as data: everything the PDF prints, already worded and formatted.

`slidesk.services.reporting.data` fills it from the database (or a signed version's frozen
snapshot); `slidesk.reports.pdf.build_pdf` turns it into bytes and nothing else, so the same
report always gives the same PDF. Times are already local text with their UTC offset.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class HeaderField:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table; `widths` are relative column weights (None: equal)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None
    note: str | None = None
    empty_text: str = "None recorded."
    # Row indexes to highlight (deviations, skips, alarms).
    marked_rows: tuple[int, ...] = ()
    # Row indexes of entries that were undone (voided): printed struck through, still legible.
    struck_rows: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Block:
    """A titled list of label–value pairs (one adverse event, with every field)."""

    title: str
    fields: tuple[HeaderField, ...]
    marked: bool = False  # serious, or needs attention
    struck: bool = False  # undone (voided), shown struck through


@dataclass(frozen=True, slots=True)
class DiagramSite:
    number: int
    label: str
    view: str  # "front" | "back"
    x: Decimal  # fraction of the diagram's width, for a RIGHT limb (mirrored for a left one)
    y: Decimal  # fraction of the diagram's height, from the top
    state: str  # SiteState value: done, skipped, deviation, pending
    # Where a relocated site was actually injected (same frame as x, y); None otherwise.
    actual_x: Decimal | None = None
    actual_y: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Diagram:
    limb: str  # "left" | "right"
    front_svg: str  # path of the anatomy drawing (right leg, front view)
    back_svg: str
    sites: tuple[DiagramSite, ...]


@dataclass(frozen=True, slots=True)
class ChartSeries:
    label: str
    unit: str
    # (seconds since the chart's start, value)
    points: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class ChartMark:
    """Something given or done, marked on the time axis: kind "dose", "oxygen" or "event"."""

    at: int  # seconds since the chart's start
    label: str
    kind: str


@dataclass(frozen=True, slots=True)
class Chart:
    """Vital signs over site-local clock time, with doses and events marked."""

    series: tuple[ChartSeries, ...]
    # (seconds since the start, "HH:MM" site-local) for the time axis.
    ticks: tuple[tuple[int, str], ...]
    end: int  # seconds from the start to the right edge
    marks: tuple[ChartMark, ...]
    axis_label: str


@dataclass(frozen=True, slots=True)
class SignatureLine:
    """A signature's manifestation (21 CFR 11.50): printed name, date/time, meaning."""

    printed_name: str
    role: str
    meaning: str
    signed_at_text: str
    method: str
    content_hash: str


@dataclass(frozen=True, slots=True)
class Report:
    document_id: str
    record_hash: str
    generated_text: str
    title: str
    running_title: str  # at the top of every page: study, subject, procedure
    # "Version 1 — signed", "Draft — not signed", "Version 2 — amendment in progress"
    state_text: str
    signed: bool
    # Printed across every page of a report that is not a signed version ("DRAFT — NOT SIGNED").
    watermark: str | None
    amendment_banner: str | None
    amendment_changes: tuple[str, ...]
    integrity_warning: str | None
    header: tuple[HeaderField, ...]
    time_note: str
    checklist: Table
    checklist_note: str | None
    diagram: Diagram
    sites: Table
    site_note: str | None
    totals: tuple[HeaderField, ...]
    # What the protocol says a syringe holds: a protocol statement, not what was given.
    protocol_statement: str
    # Undone site entries, findings per site, syringe reconciliation.
    site_sections: tuple[Table, ...]
    sedation: tuple[Table, ...]
    sedation_note: str | None
    chart: Chart | None
    adverse_events: tuple[Block, ...]
    adverse_events_note: str | None
    corrections: Table
    signatures: tuple[SignatureLine, ...]
    unsigned_meanings: tuple[str, ...]
    versions: Table | None
    footnote: str
    # The checkpoint of the audit trail in force when issued ("Checkpoint #17 · entry 412 · …").
    checkpoint_text: str = ""
