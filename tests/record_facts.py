"""Every fact of a record snapshot, as it must read on paper, and a check against a PDF.

Independent of the report code: each field of each snapshot item has a rule here saying how
its value reads (or, for a few, why it is not printed). `missing_facts` extracts the PDF's
table cells (pdfplumber) and requires, for each item, ONE table row (or, for the header and
each adverse event, one table) holding all of the item's facts. A snapshot field without a
rule fails the test, so a new field cannot go unprinted unnoticed.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pdfplumber

from slidesk.domain.procedure.model import SkipReason
from slidesk.domain.procedure.syringe import SyringeDisposition
from slidesk.domain.sedation.adverse_events import ActionTaken, Grade, Outcome, SeriousCriterion
from slidesk.domain.sedation.doses import Dimension, Dose, plain, unit
from slidesk.domain.sedation.events import Intervention, SedationEventKind
from slidesk.domain.sedation.oxygen import OxygenDevice
from slidesk.domain.sedation.vitals import VitalSigns, alarms
from slidesk.domain.values import Depth, Limb, Volume
from slidesk.protocol.model import Protocol
from slidesk.services.record.snapshot import RecordSnapshot


@dataclass(frozen=True)
class Fact:
    text: str
    exact: bool = False  # the whole cell must be this (short numbers), not just contain it


@dataclass(frozen=True)
class Ctx:
    names: dict[int, str]
    tz: ZoneInfo
    protocol: Protocol
    snap: RecordSnapshot


Rule = Callable[[Any, Ctx], list[Fact]] | str  # a str: why the field is not printed

NOT_PRINTED_ID = "the row's internal number; rows are named by site, time and content"


def _norm(text: str) -> str:
    return " ".join(text.split())


def hms(value: datetime, ctx: Ctx) -> list[Fact]:
    return [Fact(value.astimezone(ctx.tz).strftime("%H:%M:%S"))]


def day_time(value: datetime | None, ctx: Ctx) -> list[Fact]:
    return [] if value is None else [Fact(value.astimezone(ctx.tz).strftime("%d %b %Y %H:%M"))]


def _field(name: str, how: Callable[[Any, Ctx], list[Fact]]) -> Rule:
    return lambda item, ctx: how(getattr(item, name), ctx)


def _text(value: Any, _ctx: Ctx) -> list[Fact]:
    return [] if value in (None, "") else [Fact(str(value))]


def _cell(value: Any, _ctx: Ctx) -> list[Fact]:
    return [] if value is None else [Fact(str(value), exact=True)]


def _person(value: int, ctx: Ctx) -> list[Fact]:
    return [Fact(ctx.names[value])]


def _flag(words: str) -> Callable[[Any, Ctx], list[Fact]]:
    return lambda value, _ctx: [Fact(words)] if value else []


def _t(name: str) -> Rule:
    return _field(name, hms)


def _s(name: str) -> Rule:
    return _field(name, _text)


def _p(name: str) -> Rule:
    return _field(name, _person)


_COMMON: dict[str, Rule] = {
    "id": NOT_PRINTED_ID,
    "recorded_at": _t("recorded_at"),
    "late": _field("late", _flag("LATE ENTRY")),
    "performer_id": _p("performer_id"),
    "recorder_id": _p("recorder_id"),
    "voided": _field("voided", _flag("UNDONE")),
    "void_reason": _s("void_reason"),
}


def _dose_text(d: Any) -> str:
    return Dose(Dimension(d.dimension), d.amount_nano).text(d.unit)


def _alarm_facts(v: Any, ctx: Ctx) -> list[Fact]:
    signs = VitalSigns(
        hr=v.hr,
        systolic=v.systolic,
        diastolic=v.diastolic,
        spo2=v.spo2,
        rr=v.rr,
        etco2=v.etco2,
        temp_dc=v.temp_dc,
        sedation_scale=v.sedation_scale,
        sedation_score=v.sedation_score,
    )
    worded = {a.kind.value: a.message for a in alarms(signs, ctx.protocol.sedation.alarms)}
    return [Fact(worded[k]) for k in v.alarms]


def _linked_dose(e: Any, ctx: Ctx) -> list[Fact]:
    dose = next((d for d in ctx.snap.doses if d.id == e.dose_id), None)
    if dose is None:
        return []
    return [Fact(_dose_text(dose)), *hms(dose.given_at, ctx)]


def _position(value: int | None, _ctx: Ctx) -> list[Fact]:
    return [] if value is None else [Fact(f"{Decimal(value) / 10_000:.4f}")]


RULES: dict[str, dict[str, Rule]] = {
    "entries": {
        **_COMMON,
        "site_no": _field("site_no", _cell),
        "kind": lambda e, _c: [Fact("Skipped")] if e.kind == "skipped" else [],
        "performed_at": _t("performed_at"),
        "depth_um": lambda e, _c: (
            [Fact(f"{Depth(e.depth_um).mm:.1f}")] if e.depth_um is not None else []
        ),
        "volume_ul": lambda e, _c: (
            [Fact(f"{Volume(e.volume_ul).ml:.1f}")] if e.volume_ul is not None else []
        ),
        "syringe_label": _s("syringe_label"),
        "deviation_reason": _s("deviation_reason"),
        "skip_reason": lambda e, _c: (
            [Fact(SkipReason(e.skip_reason).label)] if e.skip_reason else []
        ),
        "skip_detail": _s("skip_detail"),
        "relocated": _field("relocated", _flag("Relocated")),
        "actual_x_e4": _field("actual_x_e4", _position),
        "actual_y_e4": _field("actual_y_e4", _position),
        "voided": _field("voided", _flag("")),  # the undone table itself says so
        "late": "site entries have no late flag",
    },
    "checklist": {
        "id": NOT_PRINTED_ID,
        "item_key": "the protocol item's key; its text is printed",
        "item_text": _s("item_text"),
        "ticked_by": _p("ticked_by"),
        "ticked_role": _s("ticked_role"),
        "ticked_at": _t("ticked_at"),
        "voided": _field("voided", _flag("UNDONE")),
        "void_reason": _s("void_reason"),
    },
    "flags": {
        **_COMMON,
        "site_no": _field("site_no", _cell),
        "flag": _s("flag"),
        "note": _s("note"),
        "observed_at": _t("observed_at"),
    },
    "dispositions": {
        **_COMMON,
        "syringe_label": _s("syringe_label"),
        "disposition": lambda d, _c: [Fact(SyringeDisposition(d.disposition).label)],
        "note": _s("note"),
    },
    "doses": {
        **_COMMON,
        "given_at": _t("given_at"),
        "drug_key": "the protocol's key for the drug; its name is printed",
        "drug_name": _s("drug_name"),
        "drug_kind": _s("drug_kind"),
        "dimension": "implied by the unit the dose is printed in",
        "amount_nano": lambda d, _c: [Fact(_dose_text(d))],
        "unit": lambda d, _c: [Fact(unit(d.unit).symbol)],
        "entered_amount": lambda d, _c: [Fact(f"{d.entered_amount} {unit(d.entered_unit).symbol}")],
        "entered_unit": lambda d, _c: [Fact(unit(d.entered_unit).symbol)],
        "route": _s("route"),
        "over_single_max": _field("over_single_max", _flag("above the single maximum")),
        "over_cumulative_max": _field("over_cumulative_max", _flag("above the cumulative maximum")),
        "cumulative_warning": _field("cumulative_warning", _flag("cumulative warning reached")),
        "limit_reason": _s("limit_reason"),
    },
    "oxygen": {
        **_COMMON,
        "started_at": _t("started_at"),
        "device": lambda o, _c: [Fact(OxygenDevice(o.device).label)],
        "flow_ml_min": lambda o, _c: (
            [Fact(f"{plain(Decimal(o.flow_ml_min) / 1000)} L/min")] if o.flow_ml_min else []
        ),
    },
    "vitals": {
        **_COMMON,
        "measured_at": _t("measured_at"),
        "hr": _field("hr", _cell),
        "systolic": lambda v, _c: (
            [Fact(f"{v.systolic}/{v.diastolic}", exact=True)] if v.systolic is not None else []
        ),
        "diastolic": "printed with the systolic value (systolic/diastolic)",
        "spo2": _field("spo2", _cell),
        "rr": _field("rr", _cell),
        "etco2": _field("etco2", _cell),
        "temp_dc": lambda v, _c: (
            [Fact(plain(Decimal(v.temp_dc) / 10), exact=True)] if v.temp_dc is not None else []
        ),
        "sedation_scale": "the scale is the column heading (the protocol's scale)",
        "sedation_score": _field("sedation_score", _cell),
        "baseline": _field("baseline", _flag("baseline")),
        "alarms": _alarm_facts,
        "note": _s("note"),
    },
    "events": {
        **_COMMON,
        "occurred_at": _t("occurred_at"),
        "kind": lambda e, _c: [Fact(SedationEventKind(e.kind).label)],
        "interventions": lambda e, _c: [Fact(Intervention(i).label) for i in e.interventions],
        "description": _s("description"),
        "outcome": _s("outcome"),
        "dose_id": _linked_dose,
    },
    "recovery": {
        **_COMMON,
        "assessed_at": _t("assessed_at"),
        **{
            key: _field(key, _cell)
            for key in ("activity", "respiration", "circulation", "consciousness", "spo2")
        },
        "total": lambda r, _c: [Fact(f"{r.total}/10", exact=True)],
        "note": _s("note"),
    },
    "adverse_events": {
        **_COMMON,
        "recorded_at": lambda a, c: day_time(a.recorded_at, c),
        "onset_at": lambda a, c: day_time(a.onset_at, c),
        "first_known_at": lambda a, c: day_time(a.first_known_at, c),
        "term": _s("term"),
        "description": _s("description"),
        "site_nos": lambda a, _c: (
            [Fact(", ".join(str(n) for n in a.site_nos))] if a.site_nos else []
        ),
        "grade": lambda a, _c: [Fact(Grade(a.grade).label, exact=True)],
        "serious": lambda a, _c: [Fact("yes" if a.serious else "no")],
        "serious_criteria": lambda a, _c: [
            Fact(SeriousCriterion(c).label) for c in a.serious_criteria
        ],
        "related_product": _field("related_product", _cell),
        "related_procedure": _field("related_procedure", _cell),
        "related_sedation": _field("related_sedation", _cell),
        "expectedness": _field("expectedness", _cell),
        "action_taken": lambda a, _c: [Fact(ActionTaken(a.action_taken).label)],
        "outcome": lambda a, _c: [Fact(Outcome(a.outcome).label)],
        "resolved_at": lambda a, c: day_time(a.resolved_at, c),
        "sae_due_at": lambda a, c: day_time(a.sae_due_at, c),
    },
}

HEADER: dict[str, Rule] = {
    "schema": lambda s, _c: [Fact(str(s.schema), exact=True)],
    "procedure_id": _field("procedure_id", _cell),
    "subject_id": "the subject's internal number; the study ID is printed",
    "study_id": _s("study_id"),
    "index_limb": lambda s, _c: [Fact(Limb(s.index_limb).label)],
    "centre": _s("centre"),
    "protocol_key": _s("protocol_key"),
    "protocol_version": _s("protocol_version"),
    "kit_number": _s("kit_number"),
    "location": _s("location"),
    "operator_id": _p("operator_id"),
    "nurse_id": _p("nurse_id"),
    "created_by": _p("created_by"),
    "product_release_at": lambda s, c: day_time(s.product_release_at, c),
    "planned_at": lambda s, c: day_time(s.planned_at, c),
    "started_at": lambda s, c: day_time(s.started_at, c),
    "completed_at": lambda s, c: day_time(s.completed_at, c),
}

# Sections whose items are a whole table (a block), not a row.
_BLOCK_SECTIONS = frozenset({"adverse_events"})


def unruled_fields(snap: RecordSnapshot) -> list[str]:
    """Snapshot fields that have no rule here (each must be printed, or say why not)."""
    missing = []
    for f in fields(snap):
        section = getattr(snap, f.name)
        if isinstance(section, tuple):
            rules = RULES.get(f.name)
            if rules is None:
                missing.append(f.name)
                continue
            for item in section[:1]:
                missing += [f"{f.name}.{g.name}" for g in fields(item) if g.name not in rules]
        elif f.name not in HEADER:
            missing.append(f.name)
    return missing


def _facts(item: Any, rules: dict[str, Rule], ctx: Ctx) -> list[Fact]:
    out: list[Fact] = []
    for f in fields(item):
        rule = rules[f.name]
        if callable(rule):
            out += [x for x in rule(item, ctx) if x.text]
    return out


def pdf_tables(data: bytes) -> list[list[list[str]]]:
    """Every table of the PDF as rows of whitespace-normalised cells (upright body text)."""

    def body(obj: dict[str, Any]) -> bool:
        return obj.get("object_type") != "char" or (obj["upright"] and obj["size"] < 30)

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [
            [[_norm(c or "") for c in row] for row in table]
            for page in pdf.pages
            for table in page.filter(body).extract_tables()
        ]


def _holds(cells: list[str], fact: Fact) -> bool:
    text = _norm(fact.text)
    return any((c == text) if fact.exact else (text in c) for c in cells)


def missing_facts(snap: RecordSnapshot, data: bytes, ctx: Ctx) -> list[str]:
    """Items whose facts are not all in one row (or table) of the PDF, with what is missing."""
    tables = pdf_tables(data)
    rows = [row for t in tables for row in t]
    wholes = [[c for row in t for c in row] for t in tables]
    problems = []
    header = _facts_of_header(snap, ctx)
    if not any(all(_holds(cells, f) for f in header) for cells in wholes):
        best = max(wholes, key=lambda cells: sum(_holds(cells, f) for f in header))
        problems.append(f"header: {[f.text for f in header if not _holds(best, f)]}")
    for f in fields(snap):
        section = getattr(snap, f.name)
        if not isinstance(section, tuple):
            continue
        candidates = wholes if f.name in _BLOCK_SECTIONS else rows
        for item in section:
            facts = _facts(item, RULES[f.name], ctx)
            if any(all(_holds(cells, x) for x in facts) for cells in candidates):
                continue
            best = max(candidates, key=lambda cells: sum(_holds(cells, x) for x in facts))
            lost = [x.text for x in facts if not _holds(best, x)]
            problems.append(f"{f.name} #{item.id}: not in one row: {lost} (closest: {best})")
    return problems


def _facts_of_header(snap: RecordSnapshot, ctx: Ctx) -> list[Fact]:
    out: list[Fact] = []
    for rule in HEADER.values():
        if callable(rule):
            out += rule(snap, ctx)
    return out
