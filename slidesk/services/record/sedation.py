"""Sedation and adverse events per site: the state at each injection, from the record.

`sedation_by_site` reads a record snapshot (the live one, or a signed version's) and, for each
injected site, gives the latest sedation score before the injection and its age (stale when
older than the protocol's `score_interval_minutes`), the cumulative dose of each analgesic and
sedative so far, and the findings and adverse events linked to that site. The rules are in
`slidesk.domain.sedation.site`; nothing here is typed twice. `site_sedation` reads the sites;
`site_sedation_state` adds the state now, before the next injection (the entry panel and the
site's history read it). No Qt; no SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from slidesk.clock import Clock
from slidesk.domain.procedure.model import EntryKind
from slidesk.domain.sedation.adverse_events import Grade
from slidesk.domain.sedation.doses import Dose, unit
from slidesk.domain.sedation.site import (
    GivenDose,
    Injection,
    Score,
    score_is_stale,
    sedation_at,
    sedation_at_sites,
)
from slidesk.domain.users import Actor, Permission
from slidesk.persistence.uow import UnitOfWork
from slidesk.protocol.model import Medication, Protocol
from slidesk.services.boundary import boundary
from slidesk.services.procedure.views import load_procedure, procedure_protocol
from slidesk.services.record.snapshot import RecordSnapshot, build_snapshot, live

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


def _tracked(protocol: Protocol) -> list[Medication]:
    return [m for m in protocol.medications if m.kind in TRACKED_KINDS]


def _scores(snap: RecordSnapshot, protocol: Protocol) -> list[Score]:
    return [
        Score(v.measured_at, v.sedation_scale or protocol.sedation.scale, v.sedation_score)
        for v in live(snap.vitals)
        if v.sedation_score is not None
    ]


def _doses(snap: RecordSnapshot) -> list[GivenDose]:
    return [GivenDose(d.given_at, d.drug_key, d.amount_nano) for d in live(snap.doses)]


def _so_far(
    tracked: list[Medication], cumulative: tuple[tuple[str, int], ...]
) -> tuple[DrugSoFar, ...]:
    drugs = []
    for med, (_, nano) in zip(tracked, cumulative, strict=True):
        dose = Dose(unit(med.unit).dimension, nano)
        drugs.append(DrugSoFar(med.key, med.name, dose, dose.text(med.unit)))
    return tuple(drugs)


def sedation_by_site(snap: RecordSnapshot, protocol: Protocol) -> tuple[SiteSedationView, ...]:
    """One view per injected site, in the order the injections happened."""
    tracked = _tracked(protocol)
    injected = [e for e in snap.live_entries() if e.kind == EntryKind.INJECTED.value]
    states = sedation_at_sites(
        (Injection(e.site_no, e.performed_at) for e in injected),
        _scores(snap, protocol),
        _doses(snap),
        drugs=[m.key for m in tracked],
        score_interval=timedelta(minutes=protocol.sedation.score_interval_minutes),
    )
    flags = live(snap.flags)
    events = live(snap.adverse_events)
    labels = {s.number: s.label for s in protocol.sites}
    views = []
    for state in states:
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
                drugs=_so_far(tracked, state.cumulative),
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


@boundary
def site_sedation(
    *, uow: UnitOfWork, actor: Actor, procedure_id: int
) -> tuple[SiteSedationView, ...]:
    """The sedation state at each injected site of a procedure, as recorded now."""
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        row = load_procedure(tx, procedure_id)
        return sedation_by_site(build_snapshot(tx, row.id), procedure_protocol(tx, row))


@dataclass(frozen=True, slots=True)
class SedationSoFar:
    """The sedation state as recorded at `as_of`: what the next injection would be given under.

    The score's age grows while nothing is recorded: ask `score_age(now)` and `stale(now)`.
    """

    as_of: datetime
    scale: str
    score: int | None
    score_at: datetime | None
    score_interval_minutes: int
    drugs: tuple[DrugSoFar, ...]

    def score_age(self, now: datetime) -> timedelta | None:
        return now - self.score_at if self.score_at is not None else None

    def stale(self, now: datetime) -> bool:
        """No score yet, or the latest is older than the protocol's assessment interval."""
        interval = timedelta(minutes=self.score_interval_minutes)
        return score_is_stale(self.score_age(now), interval)


@dataclass(frozen=True, slots=True)
class SiteSedationState:
    """A procedure's sedation per injected site, and the state now (for the next site)."""

    procedure_id: int
    sites: tuple[SiteSedationView, ...]
    so_far: SedationSoFar

    def site(self, site_no: int) -> SiteSedationView | None:
        return next((s for s in self.sites if s.site_no == site_no), None)


def sedation_so_far(snap: RecordSnapshot, protocol: Protocol, now: datetime) -> SedationSoFar:
    """The latest score and the totals given at or before `now`."""
    tracked = _tracked(protocol)
    state = sedation_at(
        now,
        _scores(snap, protocol),
        _doses(snap),
        drugs=[m.key for m in tracked],
        score_interval=timedelta(minutes=protocol.sedation.score_interval_minutes),
    )
    return SedationSoFar(
        as_of=now,
        scale=state.score.scale if state.score else protocol.sedation.scale,
        score=state.score.score if state.score else None,
        score_at=state.score.at if state.score else None,
        score_interval_minutes=protocol.sedation.score_interval_minutes,
        drugs=_so_far(tracked, state.cumulative),
    )


@boundary
def site_sedation_state(
    *, uow: UnitOfWork, clock: Clock, actor: Actor, procedure_id: int
) -> SiteSedationState:
    """The sedation state at each injected site and now, with what was found at each site."""
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        row = load_procedure(tx, procedure_id)
        snap = build_snapshot(tx, row.id)
        protocol = procedure_protocol(tx, row)
        return SiteSedationState(
            procedure_id=row.id,
            sites=sedation_by_site(snap, protocol),
            so_far=sedation_so_far(snap, protocol, clock.now()),
        )
