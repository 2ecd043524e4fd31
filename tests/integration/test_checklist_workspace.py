"""Site quick-flags and syringe reconciliation (issued = injected + partial + returned + wasted)."""

from __future__ import annotations

import pytest

from slidesk.domain.errors import ConflictError, ReasonRequired, StateError, ValidationError
from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.procedure.syringe import SyringeDisposition
from slidesk.services.procedure import completion, workspace
from slidesk.services.signing import service as signing
from tests.conftest import NOT_CHARTED


def test_a_flag_is_recorded_audited_and_can_be_withdrawn_with_a_reason(team) -> None:
    view = team.started_procedure()
    team.inject(view.id, view.next_site_no, "1")
    flag = workspace.flag_site(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=view.id,
        site_no=1,
        flag="bleeding",
    )
    assert flag.site_no == 1
    assert flag.recorder.full_name == "Nina Nurse"
    assert [
        f.flag for f in workspace.list_flags(uow=team.uow, actor=team.monitor, procedure_id=view.id)
    ] == ["bleeding"]
    workspace.void_flag(
        uow=team.uow, clock=team.clock, actor=team.nurse, flag_id=flag.id, reason="wrong site"
    )
    assert workspace.list_flags(uow=team.uow, actor=team.monitor, procedure_id=view.id) == ()
    with team.uow.read() as tx:
        events = [a.event_type for a in tx.audit.for_procedure(view.id)]
    assert "site.flagged" in events
    assert "site.flag_withdrawn" in events


def test_unknown_flags_and_other_without_note_are_refused(team) -> None:
    view = team.started_procedure()
    common = {"uow": team.uow, "clock": team.clock, "actor": team.nurse, "procedure_id": view.id}
    with pytest.raises(ValidationError, match="not a site flag"):
        workspace.flag_site(**common, site_no=1, flag="itching")
    with pytest.raises(ValidationError, match="needs a note"):
        workspace.flag_site(**common, site_no=1, flag="other")
    with pytest.raises(ValidationError, match="no site 99"):
        workspace.flag_site(**common, site_no=99, flag="bleeding")


def test_reconciliation_balances_injected_partial_returned_and_wasted(team) -> None:
    view = team.started_procedure()
    pid = view.id
    order = [s.number for s in view.sites]
    for n, site in enumerate(order[:27], start=1):
        kwargs = {}
        if n == 3:
            kwargs = {"volume_ml": "0.6", "deviation_reason": "Patient moved; stopped early"}
        team.inject(pid, site, str(n), **kwargs)
    state = workspace.get_reconciliation(uow=team.uow, actor=team.monitor, procedure_id=pid)
    assert len(state.issued) == 30
    assert len(state.injected) == 26
    assert [p.syringe_label for p in state.partial] == ["SAIL-K001-03"]
    assert state.unaccounted == ("SAIL-K001-28", "SAIL-K001-29", "SAIL-K001-30")
    assert not state.balanced
    common = {"uow": team.uow, "clock": team.clock, "actor": team.operator, "procedure_id": pid}
    workspace.record_disposition(
        **common, syringes=["28", "SAIL-K001-29"], disposition=SyringeDisposition.RETURNED
    )
    state = workspace.record_disposition(
        **common, syringes=["30"], disposition=SyringeDisposition.WASTED, note="Dropped"
    )
    assert state.returned == ("SAIL-K001-28", "SAIL-K001-29")
    assert state.wasted == ("SAIL-K001-30",)
    assert state.balanced


def test_an_injected_or_already_disposed_or_foreign_syringe_is_refused(team) -> None:
    view = team.started_procedure()
    team.inject(view.id, view.next_site_no, "1")
    common = {
        "uow": team.uow,
        "clock": team.clock,
        "actor": team.operator,
        "procedure_id": view.id,
        "disposition": SyringeDisposition.RETURNED,
    }
    with pytest.raises(ConflictError, match="injected at site"):
        workspace.record_disposition(**common, syringes=["1"])
    workspace.record_disposition(**common, syringes=["2"])
    with pytest.raises(ConflictError, match="already recorded"):
        workspace.record_disposition(**common, syringes=["2"])
    with pytest.raises(ConflictError, match="WRONG KIT"):
        workspace.record_disposition(**common, syringes=["SAIL-K002-05"])
    with pytest.raises(ValidationError, match="how the syringe was wasted"):
        workspace.record_disposition(
            **{**common, "disposition": SyringeDisposition.WASTED}, syringes=["3"]
        )


def test_a_syringe_recorded_as_returned_or_wasted_cannot_be_injected(team) -> None:
    view = team.started_procedure()
    common = {"uow": team.uow, "clock": team.clock, "actor": team.operator, "procedure_id": view.id}
    workspace.record_disposition(**common, syringes=["4"], disposition=SyringeDisposition.RETURNED)
    state = workspace.record_disposition(
        **common, syringes=["5"], disposition=SyringeDisposition.WASTED, note="Seal broken"
    )
    with team.uow.read() as tx:
        before = tx.audit.count()
    for typed, what in (("4", "unused / returned"), ("SAIL-K001-05", "wasted")):
        with pytest.raises(ConflictError, match=f"SAIL-K001-0{typed[-1]} is recorded as {what}"):
            team.inject(view.id, view.next_site_no, typed)
    with team.uow.read() as tx:
        assert tx.audit.count() == before  # nothing written by the refusals

    # Withdrawn with a reason, the syringe can be used after all.
    wasted = next(d for d in state.dispositions if d.syringe_label == "SAIL-K001-05")
    workspace.void_disposition(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        disposition_id=wasted.id,
        reason="Recorded on the wrong syringe",
    )
    after = team.inject(view.id, view.next_site_no, "5")
    assert [e.syringe_label for e in after.entries] == ["SAIL-K001-05"]


def test_withdrawn_disposition_makes_the_syringe_unaccounted_again(team) -> None:
    view = team.started_procedure()
    state = workspace.record_disposition(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        syringes=["5"],
        disposition=SyringeDisposition.RETURNED,
    )
    entry = state.dispositions[0]
    state = workspace.void_disposition(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        disposition_id=entry.id,
        reason="Syringe 5 was used after all",
    )
    assert "SAIL-K001-05" in state.unaccounted
    assert not state.returned


def test_flags_are_refused_once_the_procedure_is_completed(team) -> None:
    view = team.started_procedure()
    for n, site in enumerate(view.sites, start=1):
        team.inject(view.id, site.number, str(n))
    completion.complete_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        gaps_reason=NOT_CHARTED,
    )
    with pytest.raises(StateError):
        workspace.flag_site(
            uow=team.uow,
            clock=team.clock,
            actor=team.nurse,
            procedure_id=view.id,
            site_no=1,
            flag="haematoma",
        )


def _complete(team, procedure_id: int, **kwargs: object):  # type: ignore[no-untyped-def]
    return completion.complete_procedure(
        uow=team.uow, clock=team.clock, actor=team.operator, procedure_id=procedure_id, **kwargs
    )


def _all_but_last_two_injected(team):  # type: ignore[no-untyped-def]
    view = team.started_procedure()
    order = [s.number for s in view.sites]
    for n, site in enumerate(order[:28], start=1):
        view = team.inject(view.id, site, str(n))
    for site in order[28:]:
        view = team.skip(view.id, site)
    return view


def test_completion_needs_every_syringe_accounted_for_or_a_reason(team) -> None:
    view = _all_but_last_two_injected(team)
    with team.uow.read() as tx:
        before = tx.audit.count()
    with pytest.raises(
        ReasonRequired, match=r"2 syringes of kit SAIL-K001 .*: SAIL-K001-29, SAIL-K001-30"
    ):
        _complete(team, view.id)
    with team.uow.read() as tx:
        assert tx.audit.count() == before  # the refusal wrote nothing

    done = _complete(team, view.id, gaps_reason="Counted by the trial pharmacy")
    assert done.status is ProcedureStatus.COMPLETED
    with team.uow.read() as tx:
        completed = [
            a for a in tx.audit.for_procedure(view.id) if a.event_type.endswith("completed")
        ]
    assert [a.reason for a in completed] == [
        "procedure completed without: 2 syringes of kit SAIL-K001 not yet accounted for: "
        "SAIL-K001-29, SAIL-K001-30; sedation record: no vital signs recorded; "
        "sedation record: no analgesia charted — reason: Counted by the trial pharmacy"
    ]


def test_an_empty_sedation_record_needs_a_reason_too(team) -> None:
    view = team.started_procedure()
    for n, site in enumerate(view.sites, start=1):
        view = team.inject(view.id, site.number, str(n))
    with pytest.raises(ReasonRequired, match=r"no vital signs recorded; .*no analgesia charted"):
        _complete(team, view.id)
    team.chart_sedation(view.id)
    assert _complete(team, view.id).status is ProcedureStatus.COMPLETED


def test_a_reconciled_kit_completes_without_a_reason(team) -> None:
    view = _all_but_last_two_injected(team)
    workspace.record_disposition(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        syringes=["29", "30"],
        disposition=SyringeDisposition.RETURNED,
    )
    team.chart_sedation(view.id)
    assert (
        completion.get_completion_gaps(uow=team.uow, actor=team.monitor, procedure_id=view.id) == ()
    )
    assert _complete(team, view.id).status is ProcedureStatus.COMPLETED


def test_syringes_left_for_later_are_a_warning_the_signers_acknowledge(team) -> None:
    view = _all_but_last_two_injected(team)
    _complete(team, view.id, gaps_reason="Counted by the trial pharmacy")
    review = signing.review_for_signing(uow=team.uow, actor=team.operator, procedure_id=view.id)
    found = {f.code: f.message for f in review.warnings}
    assert found["syringes-unaccounted"] == (
        "2 syringe(s) of the kit are not accounted for (29, 30): neither injected nor "
        "recorded as returned or wasted."
    )


def test_a_skipped_site_takes_no_findings(team) -> None:
    view = team.started_procedure()
    first, second = view.sites[0].number, view.sites[1].number
    team.inject(view.id, first, "1")
    team.skip(view.id, second)
    with pytest.raises(ValidationError, match=f"Site {second} is not injected"):
        workspace.flag_site(
            uow=team.uow,
            clock=team.clock,
            actor=team.nurse,
            procedure_id=view.id,
            site_no=second,
            flag="bleeding",
        )
