"""The amendment's screens besides the main journey: what the panel says and fits, a skip and
a finding corrected, the nurse's late entry on the procedure's day, a reason that is missing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from slidesk.domain.procedure.model import ProcedureStatus, SkipReason
from slidesk.services.procedure import service as procedures
from slidesk.services.procedure import workspace
from slidesk.services.sedation import service as sedation
from slidesk.services.signing import service as signing
from slidesk.services.signing.changes import changes_since_signed
from tests.signing_helpers import amend, completed_procedure, sign, signed_procedure
from tests.ui.bedside import activate, live_entry, open_procedure
from tests.ui.test_amendment_journey import alt, key, shot, type_text
from ui.signing.amendment_dialog import AmendmentDialog
from ui.workspace.dialogs import CorrectionDialog, SkipCorrectionDialog
from ui.workspace.entry.late_finding import LateFindingDialog

CTRL = Qt.KeyboardModifier.ControlModifier


def _signed_and_amended(team, **kwargs):  # type: ignore[no-untyped-def]
    view = completed_procedure(team, **kwargs)
    sign(team, view.id, "operator", "operator")
    sign(team, view.id, "nurse", "nurse")
    amend(team, view.id, "Entries checked against the procedure note")
    return view


@pytest.mark.parametrize("amended", [False, True], ids=["signed", "amended"])
def test_the_panel_says_how_to_amend_or_correct_and_fits_1366_by_768(
    qtbot, team, amended, make_window
) -> None:
    view = signed_procedure(team)
    if amended:
        amend(team, view.id, "Entries checked against the procedure note")
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    QApplication.processEvents()
    panel = bedside.panel
    text = panel.recorder.text()
    if amended:
        assert "Amendment open: correct entries with a reason (Ctrl+E)" in text
        assert panel.actions.correct.isEnabled()
    else:
        assert "open an amendment (Ctrl+Shift+S)" in text
        assert not panel.actions.correct.isEnabled()
    assert not panel.actions.confirm.isEnabled()  # no new injection after signing
    content = panel.scroll.widget()
    assert content.minimumSizeHint().height() <= panel.scroll.viewport().height()
    shot(bedside.window, f"panel_{'amended' if amended else 'signed'}")


def test_a_skip_is_corrected_by_keys_during_an_amendment(qtbot, team, make_window) -> None:
    view = _signed_and_amended(team, skip=18)
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    panel = bedside.panel
    panel.select_site(18)
    key(qtbot, Qt.Key.Key_E, CTRL)
    dialog = panel.active_dialog
    assert isinstance(dialog, SkipCorrectionDialog)
    activate(qtbot, dialog)
    assert dialog.reason() is SkipReason.ULCER  # the saved reason, ready to change
    key(qtbot, Qt.Key.Key_2)  # 2: infection at the site
    assert dialog.detail.hasFocus()
    key(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "Cellulitis over the planned site")
    alt(qtbot, Qt.Key.Key_R)
    assert dialog.change_reason.hasFocus()
    type_text(qtbot, "Skip reason read again from the procedure note")
    shot(dialog, "amendment_correct_skip")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: live_entry(bedside.view, 18).skip_reason is SkipReason.INFECTION)
    assert live_entry(bedside.view, 18).skip_detail == "Cellulitis over the planned site"


def test_a_finding_recorded_by_mistake_is_withdrawn_from_the_site_correction(
    qtbot, team, make_window
) -> None:
    view = completed_procedure(team)
    sign(team, view.id, "operator", "operator")
    sign(team, view.id, "nurse", "nurse")
    amend(team, view.id, "A finding was tapped at the wrong site")
    workspace.flag_site(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        site_no=3,
        flag="bleeding",
        observed_at=view.started_at + timedelta(minutes=4),
    )
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    panel = bedside.panel
    panel.select_site(3)
    key(qtbot, Qt.Key.Key_E, CTRL)
    dialog = panel.active_dialog
    assert isinstance(dialog, CorrectionDialog)
    activate(qtbot, dialog)
    [(box, finding)] = dialog.findings
    assert finding.flag == "bleeding"
    box.setFocus()
    key(qtbot, Qt.Key.Key_Space)
    assert box.isChecked()
    alt(qtbot, Qt.Key.Key_R)
    type_text(qtbot, "Tapped at site 3 instead of site 4")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not any(f.site_no == 3 for f in bedside.page.flags))
    live = workspace.list_flags(uow=team.uow, actor=team.monitor, procedure_id=view.id)
    assert live == ()
    *_, withdrawn = changes_since_signed(
        uow=team.uow, actor=team.monitor, procedure_id=view.id, tz=team.clock.zone
    ).changes
    assert (withdrawn.what, withdrawn.change, withdrawn.reason) == (
        "Finding at site 3 (bleeding)",
        "struck out",
        "Tapped at site 3 instead of site 4",
    )


def test_the_nurse_adds_a_forgotten_dose_late_on_the_procedures_day(
    qtbot, team, make_window
) -> None:
    view = _signed_and_amended(team)
    team.clock.advance(days=1)  # the amendment is typed the next day
    bedside = make_window(team, typist=team.nurse)
    open_procedure(qtbot, bedside, view.id)
    key(qtbot, Qt.Key.Key_2, CTRL)
    nurse = bedside.window.features.record_tabs.sedation.inner
    medication = nurse.medication
    time = medication.time
    assert time.late_edit.isVisible()
    assert not time.now_box.isVisible()
    assert "Amendment open" in nurse.message.text()
    assert nurse.due.text() == ""  # a patient long gone is not "overdue"
    start = view.started_at.astimezone(team.clock.zone)
    shown = time.late_edit.dateTime()
    assert (shown.date().day(), shown.time().hour()) == (start.day, start.hour)
    given = (start + timedelta(minutes=5)).replace(second=0, microsecond=0)
    time.late_edit.setFocus()
    type_text(qtbot, given.strftime("%H%M"))  # the time; the day is the procedure's
    shot(bedside.window, "amendment_nurse_late_dose")
    medication.amount.setText("25")
    with qtbot.waitSignal(bedside.context.changes.changed):
        qtbot.mouseClick(medication.give, Qt.MouseButton.LeftButton)
    record = sedation.get_sedation(
        uow=team.uow, clock=team.clock, actor=team.monitor, procedure_id=view.id
    )
    [dose] = record.live_doses
    assert dose.given_at == given
    assert dose.late


def test_an_amendment_without_a_reason_or_password_says_what_is_missing(
    qtbot, team, context
) -> None:
    view = signed_procedure(team)
    review = signing.review_for_signing(uow=team.uow, actor=team.operator, procedure_id=view.id)
    dialog = AmendmentDialog(context, team.operator, review)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    dialog.password.setFocus()
    key(qtbot, Qt.Key.Key_Return)
    assert dialog.message.text() == "Give the reason for the amendment."
    assert dialog.reason.hasFocus()
    type_text(qtbot, "Wrong depth at site 12")
    dialog.password.setFocus()
    key(qtbot, Qt.Key.Key_Return)
    assert dialog.message.text() == "Type your password."
    assert dialog.isVisible()
    assert (
        procedures.get_procedure(uow=team.uow, actor=team.monitor, procedure_id=view.id).status
        is ProcedureStatus.SIGNED
    )


def test_a_forgotten_finding_is_added_late_with_the_time_it_was_seen(
    qtbot, team, make_window
) -> None:
    view = _signed_and_amended(team)
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    panel = bedside.panel
    panel.select_site(3)
    injected = live_entry(bedside.view, 3).performed_at.astimezone(team.clock.zone)
    assert panel.actions.flag_actions[0].isEnabled()  # Alt+1: pain reaction
    key(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    dialog = panel.active_dialog
    assert isinstance(dialog, LateFindingDialog)
    activate(qtbot, dialog)
    assert dialog.seen.hasFocus()
    seen = (injected + timedelta(minutes=2)).replace(second=0, microsecond=0)
    type_text(qtbot, seen.strftime("%H%M"))  # the day is the injection's
    shot(dialog, "amendment_late_finding")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(f.site_no == 3 for f in bedside.page.flags))
    [finding] = workspace.list_flags(uow=team.uow, actor=team.monitor, procedure_id=view.id)
    assert (finding.site_no, finding.flag, finding.observed_at) == (3, "pain reaction", seen)


def test_the_nurse_strikes_out_a_sedation_event_and_a_recovery_score_during_an_amendment(
    qtbot, team, make_window
) -> None:
    from slidesk.domain.sedation.events import SedationEventKind
    from slidesk.domain.sedation.recovery import Aldrete
    from slidesk.services.sedation import monitoring as monitoring

    view = completed_procedure(team)
    monitoring.record_sedation_event(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=view.id,
        kind=SedationEventKind.DESATURATION,
    )
    monitoring.record_recovery(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=view.id,
        scores=Aldrete(activity=2, respiration=2, circulation=2, consciousness=2, spo2=2),
    )
    sign(team, view.id, "operator", "operator")
    sign(team, view.id, "nurse", "nurse")
    amend(team, view.id, "Entries of another patient charted here by mistake")
    bedside = make_window(team, typist=team.nurse)
    open_procedure(qtbot, bedside, view.id)
    key(qtbot, Qt.Key.Key_2, CTRL)
    nurse = bedside.window.features.record_tabs.sedation.inner
    for tab, table in ((nurse.events, nurse.events.events_table), (nurse.recovery, None)):
        nurse.tabs.setCurrentWidget(tab)
        tab.ask_reason = lambda *_: "Charted for the wrong patient"
        (table or tab.table).setFocus()  # the only row is current: no need to select it
        assert tab.strike.isEnabled()
        with qtbot.waitSignal(bedside.context.changes.changed):
            tab.strike.setFocus()
            key(qtbot, Qt.Key.Key_Space)
    shot(bedside.window, "amendment_nurse_struck_out")
    record = sedation.get_sedation(
        uow=team.uow, clock=team.clock, actor=team.monitor, procedure_id=view.id
    )
    assert [e.voided for e in record.events] == [True]
    assert [r.voided for r in record.recovery] == [True]
    assert record.recovery[0].void_reason == "Charted for the wrong patient"


def test_a_syringe_recorded_as_returned_is_corrected_to_wasted_during_an_amendment(
    qtbot, team, make_window
) -> None:
    view = _signed_and_amended(team, skip=18)  # syringe 30 went back to the pharmacy
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    key(qtbot, Qt.Key.Key_F, CTRL | Qt.KeyboardModifier.ShiftModifier)  # Review and finish
    review = bedside.window.dialog
    activate(qtbot, review)
    panel = review.reconcile
    assert panel.withdraw_button.isEnabled()
    panel.recorded.setFocus()
    panel.recorded.setCurrentRow(0)
    alt(qtbot, Qt.Key.Key_H)  # Withdraw selected…
    qtbot.waitUntil(lambda: panel.dialog is not None)
    activate(qtbot, panel.dialog)
    type_text(qtbot, "Dropped on the floor, not returned")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.unaccounted.count() == 1)
    activate(qtbot, review)
    panel.unaccounted.setFocus()
    panel.unaccounted.setCurrentRow(0)
    alt(qtbot, Qt.Key.Key_W)  # Mark wasted…
    qtbot.waitUntil(lambda: panel.dialog is not None)
    activate(qtbot, panel.dialog)
    type_text(qtbot, "Dropped")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.state is not None and panel.state.wasted == ("SAIL-K001-30",))
    activate(qtbot, review)
    assert review.complete_button.text().startswith("Amendment open: correct with a reason")
    shot(review, "amendment_reconciliation")
    changes = changes_since_signed(
        uow=team.uow, actor=team.monitor, procedure_id=view.id, tz=team.clock.zone
    ).changes
    assert [(c.what, c.change, c.reason) for c in changes] == [
        ("Syringe SAIL-K001-30", "struck out", "Dropped on the floor, not returned"),
        ("Syringe SAIL-K001-30", "added", ""),
    ]
    review.close()
