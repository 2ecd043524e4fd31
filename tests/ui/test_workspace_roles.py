"""Controls a person may not use look it: the nurse or a monitor typing sees the injection
controls disabled, each saying why; after completion the reconciliation buttons that can do
nothing are disabled too."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.bedside import activate, open_procedure, press

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _injection_controls(panel):  # type: ignore[no-untyped-def]
    return [
        panel.confirm_button,
        panel.skip_button,
        panel.relocate_button,
        panel.undo_button,
    ]


def test_the_nurse_typing_sees_the_injection_controls_disabled_and_why(
    qtbot, make_window, team
) -> None:
    started = team.started_procedure()
    team.inject(started.id, started.sites[0].number, "1")
    bedside = make_window(team)  # the operator types
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    assert all(control.isEnabled() for control in _injection_controls(panel))
    assert not panel.syringe.isReadOnly()
    bedside.session.switch_to(team.nurse.user_id)
    for control in _injection_controls(panel):
        assert not control.isEnabled(), control.text()
        assert "may not record injections: switch to the operator" in control.toolTip()
    assert not panel.actions.confirm.isEnabled()
    assert panel.syringe.isReadOnly()
    # The nurse may still report an adverse event and flag a finding.
    assert panel.ae_button.isEnabled()
    # Enter in the entry fields still says why nothing was recorded.
    press(qtbot, panel.syringe, Qt.Key.Key_Return)
    assert "may not record injections" in panel.banner.text()
    bedside.session.switch_to(team.operator.user_id)
    assert all(control.isEnabled() for control in _injection_controls(panel))
    assert panel.confirm_button.toolTip() == ""


def test_a_monitor_typing_sees_no_control_that_records(qtbot, make_window, team) -> None:
    started = team.started_procedure()
    team.inject(started.id, started.sites[0].number, "1")
    bedside = make_window(team, users=(team.nurse, team.operator, team.monitor))
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    assert bedside.session.active.user_id == team.monitor.user_id
    for control in [*_injection_controls(panel), panel.ae_button]:
        assert not control.isEnabled(), control.text()
        assert "Mo Monitor may not record" in control.toolTip()
    assert not any(action.isEnabled() for action in panel.actions.flag_actions)


def test_in_the_review_the_nurse_sees_the_syringe_buttons_disabled_and_why(
    qtbot, make_window, team
) -> None:
    started = team.started_procedure()
    view = team.inject(started.id, started.sites[0].number, "1")
    bedside = make_window(team, typist=team.nurse)
    open_procedure(qtbot, bedside, view.id)
    bedside.window.open_review(view.id)
    review = bedside.window.dialog
    activate(qtbot, review)
    panel = review.reconcile
    assert panel.unaccounted.count() == 29
    assert not panel.returned_button.isEnabled()
    assert "may not mark syringes" in panel.returned_button.toolTip()
    bedside.session.switch_to(team.operator.user_id)
    assert panel.returned_button.isEnabled()
    assert not panel.withdraw_button.isEnabled()  # nothing recorded to withdraw
    assert panel.withdraw_button.toolTip() == "No return or waste is recorded."
