"""Sedation and adverse events per site: the state at each injection, from the record.

`sedation_by_site` reads a record snapshot (the live one, or a signed version's) and, for each
injected site, gives the latest sedation score before the injection and its age (stale when
older than the protocol's `score_interval_minutes`), the cumulative dose of each analgesic and
sedative so far, and the findings and adverse events linked to that site. The rules are in
`slidesk.domain.site_sedation`; nothing here is typed twice. `site_sedation` is the service
read for screens. No Qt; no SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from slidesk.domain.adverse_events import Grade
from slidesk.domain.doses import Dose, unit
from slidesk.domain.procedure import EntryKind
from slidesk.domain.site_sedation import GivenDose, Injection, Score, sedation_at_sites
from slidesk.domain.users import Actor, Permission
from slidesk.persistence.uow import UnitOfWork
from slidesk.protocol import Protocol
from slidesk.services.record_snapshot import RecordSnapshot, build_snapshot, live
from slidesk.services.views import load_procedure, procedure_protocol

# The drug kinds whose running total is shown at each site.
TRACKED_KINDS = ("analgesic", "sedative")


@dataclass(frozen=True, slots=True)
class DrugSoFar:
    drug_key: str
    drug_name: str
    total: Dose
    text: str  # in the drug's charted unit: "75 µg"


@dataclass(frozen=True, slots=True)
class SiteFinding:
    flag: str
    note: str | None
    observed_at: datetime


@dataclass(frozen=True, slots=True)
class SiteAdverseEvent:
    id: int
    term: str
    grade: Grade
    serious: bool


@dataclass(frozen=True, slots=True)
class SiteSedationView:
    """The sedation state when a site was injected, and what was found there."""

    site_no: int
    label: str
    injected_at: datetime
    scale: str
    score: int | None
    score_at: datetime | None
    score_age: timedelta | None
    stale: bool
    score_interval_minutes: int
    drugs: tuple[DrugSoFar, ...]
    findings: tuple[SiteFinding, ...]
    adverse_events: tuple[SiteAdverseEvent, ...]


def sedation_by_site(snap: RecordSnapshot, protocol: Protocol) -> tuple[SiteSedationView, ...]:
    """One view per injected site, in the order the injections happened."""
    tracked = [m for m in protocol.medications if m.kind in TRACKED_KINDS]
    injected = [e for e in snap.live_entries() if e.kind == EntryKind.INJECTED.value]
    states = sedation_at_sites(
        (Injection(e.site_no, e.performed_at) for e in injected),
        (
            Score(v.measured_at, v.sedation_scale or protocol.sedation.scale, v.sedation_score)
            for v in live(snap.vitals)
            if v.sedation_score is not None
        ),
        (GivenDose(d.given_at, d.drug_key, d.amount_nano) for d in live(snap.doses)),
        drugs=[m.key for m in tracked],
        score_interval=timedelta(minutes=protocol.sedation.score_interval_minutes),
    )
    flags = live(snap.flags)
    events = live(snap.adverse_events)
    labels = {s.number: s.label for s in protocol.sites}
    views = []
    for state in states:
        drugs = []
        for med, (_, nano) in zip(tracked, state.cumulative, strict=True):
            dose = Dose(unit(med.unit).dimension, nano)
            drugs.append(DrugSoFar(med.key, med.name, dose, dose.text(med.unit)))
        views.append(
            SiteSedationView(
                site_no=state.site_no,
                label=labels.get(state.site_no, "?"),
                injected_at=state.injected_at,
                scale=state.score.scale if state.score else protocol.sedation.scale,
                score=state.score.score if state.score else None,
                score_at=state.score.at if state.score else None,
                score_age=state.score_age,
                stale=state.stale,
                score_interval_minutes=protocol.sedation.score_interval_minutes,
                drugs=tuple(drugs),
                findings=tuple(
                    SiteFinding(f.flag, f.note, f.observed_at)
                    for f in flags
                    if f.site_no == state.site_no
                ),
                adverse_events=tuple(
                    SiteAdverseEvent(a.id, a.term, Grade(a.grade), a.serious)
                    for a in events
                    if state.site_no in a.site_nos
                ),
            )
        )
    return tuple(views)


def site_sedation(
    *, uow: UnitOfWork, actor: Actor, procedure_id: int
) -> tuple[SiteSedationView, ...]:
    """The sedation state at each injected site of a procedure, as recorded now."""
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        row = load_procedure(tx, procedure_id)
        return sedation_by_site(build_snapshot(tx, row.id), procedure_protocol(tx, row))
