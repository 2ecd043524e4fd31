"""What happened to the subject, in the signing review: adverse events, site findings and
sedation events, one warning each for the signer to tick.

They are warnings, not information rows: a tick is the signer's statement that they saw it,
and the ticked list is stored with the signature. A serious adverse event is worded first
("SERIOUS adverse event: …") and the review puts it right after what blocks signing. Struck-out
entries are not listed (they are on paper, struck through). Messages name no database id and
give no clock time (the report has the times). A pure function of the snapshot; no Qt, no SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slidesk.domain.sedation.adverse_events import Grade, Outcome, SeriousCriterion
from slidesk.domain.sedation.events import Intervention, SedationEventKind
from slidesk.domain.signing import Finding, Severity
from slidesk.i18n import _
from slidesk.services.record.snapshot import RecordSnapshot, live

SERIOUS_AE = "serious-adverse-event"


def event_findings(snapshot: RecordSnapshot, site_labels: Mapping[int, str]) -> list[Finding]:
    """Serious adverse events, other adverse events, site findings, then sedation events."""

    def site(n: int) -> str:
        label = site_labels.get(n)
        return (
            _("site {n} ({label})").format(n=n, label=label) if label else _("site {n}").format(n=n)
        )

    found: list[Finding] = []
    events = sorted(live(snapshot.adverse_events), key=lambda a: (not a.serious, a.onset_at))
    for a in events:
        sites = ", ".join(site(n) for n in a.site_nos)
        details = [_("grade {grade}").format(grade=_label(Grade, a.grade))]
        if a.serious and a.serious_criteria:
            details.append(
                ", ".join(_label(SeriousCriterion, c).lower() for c in a.serious_criteria)
            )
        if sites:
            details.append(sites)
        details.append(_("outcome: {outcome}").format(outcome=_label(Outcome, a.outcome).lower()))
        text = (
            _("SERIOUS adverse event: {term} ({details}).")
            if a.serious
            else _("Adverse event: {term} ({details}).")
        )
        found.append(
            Finding(
                f"{SERIOUS_AE if a.serious else 'adverse-event'}:{a.id}",
                Severity.WARNING,
                text.format(term=a.term, details="; ".join(details)),
                a.site_nos[0] if a.site_nos and not a.serious else None,
            )
        )
    for f in sorted(live(snapshot.flags), key=lambda f: (f.site_no, f.observed_at)):
        note = f" — {f.note}" if f.note else ""
        found.append(
            Finding(
                f"finding:{f.id}",
                Severity.WARNING,
                _("Finding at {site}: {flag}{note}.").format(
                    site=site(f.site_no), flag=f.flag, note=_sentence_body(note)
                ),
                f.site_no,
            )
        )
    for e in sorted(live(snapshot.events), key=lambda e: e.occurred_at):
        parts = [", ".join(_label(Intervention, i).lower() for i in e.interventions)]
        if e.outcome:
            parts.append(_("outcome: {outcome}").format(outcome=_sentence_body(e.outcome)))
        done = "; ".join(p for p in parts if p)
        found.append(
            Finding(
                f"sedation-event:{e.id}",
                Severity.WARNING,
                _("Sedation event: {kind}{done}.").format(
                    kind=_label(SedationEventKind, e.kind), done=f" — {done}" if done else ""
                ),
            )
        )
    return found


def _label(enum: Any, value: Any) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return str(value).replace("_", " ")


def _sentence_body(text: str) -> str:
    """Free text inside a sentence that ends with our own full stop: no doubled '..'."""
    return text.rstrip().rstrip(".")
