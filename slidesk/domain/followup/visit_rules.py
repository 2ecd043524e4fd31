"""Rules of a follow-up visit: what is malformed, what is still blank, what looks inconsistent.

Standard library only. `validate` refuses impossible input (saving fails with the reason);
`blanks` lists items with neither a value nor a missing code (signing fails while any remain);
`warnings` lists combinations a reviewer should look at but that may be true.
"""

from __future__ import annotations

from datetime import date

from slidesk.domain.errors import ValidationError
from slidesk.domain.followup.model import (
    EQ5D_LABELS,
    PRESSURE_ITEMS,
    Fontaine,
    Item,
    UlcerLocation,
    UnableToWalk,
    VisitEntry,
    VitalStatus,
)
from slidesk.domain.followup.rand36 import validate_responses

MAX_WALK_M = 20_000
MAX_ULCERS = 50

# SAIL maps Fontaine III to Rutherford 4 and IV to 5 (clinical reference §4.2).
_FONTAINE_RUTHERFORD = {
    Fontaine.I: frozenset({0}),
    Fontaine.IIA: frozenset({1, 2, 3}),
    Fontaine.IIB: frozenset({1, 2, 3}),
    Fontaine.III: frozenset({4}),
    Fontaine.IV: frozenset({5, 6}),
}


def _fmt(day: date) -> str:
    return day.strftime("%d %b %Y")


def has_value(entry: VisitEntry, item: Item) -> bool:
    """Whether the visit holds an answer for `item` (not counting a missing code)."""
    match item:
        case Item.VITAL_STATUS:
            return entry.vital_status is not None
        case Item.AMPUTATION:
            return entry.new_amputation is not None
        case Item.RUTHERFORD:
            return entry.rutherford is not None
        case Item.FONTAINE:
            return entry.fontaine is not None
        case Item.REST_PAIN:
            return entry.rest_pain is not None
        case Item.VAS:
            return entry.vas_mm is not None
        case Item.ULCERS:
            return entry.ulcer_count is not None
        case Item.WALKING:
            return entry.walk_distance_m is not None or entry.walk_unable is not None
        case Item.EQ5D:
            return entry.eq5d is not None and entry.eq5d.answered
        case Item.RAND36:
            return entry.rand36 is not None and any(a is not None for a in entry.rand36)
    for site, pressure_item in PRESSURE_ITEMS.items():
        if pressure_item is item:
            return site in entry.pressures
    raise AssertionError(item)


def applicable_items(entry: VisitEntry, *, baseline: bool) -> tuple[Item, ...]:
    """Items this visit must answer: none when it did not take place; after a death, only the
    vital status and amputations; at baseline, everything but the vital status."""
    if entry.visit_missing is not None:
        return ()
    if baseline:
        return tuple(i for i in Item if i is not Item.VITAL_STATUS)
    if entry.vital_status is VitalStatus.DIED:
        return (Item.VITAL_STATUS, Item.AMPUTATION)
    return tuple(Item)


def blanks(entry: VisitEntry, *, baseline: bool) -> tuple[str, ...]:
    """What still needs a value or a missing code before the visit can be signed."""
    found = [
        item.label
        for item in applicable_items(entry, baseline=baseline)
        if not has_value(entry, item) and item not in entry.missing
    ]
    for number, ulcer in enumerate(entry.ulcers, start=1):
        if ulcer.area_ucm2 is None and ulcer.area_missing is None:
            found.append(f"Ulcer {number}: area")
    return tuple(found)


def validate(
    entry: VisitEntry, *, baseline: bool, procedure_date: date | None, today: date
) -> None:
    """Refuse impossible or contradictory input with a message that says what to fix."""
    applicable = set(applicable_items(entry, baseline=baseline))
    for item in Item:
        if has_value(entry, item) and item in entry.missing:
            raise ValidationError(
                f"{item.label}: give either a value or a reason it is missing, not both."
            )
        if has_value(entry, item) and item not in applicable:
            raise ValidationError(_not_applicable(entry, item, baseline))
    if entry.visit_missing is not None:
        if entry.visit_date is not None or entry.missing:
            raise ValidationError(
                "A visit that did not take place has no date and no item codes; "
                "clear them or record the visit."
            )
        return
    _check_dates(entry, baseline=baseline, procedure_date=procedure_date, today=today)
    _check_vital_status(entry, procedure_date=procedure_date, baseline=baseline)
    _check_amputations(entry, procedure_date=procedure_date, baseline=baseline)
    _check_scores(entry)
    _check_ulcers(entry)
    _check_walking(entry)
    _check_questionnaires(entry)


def _not_applicable(entry: VisitEntry, item: Item, baseline: bool) -> str:
    if baseline and item is Item.VITAL_STATUS:
        return "The baseline visit records no vital status."
    if entry.vital_status is VitalStatus.DIED:
        return f"The subject died: {item.label.lower()} is not recorded at this visit."
    return f"{item.label} is not recorded for a visit that did not take place."


def _check_dates(
    entry: VisitEntry, *, baseline: bool, procedure_date: date | None, today: date
) -> None:
    if entry.visit_date is None:
        raise ValidationError(
            "Enter the visit date, or record that the visit did not take place and why."
        )
    if entry.visit_date > today:
        raise ValidationError(f"The visit date {_fmt(entry.visit_date)} lies in the future.")
    if procedure_date is None:
        return
    if baseline and entry.visit_date > procedure_date:
        raise ValidationError(
            f"The baseline visit must take place before the procedure "
            f"({_fmt(procedure_date)}), not on {_fmt(entry.visit_date)}."
        )
    if not baseline and entry.visit_date <= procedure_date:
        raise ValidationError(
            f"A follow-up visit must take place after the procedure ({_fmt(procedure_date)})."
        )


def _check_vital_status(entry: VisitEntry, *, procedure_date: date | None, baseline: bool) -> None:
    if entry.vital_status is not VitalStatus.DIED:
        if entry.death_date is not None or entry.death_cause:
            raise ValidationError("A date and cause of death need the vital status 'Died'.")
        return
    if entry.death_date is None:
        raise ValidationError("Enter the date of death.")
    if not entry.death_cause:
        raise ValidationError("Enter the cause of death (type 'unknown' if it is not known).")
    assert entry.visit_date is not None
    if entry.death_date > entry.visit_date:
        raise ValidationError("The date of death lies after the visit date.")
    if procedure_date is not None and entry.death_date < procedure_date:
        raise ValidationError("The date of death lies before the procedure.")


def _check_amputations(entry: VisitEntry, *, procedure_date: date | None, baseline: bool) -> None:
    if entry.new_amputation is True and not entry.amputations:
        raise ValidationError("Add the amputation (date and level), or answer 'No'.")
    if entry.new_amputation is not True and entry.amputations:
        raise ValidationError("Amputations are listed: answer 'Yes' to the amputation question.")
    seen: set[tuple[date, str]] = set()
    for amputation in entry.amputations:
        key = (amputation.on, amputation.level.value)
        if key in seen:
            raise ValidationError(
                f"The {amputation.level.label.lower()} amputation of {_fmt(amputation.on)} "
                "is listed twice."
            )
        seen.add(key)
        assert entry.visit_date is not None
        if amputation.on > entry.visit_date:
            raise ValidationError(
                f"The amputation date {_fmt(amputation.on)} lies after the visit date."
            )
        if procedure_date is None:
            continue
        if baseline and amputation.on > procedure_date:
            raise ValidationError("A baseline amputation must predate the procedure.")
        if not baseline and amputation.on < procedure_date:
            raise ValidationError(
                f"The amputation of {_fmt(amputation.on)} predates the procedure; record it at "
                "baseline."
            )


def _check_scores(entry: VisitEntry) -> None:
    if entry.rutherford is not None and not 0 <= entry.rutherford <= 6:
        raise ValidationError(f"Rutherford category {entry.rutherford} does not exist (0–6).")
    if entry.vas_mm is not None and not 0 <= entry.vas_mm <= 100:
        raise ValidationError(f"A VAS of {entry.vas_mm} mm is off the 0–100 mm line.")


def _check_ulcers(entry: VisitEntry) -> None:
    if entry.ulcer_count is None:
        if entry.ulcers:
            raise ValidationError("Ulcers are listed: enter how many there are.")
        return
    if not 0 <= entry.ulcer_count <= MAX_ULCERS:
        raise ValidationError(f"{entry.ulcer_count} ulcers is not plausible (0–{MAX_ULCERS}).")
    if len(entry.ulcers) != entry.ulcer_count:
        raise ValidationError(
            f"The number of ulcers ({entry.ulcer_count}) differs from the ulcers described "
            f"({len(entry.ulcers)}); describe each ulcer once."
        )
    for number, ulcer in enumerate(entry.ulcers, start=1):
        if ulcer.location is UlcerLocation.OTHER and not ulcer.detail:
            raise ValidationError(f"Ulcer {number}: describe the location ('Other').")
        if ulcer.area_ucm2 is not None and ulcer.area_missing is not None:
            raise ValidationError(
                f"Ulcer {number}: give either the area or why it is missing, not both."
            )


def _check_walking(entry: VisitEntry) -> None:
    if entry.walk_distance_m is not None and entry.walk_unable is not None:
        raise ValidationError("Give a walking distance or 'unable to walk', not both.")
    if entry.walk_distance_m is not None and not 0 <= entry.walk_distance_m <= MAX_WALK_M:
        raise ValidationError(
            f"A pain-free walking distance of {entry.walk_distance_m} m is not plausible "
            f"(0–{MAX_WALK_M} m)."
        )
    if entry.walk_unable is UnableToWalk.OTHER and not entry.walk_unable_detail:
        raise ValidationError("Say why the subject could not walk on the treadmill ('Other').")
    if entry.walk_unable is None and entry.walk_unable_detail:
        raise ValidationError("An explanation of 'unable to walk' needs that answer chosen.")


def _check_questionnaires(entry: VisitEntry) -> None:
    if entry.eq5d is not None:
        if len(entry.eq5d.levels) != len(EQ5D_LABELS):
            raise ValidationError("EQ-5D-5L has five dimensions.")
        for label, level in zip(EQ5D_LABELS, entry.eq5d.levels, strict=True):
            if level is not None and not 1 <= level <= 5:
                raise ValidationError(f"EQ-5D-5L {label}: level {level} does not exist (1–5).")
        if entry.eq5d.vas is not None and not 0 <= entry.eq5d.vas <= 100:
            raise ValidationError(f"An EQ VAS of {entry.eq5d.vas} is off the 0–100 scale.")
        if entry.eq5d.answered and not entry.eq5d_version:
            raise ValidationError("Record which EQ-5D-5L version (language, paper) was used.")
    if entry.rand36 is not None:
        validate_responses(entry.rand36)
        if any(a is not None for a in entry.rand36) and not entry.rand36_version:
            raise ValidationError("Record which RAND-36 version (language, paper) was used.")


def warnings(entry: VisitEntry, *, fontaine_cutoff_m: int = 200) -> tuple[str, ...]:
    """Combinations that are unusual but possible; shown, never blocking."""
    found: list[str] = []
    r, f = entry.rutherford, entry.fontaine
    if r is not None and f is not None and r not in _FONTAINE_RUTHERFORD[f]:
        found.append(f"Fontaine {f.value} usually goes with another Rutherford category than {r}.")
    if entry.rest_pain is True and r is not None and r < 4:
        found.append(f"Rest pain is recorded with Rutherford {r} (rest pain is category 4).")
    if entry.rest_pain is False and r == 4:
        found.append("Rutherford 4 is ischaemic rest pain, but rest pain is answered 'No'.")
    if r is not None and r >= 5 and entry.ulcer_count == 0:
        found.append(f"Rutherford {r} means tissue loss, but no ulcer is recorded.")
    d = entry.walk_distance_m
    if d is not None and f is Fontaine.IIA and d < fontaine_cutoff_m:
        found.append(f"Fontaine IIa means walking more than {fontaine_cutoff_m} m pain-free.")
    if d is not None and f is Fontaine.IIB and d >= fontaine_cutoff_m:
        found.append(f"Fontaine IIb means walking less than {fontaine_cutoff_m} m pain-free.")
    return tuple(found)
