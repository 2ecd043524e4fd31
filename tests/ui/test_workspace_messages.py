"""The workspace's messages go when what they were about is gone: a refused depth when the
depth is typed again, a refusal to the person who typed when someone else types; wording
that reads right (an elapsed time without a zone, the completion question's title)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from slidesk.domain.procedure.model import SiteState
from tests.ui.bedside import activate, open_procedure, press


def test_a_refused_depth_message_goes_when_the_depth_is_typed_again(
    qtbot, make_window, team
) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    panel.depth.setFocus()
    panel.depth.selectAll()
    qtbot.keyClicks(panel.depth, "1x.5")
    press(qtbot, panel.depth, Qt.Key.Key_Return)
    assert panel.banner.isVisible()
    assert panel.banner.text() == "Depth '1x.5' is not a number."
    assert panel.depth.hasFocus()
    panel.depth.selectAll()
    qtbot.keyClicks(panel.depth, "12.5")
    assert not panel.banner.isVisible()
    press(qtbot, panel.depth, Qt.Key.Key_Return)
    assert bedside.view.site(started.sites[0].number).state is SiteState.DONE
    assert not panel.banner.isVisible()


def test_a_refusal_to_the_nurse_goes_when_the_operator_types_again(
    qtbot, make_window, team
) -> None:
    started = team.started_procedure()
    bedside = make_window(team, typist=team.nurse)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    press(qtbot, panel.syringe, Qt.Key.Key_Return)  # Enter still says why nothing happened
    assert "may not record injections" in panel.banner.text()
    assert panel.banner.isVisible()
    bedside.session.switch_to(team.operator.user_id)
    assert not panel.banner.isVisible()
    # A message to the operator stays while the operator types.
    bedside.session.switch_to(team.operator.user_id)
    panel.show_error("Something the operator must read.")
    bedside.page.panel.set_actor(bedside.session.active)
    assert panel.banner.isVisible()


def test_the_elapsed_time_carries_no_zone(qtbot, make_window, team) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    team.clock.advance(minutes=8, seconds=18)
    header = bedside.page.header
    header._on_timer_timeout()
    assert header.elapsed.text() == "Elapsed 0:08:18"
    assert "UTC" in header.elapsed.toolTip()  # the zone of the clock times, for who asks


def test_completing_with_items_missing_asks_under_a_title_that_says_so(
    qtbot, make_window, team
) -> None:
    started = team.started_procedure()
    view = started
    for n, site in enumerate(started.sites, start=1):
        if n < 30:
            view = team.inject(view.id, site.number, str(n))
        else:
            view = team.skip(view.id, site.number)
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    bedside.window.open_review(view.id)
    review = bedside.window.dialog
    activate(qtbot, review)
    qtbot.mouseClick(review.complete_button, Qt.MouseButton.LeftButton)
    assert review.reason_dialog is not None
    assert review.reason_dialog.windowTitle() == "Complete with items missing"
