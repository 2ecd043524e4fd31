"""Translate between a visit's row columns and the domain's `VisitEntry` (no SQL here)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from slidesk.domain.followup.model import (
    EQ5D_DIMENSIONS,
    Amputation,
    AmputationLevel,
    Eq5d,
    Fontaine,
    Item,
    MissingReason,
    Ulcer,
    UlcerLocation,
    UnableToWalk,
    VisitEntry,
    VitalStatus,
)
from slidesk.domain.followup.rand36 import ITEM_COUNT
from slidesk.domain.followup.vascular import AbiMethod, Pressure, PressureFlag, PressureSite
from slidesk.persistence.rows.followup import (
    FollowUpAmputationRow,
    FollowUpUlcerRow,
    FollowUpVisitRow,
    rand36_column,
)


def missing_column(item: Item) -> str:
    return f"{item.value}_missing"


def iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def parse_iso(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _enum(cls: Any, value: str | None) -> Any:
    return cls(value) if value is not None else None


def entry_columns(entry: VisitEntry) -> dict[str, Any]:
    """The visit row's columns for `entry` (list items — amputations, ulcers — excluded)."""
    columns: dict[str, Any] = {
        "visit_date": iso(entry.visit_date),
        "visit_missing": _value(entry.visit_missing),
        "assessor_id": entry.assessor_id,
        "vital_status": _value(entry.vital_status),
        "death_date": iso(entry.death_date),
        "death_cause": entry.death_cause,
        "new_amputation": entry.new_amputation,
        "rutherford": entry.rutherford,
        "fontaine": _value(entry.fontaine),
        "rest_pain": entry.rest_pain,
        "vas_mm": entry.vas_mm,
        "ulcer_count": entry.ulcer_count,
        "walk_distance_m": entry.walk_distance_m,
        "walk_unable": _value(entry.walk_unable),
        "walk_unable_detail": entry.walk_unable_detail,
        "abi_method": entry.abi_method.value,
        "eq5d_vas": entry.eq5d.vas if entry.eq5d else None,
        "eq5d_version": entry.eq5d_version,
        "rand36_version": entry.rand36_version,
    }
    levels = entry.eq5d.levels if entry.eq5d else (None,) * len(EQ5D_DIMENSIONS)
    for name, level in zip(EQ5D_DIMENSIONS, levels, strict=True):
        columns[f"eq5d_{name}"] = level
    answers = entry.rand36 or (None,) * ITEM_COUNT
    for number, answer in enumerate(answers, start=1):
        columns[rand36_column(number)] = answer
    for site in PressureSite:
        reading = entry.pressures.get(site)
        columns[f"{site.value}_mmhg"] = reading.mmhg if reading else None
        columns[f"{site.value}_flag"] = _value(reading.flag) if reading else None
    for item in Item:
        columns[missing_column(item)] = _value(entry.missing.get(item))
    return columns


def _value(member: Any) -> str | None:
    return member.value if member is not None else None


def row_entry(
    row: FollowUpVisitRow,
    amputations: Iterable[FollowUpAmputationRow],
    ulcers: Iterable[FollowUpUlcerRow],
) -> VisitEntry:
    """The stored visit as a `VisitEntry` (live list items only)."""

    def get(name: str) -> Any:  # columns added in loops have no typed attribute
        return getattr(row, name)

    pressures = {}
    for site in PressureSite:
        mmhg, flag = get(f"{site.value}_mmhg"), get(f"{site.value}_flag")
        if mmhg is not None or flag is not None:
            pressures[site] = Pressure(mmhg, _enum(PressureFlag, flag))
    levels = tuple(get(f"eq5d_{name}") for name in EQ5D_DIMENSIONS)
    eq5d = Eq5d(levels, row.eq5d_vas)
    answers = tuple(get(rand36_column(n)) for n in range(1, ITEM_COUNT + 1))
    missing = {item: MissingReason(code) for item in Item if (code := get(missing_column(item)))}
    return VisitEntry(
        visit_date=parse_iso(row.visit_date),
        visit_missing=_enum(MissingReason, row.visit_missing),
        assessor_id=row.assessor_id,
        vital_status=_enum(VitalStatus, row.vital_status),
        death_date=parse_iso(row.death_date),
        death_cause=row.death_cause,
        new_amputation=row.new_amputation,
        amputations=tuple(amputation(a) for a in amputations if not a.voided),
        rutherford=row.rutherford,
        fontaine=_enum(Fontaine, row.fontaine),
        rest_pain=row.rest_pain,
        vas_mm=row.vas_mm,
        ulcer_count=row.ulcer_count,
        ulcers=tuple(ulcer(u) for u in ulcers if not u.voided),
        walk_distance_m=row.walk_distance_m,
        walk_unable=_enum(UnableToWalk, row.walk_unable),
        walk_unable_detail=row.walk_unable_detail,
        pressures=pressures,
        abi_method=AbiMethod(row.abi_method),
        eq5d=eq5d if eq5d.answered else None,
        eq5d_version=row.eq5d_version,
        rand36=answers if any(a is not None for a in answers) else None,
        rand36_version=row.rand36_version,
        missing=missing,
    )


def amputation(row: FollowUpAmputationRow) -> Amputation:
    return Amputation(
        on=date.fromisoformat(row.amputation_date), level=AmputationLevel(row.level), id=row.id
    )


def ulcer(row: FollowUpUlcerRow) -> Ulcer:
    return Ulcer(
        location=UlcerLocation(row.location),
        detail=row.detail,
        area_ucm2=row.area_ucm2,
        area_missing=_enum(MissingReason, row.area_missing),
        id=row.id,
    )


def amputation_columns(item: Amputation) -> dict[str, Any]:
    return {"amputation_date": item.on.isoformat(), "level": item.level.value}


def ulcer_columns(item: Ulcer) -> dict[str, Any]:
    return {
        "location": item.location.value,
        "detail": item.detail,
        "area_ucm2": item.area_ucm2,
        "area_missing": _value(item.area_missing),
    }
