"""The sedation state at each injected site: derived from the timed entries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from slidesk.domain.sedation.site import (
    GivenDose,
    Injection,
    Score,
    score_is_stale,
    sedation_at,
    sedation_at_sites,
)

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
FIVE = timedelta(minutes=5)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def states(injections, scores=(), doses=(), drugs=("fentanyl", "midazolam")):
    return sedation_at_sites(injections, scores, doses, drugs=drugs, score_interval=FIVE)


def test_the_latest_score_at_or_before_the_injection_counts() -> None:
    (state,) = states(
        [Injection(3, at(10))],
        [Score(at(2), "MOAA/S", 5), Score(at(8), "MOAA/S", 4), Score(at(11), "MOAA/S", 3)],
    )
    assert state.score == Score(at(8), "MOAA/S", 4)
    assert state.score_age == timedelta(minutes=2)
    assert not state.stale


def test_a_score_taken_at_the_same_moment_counts_as_before() -> None:
    (state,) = states([Injection(1, at(10))], [Score(at(10), "MOAA/S", 4)])
    assert state.score_age == timedelta(0)


def test_a_score_older_than_the_interval_is_stale_and_exactly_the_interval_is_not() -> None:
    on_time, late = states(
        [Injection(1, at(5)), Injection(2, at(5.5))], [Score(at(0), "MOAA/S", 5)]
    )
    assert not on_time.stale
    assert late.stale


def test_without_any_score_the_site_is_stale() -> None:
    (state,) = states([Injection(1, at(1))])
    assert state.score is None
    assert state.score_age is None
    assert state.stale


def test_cumulative_doses_count_each_drug_given_up_to_the_injection() -> None:
    doses = [
        GivenDose(at(0), "fentanyl", 50_000),
        GivenDose(at(1), "midazolam", 1_000_000),
        GivenDose(at(4), "fentanyl", 25_000),
        GivenDose(at(4), "naloxone", 100_000),  # not tracked
        GivenDose(at(9), "fentanyl", 25_000),  # after the first injection
    ]
    first, second = states([Injection(7, at(9)), Injection(5, at(4))], doses=doses)
    assert first.site_no == 5  # in the order the injections happened
    assert first.cumulative == (("fentanyl", 75_000), ("midazolam", 1_000_000))
    assert second.cumulative == (("fentanyl", 100_000), ("midazolam", 1_000_000))


def test_the_state_at_a_moment_is_what_an_injection_then_would_be_given_under() -> None:
    scores = [Score(at(0), "MOAA/S", 5), Score(at(3), "MOAA/S", 4), Score(at(12), "MOAA/S", 3)]
    doses = [GivenDose(at(1), "fentanyl", 50_000), GivenDose(at(11), "fentanyl", 25_000)]
    state = sedation_at(at(8), scores, doses, drugs=("fentanyl",), score_interval=FIVE)
    assert state.score == Score(at(3), "MOAA/S", 4)
    assert state.score_age == timedelta(minutes=5)
    assert not state.stale  # exactly the interval: still current
    assert state.cumulative == (("fentanyl", 50_000),)
    (site,) = states([Injection(2, at(8))], scores, doses, drugs=("fentanyl",))
    assert (site.score, site.score_age, site.stale, site.cumulative) == (
        state.score,
        state.score_age,
        state.stale,
        state.cumulative,
    )


def test_a_score_is_stale_when_missing_or_older_than_the_interval() -> None:
    assert score_is_stale(None, FIVE)
    assert not score_is_stale(FIVE, FIVE)
    assert score_is_stale(FIVE + timedelta(seconds=1), FIVE)
