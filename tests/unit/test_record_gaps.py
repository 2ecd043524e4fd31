"""Gaps in the sedation record (DECISIONS.md): what the review lists for a signer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slidesk.domain.procedure.record_gaps import Gap, GapKind, SedationTimeline, sedation_gaps

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def timeline(**changes: object) -> SedationTimeline:
    values: dict[str, object] = {
        "first_injection_at": at(5),
        "vitals_at": (at(0), at(4), at(9), at(14), at(19)),
        "scores_at": (at(0),),
        "sedative_doses_at": (at(2),),
        "aldrete": ((at(20), True),),
        "completed_at": at(18),
        "vitals_interval": timedelta(minutes=5),
    }
    values.update(changes)
    return SedationTimeline(**values)  # type: ignore[arg-type]


def test_a_complete_record_has_no_gap() -> None:
    assert sedation_gaps(timeline()) == ()


def test_no_baseline_and_no_score_before_the_first_injection() -> None:
    gaps = sedation_gaps(timeline(vitals_at=(at(6), at(9), at(14), at(19)), scores_at=(at(6),)))
    kinds = [g.kind for g in gaps]
    assert kinds[:2] == [GapKind.NO_BASELINE_VITALS, GapKind.NO_SCORE_BEFORE_FIRST_INJECTION]


def test_a_stretch_longer_than_the_interval_and_its_grace_while_sedated() -> None:
    gaps = sedation_gaps(timeline(vitals_at=(at(0), at(4), at(16), at(19))))
    assert gaps == (Gap(GapKind.NO_VITALS_WHILE_SEDATED, at(4), at(16)),)
    assert gaps[0].minutes == 12
    # Six minutes is the interval plus its minute of grace: not yet a gap.
    assert sedation_gaps(timeline(vitals_at=(at(0), at(4), at(10), at(14), at(19)))) == ()


def test_sedation_runs_from_the_first_dose_to_discharge() -> None:
    # Vital signs stop 1 min after discharge is met: nothing after it is a gap.
    assert (
        sedation_gaps(timeline(aldrete=((at(15), True),), vitals_at=(at(0), at(4), at(9), at(14))))
        == ()
    )
    # Without a discharge score, the stretch runs until the procedure was completed.
    gaps = sedation_gaps(timeline(aldrete=(), vitals_at=(at(0), at(4), at(9)), completed_at=at(30)))
    assert Gap(GapKind.NO_VITALS_WHILE_SEDATED, at(9), at(30)) in gaps
    assert gaps[-1] == Gap(GapKind.NO_ALDRETE)


def test_no_sedative_means_no_sedated_stretch() -> None:
    gaps = sedation_gaps(timeline(sedative_doses_at=(), vitals_at=(at(0),)))
    assert all(g.kind is not GapKind.NO_VITALS_WHILE_SEDATED for g in gaps)


def test_an_aldrete_below_the_discharge_criterion_is_listed() -> None:
    gaps = sedation_gaps(timeline(aldrete=((at(20), False),)))
    assert GapKind.DISCHARGE_NOT_MET in [g.kind for g in gaps]
