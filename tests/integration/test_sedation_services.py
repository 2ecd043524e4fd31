"""The nurse's record through the services: doses, limits, vitals, AEs, permissions, signing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from slidesk.domain.errors import PermissionDenied, ReasonRequired, StateError, ValidationError
from slidesk.domain.sedation.adverse_events import ActionTaken, Grade, Outcome, SeriousCriterion
from slidesk.domain.sedation.doses import LimitState
from slidesk.domain.sedation.events import Intervention, SedationEventKind
from slidesk.domain.sedation.timing import DueState
from slidesk.domain.sedation.vitals import AlarmKind
from slidesk.services.audit.timeline import TimelineKind, get_timeline
from slidesk.services.sedation import adverse_events as aes
from slidesk.services.sedation import monitoring as mon
from slidesk.services.sedation import service as sedation
from slidesk.services.sedation.dto import SedationEntryType


def _audit_count(team) -> int:
    with team.uow.read() as tx:
        return tx.audit.count()


def _dose(team, pid, drug="fentanyl", amount="25", unit="ug", **kw):
    return sedation.record_dose(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=pid,
        drug_key=drug,
        amount=amount,
        unit_code=unit,
        **kw,
    )


def _sign(team, pid) -> None:
    with team.uow.begin(actor=team.operator, clock=team.clock) as tx:
        row = tx.procedures.get(pid)
        tx.change(row, event_type="procedure.signed", reason="signed in test", status="signed")
        tx.commit()


def _ae(team, pid, actor=None, **kw):
    params = {
        "term": "Injection-site haematoma",
        "onset_at": team.clock.now(),
        "grade": Grade.MILD,
        "related_product": "unlikely",
        "related_procedure": "definite",
        "related_sedation": "unrelated",
        "expectedness": "expected",
    }
    params.update(kw)
    return aes.record_adverse_event(
        uow=team.uow, clock=team.clock, actor=actor or team.nurse, procedure_id=pid, **params
    )


def test_dose_typed_in_mg_must_be_confirmed_as_micrograms_before_it_is_charted(team) -> None:
    pid = team.started_procedure().id
    before = _audit_count(team)
    with pytest.raises(sedation.DoseConfirmationRequired) as refused:
        _dose(team, pid, amount="0.05", unit="mg")
    assert refused.value.preview.text == "50 µg"
    assert _audit_count(team) == before
    record = _dose(
        team, pid, amount="0.05", unit="mg", confirmed_nano=refused.value.preview.dose.nano
    )
    dose = record.live_doses[0]
    assert (dose.text, dose.entered_text) == ("50 µg", "0.05 mg")
    assert dose.performer.full_name == "Nina Nurse"


def test_cumulative_totals_warn_and_stop_at_the_protocol_limits(team) -> None:
    pid = team.started_procedure().id
    record = _dose(team, pid, amount="50")
    assert record.total("fentanyl").state is LimitState.OK
    preview = sedation.preview_dose(
        uow=team.uow,
        actor=team.nurse,
        procedure_id=pid,
        drug_key="fentanyl",
        amount="50",
        unit_code="ug",
    )
    assert preview.at_or_over_warning
    assert "warning at 100 µg" in " ".join(preview.messages)
    record = _dose(team, pid, amount="50")
    assert record.total("fentanyl").state is LimitState.WARNING
    assert record.total("fentanyl").total_text == "100 µg"
    record = _dose(team, pid, amount="50")
    record = _dose(team, pid, amount="50")
    assert record.total("fentanyl").state is LimitState.AT_MAX
    before = _audit_count(team)
    with pytest.raises(sedation.DoseReasonRequired, match="above the protocol maximum"):
        _dose(team, pid, amount="25")
    assert _audit_count(team) == before
    record = _dose(team, pid, amount="25", limit_reason="Severe pain, anaesthetist consulted")
    assert record.total("fentanyl").state is LimitState.OVER_MAX
    assert record.live_doses[-1].over_cumulative_max
    with team.uow.read() as tx:
        types = [a.event_type for a in tx.audit.for_procedure(pid)]
    assert "sedation.limit_override" in types


def test_single_dose_above_single_max_needs_a_reason(team) -> None:
    pid = team.started_procedure().id
    with pytest.raises(ReasonRequired, match="single dose"):
        _dose(team, pid, drug="midazolam", amount="2", unit="mg")
    record = _dose(team, pid, drug="midazolam", amount="2", unit="mg", limit_reason="Agitation")
    assert record.live_doses[0].over_single_max
    assert record.live_doses[0].limit_reason == "Agitation"


def test_other_drug_is_charted_under_its_typed_name_and_unit(team) -> None:
    pid = team.started_procedure().id
    record = _dose(team, pid, drug="other", amount="1", unit="g", other_name="Paracetamol")
    total = record.total("other")
    assert (total.drug_name, total.total_text) == ("Paracetamol", "1 g")
    with pytest.raises(ValidationError, match="Drug name is required"):
        _dose(team, pid, drug="other", amount="1", unit="g")


def test_a_late_entry_is_marked_late_and_future_times_are_refused(team) -> None:
    pid = team.started_procedure().id
    team.clock.advance(minutes=30)
    record = _dose(team, pid, given_at=team.clock.now() - timedelta(minutes=20))
    assert record.live_doses[0].late
    with pytest.raises(ValidationError, match="future"):
        _dose(team, pid, given_at=team.clock.now() + timedelta(minutes=10))


def test_operator_cannot_record_sedation_and_nothing_is_written(team) -> None:
    pid = team.started_procedure().id
    before = _audit_count(team)
    with pytest.raises(PermissionDenied, match="record sedation"):
        sedation.record_dose(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            procedure_id=pid,
            drug_key="fentanyl",
            amount="25",
            unit_code="ug",
        )
    with pytest.raises(PermissionDenied):
        mon.record_vitals(
            uow=team.uow, clock=team.clock, actor=team.operator, procedure_id=pid, hr=70
        )
    assert _audit_count(team) == before
    assert (
        sedation.get_sedation(
            uow=team.uow, clock=team.clock, actor=team.operator, procedure_id=pid
        ).doses
        == ()
    )


def test_signed_procedure_refuses_every_sedation_entry(team) -> None:
    pid = team.started_procedure().id
    record = _dose(team, pid)
    _sign(team, pid)
    before = _audit_count(team)
    with pytest.raises(StateError, match="signed"):
        _dose(team, pid)
    with pytest.raises(StateError, match="signed"):
        mon.record_vitals(uow=team.uow, clock=team.clock, actor=team.nurse, procedure_id=pid, hr=70)
    with pytest.raises(StateError, match="signed"):
        sedation.void_entry(
            uow=team.uow,
            clock=team.clock,
            actor=team.nurse,
            entry_type=SedationEntryType.DOSE,
            entry_id=record.doses[0].id,
            reason="wrong",
        )
    with pytest.raises(StateError, match="signed"):
        _ae(team, pid)
    assert _audit_count(team) == before


def test_corrections_need_a_reason_and_are_audited_with_old_and_new(team) -> None:
    pid = team.started_procedure().id
    record = _dose(team, pid, amount="25")
    dose_id = record.doses[0].id
    with pytest.raises(ValidationError):
        sedation.correct_dose(
            uow=team.uow,
            clock=team.clock,
            actor=team.nurse,
            dose_id=dose_id,
            reason=" ",
            amount="50",
            unit_code="ug",
        )
    record = sedation.correct_dose(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        dose_id=dose_id,
        reason="Typed the wrong increment",
        amount="50",
        unit_code="ug",
    )
    assert record.total("fentanyl").total_text == "50 µg"
    with team.uow.read() as tx:
        entry = tx.audit.for_entity("sedation_doses", str(dose_id))[-1]
    assert entry.reason == "Typed the wrong increment"
    assert '"amount_nano":[25000,50000]' in entry.changes
    record = sedation.void_entry(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        entry_type=SedationEntryType.DOSE,
        entry_id=dose_id,
        reason="Charted for the wrong patient",
    )
    assert record.total("fentanyl").total_text == "0 µg"
    assert record.doses[0].voided


def test_vitals_flag_alarms_and_refuse_impossible_values(team) -> None:
    pid = team.started_procedure().id
    with pytest.raises(ValidationError, match="cannot exceed 100"):
        mon.record_vitals(
            uow=team.uow, clock=team.clock, actor=team.nurse, procedure_id=pid, spo2=101
        )
    record = mon.record_vitals(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=pid,
        hr=72,
        systolic=135,
        diastolic=80,
        spo2=97,
        rr=14,
        sedation_score=5,
    )
    assert record.vitals[0].baseline
    assert record.vitals[0].sedation_scale == "MOAA/S"
    team.clock.advance(minutes=5)
    record = mon.record_vitals(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=pid,
        spo2=87,
        hr=48,
    )
    latest = record.vitals[-1]
    assert not latest.baseline
    assert {a.kind for a in latest.alarms} == {AlarmKind.SPO2_LOW, AlarmKind.HR_LOW}
    assert latest.alarmed("spo2")


def test_vitals_due_reminder_follows_the_protocol_interval(team) -> None:
    pid = team.started_procedure().id
    record = sedation.get_sedation(
        uow=team.uow, clock=team.clock, actor=team.nurse, procedure_id=pid
    )
    assert record.due.state is DueState.BASELINE
    record = mon.record_vitals(
        uow=team.uow, clock=team.clock, actor=team.nurse, procedure_id=pid, hr=70
    )
    assert record.due.state is DueState.NOT_DUE
    later = team.clock.now() + timedelta(minutes=7)
    assert sedation.vitals_due(record=record, now=later).state is DueState.OVERDUE


def test_reversal_agent_is_highlighted_and_an_intervention_is_a_sedation_event(team) -> None:
    pid = team.started_procedure().id
    record = _dose(team, pid, drug="naloxone", amount="100")
    reversal = record.live_doses[0]
    assert reversal.is_reversal
    record = mon.record_sedation_event(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=pid,
        kind=SedationEventKind.DESATURATION,
        interventions=[Intervention.CHIN_LIFT, Intervention.OXYGEN_INCREASED],
        outcome="SpO2 back to 96 %",
        dose_id=reversal.id,
    )
    assert record.events[0].summary == "Desaturation → chin lift, oxygen increased"


def test_recovery_shows_whether_the_discharge_score_is_met(team) -> None:
    from slidesk.domain.sedation.recovery import Aldrete

    pid = team.started_procedure().id
    record = mon.record_recovery(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=pid,
        scores=Aldrete(2, 2, 1, 1, 1),
    )
    assert not record.discharge_met
    record = mon.record_recovery(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=pid,
        scores=Aldrete(2, 2, 2, 2, 1),
    )
    assert record.discharge_met
    assert record.latest_recovery.total == 9


def test_serious_ae_gets_a_24_hour_deadline_from_first_knowledge(team) -> None:
    pid = team.started_procedure().id
    known = team.clock.now()
    ae = _ae(
        team,
        pid,
        actor=team.operator,
        term="Hypotension",
        grade=Grade.SEVERE,
        serious=True,
        criteria={SeriousCriterion.HOSPITALISATION},
        first_known_at=known,
    )
    assert ae.sae_due_at == known + timedelta(hours=24)
    assert ae.reporter.full_name == "Olga Operator"


def test_grade_five_ae_is_recorded_as_serious_even_if_unticked(team) -> None:
    pid = team.started_procedure().id
    ae = _ae(
        team,
        pid,
        term="Cardiac arrest",
        grade=5,
        outcome=Outcome.FATAL,
        resolved_at=team.clock.now(),
    )
    assert ae.serious
    assert SeriousCriterion.DEATH in ae.criteria
    assert ae.sae_due_at is not None


def test_ae_follow_up_is_an_audited_change_with_a_reason(team) -> None:
    pid = team.started_procedure().id
    ae = _ae(team, pid, site_nos="3, 5", action_taken=ActionTaken.LOCAL_TREATMENT)
    assert ae.site_nos == (3, 5)
    assert ae.related_any
    team.clock.advance(hours=2)
    with pytest.raises(ValidationError):
        aes.follow_up_adverse_event(
            uow=team.uow,
            clock=team.clock,
            actor=team.nurse,
            ae_id=ae.id,
            reason="",
            outcome=Outcome.RECOVERED,
        )
    updated = aes.follow_up_adverse_event(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        ae_id=ae.id,
        reason="Checked before discharge",
        outcome=Outcome.RECOVERED,
        resolved_at=team.clock.now(),
    )
    assert updated.outcome is Outcome.RECOVERED
    with team.uow.read() as tx:
        entry = tx.audit.for_entity("adverse_events", str(ae.id))[-1]
    assert entry.event_type == "ae.followed_up"
    assert entry.reason == "Checked before discharge"


def test_monitor_cannot_record_an_ae(team) -> None:
    pid = team.started_procedure().id
    before = _audit_count(team)
    with pytest.raises(PermissionDenied):
        _ae(team, pid, actor=team.monitor)
    assert _audit_count(team) == before


def test_timeline_lists_everything_in_order_and_filters_by_kind(team) -> None:
    view = team.started_procedure()
    pid = view.id
    mon.record_vitals(uow=team.uow, clock=team.clock, actor=team.nurse, procedure_id=pid, hr=70)
    team.clock.advance(minutes=1)
    _dose(team, pid)
    team.inject(pid, view.sites[0].number, "1")
    team.clock.advance(minutes=1)
    _ae(team, pid, site_nos=str(view.sites[0].number))
    timeline = get_timeline(uow=team.uow, clock=team.clock, actor=team.operator, procedure_id=pid)
    kinds = [i.kind for i in timeline.items]
    assert kinds.index(TimelineKind.VITALS) < kinds.index(TimelineKind.DOSE)
    assert kinds.index(TimelineKind.DOSE) < kinds.index(TimelineKind.INJECTION)
    assert kinds.index(TimelineKind.INJECTION) < kinds.index(TimelineKind.ADVERSE_EVENT)
    assert TimelineKind.STATUS in kinds
    only = get_timeline(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=pid,
        kinds=[TimelineKind.DOSE],
    )
    assert [i.title for i in only.items] == ["Fentanyl 25 µg"]
    assert [i.title for i in timeline.items if i.kind is TimelineKind.DOSE] == ["Fentanyl 25 µg"]


def test_migration_0003_matches_the_sedation_rows(db) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from slidesk.persistence.rows.core import Base
    from slidesk.persistence.rows.sedation import SEDATION_ROWS

    mine = {cls.__tablename__ for cls in SEDATION_ROWS}
    with db.uow.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    ours = [d for d in diff if mine & {_name(x) for x in _flatten(d)}]
    assert ours == []


def _flatten(item):
    if isinstance(item, tuple | list):
        for x in item:
            yield from _flatten(x)
    else:
        yield item
        table = getattr(item, "table", None)
        if table is not None:
            yield table


def _name(x):
    return x if isinstance(x, str) else getattr(x, "name", None)


def test_record_gaps_name_what_a_finished_procedure_lacks(team) -> None:
    pid = team.started_procedure().id

    def gaps():  # type: ignore[no-untyped-def]
        record = sedation.get_sedation(
            uow=team.uow, clock=team.clock, actor=team.monitor, procedure_id=pid
        )
        return sedation.record_gaps(record)

    assert gaps() == ("no vital signs recorded", "no analgesia charted")
    mon.record_vitals(
        uow=team.uow, clock=team.clock, actor=team.nurse, procedure_id=pid, hr=72, spo2=97
    )
    assert gaps()[0].startswith("no sedation score")
    mon.record_vitals(
        uow=team.uow, clock=team.clock, actor=team.nurse, procedure_id=pid, sedation_score=0
    )
    _dose(team, pid)
    assert gaps() == ()


def test_a_flow_of_zero_stops_the_oxygen_audited_and_on_the_timeline(team) -> None:
    from slidesk.domain.sedation.oxygen import OxygenDevice

    pid = team.started_procedure().id
    sedation.record_oxygen(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=pid,
        device=OxygenDevice.NASAL_CANNULA,
        flow_l_min="2",
    )
    team.clock.advance(minutes=5)
    before = _audit_count(team)
    record = sedation.record_oxygen(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=pid,
        device=OxygenDevice.NASAL_CANNULA,
        flow_l_min="0",
    )
    assert _audit_count(team) == before + 1
    assert record.current_oxygen.device is OxygenDevice.ROOM_AIR
    assert record.current_oxygen.text == "Room air (oxygen stopped)"
    timeline = get_timeline(
        uow=team.uow,
        actor=team.nurse,
        clock=team.clock,
        procedure_id=pid,
        kinds=[TimelineKind.OXYGEN],
    )
    assert [i.detail for i in timeline.items][-1] == "Room air (oxygen stopped)"


def test_aldrete_spo2_on_room_air_is_refused_while_oxygen_runs(team) -> None:
    from slidesk.domain.sedation.oxygen import OxygenDevice
    from slidesk.domain.sedation.recovery import Aldrete

    pid = team.started_procedure().id
    sedation.record_oxygen(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=pid,
        device=OxygenDevice.NASAL_CANNULA,
        flow_l_min="2",
    )
    team.clock.advance(minutes=5)
    before = _audit_count(team)
    with pytest.raises(ValidationError, match=r"oxygen is charted \(2 L/min, Nasal cannula\)"):
        mon.record_recovery(
            uow=team.uow,
            clock=team.clock,
            actor=team.nurse,
            procedure_id=pid,
            scores=Aldrete(2, 2, 2, 2, 2),
        )
    assert _audit_count(team) == before
    record = mon.record_recovery(  # needs O2 to keep > 90 %: consistent, saved
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=pid,
        scores=Aldrete(2, 2, 2, 2, 1),
    )
    assert record.latest_recovery.total == 9
    sedation.record_oxygen(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=pid,
        device=OxygenDevice.ROOM_AIR,
    )
    team.clock.advance(minutes=5)
    record = mon.record_recovery(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=pid,
        scores=Aldrete(2, 2, 2, 2, 2),
    )
    assert record.latest_recovery.total == 10
