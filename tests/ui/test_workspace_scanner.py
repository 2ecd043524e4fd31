"""A barcode scanner is a keyboard: a fast label + Enter fills the syringe and confirms."""

from __future__ import annotations

from PySide6.QtCore import Qt

from slidesk.domain.procedure.model import SiteState
from tests.ui.bedside import (
    live_entry,
    open_procedure,
    press,
)


def test_a_scanned_label_confirms_the_next_site_with_that_syringe(qtbot, make_window, team) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    first = started.sites[0].number
    qtbot.keyClicks(panel.syringe, "SAIL-K001-17")
    press(qtbot, panel.syringe, Qt.Key.Key_Return)
    entry = live_entry(bedside.view, first)
    assert entry.syringe_label == "SAIL-K001-17"
    assert bedside.view.site(first).state is SiteState.DONE


def test_a_scan_while_another_field_has_focus_still_goes_to_the_syringe(
    qtbot, make_window, team
) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    first = started.sites[0].number
    panel.goto.setFocus()
    qtbot.keyClicks(panel.goto, "sail-k001-09")  # scanners may send lower case
    press(qtbot, panel.goto, Qt.Key.Key_Return)
    assert live_entry(bedside.view, first).syringe_label == "SAIL-K001-09"
    assert panel.goto.text() == ""  # what the scan typed there was taken back


def test_a_syringe_of_another_kit_is_refused_loudly_and_nothing_is_saved(
    qtbot, make_window, team
) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    first = started.sites[0].number
    panel.depth.setFocus()
    qtbot.keyClicks(panel.depth, "SAIL-K002-03")
    press(qtbot, panel.depth, Qt.Key.Key_Return)
    assert panel.banner.isVisible()
    assert panel.banner.kind == "error"
    assert "WRONG KIT" in panel.banner.text()
    assert live_entry(bedside.view, first) is None
    assert panel.syringe.hasFocus()
    assert panel.depth.text() == "12.5"  # the depth field was not spoiled by the scan


def test_scanning_a_used_syringe_again_is_refused(qtbot, make_window, team) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    qtbot.keyClicks(panel.syringe, "SAIL-K001-05")
    press(qtbot, panel.syringe, Qt.Key.Key_Return)
    qtbot.keyClicks(panel.syringe, "SAIL-K001-05")
    press(qtbot, panel.syringe, Qt.Key.Key_Return)
    assert "already used at site" in panel.banner.text()
    assert bedside.view.injected_count == 1


def test_slow_typing_of_a_number_is_not_taken_for_a_scan(qtbot, make_window, team) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    panel.syringe.selectAll()
    qtbot.keyClicks(panel.syringe, "12")
    press(qtbot, panel.syringe, Qt.Key.Key_Return)
    assert live_entry(bedside.view, started.sites[0].number).syringe_label == "SAIL-K001-12"
