"""The report's injection sites: the leg diagram, the per-site table, totals, undone entries.

Built from the site entries of a snapshot (either schema), and for schema 2 also from the
sedation state at each site and what was found there (`record_sedation`). Only true
statements: the record knows syringes and volumes, never cells; what a syringe holds is
printed as the protocol's statement, not as what was given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo
from decimal import Decimal

from slidesk.domain.procedure.model import EntryKind, SiteState, SkipReason
from slidesk.domain.sedation.adverse_events import Grade
from slidesk.domain.values import Depth, Volume
from slidesk.i18n import _
from slidesk.paths import resource_dir
from slidesk.protocol.model import Protocol, Site
from slidesk.reports.model import Diagram, DiagramSite, HeaderField, Table
from slidesk.services.record.sections import SnapshotEntry
from slidesk.services.record.sedation import SiteSedationView
from slidesk.services.record.wording import clock, duration_text, local_time

_TENTH = Decimal("0.1")
_E4 = Decimal(10_000)


def _live(entries: Sequence[SnapshotEntry]) -> list[SnapshotEntry]:
    return [e for e in entries if not e.voided]


def _states(entries: Sequence[SnapshotEntry]) -> dict[int, str]:
    states: dict[int, str] = {}
    for e in _live(entries):
        if e.kind == EntryKind.SKIPPED.value:
            states[e.site_no] = SiteState.SKIPPED.value
        elif e.deviation_reason or e.relocated:
            states[e.site_no] = SiteState.DEVIATION.value
        else:
            states[e.site_no] = SiteState.DONE.value
    return states


def diagram(entries: Sequence[SnapshotEntry], protocol: Protocol, limb: str) -> Diagram:
    states = _states(entries)
    moved = {
        e.site_no: e
        for e in _live(entries)
        if e.relocated and e.actual_x_e4 is not None and e.actual_y_e4 is not None
    }
    folder = resource_dir() / "diagrams"

    def site(s: Site) -> DiagramSite:
        entry = moved.get(s.number)
        return DiagramSite(
            s.number,
            s.label,
            s.view,
            s.x,
            s.y,
            states.get(s.number, SiteState.PENDING.value),
            Decimal(entry.actual_x_e4) / _E4 if entry and entry.actual_x_e4 is not None else None,
            Decimal(entry.actual_y_e4) / _E4 if entry and entry.actual_y_e4 is not None else None,
        )

    return Diagram(
        limb=limb,
        front_svg=str(folder / "leg_front_right.svg"),
        back_svg=str(folder / "leg_back_right.svg"),
        sites=tuple(site(s) for s in protocol.sites),
    )


def _fraction(value: int | None) -> str:
    return f"{Decimal(value or 0) / _E4:.4f}"


# Within half a percent of the drawing the site counts as not moved in that direction.
_STILL = Decimal("0.005")


def relocation_text(entry: SnapshotEntry, protocol: Protocol) -> str:
    """ "Relocated: injected distal and medial of the planned point (site-map position x 0.5812,
    y 0.2790; planned x 0.5650, y 0.2550)".

    The direction is anatomical, so it holds for either leg: positions are kept in the
    protocol's site map (the right leg's drawing, mirrored on paper for a left leg), where x
    grows medially on the front view and laterally on the back view, and y grows distally.
    """
    site = protocol.site(entry.site_no)
    planned = _("planned x {x:.4f}, y {y:.4f}").format(x=site.x, y=site.y)
    if entry.actual_x_e4 is None or entry.actual_y_e4 is None:
        return _("Relocated (actual position not recorded; {planned})").format(planned=planned)
    dx = Decimal(entry.actual_x_e4) / _E4 - site.x
    dy = Decimal(entry.actual_y_e4) / _E4 - site.y
    words = []
    if abs(dy) >= _STILL:
        words.append(_("distal") if dy > 0 else _("proximal"))
    if abs(dx) >= _STILL:
        medial = dx > 0 if site.view == "front" else dx < 0
        words.append(_("medial") if medial else _("lateral"))
    where = (
        _("injected {direction} of the planned point").format(direction=_(" and ").join(words))
        if words
        else _("injected at the planned point")
    )
    return _("Relocated: {where} (site-map position x {x}, y {y}; {planned})").format(
        where=where,
        x=_fraction(entry.actual_x_e4),
        y=_fraction(entry.actual_y_e4),
        planned=planned,
    )


def _by(entry: SnapshotEntry, names: Mapping[int, str], tz: tzinfo) -> str:
    """Who did it, who typed it when not the same, and when it was typed when not then."""
    text = names.get(entry.performer_id, "?")
    if entry.recorder_id != entry.performer_id:
        text += " · " + _("entered by {name}").format(name=names.get(entry.recorder_id, "?"))
    if entry.recorded_at != entry.performed_at:
        text += " · " + _("entered {time}").format(time=clock(entry.recorded_at, tz))
    return text


def sedation_cell(view: SiteSedationView | None, tz: tzinfo) -> str:
    """The sedation state at the injection: score, its time and age; drugs so far."""
    if view is None:
        return "—"
    if view.score is None or view.score_at is None or view.score_age is None:
        score = _("No {scale} score yet").format(scale=view.scale)
    else:
        score = _("{scale} {score} at {time} ({age} before)").format(
            scale=view.scale,
            score=view.score,
            time=clock(view.score_at, tz),
            age=duration_text(view.score_age),
        )
    if view.stale:
        score = _("STALE: {score}; a score every {n} min is asked").format(
            score=score, n=view.score_interval_minutes
        )
    drugs = " · ".join(f"{d.drug_name} {d.text}" for d in view.drugs)
    return f"{score}. {_('So far')}: {drugs}" if drugs else score


def site_notes(view: SiteSedationView, tz: tzinfo) -> list[str]:
    """Findings and adverse events linked to the site."""
    notes = [
        _("Finding: {flag}").format(flag=f.flag)
        + (f" — {f.note}" if f.note else "")
        + f" ({clock(f.observed_at, tz)})"
        for f in view.findings
    ]
    notes += [
        _("Adverse event: {term} (grade {grade}{serious})").format(
            term=a.term,
            grade=Grade(a.grade).label,
            serious=", " + _("serious") if a.serious else "",
        )
        for a in view.adverse_events
    ]
    return notes


def sites_table(
    entries: Sequence[SnapshotEntry],
    protocol: Protocol,
    names: Mapping[int, str],
    tz: tzinfo,
    per_site: Mapping[int, SiteSedationView] | None,
) -> Table:
    live = {e.site_no: e for e in _live(entries)}
    rows = []
    marked = []
    for i, number in enumerate(protocol.order):
        site = protocol.site(number)
        e = live.get(number)
        if e is None:
            rows.append((str(number), site.label, "—", "", "", "", "", "", _("NOT DONE")))
            marked.append(i)
            continue
        notes: list[str] = []
        if e.kind == EntryKind.SKIPPED.value:
            reason = SkipReason(e.skip_reason).label if e.skip_reason else "?"
            notes.append(
                _("Skipped: {reason}").format(reason=reason)
                + (f" — {e.skip_detail}" if e.skip_detail else "")
            )
        if e.relocated:
            notes.append(relocation_text(e, protocol))
        if e.deviation_reason:
            notes.append(_("Deviation: {reason}").format(reason=e.deviation_reason))
        view = per_site.get(number) if per_site is not None else None
        if view is not None:
            notes += site_notes(view, tz)
        if (
            e.kind == EntryKind.SKIPPED.value
            or e.relocated
            or e.deviation_reason
            or (view is not None and view.stale)
        ):
            marked.append(i)
        rows.append(
            (
                str(number),
                site.label,
                local_time(e.performed_at, tz),
                str(Depth(e.depth_um).mm.quantize(_TENTH)) if e.depth_um is not None else "—",
                str(Volume(e.volume_ul).ml.quantize(_TENTH)) if e.volume_ul is not None else "—",
                e.syringe_label or "—",
                _by(e, names, tz),
                sedation_cell(view, tz) if e.kind == EntryKind.INJECTED.value else "—",
                "\n".join(notes),
            )
        )
    return Table(
        title=_("Per site, in the order proposed by the protocol"),
        columns=(
            _("Site"),
            _("Label"),
            _("Time"),
            _("Depth mm"),
            _("Volume mL"),
            _("Syringe"),
            _("Performed by"),
            _("Sedation at the injection"),
            _("Deviation, skip, findings, adverse events"),
        ),
        rows=tuple(rows),
        widths=(0.5, 0.62, 1.15, 0.66, 0.78, 1.2, 1.2, 2.0, 2.3),
        marked_rows=tuple(marked),
    )


def undone_table(
    entries: Sequence[SnapshotEntry], names: Mapping[int, str], tz: tzinfo
) -> Table | None:
    """Site entries that were undone (voided), with what they said and why."""
    undone = [e for e in entries if e.voided]
    if not undone:
        return None
    rows = []
    for e in undone:
        if e.kind == EntryKind.SKIPPED.value:
            what = _("skipped")
        else:
            parts = [
                str(Depth(e.depth_um)) if e.depth_um is not None else "",
                str(Volume(e.volume_ul)) if e.volume_ul is not None else "",
                e.syringe_label or "",
            ]
            what = _("injected") + " " + ", ".join(p for p in parts if p)
        rows.append(
            (
                str(e.site_no),
                local_time(e.performed_at, tz),
                what,
                _by(e, names, tz),
                e.void_reason or "",
            )
        )
    return Table(
        title=_("Undone site entries (struck out, kept legible)"),
        columns=(_("Site"), _("Time"), _("Entry"), _("By"), _("Reason for undo")),
        rows=tuple(rows),
        widths=(0.5, 1.3, 2.4, 2.0, 2.6),
        struck_rows=tuple(range(len(rows))),
    )


def totals(
    entries: Sequence[SnapshotEntry], protocol: Protocol, syringes_left: str | None
) -> tuple[HeaderField, ...]:
    live = _live(entries)
    injected = [e for e in live if e.kind == EntryKind.INJECTED.value]
    volume_ul = sum(e.volume_ul or 0 for e in injected)
    times = sorted(e.performed_at for e in injected)
    span = duration_text(times[-1] - times[0]) if len(times) > 1 else "—"
    syringes = _("{n} of {kit}").format(n=len(injected), kit=protocol.product.syringes_per_kit)
    left = [HeaderField(_("Other syringes"), syringes_left)] if syringes_left else []
    return (
        HeaderField(_("Sites injected"), f"{len(injected)} of {protocol.site_count}"),
        HeaderField(_("Sites skipped"), str(sum(1 for e in live if e.kind == "skipped"))),
        HeaderField(_("Deviations"), str(sum(1 for e in injected if e.deviation_reason))),
        HeaderField(_("Relocated"), str(sum(1 for e in injected if e.relocated))),
        HeaderField(_("Volume injected"), str(Volume(volume_ul))),
        HeaderField(_("Syringes administered"), syringes),
        *left,
        HeaderField(_("First to last site"), span),
    )


def protocol_statement(protocol: Protocol) -> str:
    """What the protocol says a syringe holds — a protocol statement, not what was given."""
    return _(
        "Protocol: {volume} mL per syringe; nominal {cells} cells per syringe if active — "
        "allocation blinded. This record holds the syringes administered, not their content."
    ).format(volume=protocol.injection.volume_ml, cells=scientific(protocol.product.cells_per_site))


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def scientific(value: int) -> str:
    """5000000 → "5×10⁶", 2500000 → "2.5×10⁶" (exact; no float)."""
    if value <= 0:
        return "0"
    digits = str(value).rstrip("0")
    exponent = len(str(value)) - 1
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{mantissa}×10{str(exponent).translate(_SUPERSCRIPT)}"
