"""Room for the record tabs: side by side when wide, sharing the panel's column at 1366 px."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from slidesk.domain.values import Limb
from tests.ui.bedside import (
    open_procedure,
    press,
)


class RecordTab(QLineEdit):
    """Stands in for the nurse panel: a field the nurse types in."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[object] = []

    def set_procedure(self, view: object) -> None:
        self.seen.append(view)


def test_a_side_tab_learns_the_open_procedure_and_shares_the_column_when_narrow(
    qtbot, make_window, team
) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    tab = RecordTab()
    bedside.window.add_side_tab(tab, "Sedation")
    open_procedure(qtbot, bedside, started.id)
    columns = bedside.page.columns
    assert tab.seen[-1].id == started.id
    assert columns.narrow  # 1366 px: the panel is the first tab
    assert columns.record_tabs.tabText(0) == "Injection"
    columns.record_tabs.setCurrentWidget(tab)
    tab.setFocus()
    tab.setText("BP 120/80")
    qtbot.keyClicks(tab, "SAIL-K001-04")  # the scanner fires while the nurse's field has focus
    press(qtbot, tab, Qt.Key.Key_Return)
    assert columns.record_tabs.currentWidget() is bedside.panel  # the scan brought it back
    assert tab.text() == "BP 120/80"  # and the nurse's text is untouched
    assert bedside.view.injected_count == 1
    assert len(tab.seen) == 1  # told the procedure once; what is saved comes by context.changes
    bedside.window.resize(1920, 1080)
    qtbot.waitUntil(lambda: not columns.narrow)
    assert bedside.panel.isVisible()
    assert tab.isVisible()
    bedside.window.record_panel_action.trigger()  # F9 hides the record tabs
    assert not columns.record_tabs.isVisible()
    assert bedside.panel.isVisible()


@pytest.mark.parametrize("limb", [Limb.LEFT, Limb.RIGHT])
def test_at_1366_by_768_nothing_in_the_panel_or_the_key_is_cut_off(
    qtbot, make_window, team, limb
) -> None:
    view = team.started_procedure(limb=limb)
    for n, site in enumerate(view.sites[:15], start=1):
        view = team.inject(view.id, site.number, str(n))
    bedside = make_window(team)
    bedside.window.add_side_tab(RecordTab(), "Sedation")
    open_procedure(qtbot, bedside, view.id)
    QApplication.processEvents()
    panel, page = bedside.panel, bedside.page
    assert page.columns.narrow
    # The panel fills its tab, and its content is no wider than what shows of it.
    assert panel.width() >= page.columns.record_tabs.width() - 4
    content = panel.scroll.widget()
    assert content.minimumSizeHint().width() <= panel.scroll.viewport().width()
    for button in content.findChildren(QPushButton):
        if button.isVisible():
            assert button.width() >= button.minimumSizeHint().width(), button.text()
    # The key under the legs fits its column.
    assert page.legend.sizeHint().width() <= page.legend.width()


def test_at_1366_by_768_the_whole_entry_panel_shows_without_scrolling(
    qtbot, make_window, team
) -> None:
    from slidesk.services.sedation import monitoring as monitoring

    view = team.started_procedure()
    monitoring.record_vitals(
        uow=team.uow, clock=team.clock, actor=team.nurse, procedure_id=view.id, hr=70
    )
    team.inject(view.id, view.sites[0].number, "1")
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    QApplication.processEvents()
    panel = bedside.panel
    content = panel.scroll.widget()
    assert content.minimumSizeHint().height() <= panel.scroll.viewport().height()
    assert panel.confirm_button.height() >= 44  # a gloved finger's target


def test_at_1366_by_768_the_panel_shows_whole_with_a_stale_score_and_an_adverse_event(
    qtbot, make_window, team
) -> None:
    from tests.ui.test_site_sedation_screens import painful_site

    view, site_no = painful_site(team, wait_minutes=6)  # stale by the first injection
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    panel = bedside.panel
    content = panel.scroll.widget()
    for shown in (site_no, view.next_site_no):  # injected (with its AE), then the next one
        panel.select_site(shown)
        qtbot.waitUntil(lambda: panel.sedation.isVisible() and panel.sedation.stale)
        QApplication.processEvents()
        assert content.minimumSizeHint().height() <= panel.scroll.viewport().height(), shown
