"""The screens' read of sedation per site: each injected site's state, and the state now."""

from __future__ import annotations

from datetime import timedelta

from slidesk.services.record.sedation import site_sedation_state


def test_the_state_now_carries_the_latest_score_and_the_totals_and_ages_with_the_clock(
    team,
) -> None:
    view = team.started_procedure()
    scored_at = team.clock.now() + timedelta(seconds=20)
    team.chart_sedation(view.id)  # MOAA/S 5 and fentanyl 50 µg
    view = team.inject(view.id, view.next_site_no, "1")
    site_no = view.entries[-1].site_no

    state = site_sedation_state(
        uow=team.uow, clock=team.clock, actor=team.operator, procedure_id=view.id
    )

    now = state.so_far
    assert (now.score, now.score_at, now.scale) == (5, scored_at, "MOAA/S")
    assert [(d.drug_name, d.text) for d in now.drugs] == [
        ("Fentanyl", "50 µg"),
        ("Midazolam", "0 mg"),
    ]
    assert not now.stale(team.clock.now())
    later = scored_at + timedelta(minutes=now.score_interval_minutes, seconds=1)
    assert now.stale(later)
    assert now.score_age(later) == timedelta(minutes=5, seconds=1)
    at_site = state.site(site_no)
    assert at_site is not None
    assert (at_site.score, at_site.score_at, at_site.stale) == (5, scored_at, False)
    assert state.site(site_no + 100) is None


def test_before_any_score_the_state_now_is_stale(team) -> None:
    view = team.started_procedure()
    state = site_sedation_state(
        uow=team.uow, clock=team.clock, actor=team.operator, procedure_id=view.id
    )
    assert state.sites == ()
    assert state.so_far.score is None
    assert state.so_far.stale(team.clock.now())
