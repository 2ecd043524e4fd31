"""The protocol's care sections: [[medications]], [sedation] (with its alarms), [[follow_up]],
[[signatures]], [adverse_events] and [outcomes] — one parse function per section, each checking
what the section must satisfy.

Reads through `reader.TableReader`; builds `model` values. Imports only `model`, `reader` and
the domain's value types (never `slidesk.protocol` itself, nor the bedside sections).
"""

from __future__ import annotations

from decimal import Decimal

from slidesk.domain.sedation.vitals import VitalAlarmLimits
from slidesk.outcomes import ALGORITHM_VERSION
from slidesk.protocol.model import (
    DOSE_UNITS,
    MEDICATION_KINDS,
    AdverseEventSpec,
    FollowUpVisit,
    Medication,
    OutcomeRules,
    SedationSpec,
    SignatureMeaning,
)
from slidesk.protocol.reader import TableReader, texts

_ZERO = Decimal(0)
_BIG = Decimal(100_000)


def parse_medications(root: TableReader) -> tuple[Medication, ...]:
    """[[medications]]: the drugs offered, unique keys, their dose steps and limits."""
    medications = tuple(_parse_medication(r) for r in root.tables("medications"))
    if len({m.key for m in medications}) != len(medications):
        raise root.fail("medications", "medication keys must be unique")
    return medications


def _parse_medication(r: TableReader) -> Medication:
    med = Medication(
        key=r.string("key"),
        name=r.string("name"),
        unit=r.choice("unit", DOSE_UNITS),
        route=r.string("route", "IV"),
        kind=r.choice("kind", MEDICATION_KINDS),
        increments=r.decimals("increments", _ZERO, _BIG),
        single_max=r.decimal("single_max", _ZERO, _BIG, required=False),
        cumulative_warning=r.decimal("cumulative_warning", _ZERO, _BIG, required=False),
        cumulative_max=r.decimal("cumulative_max", _ZERO, _BIG, required=False),
    )
    if (
        med.cumulative_warning is not None
        and med.cumulative_max is not None
        and med.cumulative_warning > med.cumulative_max
    ):
        raise r.fail("cumulative_warning", "must not exceed cumulative_max")
    return med


def parse_sedation(root: TableReader) -> SedationSpec:
    """[sedation]: the score scale, the intervals, the discharge score and the alarms."""
    sed = root.table("sedation")
    return SedationSpec(
        scale=sed.choice("scale", ("MOAA/S", "Ramsay", "RASS")),
        vitals_interval_minutes=sed.integer("vitals_interval_minutes", 1, 120),
        discharge_aldrete_min=sed.integer("discharge_aldrete_min", 0, 10, default=9),
        score_interval_minutes=sed.integer("score_interval_minutes", 1, 120),
        alarms=_parse_alarms(sed),
    )


def _parse_alarms(sed: TableReader) -> VitalAlarmLimits:
    """[sedation.alarms]: vital-sign thresholds, each lower bound below its upper one."""
    if "alarms" not in sed.data:
        return VitalAlarmLimits()
    a = sed.table("alarms")
    d = VitalAlarmLimits()
    etco2 = a.get("etco2_above", False)
    limits = VitalAlarmLimits(
        spo2_below=a.integer("spo2_below", 50, 100, default=d.spo2_below),
        hr_below=a.integer("hr_below", 20, 200, default=d.hr_below),
        hr_above=a.integer("hr_above", 40, 250, default=d.hr_above),
        systolic_below=a.integer("systolic_below", 40, 250, default=d.systolic_below),
        systolic_above=a.integer("systolic_above", 80, 300, default=d.systolic_above),
        rr_below=a.integer("rr_below", 0, 40, default=d.rr_below),
        rr_above=a.integer("rr_above", 5, 70, default=d.rr_above),
        etco2_above=None if etco2 is None else a.integer("etco2_above", 10, 150),
    )
    if limits.hr_below >= limits.hr_above:
        raise a.fail("hr_below", "must be lower than hr_above")
    if limits.systolic_below >= limits.systolic_above:
        raise a.fail("systolic_below", "must be lower than systolic_above")
    if limits.rr_below >= limits.rr_above:
        raise a.fail("rr_below", "must be lower than rr_above")
    return limits


def parse_follow_up(root: TableReader) -> tuple[FollowUpVisit, ...]:
    """[[follow_up]]: the visits by month, each with its window."""
    return tuple(
        FollowUpVisit(
            month=r.integer("month", 0, 240),
            window_before_days=r.integer("window_before_days", 0, 365),
            window_after_days=r.integer("window_after_days", 0, 365),
        )
        for r in root.tables("follow_up")
    )


def parse_signatures(root: TableReader) -> tuple[SignatureMeaning, ...]:
    """[[signatures]] (optional): who signs the record and what the signature means."""
    return tuple(
        SignatureMeaning(
            role=r.choice("role", ("operator", "nurse", "reviewer", "investigator")),
            meaning=r.string("meaning"),
            required=r.boolean("required", True),
        )
        for r in root.tables("signatures", required=False)
    )


def parse_adverse_events(root: TableReader) -> AdverseEventSpec:
    """[adverse_events] (optional): the terms offered and the relatedness/expectedness scales."""
    if "adverse_events" not in root.data:
        return AdverseEventSpec()
    r = root.table("adverse_events")
    d = AdverseEventSpec()
    levels = texts(r, "relatedness", d.relatedness)
    related_from = r.string("related_from", d.related_from if d.related_from in levels else "")
    if related_from not in levels:
        raise r.fail("related_from", f"must be one of the relatedness levels, got {related_from!r}")
    return AdverseEventSpec(
        terms=texts(r, "terms", d.terms),
        relatedness=levels,
        related_from=related_from,
        expectedness=texts(r, "expectedness", d.expectedness),
        sae_report_hours=r.integer("sae_report_hours", 1, 24 * 15, default=d.sae_report_hours),
    )


def parse_outcomes(root: TableReader, months: set[int]) -> OutcomeRules:
    """[outcomes] (optional): the therapy-success thresholds, at one of the follow-up months."""
    if "outcomes" not in root.data:
        return OutcomeRules()
    r = root.table("outcomes")
    d = OutcomeRules()
    algorithm = r.string("algorithm", d.algorithm)
    if algorithm != ALGORITHM_VERSION:
        raise r.fail(
            "algorithm",
            f"this SLI Desk computes {ALGORITHM_VERSION}, the file asks for {algorithm}",
        )
    rules = OutcomeRules(
        algorithm=algorithm,
        primary_month=r.integer("primary_month", 1, 240, default=d.primary_month),
        rutherford_improvement=r.integer(
            "rutherford_improvement", 1, 6, default=d.rutherford_improvement
        ),
        vas_improvement_mm=r.integer("vas_improvement_mm", 1, 100, default=d.vas_improvement_mm),
        fontaine_walk_cutoff_m=r.integer(
            "fontaine_walk_cutoff_m", 1, 10_000, default=d.fontaine_walk_cutoff_m
        ),
        abi_method=r.choice("abi_method", ("higher_ankle", "lower_ankle"), d.abi_method),
        eq5d_version=r.string("eq5d_version", d.eq5d_version),
        rand36_version=r.string("rand36_version", d.rand36_version),
    )
    if months and rules.primary_month not in months:
        raise r.fail("primary_month", f"must be one of the follow-up months {sorted(months)}")
    return rules
