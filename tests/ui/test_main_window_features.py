"""The main window reaches the feature screens: nurse's tabs, AE form, signing, report,
follow-up, site history; every entry point keyed, and the list ready for Enter at start."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.services.audit.timeline import TimelineKind
from tests.conftest import PASSWORD
from tests.followup_helpers import subject_in_follow_up
from tests.signing_helpers import completed_procedure
from tests.ui.bedside import (
    activate,
    open_procedure,
    press,
)

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def kinds(tab) -> list[TimelineKind]:  # type: ignore[no-untyped-def]
    return [item.kind for item in tab.inner.model.rows]


def key(qtbot, window, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    """A shortcut pressed wherever the focus is in the window."""
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, k, modifier)


def close_viewer(qtbot, viewer) -> None:  # type: ignore[no-untyped-def]
    """Let the background integrity check finish before the database goes away."""
    qtbot.waitUntil(lambda: viewer.verify_banner.kind in ("success", "error", "warning"))
    viewer.close()


# --- nurse's record ---------------------------------------------------------------------------


def test_nurse_tabs_follow_the_open_procedure_and_the_timeline_shows_a_new_injection(
    qtbot, make_window, team
) -> None:
    first = team.started_procedure()
    second = team.started_procedure(study_id="SAIL-01-002", kit="SAIL-K002")
    bedside = make_window(team)
    open_procedure(qtbot, bedside, first.id)
    tabs = bedside.window.features.record_tabs
    record_tabs = bedside.page.record_tabs
    titles = [record_tabs.tabText(i).replace("&&", "&") for i in range(record_tabs.count())]
    assert titles == ["Injection", "Sedation & vitals", "Timeline"]
    key(qtbot, bedside.window, Qt.Key.Key_2, CTRL)
    assert record_tabs.currentWidget() is tabs.sedation
    assert tabs.sedation.inner.record.procedure_id == first.id
    key(qtbot, bedside.window, Qt.Key.Key_3, CTRL)
    assert record_tabs.currentWidget() is tabs.timeline
    assert TimelineKind.INJECTION not in kinds(tabs.timeline)
    key(qtbot, bedside.window, Qt.Key.Key_1, CTRL)
    assert record_tabs.currentWidget() is bedside.panel
    press(qtbot, bedside.panel.syringe, Qt.Key.Key_Return)  # the suggested site and syringe
    assert bedside.view.injected_count == 1
    assert tabs.timeline.inner.follower.stale  # hidden: it reads when shown, not every time
    key(qtbot, bedside.window, Qt.Key.Key_3, CTRL)
    assert kinds(tabs.timeline).count(TimelineKind.INJECTION) == 1
    bedside.window.show_home()
    assert tabs.sedation.procedure_id is None
    open_procedure(qtbot, bedside, second.id)
    key(qtbot, bedside.window, Qt.Key.Key_2, CTRL)
    assert tabs.sedation.inner.record.procedure_id == second.id


def test_vitals_charted_by_the_nurse_appear_in_the_timeline(qtbot, make_window, team) -> None:
    started = team.started_procedure()
    bedside = make_window(team, typist=team.nurse)
    open_procedure(qtbot, bedside, started.id)
    tabs = bedside.window.features.record_tabs
    key(qtbot, bedside.window, Qt.Key.Key_3, CTRL)
    assert TimelineKind.VITALS not in kinds(tabs.timeline)
    key(qtbot, bedside.window, Qt.Key.Key_2, CTRL)
    nurse = tabs.sedation.inner
    nurse.tabs.setCurrentWidget(nurse.vitals)
    for field, value in (("hr", "72"), ("systolic", "130"), ("diastolic", "80"), ("spo2", "97")):
        getattr(nurse.vitals, field).setText(value)
    with qtbot.waitSignal(bedside.context.changes.changed):
        qtbot.mouseClick(nurse.vitals.save, Qt.MouseButton.LeftButton)
    key(qtbot, bedside.window, Qt.Key.Key_3, CTRL)
    assert TimelineKind.VITALS in kinds(tabs.timeline)


def test_a_site_flag_opens_the_ae_form_for_that_site_and_the_nurse_tab_shows_the_ae(
    qtbot, make_window, team
) -> None:
    from ui.nurse.ae_form import AdverseEventDialog

    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    press(qtbot, bedside.panel.syringe, Qt.Key.Key_Return)
    site = bedside.view.entries[-1].site_no
    features = bedside.window.features
    with qtbot.waitSignal(bedside.window.adverse_event_requested) as requested:
        bedside.panel.actions.adverse_event.trigger()  # Ctrl+Shift+E
    assert requested.args == [started.id, site]
    dialog = features.procedure.dialog
    assert isinstance(dialog, AdverseEventDialog)
    assert dialog.options.procedure_id == started.id
    assert dialog.sites.text() == str(site)
    dialog.term.setCurrentText("Haematoma")
    with qtbot.waitSignal(dialog.adverse_event_recorded):
        dialog.save_button.click()
    key(qtbot, bedside.window, Qt.Key.Key_2, CTRL)
    assert len(features.record_tabs.sedation.inner.record.adverse_events) == 1
    # Procedure ▸ Adverse event… (F8): the whole procedure, no site filled in.
    features.procedure.adverse_event_action.trigger()
    whole = features.procedure.dialog
    assert isinstance(whole, AdverseEventDialog)
    assert whole is not dialog
    assert whole.options.procedure_id == started.id
    assert whole.sites.text() == ""
    whole.reject()


# --- signing and the report -------------------------------------------------------------------


def test_sign_and_report_open_for_the_procedure_selected_on_the_list(
    qtbot, make_window, team
) -> None:
    from ui.signing.report_dialog import ReportDialog
    from ui.signing.sign_dialog import SignDialog

    older = completed_procedure(team, skip=None, shallow=None)
    newer = team.started_procedure(study_id="SAIL-01-002", kit="SAIL-K002")
    bedside = make_window(team)
    home = bedside.window.home
    procedure = bedside.window.features.procedure
    rows = {home.model.summary(r).id: r for r in range(home.model.rowCount())}
    home.table.selectRow(rows[older.id])
    key(qtbot, bedside.window, Qt.Key.Key_S, CTRL_SHIFT)
    assert isinstance(procedure.dialog, SignDialog)
    assert procedure.dialog.review.procedure_id == older.id
    procedure.dialog.close()
    home.table.selectRow(rows[newer.id])
    home.table.setFocus()
    key(qtbot, bedside.window, Qt.Key.Key_P, CTRL)
    assert isinstance(procedure.dialog, ReportDialog)
    report = procedure.dialog
    qtbot.waitUntil(lambda: report.issued is not None, timeout=30_000)  # made in the background
    assert report.issued.procedure_id == newer.id
    procedure.dialog.close()
    # The same actions sit in the row's context menu and as buttons next to Open.
    assert procedure.sign_action in home.table.actions()
    assert procedure.report_action in home.table.actions()


def test_signing_from_the_workspace_makes_it_read_only_and_updates_the_list(
    qtbot, make_window, team
) -> None:
    view = completed_procedure(team, skip=None, shallow=None)
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    procedure = bedside.window.features.procedure
    procedure.sign_action.trigger()
    dialog = procedure.dialog
    assert dialog.review.procedure_id == view.id
    for meaning, username in (("operator", "operator"), ("nurse", "nurse")):
        dialog.findings.acknowledge_all()
        dialog.meaning.setCurrentIndex(dialog.meaning.findData(meaning))
        dialog.username.setText(username)
        dialog.password.setText(PASSWORD)
        with qtbot.waitSignal(bedside.context.changes.changed):
            dialog.sign_button.click()
    assert bedside.view.status is ProcedureStatus.SIGNED
    assert "Signed and locked: to correct it, open an amendment" in bedside.panel.recorder.text()
    assert not bedside.panel.actions.undo.isEnabled()
    dialog.close()
    home = bedside.window.home
    assert home.follower.stale  # hidden behind the workspace: it reads when shown
    bedside.window.show_home()
    row = home.table.currentIndex().row()
    assert home.model.summary(row).id == view.id  # still on the row the person left
    assert home.model.summary(row).status is ProcedureStatus.SIGNED


# --- follow-up --------------------------------------------------------------------------------


def test_due_visits_sit_under_the_list_and_open_the_subjects_outcomes(
    qtbot, make_window, team
) -> None:
    from ui.followup.subject_outcomes import SubjectOutcomesWindow

    waiting = subject_in_follow_up(team)
    started = team.started_procedure()
    bedside = make_window(team)
    section = bedside.window.features.follow_up
    qtbot.waitUntil(lambda: section.panel is not None and section.panel.isVisible())
    home = bedside.window.home
    assert home.isAncestorOf(section.panel)
    # 1366×768: both lists readable, the procedure list keeps the larger share.
    assert section.panel.height() >= 150
    assert home.table.viewport().height() >= 7 * home.table.verticalHeader().defaultSectionSize()
    assert section.panel.model.row_at(0).subject_id == waiting
    section.panel.table.selectRow(0)
    section.panel.open_button.click()
    opened = [w for w in section.panel._windows if isinstance(w, SubjectOutcomesWindow)]
    assert opened[-1].subject_id == waiting
    opened[-1].close()
    # From the list's selected procedure (Ctrl+Shift+O), and from the workspace.
    home.table.selectRow(0)
    bedside.window.features.procedure.outcomes_action.trigger()
    assert bedside.window.features.procedure.dialog.subject_id == started.subject.id
    bedside.window.features.procedure.dialog.close()
    open_procedure(qtbot, bedside, started.id)
    activate(qtbot, bedside.window)  # the closed outcomes window had been the active one
    key(qtbot, bedside.window, Qt.Key.Key_O, CTRL_SHIFT)
    assert bedside.window.features.procedure.dialog.subject_id == started.subject.id
    bedside.window.features.procedure.dialog.close()
    # F6 hides the section (remembered) and gives the list the keyboard.
    bedside.window.show_home()
    key(qtbot, bedside.window, Qt.Key.Key_F6)
    assert not section.panel.isVisible()
    assert home.table.hasFocus()


# --- history ----------------------------------------------------------------------------------


def test_history_of_the_shown_site_opens_the_viewer_filtered_to_its_entry(
    qtbot, make_window, team
) -> None:
    from ui.audit.viewer import AuditViewer

    started = team.started_procedure()
    view = team.inject(started.id, started.next_site_no, "01")
    entry = view.entries[-1]
    bedside = make_window(team, users=(team.monitor,))
    open_procedure(qtbot, bedside, started.id)
    procedure = bedside.window.features.procedure
    assert procedure.site_history_action.isVisible()
    bedside.panel.select_site(entry.site_no)
    procedure.site_history_action.trigger()  # Ctrl+Shift+H
    viewer = procedure.dialog
    assert isinstance(viewer, AuditViewer)
    assert (viewer._entity, viewer._entity_id) == ("site_entries", str(entry.id))
    assert "History of site entry" in viewer.record_chip.text()
    assert viewer.model.rowCount() >= 1
    close_viewer(qtbot, viewer)
    site_menu = bedside.window.features.site_menu
    marker = bedside.page.diagram.map_site_to_viewport(entry.site_no).toPoint()
    assert site_menu.site_at(marker) == entry.site_no  # what a right-click there finds
    menu = site_menu.menu_for(entry.site_no)
    texts = [a.text() for a in menu.actions()]
    assert any(t.startswith("&History of this site") for t in texts)
    procedure.procedure_history_action.trigger()  # Ctrl+Shift+R
    whole = procedure.dialog
    assert whole is not viewer
    assert whole._entity is None
    assert whole.filters.procedure.text() == str(started.id)
    close_viewer(qtbot, whole)


def test_an_operator_has_no_history_actions(qtbot, make_window, team) -> None:
    started = team.started_procedure()
    team.inject(started.id, started.next_site_no, "01")
    bedside = make_window(team)
    procedure = bedside.window.features.procedure
    for action in (procedure.site_history_action, procedure.procedure_history_action):
        assert not action.isVisible()
        assert not action.isEnabled()
    open_procedure(qtbot, bedside, started.id)
    menu = bedside.window.features.site_menu.menu_for(1)
    assert not any("History" in a.text() for a in menu.actions())
    bedside.window.procedure_menu.aboutToShow.emit()
    shown = [a for a in bedside.window.procedure_menu.actions() if a.isVisible()]
    assert procedure.site_history_action not in shown
    assert procedure.sign_action in shown


# --- keyboard ---------------------------------------------------------------------------------


def test_after_the_window_is_shown_the_list_has_the_keyboard_and_enter_opens_the_first_row(
    qtbot, make_window, team
) -> None:
    team.started_procedure(study_id="SAIL-01-001", kit="SAIL-K001")
    newest = team.started_procedure(study_id="SAIL-01-002", kit="SAIL-K002")
    bedside = make_window(team)
    home = bedside.window.home
    qtbot.waitUntil(home.table.hasFocus)
    assert home.table.currentIndex().row() == 0
    press(qtbot, home.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bedside.window.workspace.isVisible())
    assert bedside.view.id == newest.id


def test_no_two_actions_of_the_window_share_a_shortcut(qtbot, make_window, team) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, started.id)
    bedside.window._add_admin_menu()
    seen: dict[str, str] = {}
    for action in bedside.window.findChildren(QAction):
        keys = action.shortcut().toString()
        if not keys:
            continue
        name = action.text().replace("&", "")
        assert keys not in seen or seen[keys] == name, f"{keys}: {seen.get(keys)} / {name}"
        seen[keys] = name
    for expected in ("Ctrl+Shift+S", "Ctrl+P", "Ctrl+Shift+O", "Ctrl+Shift+H", "F8", "Ctrl+2"):
        assert expected in seen


def test_ctrl_q_asks_before_signing_everyone_out(qtbot, make_window, team) -> None:
    from PySide6.QtWidgets import QMessageBox

    view = team.started_procedure()
    bedside = make_window(team)
    open_procedure(qtbot, bedside, view.id)
    window = bedside.window
    window.quit_action.trigger()
    box = window.dialog
    assert isinstance(box, QMessageBox)
    assert "2 person(s) will be signed out" in box.informativeText()
    assert "SAIL-01-001 stays in progress" in box.informativeText()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert window.isVisible()
    window.quit_action.trigger()
    box = window.dialog
    quit_button = next(b for b in box.buttons() if b.text() == "&Quit")
    quit_button.click()
    qtbot.waitUntil(lambda: not window.isVisible())
