"""What a visit refuses, what still blocks signing, and what only deserves a second look."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from slidesk.domain.errors import ValidationError
from slidesk.domain.followup.model import (
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
    area_to_ucm2,
)
from slidesk.domain.followup.vascular import Pressure, PressureFlag, PressureSite
from slidesk.domain.followup.visit_rules import blanks, validate, warnings

PROCEDURE = date(2026, 1, 10)
TODAY = date(2026, 8, 1)


def complete(**kwargs) -> VisitEntry:
    values = {
        "visit_date": date(2026, 7, 10),
        "vital_status": VitalStatus.ALIVE,
        "new_amputation": False,
        "rutherford": 4,
        "fontaine": Fontaine.III,
        "rest_pain": True,
        "vas_mm": 50,
        "ulcer_count": 0,
        "walk_distance_m": 120,
        "pressures": {site: Pressure(100) for site in PressureSite},
        "eq5d": Eq5d((1, 2, 3, 2, 1), 60),
        "eq5d_version": "EQ-5D-5L NL",
        "rand36": tuple([1] * 36),
        "rand36_version": "RAND-36 NL",
    }
    values.update(kwargs)
    return VisitEntry(**values)


def check(entry: VisitEntry, baseline: bool = False) -> None:
    validate(entry, baseline=baseline, procedure_date=PROCEDURE, today=TODAY)


def test_a_complete_visit_validates_and_has_no_blanks():
    check(complete())
    assert blanks(complete(), baseline=False) == ()


def test_a_blank_without_a_code_blocks_signing_and_a_code_clears_it():
    entry = complete(vas_mm=None, pressures={})
    assert "Pain (VAS)" in blanks(entry, baseline=False)
    assert "Toe pressure" in blanks(entry, baseline=False)
    coded = complete(
        vas_mm=None,
        pressures={},
        missing={Item.VAS: MissingReason.REFUSED}
        | {Item(site.value): MissingReason.NOT_DONE for site in PressureSite},
    )
    check(coded)
    assert blanks(coded, baseline=False) == ()


def test_a_value_and_a_code_together_are_refused():
    with pytest.raises(ValidationError, match="either a value or a reason"):
        check(complete(missing={Item.VAS: MissingReason.UNKNOWN}))


def test_a_visit_that_did_not_take_place_needs_nothing_else():
    entry = VisitEntry(visit_missing=MissingReason.LOST_TO_FOLLOW_UP)
    check(entry)
    assert blanks(entry, baseline=False) == ()
    with pytest.raises(ValidationError, match="did not take place"):
        check(VisitEntry(visit_missing=MissingReason.REFUSED, rutherford=3))


def test_after_a_death_only_vital_status_and_amputation_are_asked():
    died = VisitEntry(
        visit_date=date(2026, 7, 10),
        vital_status=VitalStatus.DIED,
        death_date=date(2026, 5, 2),
        death_cause="Myocardial infarction",
        new_amputation=False,
    )
    check(died)
    assert blanks(died, baseline=False) == ()
    with pytest.raises(ValidationError, match="died"):
        check(
            complete(vital_status=VitalStatus.DIED, death_date=date(2026, 5, 2), death_cause="MI")
        )


def test_death_needs_date_and_cause_within_the_follow_up():
    base = {
        "visit_date": date(2026, 7, 10),
        "vital_status": VitalStatus.DIED,
        "new_amputation": False,
    }
    with pytest.raises(ValidationError, match="date of death"):
        check(VisitEntry(**base, death_cause="MI"))
    with pytest.raises(ValidationError, match="cause of death"):
        check(VisitEntry(**base, death_date=date(2026, 5, 2)))
    with pytest.raises(ValidationError, match="before the procedure"):
        check(VisitEntry(**base, death_date=date(2025, 12, 2), death_cause="MI"))
    with pytest.raises(ValidationError, match="after the visit"):
        check(VisitEntry(**base, death_date=date(2026, 7, 11), death_cause="MI"))


def test_visit_dates_respect_the_procedure_and_today():
    with pytest.raises(ValidationError, match="future"):
        check(complete(visit_date=date(2026, 8, 2)))
    with pytest.raises(ValidationError, match="after the procedure"):
        check(complete(visit_date=PROCEDURE))
    with pytest.raises(ValidationError, match="before the procedure"):
        check(complete(vital_status=None, visit_date=date(2026, 1, 11)), baseline=True)
    check(complete(vital_status=None, visit_date=PROCEDURE), baseline=True)


def test_baseline_records_no_vital_status():
    with pytest.raises(ValidationError, match="baseline"):
        check(complete(visit_date=date(2026, 1, 5)), baseline=True)
    assert "Vital status" not in blanks(complete(vital_status=None), baseline=True)


def test_amputations_match_the_answer_and_dates():
    toe = Amputation(date(2026, 3, 1), AmputationLevel.TOE)
    check(complete(new_amputation=True, amputations=(toe,)))
    with pytest.raises(ValidationError, match="Add the amputation"):
        check(complete(new_amputation=True))
    with pytest.raises(ValidationError, match="answer 'Yes'"):
        check(complete(new_amputation=False, amputations=(toe,)))
    with pytest.raises(ValidationError, match="twice"):
        check(complete(new_amputation=True, amputations=(toe, toe)))
    early = Amputation(date(2025, 12, 1), AmputationLevel.RAY)
    with pytest.raises(ValidationError, match="predates the procedure"):
        check(complete(new_amputation=True, amputations=(early,)))


@pytest.mark.parametrize(
    ("level", "major"),
    [
        (AmputationLevel.TOE, False),
        (AmputationLevel.RAY, False),
        (AmputationLevel.TRANSMETATARSAL, False),
        (AmputationLevel.LISFRANC, False),
        (AmputationLevel.CHOPART, False),
        (AmputationLevel.BELOW_KNEE, True),
        (AmputationLevel.THROUGH_KNEE, True),
        (AmputationLevel.ABOVE_KNEE, True),
    ],
)
def test_major_or_minor_is_derived_from_the_level(level, major):
    assert Amputation(date(2026, 3, 1), level).is_major is major


def test_ulcers_count_matches_the_list_and_areas_are_exact():
    ulcer = Ulcer(UlcerLocation.HEEL, area_ucm2=area_to_ucm2("1.25"))
    assert ulcer.area_cm2 == Decimal("1.25")
    check(complete(ulcer_count=1, ulcers=(ulcer,)))
    with pytest.raises(ValidationError, match="differs"):
        check(complete(ulcer_count=2, ulcers=(ulcer,)))
    no_area = Ulcer(UlcerLocation.TOES)
    assert "Ulcer 1: area" in blanks(complete(ulcer_count=1, ulcers=(no_area,)), baseline=False)
    with pytest.raises(ValidationError, match="describe the location"):
        check(complete(ulcer_count=1, ulcers=(Ulcer(UlcerLocation.OTHER, area_ucm2=10),)))
    with pytest.raises(ValidationError, match="more than 2 decimals"):
        area_to_ucm2("1.255")
    with pytest.raises(ValidationError, match="impossible"):
        area_to_ucm2("0")


def test_scales_and_distances_are_range_checked():
    with pytest.raises(ValidationError, match="Rutherford category 7"):
        check(complete(rutherford=7))
    with pytest.raises(ValidationError, match="0–100 mm"):
        check(complete(vas_mm=101))
    with pytest.raises(ValidationError, match="not both"):
        check(complete(walk_unable=UnableToWalk.WHEELCHAIR))
    with pytest.raises(ValidationError, match="level 6"):
        check(complete(eq5d=Eq5d((1, 1, 6, 1, 1), 50)))
    with pytest.raises(ValidationError, match="version"):
        check(complete(rand36_version=None))


def test_non_compressible_pressure_is_an_answer_not_a_blank():
    entry = complete(
        pressures={s: Pressure(flag=PressureFlag.NON_COMPRESSIBLE) for s in PressureSite}
    )
    check(entry)
    assert blanks(entry, baseline=False) == ()


def test_warnings_point_at_unusual_combinations_without_blocking():
    found = warnings(complete(rutherford=2, fontaine=Fontaine.IV, rest_pain=True))
    assert any("Fontaine IV" in w for w in found)
    assert any("Rest pain" in w for w in found)
    assert warnings(complete()) == ()
    assert any(
        "IIb" in w
        for w in warnings(
            complete(rutherford=3, fontaine=Fontaine.IIB, rest_pain=False, walk_distance_m=250)
        )
    )
