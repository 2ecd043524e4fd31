"""The report's record sections for a version signed in snapshot schema 1.

Schema 1 held the checklist ticks without their role and the sedation and adverse-event record
as worded text tables; findings and syringe dispositions were not part of it. Those versions
are printed from what they hold — the worded cells as they were signed, times turned into
site-local text — and the report says what they did not hold.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

from slidesk.i18n import N_, _
from slidesk.protocol.model import Protocol
from slidesk.reports.model import Block, Chart, HeaderField, Table
from slidesk.services.record.sections import SnapshotEntry
from slidesk.services.record.v1 import RecordSnapshotV1, V1Table
from slidesk.services.record.wording import local, local_time
from slidesk.services.reporting.chart import chart

NOT_IN_SCHEMA_1 = N_(
    "This version was signed in record format 1, which did not hold site findings, syringe "
    "dispositions, the sedation state per site or every adverse-event field; those are "
    "printed for versions signed from record format 2 on."
)

_WIDTHS: dict[str, tuple[float, ...]] = {
    "doses": (1.3, 1.1, 0.8, 0.6, 1.0, 1.3, 2.4),
    "vitals": (1.3, 0.5, 0.8, 0.55, 0.5, 0.65, 0.55, 0.75, 2.4, 1.2),
    "events": (1.3, 2.0, 2.2, 1.5, 1.2),
    "recovery": (1.3, 0.8, 1.6, 2.7, 1.2),
    "oxygen": (1.3, 3.0, 2.0),
}
# Shown even when empty ("None recorded."); the others only when they have rows.
_ALWAYS_SHOWN = frozenset({"doses", "vitals"})


def entries(snap: RecordSnapshotV1) -> tuple[SnapshotEntry, ...]:
    """Schema 1's site entries hold the same fields as schema 2's."""
    return tuple(
        SnapshotEntry(**{f: getattr(e, f) for f in SnapshotEntry.__dataclass_fields__})
        for e in snap.entries
    )


def checklist_table(
    snap: RecordSnapshotV1, protocol: Protocol, names: dict[int, str], tz: tzinfo
) -> Table:
    ticks = {t.item_key: t for t in snap.checklist or ()}
    rows, marked = [], []
    for i, item in enumerate(protocol.checklist):
        tick = ticks.get(item.key)
        if tick is None:
            marked.append(i)
        rows.append(
            (
                tick.item_text if tick else item.text,
                names.get(tick.ticked_by, "?") if tick else _("NOT CONFIRMED"),
                "—",
                local_time(tick.ticked_at, tz) if tick else "—",
                "",
            )
        )
    return Table(
        title=_("Items confirmed before the first injection"),
        columns=(_("Item"), _("Confirmed by"), _("Role"), _("Time"), _("Note")),
        rows=tuple(rows),
        widths=(4.2, 1.5, 0.9, 1.3, 1.4),
        marked_rows=tuple(marked),
    )


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


_UTC_TEXT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


def _local_inside(cell: str, tz: tzinfo) -> str:
    """Schema 1 kept some times inside worded cells as UTC text; print them site-local."""
    return _UTC_TEXT.sub(lambda m: local(_parse(m.group(0)), tz), cell)


def _table(section: V1Table, tz: tzinfo) -> Table:
    rows = tuple(
        tuple(
            local_time(_parse(cell), tz)
            if i in section.time_columns and cell
            else _local_inside(cell, tz)
            for i, cell in enumerate(row)
        )
        for row in section.rows
    )
    return Table(section.title, section.columns, rows, _WIDTHS.get(section.key), section.note)


def sedation_tables(snap: RecordSnapshotV1, tz: tzinfo) -> tuple[Table, ...]:
    return tuple(
        _table(t, tz)
        for t in snap.sections or ()
        if t.key != "adverse_events" and (t.rows or t.key in _ALWAYS_SHOWN)
    )


def _grade_once(cell: str) -> str:
    """Schema 1 worded the grade "1 1 – mild"; print it once ("1 – mild")."""
    head, _sep, rest = cell.partition(" ")
    return rest if rest.startswith(head + " ") else cell


def adverse_event_blocks(snap: RecordSnapshotV1, tz: tzinfo) -> tuple[Block, ...]:
    section = snap.section("adverse_events")
    if section is None:
        return ()
    blocks = []
    for n, row in enumerate(section.rows, start=1):
        cells = list(row)
        grade = section.columns.index("Grade") if "Grade" in section.columns else -1
        if grade >= 0:
            cells[grade] = _grade_once(cells[grade])
        onset = local(_parse(cells[0]), tz) if cells and cells[0] else "—"
        fields = [HeaderField(section.columns[0], onset)]
        fields += [
            HeaderField(c, _local_inside(v, tz))
            for c, v in zip(section.columns[1:], cells[1:], strict=True)
        ]
        blocks.append(
            Block(
                title=_("Adverse event {n}").format(n=n),
                fields=tuple(fields),
                marked=cells[3].startswith("yes") if len(cells) > 3 else False,
            )
        )
    return tuple(blocks)


def record_chart(snap: RecordSnapshotV1, tz: tzinfo) -> Chart | None:
    series = [(s.label, s.unit, list(s.points)) for s in snap.series]
    marks = []
    doses = snap.section("doses")
    if doses is not None:
        marks = [(_parse(r[0]), f"{r[1]} {r[2]}", "dose") for r in doses.rows if r and r[0]]
    return chart(series, marks, tz)
