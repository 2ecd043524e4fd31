"""The bedside flow: a whole procedure by keyboard or by taps, skips, deviations, undo."""

from __future__ import annotations

from PySide6.QtCore import Qt

from slidesk.domain.procedure.model import EntryKind, ProcedureStatus, SiteState, SkipReason
from tests.ui.bedside import (
    activate,
    click_site,
    live_entry,
    open_procedure,
    press,
)

CTRL = Qt.KeyboardModifier.ControlModifier


def test_a_whole_procedure_by_keyboard_only_then_completed_with_ctrl_enter(
    qtbot, make_window, team
) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    order = [s.number for s in started.sites]
    for i, number in enumerate(order, start=1):
        assert panel.selected == number  # the next site in protocol order is pre-selected
        assert panel.syringe.hasFocus()
        assert (panel.depth.text(), panel.volume.text()) == ("12.5", "1.0")
        team.clock.advance(seconds=30)
        press(qtbot, panel.syringe, Qt.Key.Key_Return)
        site = bedside.view.site(number)
        assert site.state is SiteState.DONE
        assert site.entry.syringe_label == f"SAIL-K001-{i:02d}"
        assert bedside.page.scene.markers[number].state is SiteState.DONE
    view = bedside.view
    assert view.injected_count == 30
    assert view.next_site_no is None
    assert "30 / 30" in bedside.page.header.progress_text.text()
    # What is left is the review: the big button says so, and Enter once more opens it.
    assert panel.confirm_button.isEnabled()
    assert panel.confirm_button.text().startswith("All sites recorded — Review and finish")
    team.clock.advance(seconds=30)
    press(qtbot, panel.syringe, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bedside.window.dialog is not None)
    review = bedside.window.dialog
    activate(qtbot, review)
    assert review.missing_items() == [
        "sedation record: no vital signs recorded",
        "sedation record: no analgesia charted",
    ]
    team.chart_sedation(view.id)  # the nurse's side (her screens have their own tests)
    review.reload()
    assert review.missing_items() == []
    assert review.table.hasFocus()  # Enter presses nothing in the review: Ctrl+Enter completes
    press(qtbot, review.table, Qt.Key.Key_Return)
    assert bedside.view.status is ProcedureStatus.IN_PROGRESS
    with qtbot.waitSignal(review.completed, timeout=2000):
        press(qtbot, review, Qt.Key.Key_Return, CTRL)
    assert bedside.view.status is ProcedureStatus.COMPLETED
    assert not panel.confirm_button.isEnabled()


def test_a_whole_procedure_by_clicks_on_the_diagram_in_numeric_order(
    qtbot, make_window, team
) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    for number in range(1, 31):
        click_site(qtbot, bedside, number)
        assert panel.selected == number
        qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
        assert bedside.view.site(number).state is SiteState.DONE
    assert bedside.view.injected_count == 30
    labels = {e.syringe_label for e in bedside.view.entries}
    assert len(labels) == 30


def test_markers_stay_at_least_44_pixels_and_on_their_sites_when_the_window_resizes(
    qtbot, make_window, team
) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    diagram = bedside.page.diagram
    for size in ((1366, 768), (1024, 640), (2200, 1300)):
        bedside.window.resize(*size)
        qtbot.waitUntil(lambda: True)
        diagram.fit()
        marker = bedside.page.scene.markers[1]
        to_device = marker.deviceTransform(diagram.viewportTransform())
        assert to_device.mapRect(marker.shape().boundingRect()).width() >= 44
        click_site(qtbot, bedside, 21)
        assert bedside.panel.selected == 21


def test_skip_asks_a_reason_from_the_list(qtbot, make_window, team) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    first = started.sites[0].number
    press(qtbot, panel.syringe, Qt.Key.Key_K, CTRL)
    dialog = panel.active_dialog
    assert dialog is not None
    dialog.choose(SkipReason.OTHER)
    assert not dialog.buttons.buttons()[0].isEnabled()  # 'Other' needs a text
    qtbot.keyClicks(dialog.detail, "Scar tissue over the site")
    press(qtbot, dialog.detail, Qt.Key.Key_Return)
    entry = live_entry(bedside.view, first)
    assert entry.kind is EntryKind.SKIPPED
    assert entry.skip_reason is SkipReason.OTHER
    assert entry.skip_detail == "Scar tissue over the site"
    assert bedside.view.site(first).state is SiteState.SKIPPED
    assert panel.selected == bedside.view.next_site_no


def test_out_of_range_depth_asks_for_a_deviation_reason_before_saving(
    qtbot, make_window, team
) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    first = started.sites[0].number
    panel.depth.setText("8")
    press(qtbot, panel.syringe, Qt.Key.Key_Return)
    dialog = panel.active_dialog
    assert dialog is not None
    assert "depth 8.0 mm is outside 10–15 mm" in dialog.findChildren(type(panel.title))[0].text()
    assert live_entry(bedside.view, first) is None  # nothing saved while asking
    dialog.reject()
    assert live_entry(bedside.view, first) is None
    press(qtbot, panel.syringe, Qt.Key.Key_Return)
    dialog = panel.active_dialog
    qtbot.keyClicks(dialog.combo, "Thin muscle layer at this site")
    press(qtbot, dialog.combo, Qt.Key.Key_Return)
    entry = live_entry(bedside.view, first)
    assert entry.deviation_reason == "Thin muscle layer at this site"
    assert bedside.view.site(first).state is SiteState.DEVIATION
    # An out-of-range value is not carried to the next site: the target comes back.
    assert panel.depth.text() == "12.5"


def test_undo_last_with_ctrl_z_asks_a_reason_and_voids_the_entry(qtbot, make_window, team) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    first, second = (s.number for s in started.sites[:2])
    press(qtbot, panel.syringe, Qt.Key.Key_Return)
    press(qtbot, panel.syringe, Qt.Key.Key_Return)
    assert bedside.view.site(second).state is SiteState.DONE
    press(qtbot, panel.syringe, Qt.Key.Key_Z, CTRL)  # Ctrl+Z wins over the field's own undo
    dialog = panel.active_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.combo, "Entered for the wrong site")
    press(qtbot, dialog.combo, Qt.Key.Key_Return)
    view = bedside.view
    assert view.site(second).state is SiteState.NEXT
    assert view.site(first).state is SiteState.DONE
    undone = [e for e in view.entries if e.voided]
    assert [e.site_no for e in undone] == [second]
    assert undone[0].void_reason == "Entered for the wrong site"
    assert panel.selected == second
    with team.uow.read() as tx:
        assert "site.undone" in [a.event_type for a in tx.audit.for_procedure(started.id)]


def test_go_to_site_records_out_of_order_and_keeps_the_protocol_next(
    qtbot, make_window, team
) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    press(qtbot, panel.syringe, Qt.Key.Key_G, CTRL)
    assert panel.goto.hasFocus()
    qtbot.keyClicks(panel.goto, "25")
    press(qtbot, panel.goto, Qt.Key.Key_Return)
    assert panel.selected == 25
    assert "OUT OF ORDER" in panel.state_chip.text()
    press(qtbot, panel.syringe, Qt.Key.Key_Return)
    assert bedside.view.site(25).state is SiteState.DONE
    assert bedside.view.next_site_no == started.sites[0].number
    assert panel.selected == started.sites[0].number


def test_a_done_site_cannot_be_entered_twice(qtbot, make_window, team) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    first = started.sites[0].number
    press(qtbot, panel.syringe, Qt.Key.Key_Return)
    click_site(qtbot, bedside, first)
    assert panel.selected == first
    assert not panel.confirm_button.isEnabled()
    panel.actions.confirm.setEnabled(True)  # even if forced, the panel refuses it
    panel.actions.confirm.trigger()
    assert "already done" in panel.banner.text()
    assert len([e for e in bedside.view.entries if e.site_no == first]) == 1


def test_a_doubled_enter_press_records_only_one_site(qtbot, make_window, team, monkeypatch) -> None:
    from ui.workspace.entry.panel import EntryPanel

    monkeypatch.setattr(EntryPanel, "repeat_guard_s", 5.0)
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    press(qtbot, panel.syringe, Qt.Key.Key_Return)
    press(qtbot, panel.syringe, Qt.Key.Key_Return)
    assert bedside.view.injected_count == 1


def test_a_used_syringe_typed_again_is_refused_loudly(qtbot, make_window, team) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    press(qtbot, panel.syringe, Qt.Key.Key_Return)  # uses syringe 01
    panel.syringe.selectAll()
    qtbot.keyClicks(panel.syringe, "1")
    press(qtbot, panel.syringe, Qt.Key.Key_Return)
    assert panel.banner.isVisible()
    assert panel.banner.kind == "error"
    assert "already used at site" in panel.banner.text()
    assert panel.syringe.hasFocus()
    assert bedside.view.injected_count == 1


def test_relocation_records_the_tapped_position_with_a_reason(qtbot, make_window, team) -> None:
    from decimal import Decimal

    from PySide6.QtCore import QPoint

    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel, scene, diagram = bedside.panel, bedside.page.scene, bedside.page.diagram
    site = started.sites[0]
    press(qtbot, panel.syringe, Qt.Key.Key_R, CTRL)
    assert scene.picking == site.number
    target = scene.scene_point(site.view, site.x + Decimal("0.05"), site.y + Decimal("0.02"))
    point = diagram.mapFromScene(target)
    qtbot.mouseClick(diagram.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point))
    dialog = panel.active_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.combo, "Ulcer at the planned site")
    press(qtbot, dialog.combo, Qt.Key.Key_Return)
    entry = live_entry(bedside.view, site.number)
    assert entry.relocated
    assert abs(entry.actual_x - (site.x + Decimal("0.05"))) < Decimal("0.01")
    assert abs(entry.actual_y - (site.y + Decimal("0.02"))) < Decimal("0.01")
    assert bedside.view.site(site.number).state is SiteState.DEVIATION


def test_relocation_by_keyboard_moves_a_crosshair_with_the_arrows(qtbot, make_window, team) -> None:
    from decimal import Decimal

    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel, diagram = bedside.panel, bedside.page.diagram
    site = started.sites[0]
    press(qtbot, panel.syringe, Qt.Key.Key_R, CTRL)
    assert diagram.hasFocus()
    for _ in range(3):
        press(qtbot, diagram, Qt.Key.Key_Down)
    press(qtbot, diagram, Qt.Key.Key_Return)
    dialog = panel.active_dialog
    qtbot.keyClicks(dialog.combo, "Scar")
    press(qtbot, dialog.combo, Qt.Key.Key_Return)
    entry = live_entry(bedside.view, site.number)
    assert entry.actual_x == site.x
    assert entry.actual_y == site.y + Decimal("0.03")


def test_after_a_skip_the_finding_keys_still_mean_the_last_injected_site(
    qtbot, make_window, team
) -> None:
    started = team.started_procedure()
    first, second = started.sites[0].number, started.sites[1].number
    team.inject(started.id, first, "1")
    team.skip(started.id, second)
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    assert panel.flag_target() == first  # not the skipped site
    assert f"Findings at site {first}" in panel.flag_box.title()
    panel.select_site(second)
    assert panel.flag_target() is None
    assert panel.flag_box.title() == f"Findings: none at site {second} (not injected)"
    assert not any(action.isEnabled() for action in panel.actions.flag_actions)
