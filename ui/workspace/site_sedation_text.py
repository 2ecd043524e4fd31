"""How a site's sedation state reads on screen: at its injection, or now before the next one.

One wording for the entry panel's line and for the site's history: "Sedation at the
injection: MOAA/S 4 at 09:36 (2 min before) · Fentanyl 75 µg · Midazolam 1 mg so far",
"STALE" in words (never by colour alone) when the score is older than the protocol's interval,
and the findings and adverse events linked to the site. Times in the site's zone. Pure text:
no widget, no service call (the states come from `slidesk.services.record.sedation`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from html import escape

from PySide6.QtCore import QCoreApplication

from slidesk.services.record.sedation import (
    DrugSoFar,
    SedationSoFar,
    SiteAdverseEvent,
    SiteFinding,
    SiteSedationView,
)
from ui.common.timefmt import local_hm, minutes_text

STALE_MARK = "⚠ STALE"


def tr(text: str) -> str:
    return QCoreApplication.translate("SiteSedation", text)


@dataclass(frozen=True, slots=True)
class SedationLine:
    """What to show: rich text, and whether it warns (a stale or missing score)."""

    html: str
    stale: bool


def _age(age: timedelta) -> str:
    """'under 1 min', '7 min', '1 h 05 min' (whole minutes, rounded down)."""
    minutes = int(age.total_seconds() // 60)
    return tr("under 1 min") if minutes < 1 else minutes_text(minutes)


def _drugs(drugs: Sequence[DrugSoFar]) -> str:
    if not drugs:
        return ""
    given = " · ".join(f"{escape(d.drug_name)} {escape(d.text)}" for d in drugs)
    return " · " + tr("%1 so far").replace("%1", given)


def _score(
    scale: str,
    score: int | None,
    at: datetime | None,
    age: timedelta | None,
    zone: tzinfo,
    when: str,
    note: str = "",
) -> str:
    """'MOAA/S 4 at 09:36 (2 min before)'; `when` words the age ('before' or 'ago'); `note`
    goes into the brackets."""
    if score is None or at is None or age is None:
        missing = tr("no %1 score yet").replace("%1", escape(scale))
        return f"{missing} ({note})" if note else missing
    return (
        tr("%1 %2 at %3 (%4 %5%6)")
        .replace("%1", escape(scale))
        .replace("%2", str(score))
        .replace("%3", local_hm(at, zone))
        .replace("%4", _age(age))
        .replace("%5", when)
        .replace("%6", f"; {note}" if note else "")
    )


def _interval(minutes: int) -> str:
    return tr("a score every %1 min is asked").replace("%1", str(minutes))


def at_injection(view: SiteSedationView, zone: tzinfo) -> SedationLine:
    """The state when the site was injected (it does not change with time)."""
    head = tr("Sedation at the injection")
    note = ""
    if view.stale:
        head += f" — {tr(STALE_MARK)}"
        note = _interval(view.score_interval_minutes)
    score = _score(view.scale, view.score, view.score_at, view.score_age, zone, tr("before"), note)
    return SedationLine(f"<b>{head}</b>: {score}{_drugs(view.drugs)}", view.stale)


def now(state: SedationSoFar, at: datetime, zone: tzinfo) -> SedationLine:
    """The state before the next injection, at `at` (the score grows older as time passes)."""
    stale = state.stale(at)
    age = state.score_age(at)
    head = tr("Sedation now")
    if not stale:
        score = _score(state.scale, state.score, state.score_at, age, zone, tr("ago"))
        return SedationLine(f"<b>{head}</b>: {score}{_drugs(state.drugs)}", False)
    interval = _interval(state.score_interval_minutes)
    if state.score is None:
        due = tr("no %1 score yet").replace("%1", escape(state.scale))
        text = f"<b>{head} — {tr(STALE_MARK)}: {due}</b> ({interval})"
    else:
        due = tr("a new %1 score is due").replace("%1", escape(state.scale))
        latest = _score(state.scale, state.score, state.score_at, age, zone, tr("ago"))
        text = f"<b>{head} — {tr(STALE_MARK)}: {due}</b> ({interval}). {tr('Latest')}: {latest}"
    return SedationLine(text + _drugs(state.drugs), True)


def adverse_event(event: SiteAdverseEvent) -> str:
    """'#3 Injection-site pain (grade 1 – mild, serious)'."""
    serious = ", " + tr("serious") if event.serious else ""
    return (
        tr("#%1 %2 (grade %3%4)")
        .replace("%1", str(event.id))
        .replace("%2", escape(event.term))
        .replace("%3", event.grade.label)
        .replace("%4", serious)
    )


def finding(found: SiteFinding, zone: tzinfo) -> str:
    """'Pain reaction — note (09:40)'."""
    note = f" — {escape(found.note)}" if found.note else ""
    return f"{escape(found.flag)}{note} ({local_hm(found.observed_at, zone)})"


def adverse_events(events: Sequence[SiteAdverseEvent]) -> str:
    """One line each: 'Adverse event #3 Injection-site pain (grade 1 – mild)'."""
    return "<br>".join(tr("Adverse event %1").replace("%1", adverse_event(e)) for e in events)
