"""The operator sees that no vital signs are charted: the nurse's warning is in another tab."""

from __future__ import annotations

from tests.ui.bedside import (
    open_procedure,
)


def test_the_injection_panel_reminds_of_baseline_vitals_until_the_nurse_charts_them(
    qtbot, make_window, team
) -> None:
    view = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    notice = bedside.panel.vitals_notice
    assert notice.isVisible()
    assert "baseline vital signs come before the first injection" in notice.text()

    team.clock.advance(seconds=30)
    bedside.page.panel.confirm_button.click()  # the operator goes ahead: it is a reminder
    assert bedside.view.injected_count == 1
    assert notice.text().startswith("No vital signs charted for this procedure")

    # The nurse charts vital signs in her tab: the reminder goes.
    tabs = bedside.page.columns.record_tabs
    nurse_tab = next(
        tabs.widget(i) for i in range(tabs.count()) if tabs.tabText(i) == "Sedation && vitals"
    )
    tabs.setCurrentWidget(nurse_tab)
    bedside.session.switch_to(team.nurse.user_id)
    vitals = nurse_tab.inner.vitals
    nurse_tab.inner.tabs.setCurrentWidget(vitals)
    vitals.hr.setText("72")
    vitals.spo2.setText("97")
    with qtbot.waitSignal(bedside.context.changes.changed):
        vitals.save.click()
    tabs.setCurrentIndex(0)
    assert not notice.isVisible()


def test_no_reminder_when_vitals_are_charted(qtbot, make_window, team) -> None:
    from slidesk.services.sedation import monitoring as monitoring

    view = team.started_procedure()
    monitoring.record_vitals(
        uow=team.uow, clock=team.clock, actor=team.nurse, procedure_id=view.id, hr=70
    )
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    assert not bedside.panel.vitals_notice.isVisible()
