"""Review and finish: totals, missing items, reconciliation, completion by the operator,
read-only afterwards except corrections with a reason."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.services.procedure import completion
from tests.ui.bedside import (
    activate,
    live_entry,
    open_procedure,
    press,
)

CTRL = Qt.KeyboardModifier.ControlModifier


def _all_but_one_skipped(team):  # type: ignore[no-untyped-def]
    view = team.started_procedure()
    for n, site in enumerate(view.sites, start=1):
        if n == 18:
            view = team.skip(view.id, site.number)
        else:
            view = team.inject(view.id, site.number, str(n))
    return view


def open_review(qtbot, make_window, team, view, typist=None):  # type: ignore[no-untyped-def]
    """The main window on the procedure, with its review dialog open and active."""
    bedside = make_window(team, typist=typist)
    open_procedure(qtbot, bedside, view.id)
    bedside.window.open_review(view.id)
    activate(qtbot, bedside.window.dialog)
    return bedside, bedside.window.dialog


def test_review_lists_the_unaccounted_syringe_and_reconciles_it(qtbot, make_window, team) -> None:
    view = _all_but_one_skipped(team)
    bedside, review = open_review(qtbot, make_window, team, view)
    assert review.model.rowCount() == 30
    gaps = review.missing_items()
    assert gaps == [
        "1 syringe of kit SAIL-K001 not yet accounted for: SAIL-K001-18",
        # Nobody charted on the nurse's side in this test: the review says so.
        "sedation record: no vital signs recorded",
        "sedation record: no analgesia charted",
    ]
    assert "29</b> of 30 injected" in review.totals.text()
    review.reconcile.unaccounted.item(0).setSelected(True)
    qtbot.mouseClick(review.reconcile.wasted_button, Qt.MouseButton.LeftButton)
    note = review.reconcile.dialog
    qtbot.keyClicks(note.combo, "Dropped")
    press(qtbot, note.combo, Qt.Key.Key_Return)
    assert review.reconciliation.wasted == ("SAIL-K001-18",)
    assert review.reconciliation.balanced
    assert review.missing_items() == [
        "sedation record: no vital signs recorded",
        "sedation record: no analgesia charted",
    ]
    assert "balanced" in review.reconcile.summary.text()
    # A wasted syringe cannot be injected any more.
    assert "SAIL-K001-18" in bedside.page.disposed


def test_completion_needs_the_operator_and_makes_the_record_read_only(
    qtbot, make_window, team
) -> None:
    view = _all_but_one_skipped(team)
    bedside, review = open_review(qtbot, make_window, team, view, typist=team.nurse)
    qtbot.mouseClick(review.complete_button, Qt.MouseButton.LeftButton)
    # A syringe unaccounted for and an empty sedation record: completing needs the reason.
    ask = review.reason_dialog
    assert ask is not None
    assert ask.isVisible()
    assert (
        ask.findChild(QLabel)
        .text()
        .startswith(
            "Completing now, without:\n"
            "• 1 syringe of kit SAIL-K001 not yet accounted for: SAIL-K001-18\n"
            "• sedation record: no vital signs recorded\n• sedation record: no analgesia charted"
        )
    )
    assert not ask.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    qtbot.keyClicks(ask.combo, "Counted by the trial pharmacy")
    with qtbot.waitSignal(review.completed):
        press(qtbot, ask.combo, Qt.Key.Key_Return)
    assert bedside.session.active.user_id == team.operator.user_id
    assert bedside.view.status is ProcedureStatus.COMPLETED
    panel = bedside.panel
    assert not panel.confirm_button.isEnabled()
    assert not panel.actions.undo.isEnabled()
    assert not panel.actions.skip.isEnabled()
    assert "read-only" in panel.recorder.text()
    review.accept()
    with team.uow.read() as tx:
        reasons = [
            a.reason
            for a in tx.audit.for_procedure(view.id)
            if a.event_type == "procedure.completed"
        ]
    assert reasons == [
        "procedure completed without: "
        "1 syringe of kit SAIL-K001 not yet accounted for: SAIL-K001-18; "
        "sedation record: no vital signs recorded; sedation record: no analgesia charted — "
        "reason: Counted by the trial pharmacy"
    ]


def test_cancelling_the_reason_leaves_the_procedure_in_progress(qtbot, make_window, team) -> None:
    view = _all_but_one_skipped(team)
    bedside, review = open_review(qtbot, make_window, team, view)
    qtbot.mouseClick(review.complete_button, Qt.MouseButton.LeftButton)
    press(qtbot, review.reason_dialog.combo, Qt.Key.Key_Escape)
    assert bedside.view.status is ProcedureStatus.IN_PROGRESS
    assert review.complete_button.isEnabled()


def test_after_completion_a_correction_with_a_reason_is_still_possible(
    qtbot, make_window, team
) -> None:
    view = _all_but_one_skipped(team)
    completion.complete_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        gaps_reason="Returned to the trial pharmacy",
    )
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    panel = bedside.panel
    first = view.sites[0].number
    panel.select_site(first)
    assert panel.actions.correct.isEnabled()
    press(qtbot, panel.syringe, Qt.Key.Key_E, CTRL)
    dialog = panel.active_dialog
    dialog.depth_field.setText("13")
    assert not dialog.buttons.buttons()[0].isEnabled()
    qtbot.keyClicks(dialog.reason, "Depth read again from the needle marks")
    press(qtbot, dialog.reason, Qt.Key.Key_Return)
    entry = live_entry(bedside.view, first)
    assert str(entry.depth) == "13.0 mm"
    assert entry.performed_at == view.sites[0].entry.performed_at  # time untouched
    with team.uow.read() as tx:
        reasons = [
            a.reason for a in tx.audit.for_procedure(view.id) if a.event_type == "site.corrected"
        ]
    assert reasons == ["Depth read again from the needle marks"]


def test_the_review_model_passes_the_model_tester(qtbot, qtmodeltester, team) -> None:
    from ui.procedure.review_model import ReviewSitesModel

    view = _all_but_one_skipped(team)
    model = ReviewSitesModel(ZoneInfo("Europe/Amsterdam"))
    model.set_rows(view)
    qtmodeltester.check(model, force_py=True)


def test_a_correction_can_change_the_time_given_with_a_reason(qtbot, make_window, team) -> None:
    from PySide6.QtCore import QTime

    started = team.started_procedure()
    team.clock.advance(minutes=30)
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    first = started.sites[0].number
    press(qtbot, panel.syringe, Qt.Key.Key_Return)
    panel.select_site(first)
    press(qtbot, panel.syringe, Qt.Key.Key_E, CTRL)
    dialog = panel.active_dialog
    given = live_entry(bedside.view, first).performed_at.astimezone(team.clock.zone)
    earlier = given.replace(second=0, microsecond=0) - timedelta(minutes=10)
    dialog.time.setTime(QTime(earlier.hour, earlier.minute))
    qtbot.keyClicks(dialog.reason, "Entered ten minutes late; time from the paper note")
    press(qtbot, dialog.reason, Qt.Key.Key_Return)
    entry = live_entry(bedside.view, first)
    assert entry.performed_at == earlier
    assert entry.recorded_at == given  # the entry time stays the clock's


def test_the_use_by_line_counts_down_then_stops_at_completion(qtbot, make_window, team) -> None:
    view = _all_but_one_skipped(team)  # released at start; 30 entries later
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    header = bedside.page.header
    assert "left" in header.product.text()
    team.clock.advance(minutes=200)  # 20 min left of the 240: a warning
    header._on_timer_timeout()
    assert "F0E442" in header.product.text()
    completion.complete_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        gaps_reason="Returned to the trial pharmacy",
    )
    team.clock.advance(minutes=60)  # long after the use-by time: the count stopped before
    bedside.page.reload()
    text = header.product.text()
    assert "completed" in text
    assert "before the use-by time" in text
    assert "left" not in text
    assert "USE-BY PASSED" not in text


def _summary_sum(panel) -> tuple[int, list[int]]:  # type: ignore[no-untyped-def]
    """The issued count and the terms it is said to equal, from the summary's first line."""
    import re

    first = panel.summary.text().split("<br>")[0]
    numbers = [int(n) for n in re.findall(r"<b>(\d+)</b>", first)]
    return numbers[0], numbers[1:]


def test_the_reconciliation_adds_up_and_names_syringes_not_counts(qtbot, make_window, team) -> None:
    view = _all_but_one_skipped(team)
    bedside, review = open_review(qtbot, make_window, team, view)
    panel = review.reconcile
    issued, terms = _summary_sum(panel)
    assert issued == sum(terms) == 30
    text = panel.summary.text()
    assert "1 not yet accounted for: SAIL-K001-18" in text
    assert "Not yet accounted for: syringe 18" in text
    assert "Injected: syringes 01–17, 19–30" in text
    assert review.missing_items() == [
        "1 syringe of kit SAIL-K001 not yet accounted for: SAIL-K001-18",
        "sedation record: no vital signs recorded",
        "sedation record: no analgesia charted",
    ]
    panel.unaccounted.item(0).setSelected(True)
    qtbot.mouseClick(panel.returned_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.reconciliation.balanced)
    issued, terms = _summary_sum(panel)
    assert issued == sum(terms) == 30
    assert "Returned: syringe 18" in panel.summary.text()
    assert "Not yet accounted for: —" in panel.summary.text()
    # Nothing left to mark: the buttons say so instead of looking ready.
    for button in (panel.returned_button, panel.wasted_button):
        assert not button.isEnabled()
        assert button.toolTip() == "Every syringe is accounted for."
    assert panel.withdraw_button.isEnabled()
    assert bedside is not None
