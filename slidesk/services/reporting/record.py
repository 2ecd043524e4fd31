"""The report's record tables from a schema-2 snapshot: checklist, findings, syringes, AEs.

Every item of the snapshot is printed: live entries as rows, undone (voided) ones struck
through with their reason, each with who did it and — where it differs — who typed it and
when. Site-local times (`tz`). Adverse events become one block each with every field. The
nurse's record (doses, oxygen, vitals, events, recovery) is in `report_sedation`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from slidesk.domain.procedure.model import EntryKind
from slidesk.domain.procedure.syringe import SyringeDisposition
from slidesk.domain.sedation.adverse_events import ActionTaken, Grade, Outcome, SeriousCriterion
from slidesk.domain.sedation.doses import plain
from slidesk.i18n import _
from slidesk.protocol.model import Protocol
from slidesk.reports.model import Block, HeaderField, Table
from slidesk.services.record.snapshot import RecordSnapshot
from slidesk.services.record.wording import clock, local, local_time

Names = Mapping[int, str]


def entered(item: Any, happened: datetime, names: Names, tz: tzinfo) -> str:
    """Who did it; who typed it and when, where that differs; late entries say so."""
    performer = getattr(item, "performer_id", item.recorder_id)
    text = names.get(performer, "?")
    if item.recorder_id != performer:
        text += " · " + _("entered by {name}").format(name=names.get(item.recorder_id, "?"))
    if item.recorded_at != happened:
        text += " · " + _("entered {time}").format(time=clock(item.recorded_at, tz))
    if getattr(item, "late", False):
        text += " · " + _("LATE ENTRY")
    return text


def undone(item: Any) -> str:
    return _("UNDONE: {reason}").format(reason=item.void_reason or "?") if item.voided else ""


def join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def struck(items: Sequence[Any]) -> tuple[int, ...]:
    return tuple(i for i, item in enumerate(items) if item.voided)


def checklist_table(snap: RecordSnapshot, protocol: Protocol, names: Names, tz: tzinfo) -> Table:
    """Each protocol item with every confirmation (who, role, when); undone ones struck."""
    rows: list[tuple[str, ...]] = []
    marked, struck = [], []
    for item in protocol.checklist:
        ticks = [t for t in snap.checklist if t.item_key == item.key]
        if not [t for t in ticks if not t.voided]:
            marked.append(len(rows))
            rows.append((item.text, _("NOT CONFIRMED"), "", "—", ""))
        for t in ticks:
            if t.voided:
                struck.append(len(rows))
            rows.append(
                (
                    t.item_text,
                    names.get(t.ticked_by, "?"),
                    t.ticked_role or "—",
                    local_time(t.ticked_at, tz),
                    undone(t),
                )
            )
    return Table(
        title=_("Items confirmed before the first injection"),
        columns=(_("Item"), _("Confirmed by"), _("Role"), _("Time"), _("Note")),
        rows=tuple(rows),
        widths=(4.2, 1.5, 0.9, 1.3, 1.4),
        marked_rows=tuple(marked),
        struck_rows=tuple(struck),
    )


def findings_table(snap: RecordSnapshot, names: Names, tz: tzinfo) -> Table:
    flags = sorted(snap.flags, key=lambda f: (f.site_no, f.observed_at, f.id))
    return Table(
        title=_("Findings at the sites"),
        columns=(_("Site"), _("Finding"), _("Note"), _("Observed"), _("Recorded")),
        rows=tuple(
            (
                str(f.site_no),
                f.flag,
                join(f.note or "", undone(f)),
                local_time(f.observed_at, tz),
                entered(f, f.observed_at, names, tz),
            )
            for f in flags
        ),
        widths=(0.5, 1.4, 3.0, 1.3, 2.2),
        struck_rows=struck(flags),
        empty_text=_("No finding was flagged at any site."),
    )


def reconciliation_table(
    snap: RecordSnapshot, protocol: Protocol, names: Names, tz: tzinfo
) -> tuple[Table, str]:
    """Each syringe of the kit and its fate; and a one-line summary for the totals."""
    product = protocol.product
    issued = [
        product.syringe_format.format(kit=snap.kit_number, n=n)
        for n in range(1, product.syringes_per_kit + 1)
    ]
    planned_ul = int(protocol.injection.volume_ml * 1000)
    used = {
        e.syringe_label: e
        for e in snap.live_entries()
        if e.kind == EntryKind.INJECTED.value and e.syringe_label
    }
    disposed: dict[str, list[Any]] = {}
    for d in snap.dispositions:
        disposed.setdefault(d.syringe_label, []).append(d)
    rows: list[tuple[str, ...]] = []
    marked, struck = [], []
    counts = {"returned": 0, "wasted": 0, "missing": 0}
    for label in issued:
        entry = used.get(label)
        if entry is not None:
            fate = _("injected at site {n} ({time})").format(
                n=entry.site_no, time=clock(entry.performed_at, tz)
            )
            if entry.volume_ul is not None and entry.volume_ul < planned_ul:
                fate = _("partly injected at site {n}: {ml} mL").format(
                    n=entry.site_no, ml=plain(Decimal(entry.volume_ul) / 1000)
                )
            rows.append((label, fate, "", entered(entry, entry.performed_at, names, tz)))
        for d in disposed.get(label, []):
            if d.voided:
                struck.append(len(rows))
            else:
                counts[d.disposition if d.disposition in counts else "missing"] += 1
            rows.append(
                (
                    label,
                    SyringeDisposition(d.disposition).label,
                    join(d.note or "", undone(d)),
                    f"{clock(d.recorded_at, tz)} · {names.get(d.recorder_id, '?')}",
                )
            )
        if entry is None and not [d for d in disposed.get(label, []) if not d.voided]:
            counts["missing"] += 1
            marked.append(len(rows))
            rows.append((label, _("NOT ACCOUNTED FOR"), "", ""))
    summary = _("{r} returned\n{w} wasted\n{m} not accounted for").format(
        r=counts["returned"], w=counts["wasted"], m=counts["missing"]
    )
    table = Table(
        title=_("Syringe reconciliation (kit {kit})").format(kit=snap.kit_number),
        columns=(_("Syringe"), _("Fate"), _("Note"), _("Recorded")),
        rows=tuple(rows),
        widths=(1.3, 2.4, 3.0, 2.2),
        marked_rows=tuple(marked),
        struck_rows=tuple(struck),
    )
    return table, summary


def adverse_event_blocks(snap: RecordSnapshot, names: Names, tz: tzinfo) -> tuple[Block, ...]:
    """One block per adverse event, every field labelled."""
    blocks = []
    for n, a in enumerate(snap.adverse_events, start=1):
        criteria = ", ".join(SeriousCriterion(c).label for c in a.serious_criteria)
        fields = [
            HeaderField(_("Term"), a.term),
            HeaderField(_("Onset"), local(a.onset_at, tz)),
            HeaderField(_("First knowledge"), local(a.first_known_at, tz)),
            HeaderField(_("Description"), a.description or "—"),
            HeaderField(_("Sites"), ", ".join(str(s) for s in a.site_nos) or "—"),
            HeaderField(_("Grade (CTCAE)"), Grade(a.grade).label),
            HeaderField(_("Serious"), (_("yes") + f" — {criteria}") if a.serious else _("no")),
            HeaderField(_("SAE report due"), local(a.sae_due_at, tz) if a.sae_due_at else "—"),
            HeaderField(_("Related to the product"), a.related_product),
            HeaderField(_("Related to the procedure"), a.related_procedure),
            HeaderField(_("Related to the sedation"), a.related_sedation),
            HeaderField(_("Expectedness"), a.expectedness),
            HeaderField(_("Action taken"), ActionTaken(a.action_taken).label),
            HeaderField(
                _("Outcome"),
                Outcome(a.outcome).label
                + (
                    " — " + _("resolved {time}").format(time=local(a.resolved_at, tz))
                    if a.resolved_at
                    else ""
                ),
            ),
            HeaderField(_("Reporter"), names.get(a.performer_id, "?")),
            HeaderField(
                _("Recorded"),
                f"{local(a.recorded_at, tz)} · {names.get(a.recorder_id, '?')}"
                + (" · " + _("LATE ENTRY") if a.late else ""),
            ),
        ]
        if a.voided:
            fields.append(HeaderField(_("Undone"), undone(a)))
        blocks.append(
            Block(
                title=_("Adverse event {n}: {term}").format(n=n, term=a.term),
                fields=tuple(fields),
                marked=a.serious,
                struck=a.voided,
            )
        )
    return tuple(blocks)
