"""The nurse's panel, AE form and timeline, driven as a person would (pytest-qt)."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from slidesk.demo.sedation import SedationCourse, populate
from slidesk.domain.sedation.doses import LimitState
from slidesk.domain.sedation.timing import DueState
from slidesk.services.audit.timeline import TimelineKind
from slidesk.services.sedation import service as sedation
from ui.nurse.ae_form import AdverseEventDialog
from ui.nurse.models import AdverseEventModel, DoseModel, EventModel, RecoveryModel, VitalsModel
from ui.nurse.panel import NursePanel
from ui.nurse.timeline import TimelineModel, TimelineView
from ui.session import BedsideSession

SHOTS = Path(os.environ.get("SLIDESK_SHOTS", "/tmp/shots"))
ZONE = ZoneInfo("Europe/Amsterdam")


def _grab(widget, name: str) -> None:
    """Render the widget (exercising every paint path); keep the PNG when SLIDESK_SHOTS is set."""
    QApplication.processEvents()  # let pending layout requests settle before rendering
    pixmap = widget.grab()
    assert not pixmap.isNull()
    if os.environ.get("SLIDESK_SHOTS") is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        pixmap.save(str(SHOTS / f"{name}.png"))


def _announced(panel: NursePanel):  # type: ignore[no-untyped-def]
    """The app's one notification: every saved entry is announced there."""
    return panel._context.changes.changed


@pytest.fixture
def bedside(team, context):
    session = BedsideSession(context)
    session.add(team.operator, make_active=False)
    session.add(team.nurse)
    view = team.started_procedure()
    return context, session, view


@pytest.fixture
def panel(bedside, qtbot):
    context, session, view = bedside
    widget = NursePanel(context, session)
    qtbot.addWidget(widget)
    widget.resize(480, 720)
    widget.set_procedure(view.id)
    widget.show()
    return widget


def test_quick_button_charts_the_increment_and_updates_the_total(panel, qtbot) -> None:
    med = panel.medication
    quick = [med.quick.itemAt(i).widget() for i in range(med.quick.count())]
    buttons = [b for b in quick if b is not None]
    assert [b.text() for b in buttons] == ["25 µg", "50 µg"]
    med.confirm = lambda parent, preview: (True, None)  # an opioid bolus is shown back first
    with qtbot.waitSignal(_announced(panel)):
        qtbot.mouseClick(buttons[1], Qt.MouseButton.LeftButton)
    assert panel.record.total("fentanyl").total_text == "50 µg"
    assert "Charted Fentanyl 50 µg" in med.message.text()


def test_dose_in_mg_is_confirmed_as_micrograms_before_charting(panel, qtbot) -> None:
    med = panel.medication
    shown = []
    med.confirm = lambda parent, preview: (shown.append(preview.text), (True, None))[1]
    med.amount.setText("0.05")
    med.unit.setCurrentIndex(med.unit.findData("mg"))
    with qtbot.waitSignal(_announced(panel)):
        qtbot.mouseClick(med.give, Qt.MouseButton.LeftButton)
    assert shown == ["50 µg"]
    assert panel.record.live_doses[0].entered_text == "0.05 mg"


def test_cancelled_confirmation_charts_nothing(panel, qtbot) -> None:
    med = panel.medication
    med.confirm = lambda parent, preview: (False, None)
    med.amount.setText("0.05")
    med.unit.setCurrentIndex(med.unit.findData("mg"))
    qtbot.mouseClick(med.give, Qt.MouseButton.LeftButton)
    assert med.message.text() == "Not charted."
    assert panel.record.doses == ()


def test_maximum_needs_a_reason_and_the_totals_strip_shows_the_state(panel, qtbot) -> None:
    med = panel.medication
    reasons = []

    def confirm(parent, preview):
        reasons.append(preview.needs_reason)
        return True, "Severe pain, approved by anaesthetist" if preview.needs_reason else None

    med.confirm = confirm
    for _ in range(5):
        med.amount.setText("50")
        with qtbot.waitSignal(_announced(panel)):
            med.give.click()
    assert reasons[-1] is True
    assert panel.record.total("fentanyl").state is LimitState.OVER_MAX
    labels = [panel.totals.itemAt(i).widget().text() for i in range(panel.totals.count())]
    assert any("OVER MAX" in text for text in labels)


def test_vitals_with_an_impossible_value_show_the_reason_and_save_nothing(panel, qtbot) -> None:
    vitals = panel.vitals
    vitals.spo2.setText("101")
    qtbot.mouseClick(vitals.save, Qt.MouseButton.LeftButton)
    assert "cannot exceed 100" in vitals.message.text()
    assert panel.record.vitals == ()


def test_alarming_vitals_are_saved_flagged_and_the_reminder_follows(panel, team, qtbot) -> None:
    assert panel.due.property("due_state") == DueState.BASELINE.value
    vitals = panel.vitals
    vitals.hr.setText("45")
    vitals.systolic.setText("120")
    vitals.diastolic.setText("70")
    vitals.spo2.setText("88")
    with qtbot.waitSignal(_announced(panel)):
        qtbot.mouseClick(vitals.save, Qt.MouseButton.LeftButton)
    assert "ALARM" in vitals.message.text()
    index = vitals.model.index(0, VitalsModel.Column.SPO2)
    assert vitals.model.data(index, Qt.ItemDataRole.BackgroundRole) is not None
    team.clock.advance(minutes=8)
    panel.timer.timeout.emit()
    assert panel.due.property("due_state") == DueState.OVERDUE.value
    assert "OVERDUE" in panel.due.text()


def test_reversal_agent_prompts_for_a_sedation_event(panel, qtbot) -> None:
    med = panel.medication
    med.drug.setCurrentIndex(med.drug.findData("naloxone"))
    med.amount.setText("100")
    with qtbot.waitSignal(med.reversal_given):
        med.give.click()
    assert panel.tabs.currentWidget() is panel.events
    assert panel.events.kind.currentText() == "Reversal given"
    panel.events.outcome.setText("Awake, breathing well")
    with qtbot.waitSignal(_announced(panel)):
        panel.events.save.click()
    assert panel.record.events[0].dose_id == panel.record.doses[0].id


def test_operator_sees_the_record_but_cannot_chart_sedation(panel, bedside, team) -> None:
    _context, session, _view = bedside
    session.switch_to(team.operator.user_id)
    assert not panel.medication.isEnabled()
    assert not panel.vitals.isEnabled()
    assert panel.events.add_ae.isEnabled()
    assert "sedation entries are made by the nurse" in panel.message.text()


def test_recovery_shows_the_discharge_score_met(panel, qtbot) -> None:
    recovery = panel.recovery
    for combo in recovery.items.values():  # nothing is pre-filled: every item is scored
        combo.setCurrentIndex(0)  # 2 points
    recovery.items["spo2"].setCurrentIndex(1)  # 1 point
    with qtbot.waitSignal(_announced(panel)):
        recovery.save.click()
    assert "MET" in recovery.status.text()
    assert panel.record.discharge_met


def test_serious_ae_form_shows_the_24_hour_notice_and_grade_5_forces_it(bedside, qtbot) -> None:
    context, session, view = bedside
    dialog = AdverseEventDialog.for_procedure(
        context, session, None, view.id, site_nos=(3,), show_error=pytest.fail
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.notice.isVisible()
    dialog.term.setCurrentText("Hypotension")
    dialog.grade.setCurrentIndex(2)
    dialog.serious.setChecked(True)
    assert dialog.notice.isVisible()
    assert "within 24 hours" in dialog.notice.text()
    dialog.grade.setCurrentIndex(4)
    assert dialog.serious.isChecked()
    assert not dialog.serious.isEnabled()
    dialog.grade.setCurrentIndex(2)
    dialog.criteria[next(iter(dialog.criteria))].setChecked(False)
    from slidesk.domain.sedation.adverse_events import SeriousCriterion

    dialog.criteria[SeriousCriterion.HOSPITALISATION].setChecked(True)
    dialog.outcome.setCurrentIndex(0)
    with qtbot.waitSignal(dialog.adverse_event_recorded) as saved:
        dialog.save_button.click()
    ae = saved.args[0]
    assert ae.serious
    assert ae.site_nos == (3,)
    assert ae.sae_due_at is not None


def test_ae_form_refuses_an_unknown_site_with_a_message(bedside, qtbot) -> None:
    context, session, view = bedside
    dialog = AdverseEventDialog.for_procedure(
        context, session, None, view.id, show_error=pytest.fail
    )
    qtbot.addWidget(dialog)
    dialog.term.setCurrentText("Injection-site pain")
    dialog.sites.setText("99")
    dialog.save_button.click()
    assert "no site 99" in dialog.message.text()
    assert dialog.saved is None


def test_ae_follow_up_changes_the_outcome_with_a_reason(panel, bedside, team, qtbot) -> None:
    from slidesk.domain.sedation.adverse_events import Outcome
    from ui.nurse.ae_followup import AdverseEventFollowUpDialog

    _context, _session, view = bedside
    SedationCourse(team.uow, team.clock, team.nurse, team.operator, view.id).finish()
    panel.refresh()
    events = panel.events
    events.aes_table.selectRow(0)
    seen: list[AdverseEventFollowUpDialog] = []

    def follow_up(dialog: AdverseEventFollowUpDialog) -> None:
        seen.append(dialog)
        dialog.outcome.setCurrentIndex(dialog.outcome.findData(Outcome.RECOVERED))
        dialog.buttons.accepted.emit()
        assert "reason" in dialog.message.text().lower()
        dialog.reason.setText("Haematoma gone at discharge check")
        dialog.buttons.accepted.emit()

    events.open_follow_up = follow_up
    with qtbot.waitSignal(_announced(panel)):
        events.follow_up.click()
    assert panel.record.adverse_events[0].outcome is Outcome.RECOVERED
    assert len(seen) == 1


def test_models_pass_the_model_tester_on_a_full_course(bedside, team, qtmodeltester) -> None:
    _context, _session, view = bedside
    populate(team.uow, team.clock, team.nurse, team.operator, view.id)
    record = sedation.get_sedation(
        uow=team.uow, clock=team.clock, actor=team.nurse, procedure_id=view.id
    )
    for model, rows in (
        (DoseModel(ZONE), record.doses),
        (VitalsModel(ZONE), record.vitals),
        (EventModel(ZONE), record.events),
        (AdverseEventModel(ZONE), record.adverse_events),
        (RecoveryModel(ZONE), record.recovery),
    ):
        model.set_rows(rows)
        qtmodeltester.check(model)
        assert model.rowCount() == len(rows) > 0


def test_timeline_view_filters_by_kind(bedside, team, qtbot, qtmodeltester) -> None:
    context, session, view = bedside
    populate(team.uow, team.clock, team.nurse, team.operator, view.id)
    widget = TimelineView(context, session)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.set_procedure(view.id)
    qtmodeltester.check(widget.model)
    kinds = {widget.model.row_at(i).kind for i in range(widget.model.rowCount())}
    assert {TimelineKind.DOSE, TimelineKind.VITALS, TimelineKind.ADVERSE_EVENT} <= kinds
    widget.filters["Medication"].setChecked(False)
    kinds = {widget.model.row_at(i).kind for i in range(widget.model.rowCount())}
    assert TimelineKind.DOSE not in kinds
    assert TimelineModel.HEADERS[0] == "Time"


def test_screens_for_review(bedside, team, qtbot) -> None:
    """Renders every screen mid-course and after it (SLIDESK_SHOTS=dir keeps the PNGs)."""
    context, session, view = bedside
    course = SedationCourse(team.uow, team.clock, team.nurse, team.operator, view.id)
    course.run_until(23)  # up to the third fentanyl dose, the desaturation among them
    team.clock.advance(minutes=9)  # vitals now overdue
    panel = NursePanel(context, session)
    qtbot.addWidget(panel)
    panel.resize(480, 740)
    panel.set_procedure(view.id)
    panel.show()
    assert panel.due.property("due_state") == DueState.OVERDUE.value
    for index, name in enumerate(("medication", "vitals", "events", "recovery")):
        panel.tabs.setCurrentIndex(index)
        _grab(panel, f"nurse_panel_{name}")
    course.finish()
    panel.refresh()
    panel.tabs.setCurrentIndex(3)
    _grab(panel, "nurse_panel_recovered")
    dialog = AdverseEventDialog.for_procedure(
        context, session, None, view.id, site_nos=(5,), show_error=pytest.fail
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.term.setCurrentText("Hypotension")
    dialog.serious.setChecked(True)
    _grab(dialog, "ae_form_serious")
    timeline = TimelineView(context, session)
    qtbot.addWidget(timeline)
    timeline.resize(1000, 640)
    timeline.set_procedure(view.id)
    timeline.show()
    _grab(timeline, "timeline")
    assert panel.record.discharge_met


def test_vitals_save_on_ctrl_s_and_on_alt_s(panel, qtbot) -> None:
    vitals = panel.vitals
    panel.tabs.setCurrentWidget(vitals)
    panel.window().activateWindow()
    qtbot.waitUntil(lambda: panel.window().isActiveWindow())
    vitals.hr.setText("72")
    with qtbot.waitSignal(_announced(panel)):
        qtbot.keyClick(vitals.hr, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    vitals.hr.setText("74")
    with qtbot.waitSignal(_announced(panel)):
        qtbot.keyClick(vitals.hr, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert [v.hr for v in panel.record.live_vitals] == [72, 74]


def test_ae_times_are_shown_and_read_as_the_sites_wall_clock(bedside, team, qtbot) -> None:
    """A zone far from any computer's: the form shows and reads the site's time, not the host's."""
    from datetime import timedelta

    from PySide6.QtCore import QDateTime, QTime

    from slidesk.domain.sedation.adverse_events import Outcome
    from ui.nurse.ae_followup import AdverseEventFollowUpDialog

    context, session, view = bedside
    site = ZoneInfo("Pacific/Kiritimati")  # UTC+14 all year
    context.clock.set_zone(site)
    now = context.clock.now().astimezone(site)
    dialog = AdverseEventDialog.for_procedure(
        context, session, None, view.id, site_nos=(3,), show_error=pytest.fail
    )
    qtbot.addWidget(dialog)
    shown = dialog.onset.dateTime()
    assert (shown.time().hour(), shown.time().minute()) == (now.hour, now.minute)
    assert shown.date().day() == now.day

    # The nurse types a wall-clock time a little earlier: it is stored as that time at the site.
    earlier = (now - timedelta(minutes=7)).replace(second=0, microsecond=0)
    typed = QDateTime(shown.date(), QTime(earlier.hour, earlier.minute))
    if earlier.day != now.day:  # the minutes before midnight lie on the previous day
        typed = typed.addDays(-1)
    dialog.onset.setDateTime(typed)
    dialog.known.setDateTime(typed)
    dialog.term.setCurrentText("Injection-site pain")
    with qtbot.waitSignal(dialog.adverse_event_recorded) as saved:
        dialog.save_button.click()
    ae = saved.args[0]
    assert ae.onset_at == earlier
    assert ae.first_known_at == earlier

    follow = AdverseEventFollowUpDialog(context, session, ae)
    qtbot.addWidget(follow)
    end = follow.end_time.dateTime()
    assert (end.time().hour(), end.time().minute()) == (now.hour, now.minute)
    follow.outcome.setCurrentIndex(follow.outcome.findData(Outcome.RECOVERED))
    follow.ended.setChecked(True)
    follow.end_time.setDateTime(typed)
    follow.reason.setText("Resolved before the follow-up")
    follow.buttons.accepted.emit()
    record = sedation.get_sedation(
        uow=team.uow, clock=context.clock, actor=team.nurse, procedure_id=view.id
    )
    assert record.adverse_events[0].resolved_at == earlier
