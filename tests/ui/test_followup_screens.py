"""Follow-up screens: due panel, outcome timeline with verdict, and the visit form."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from slidesk.domain.followup.model import Item, MissingReason, VisitStatus
from slidesk.services.followup import service as followup
from tests.conftest import PASSWORD
from tests.followup_helpers import baseline_entry, entry, save, subject_in_follow_up
from ui.followup.due_panel import DueVisitsModel, DueVisitsPanel
from ui.followup.subject_outcomes import SubjectOutcomesWindow
from ui.followup.timeline_model import Column, TimelineModel
from ui.followup.visit_form import VisitFormDialog
from ui.session import BedsideSession


@pytest.fixture
def ui(team, context):
    session = BedsideSession(context)
    session.add(team.operator)
    return context, session


@pytest.fixture
def filled(team):
    subject = subject_in_follow_up(team)
    save(team, subject, 0, baseline_entry())
    save(team, subject, 2, entry(visit_date=date(2025, 10, 30)))
    save(team, subject, 6, entry())
    return subject


def outcomes(team, subject):
    return followup.get_subject_outcomes(
        uow=team.uow, clock=team.clock, actor=team.operator, subject_id=subject
    )


def test_item_models_pass_the_model_tester(team, filled, qtmodeltester):
    due = DueVisitsModel()
    due.set_rows(followup.due_visits(uow=team.uow, clock=team.clock, actor=team.operator))
    assert due.rowCount() > 0
    qtmodeltester.check(due)
    timeline = TimelineModel()
    timeline.set_rows(outcomes(team, filled).time_points)
    assert timeline.rowCount() == 6
    qtmodeltester.check(timeline)


@pytest.mark.fixed_date
def test_due_panel_lists_overdue_visits_and_opens_the_subject(team, filled, ui, qtbot):
    context, session = ui
    panel = DueVisitsPanel(context, session, None)
    qtbot.addWidget(panel)
    texts = [panel.model.index(r, 4).data() for r in range(panel.model.rowCount())]
    assert texts[0] == "Overdue by 56 days"  # month 12, window closed 30 Sep 2026
    assert "1 overdue" in panel.summary.text()
    panel.table.selectRow(0)
    with qtbot.waitSignal(panel.subject_opened) as opened:
        panel.open_button.click()
    assert opened.args == [filled]
    window = panel._windows[-1]
    qtbot.addWidget(window)
    assert isinstance(window, SubjectOutcomesWindow)


def test_timeline_shows_values_and_the_verdict_with_its_reasons(team, filled, ui, qtbot):
    context, session = ui
    window = SubjectOutcomesWindow(context, session, None, filled)
    qtbot.addWidget(window)
    row = window.model.row_of(6)
    assert window.model.index(row, Column.RUTHERFORD).data() == "3"
    assert window.model.index(row, Column.ABI).data() == "0.48"
    assert window.model.index(row, Column.VERDICT).data() == "Success (provisional)"
    window.table.selectRow(row)
    assert window.verdict.badge.text() == "SUCCESS"
    reasons = [w.text() for w in window.verdict.findChildren(type(window.verdict.note))]
    assert any("Rutherford 4 → 3 (better)" in t for t in reasons)
    assert '"rutherford": 4' in window.verdict.inputs.toPlainText()
    assert window.vas_plot.points[0].value == 60
    assert window.sign_action.isEnabled()
    assert not window.amend_action.isEnabled()


@pytest.mark.fixed_date
def test_visit_form_saves_a_new_visit_and_reports_it(team, filled, ui, qtbot):
    context, session = ui
    form = VisitFormDialog(context, session, None, outcomes(team, filled), 12)
    qtbot.addWidget(form)
    assert form.visit.visit_date.date().toString("yyyy-MM-dd") == "2026-11-25"
    form.survival.vital.setCurrentIndex(1)  # Alive
    form.clinical.rutherford.set_choice(2)
    form.clinical.vas.set_number(20)
    assert "Rutherford category" not in form.blanks.text()
    assert "Pain (VAS)" not in form.blanks.text()
    assert "Fontaine stage" in form.blanks.text()
    with qtbot.waitSignal(form.visit_saved) as saved:
        form.save_button.click()
    view = saved.args[0]
    assert view.month == 12
    assert view.entry.vas_mm == 20
    assert "Saved" in form.message.text()


def test_choosing_a_missing_code_clears_and_disables_the_input(team, filled, ui, qtbot):
    context, session = ui
    form = VisitFormDialog(context, session, None, outcomes(team, filled), 12)
    qtbot.addWidget(form)
    form.clinical.vas.set_number(44)
    row = form.clinical.rows[Item.VAS]
    row.picker.set_code(MissingReason.REFUSED)
    assert form.clinical.vas.number() is None
    assert not form.clinical.vas.isEnabled()
    assert form.collect().missing[Item.VAS] is MissingReason.REFUSED
    assert "Pain (VAS)" not in form.blanks.text()


def test_overwriting_a_saved_value_asks_for_a_reason(team, filled, ui, qtbot, monkeypatch):
    context, session = ui
    form = VisitFormDialog(context, session, None, outcomes(team, filled), 6)
    qtbot.addWidget(form)
    asked: list[str] = []
    monkeypatch.setattr(form, "ask_reason", lambda prompt: asked.append(prompt) or "CRF re-read")
    form.clinical.vas.set_number(30)
    view = form.save()
    assert view is not None
    assert view.entry.vas_mm == 30
    assert "Pain (VAS)" in asked[0]
    monkeypatch.setattr(form, "ask_reason", lambda prompt: None)
    form.clinical.vas.set_number(31)
    assert form.save() is None
    assert "Not saved" in form.message.text()


def test_a_blank_blocks_signing_in_the_form_and_a_signed_visit_is_read_only(
    team, filled, ui, qtbot
):
    context, session = ui
    view = save(team, filled, 12, entry(visit_date=date(2026, 9, 1), vas_mm=None))
    form = VisitFormDialog(context, session, None, outcomes(team, filled), 12)
    qtbot.addWidget(form)
    assert form.sign(password=PASSWORD) is None
    assert "Pain (VAS)" in form.message.text()
    form.clinical.rows[Item.VAS].picker.set_code(MissingReason.NOT_DONE)
    signed = form.sign(password=PASSWORD)
    assert signed is not None
    assert signed.status is VisitStatus.SIGNED
    assert signed.id == view.id
    assert not form.save_button.isEnabled()
    assert not form.clinical.isEnabled()
    assert "Signed and locked" in form.message.text()


def test_monitor_sees_the_form_read_only(team, context, filled, qtbot):
    session = BedsideSession(context)
    session.add(team.monitor)
    form = VisitFormDialog(context, session, None, outcomes(team, filled), 6)
    qtbot.addWidget(form)
    assert not form.save_button.isEnabled()
    assert "Read only" in form.message.text()
    window = SubjectOutcomesWindow(context, session, None, filled)
    qtbot.addWidget(window)
    assert not window.sign_action.isEnabled()
    assert not window.date_action.isEnabled()


def test_ulcers_and_amputations_round_trip_through_the_form(team, filled, ui, qtbot):
    context, session = ui
    form = VisitFormDialog(context, session, None, outcomes(team, filled), 12)
    qtbot.addWidget(form)
    form.clinical.ulcers_present.set_choice(True)
    location, _detail, area, _missing = form.clinical.ulcers.rows[0][1][:4]
    location.setCurrentIndex(2)
    area.setText("1,5")  # a decimal comma is accepted
    values = form.clinical.values()
    assert values["ulcer_count"] == 1
    assert values["ulcers"][0].area_ucm2 == 1_500_000
    form.survival.amputated.set_choice(True)
    assert len(form.survival.amputations.rows) == 1
    level = form.survival.amputations.rows[0][1][1]
    level.setCurrentIndex(6)  # below-knee
    assert form.survival.amputations.rows[0][1][2].text() == "major"
    amputation = replace(form.survival.values()["amputations"][0])
    assert amputation.is_major


@pytest.mark.parametrize(
    ("state", "days", "expected"),
    [
        ("due", 0, "Due: not entered yet (the procedure is today)"),
        ("due", 2, "Due before the procedure (in 2 days)"),
        ("overdue", 1, "Overdue: not entered, procedure 1 day ago"),
    ],
)
def test_a_baseline_reads_by_its_window_never_missing_on_the_procedure_day(
    qapp, state, days, expected
):
    from slidesk.domain.followup.schedule import DueState
    from slidesk.services.followup.dto import DueVisit
    from ui.followup.due_panel import state_text

    text = state_text(DueVisit(1, "SAIL-01-007", 0, None, DueState(state), days))
    assert text == expected
    assert "Missing" not in text
