"""Plan a procedure, run the time-out (ticks by named people), start it; flags and AE hook."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from slidesk.domain.procedure.model import ProcedureStatus, SiteState
from slidesk.domain.users import Role
from slidesk.services.procedure import checklist, planning
from tests.ui.bedside import (
    activate,
    open_procedure,
    press,
)

CTRL = Qt.KeyboardModifier.ControlModifier


def test_new_procedure_then_time_out_then_the_workspace_at_the_first_site(
    qtbot, make_window, team
) -> None:
    bedside = make_window(team)
    window = bedside.window
    press(qtbot, window, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: window.dialog is not None)
    dialog = window.dialog
    assert dialog.study_id.placeholderText() == "required, e.g. SAIL-01-007"
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.study_id, "SAIL-01-031")
    dialog.left.click()
    qtbot.keyClicks(dialog.kit, "sail-k031")
    assert dialog.kit.text() == "SAIL-K031"
    dialog.location.setText("Angio suite 2")
    assert dialog.operator.is_ready()
    assert dialog.nurse.is_ready()
    assert dialog.ok.isEnabled()
    with qtbot.waitSignal(dialog.planned):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: type(window.dialog).__name__ == "TimeOutDialog")
    timeout = window.dialog
    activate(qtbot, timeout)
    assert not timeout.start_button.isEnabled()
    for person in (team.operator, team.nurse):  # each ticks the boxes of their own role
        timeout.who.setCurrentIndex(timeout.who.findData(person.user_id))
        for check in timeout.boxes.values():
            if check.isEnabled():
                pos = QPoint(10, check.height() // 2)
                qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=pos)
                assert check.isChecked()
    assert "10 of 10" in timeout.progress.text()
    assert "Olga Operator" in next(iter(timeout.notes.values())).text()
    assert "Nina Nurse" in next(iter(timeout.notes.values())).text()
    qtbot.mouseClick(timeout.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.workspace.isVisible())
    view = bedside.view
    assert view.status is ProcedureStatus.IN_PROGRESS
    assert view.subject.study_id == "SAIL-01-031"
    assert bedside.panel.selected == view.sites[0].number
    assert view.sites[0].state is SiteState.NEXT
    state = checklist.get_checklist(uow=team.uow, actor=team.monitor, procedure_id=view.id)
    assert {(t.ticked_by.full_name, t.role) for i in state.items for t in i.ticks} == {
        ("Olga Operator", "operator"),
        ("Nina Nurse", "nurse"),
    }


def test_planning_is_impossible_until_both_people_are_signed_in(qtbot, make_window, team) -> None:
    bedside = make_window(team)
    bedside.session.sign_out(team.nurse.user_id)
    bedside.window.open_new_procedure()
    dialog = bedside.window.dialog
    dialog.subject.setCurrentIndex(0)
    qtbot.keyClicks(dialog.study_id, "SAIL-01-032")
    dialog.right.click()
    qtbot.keyClicks(dialog.kit, "SAIL-K032")
    dialog.location.setText("Angio 1")
    assert not dialog.nurse.is_ready()
    assert "nurse signed in" in dialog.missing()
    assert not dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.nurse.sign_in_button, Qt.MouseButton.LeftButton)
    sign_in = dialog.nurse.dialog
    assert sign_in is not None
    assert sign_in.username.text() == "nurse"
    sign_in.reject()


def test_an_untick_needs_a_reason_and_start_stays_refused(qtbot, make_window, team) -> None:
    bedside = make_window(team)
    planned = planning.plan_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        subject_id=team.subject(),
        kit_number="SAIL-K001",
        operator_id=team.operator.user_id,
        nurse_id=team.nurse.user_id,
        location="Angio 2",
    )
    team.tick_checklist(planned.id)
    bedside.window.open_procedure(planned.id)
    timeout = bedside.window.dialog
    assert timeout.start_button.isEnabled()
    check = timeout.boxes[("consent", Role.OPERATOR)]  # the operator is typing
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(10, check.height() // 2))
    assert check.isChecked()  # unchanged until the reason is given and saved
    reason = timeout.reason_dialog
    qtbot.keyClicks(reason.combo, "Consent version to be checked again")
    press(qtbot, reason.combo, Qt.Key.Key_Return)
    assert not check.isChecked()
    assert not timeout.start_button.isEnabled()
    assert "1 item(s) open" in timeout.start_button.text()


def test_a_quick_flag_is_saved_on_the_last_site_and_offers_the_adverse_event_form(
    qtbot, make_window, team
) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    first = started.sites[0].number
    press(qtbot, panel.syringe, Qt.Key.Key_Return)
    assert panel.flag_target() == first
    press(qtbot, panel.syringe, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert [(f.site_no, f.flag) for f in bedside.page.flags] == [(first, "bleeding")]
    assert bedside.page.scene.markers[first].flag_count == 1
    assert "adverse event" in panel.banner.text()
    with qtbot.waitSignal(bedside.window.adverse_event_requested) as caught:
        press(qtbot, panel.syringe, Qt.Key.Key_E, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert caught.args == [started.id, first]
    with team.uow.read() as tx:
        assert "site.flagged" in [a.event_type for a in tx.audit.for_procedure(started.id)]


def test_after_planning_the_list_has_the_new_procedure_chosen_not_the_one_before(
    qtbot, make_window, team
) -> None:
    other = team.started_procedure("SAIL-01-005", kit="SAIL-K005")
    bedside = make_window(team)
    window = bedside.window
    home = window.home
    home.table.selectRow(home.model.row_of(other.id))
    press(qtbot, window, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: window.dialog is not None)
    dialog = window.dialog
    qtbot.keyClicks(dialog.study_id, "SAIL-01-007")
    dialog.right.click()
    qtbot.keyClicks(dialog.kit, "SAIL-K007")
    dialog.location.setText("Angio suite 2")
    with qtbot.waitSignal(dialog.planned) as planned:
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    new_id = planned.args[0].id
    qtbot.waitUntil(lambda: type(window.dialog).__name__ == "TimeOutDialog")
    window.dialog.close_button.click()  # closed with nothing ticked: it stays planned
    qtbot.waitUntil(lambda: window.dialog is None)
    assert home.selected_procedure_id() == new_id
    home.table.setFocus()
    press(qtbot, home.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: type(window.dialog).__name__ == "TimeOutDialog")
    assert window.dialog.view.id == new_id  # this patient's time-out, not SAIL-01-005's
