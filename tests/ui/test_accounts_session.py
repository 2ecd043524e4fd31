"""The bedside session in the GUI: typist switcher, idle lock, unlock, sign-out, admin menu."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QMainWindow, QVBoxLayout, QWidget

from tests.conftest import PASSWORD
from ui.admin.menu import build_admin_menu
from ui.auth.lock_screen import SessionLockGuard, UnlockDialog
from ui.auth.typist_switcher import TypistSwitcher
from ui.session import BedsideSession


@pytest.fixture
def bedside(context, team, qtbot) -> BedsideSession:
    """Operator and nurse signed in; the operator is typing."""
    session = BedsideSession(context, hasher=team.hasher)
    session.add(team.nurse, make_active=False)
    session.add(team.operator)
    return session


@pytest.fixture
def window(qtbot, context, bedside) -> Iterator[QMainWindow]:
    """A stand-in main window holding typed, unsaved text and the session's widgets."""
    window = QMainWindow()
    body = QWidget()
    layout = QVBoxLayout(body)
    window.draft = QLineEdit()
    layout.addWidget(window.draft)
    window.setCentralWidget(body)
    window.switcher = TypistSwitcher(context, bedside, window)
    window.addToolBar("Session").addWidget(window.switcher)
    window.admin_menu = build_admin_menu(window, context, bedside)
    window.menuBar().addMenu(window.admin_menu)
    window.guard = SessionLockGuard(context, bedside, window)
    qtbot.addWidget(window)
    window.show()
    yield window
    # A test's short idle time must not lock (and block with a modal dialog) the next test.
    bedside.set_idle_minutes(60)
    window.guard.release()


def events(team, prefix: str) -> list[dict]:
    with team.uow.read() as tx:
        return [e for e in tx.audit.iter_all() if e["event_type"].startswith(prefix)]


def test_switching_typist_is_one_click_and_audited(qtbot, window, bedside, team) -> None:
    button = window.switcher.person_button(team.nurse.user_id)
    with qtbot.waitSignal(bedside.active_changed):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert bedside.active == team.nurse
    assert window.switcher.person_button(team.nurse.user_id).isChecked()
    (entry,) = events(team, "session.typist_changed")
    assert entry["user_id"] == team.nurse.user_id


def test_switch_action_cycles_between_the_people_at_the_bedside(window, bedside, team) -> None:
    window.switcher.switch_action.trigger()
    assert bedside.active == team.nurse
    window.switcher.switch_action.trigger()
    assert bedside.active == team.operator


def test_sign_out_from_the_switcher_removes_the_person(qtbot, window, bedside, team) -> None:
    with qtbot.waitSignal(bedside.people_changed):
        bedside.sign_out(team.operator.user_id)
    assert bedside.active == team.nurse
    with pytest.raises(KeyError):
        window.switcher.person_button(team.operator.user_id)
    assert events(team, "session.signed_out")


def test_idle_time_locks_the_window_and_keeps_typed_text(qtbot, window, bedside, team) -> None:
    qtbot.keyClicks(window.draft, "unsaved note")
    bedside.set_idle_interval_ms(30)
    bedside.note_activity()
    with qtbot.waitSignal(bedside.locked_changed, timeout=2000):
        pass
    assert bedside.is_locked
    # Locked once is enough: on a loaded machine 30 ms pass before the wait below begins, and
    # the window would lock again (a new cover) right after the unlock.
    bedside.set_idle_minutes(60)
    dialog = window.guard.dialog
    assert isinstance(dialog, UnlockDialog)
    assert dialog.isVisible()
    assert window.findChild(QWidget, "lockCover").isVisible()
    (locked,) = events(team, "session.locked")
    assert '"cause":"idle"' in locked["changes"]
    qtbot.keyClicks(dialog.password, "wrong-pass-1")
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert dialog.strip.text().startswith("The password is not correct")
    assert bedside.is_locked
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(bedside.locked_changed):
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert not bedside.is_locked
    assert window.draft.text() == "unsaved note"
    qtbot.waitUntil(lambda: window.findChild(QWidget, "lockCover") is None)
    assert events(team, "session.unlocked")


def test_the_nurse_can_unlock_and_becomes_the_typist(qtbot, window, bedside, team) -> None:
    bedside.lock()
    dialog = window.guard.dialog
    dialog.person.setCurrentIndex(dialog.person.findData(team.nurse.user_id))
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert not bedside.is_locked
    assert bedside.active == team.nurse


def test_escape_does_not_unlock(qtbot, window, bedside) -> None:
    bedside.lock()
    dialog = window.guard.dialog
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert bedside.is_locked
    assert dialog.isVisible()


def test_a_dialog_open_at_lock_time_keeps_its_input(qtbot, window, bedside, team) -> None:
    other = QDialog(window)
    field = QLineEdit(other)
    other.open()
    qtbot.keyClicks(field, "correction reason half typed")
    bedside.lock()
    assert other.findChild(QWidget, "lockCover") is not None
    dialog = window.guard.dialog
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert other.isVisible()
    assert field.text() == "correction reason half typed"
    other.close()


def test_signing_out_the_last_person_locks_and_asks_for_a_sign_in(qtbot, window, bedside, team):
    bedside.sign_out(team.operator.user_id)
    bedside.sign_out(team.nurse.user_id)
    assert bedside.is_locked
    dialog = window.guard.dialog
    # A sign-out is not a lock: the sheet and the dialog say that nobody is signed in.
    assert dialog.title.text() == "Nobody is signed in"
    assert dialog.subtitle.text().startswith("Sign in to continue.")
    assert "locked" not in dialog.windowTitle().lower()
    cover = window.findChild(QWidget, "lockCover")
    assert cover.findChild(QLabel).text() == "Nobody is signed in"
    assert not dialog.unlock_button.isVisibleTo(dialog)
    assert dialog.quit_button.isVisibleTo(dialog)
    assert dialog.other_button.text() == "Sign in…"


@pytest.mark.parametrize("how", ["ctrl+l", "idle"])
def test_a_lock_with_people_signed_in_says_locked(qtbot, window, bedside, how) -> None:
    if how == "ctrl+l":
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.keyClick(window.draft, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    else:
        bedside.lock(cause="idle")
    assert bedside.is_locked
    dialog = window.guard.dialog
    assert dialog.title.text() == "SLI Desk is locked"
    assert dialog.subtitle.text().startswith("Locked at ")
    assert dialog.windowTitle().startswith("Locked")
    cover = window.findChild(QWidget, "lockCover")
    assert cover.findChild(QLabel).text() == "SLI Desk is locked"
    assert dialog.unlock_button.isVisibleTo(dialog)


def test_admin_menu_follows_the_typists_role(window, bedside, team) -> None:
    menu = window.admin_menu
    assert not menu.users_action.isEnabled()
    assert not menu.audit_action.isEnabled()
    bedside.add(team.monitor)
    assert menu.audit_action.isEnabled()
    assert not menu.users_action.isEnabled()
    bedside.add(team.admin)
    assert menu.users_action.isEnabled()
    assert "Ada Admin" in menu.sign_out_action.text()


def test_ctrl_l_locks_the_screen(qtbot, window, bedside) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(bedside.locked_changed):
        qtbot.keyClick(window.draft, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert bedside.is_locked


def test_menu_opens_the_audit_viewer_for_a_monitor(window, bedside, team) -> None:
    from ui.audit.viewer import AuditViewer

    bedside.add(team.monitor)
    window.admin_menu.audit_action.trigger()
    assert isinstance(window.admin_menu.last_dialog, AuditViewer)
    window.admin_menu.last_dialog.close()


def test_the_lock_says_nobody_once_everyone_has_signed_out(qtbot, window, bedside, team) -> None:
    bedside.lock()
    bedside.sign_out(team.operator.user_id)
    dialog = window.guard.dialog
    assert dialog.title.text() == "SLI Desk is locked"  # the nurse is still signed in
    bedside.sign_out(team.nurse.user_id)
    assert dialog.title.text() == "Nobody is signed in"
    cover = window.findChild(QWidget, "lockCover")
    assert cover.findChild(QLabel).text() == "Nobody is signed in"


def test_a_deactivated_typist_is_signed_out_at_their_next_action_with_the_reason(
    qtbot, window, bedside, team, context
) -> None:
    from slidesk.domain.values import Limb
    from slidesk.services.accounts import admin as account_admin
    from slidesk.services.procedure import subjects
    from ui.door import operations

    account_admin.set_active(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        user_id=team.operator.user_id,
        active=False,
        reason="left the trial team",
    )
    shown: list[str] = []
    problems: list[str] = []
    bedside.problem.connect(problems.append)
    with qtbot.waitSignal(bedside.people_changed):
        saved = operations.write(
            context,
            subjects.register_subject,
            actor=bedside.active,
            show_error=shown.append,
            what="The subject",
            changes=(operations.Topic.SUBJECTS,),
            study_id="SAIL-01-077",
            index_limb=Limb.LEFT,
            centre="UMC Utrecht",
        )
    assert saved is None
    assert len(shown) == 1
    assert "deactivated" in shown[0]
    assert not bedside.is_signed_in(team.operator.user_id)
    assert bedside.active == team.nurse, "the other person at the bedside goes on"
    assert len(problems) == 1
    assert "Olga Operator has been signed out" in problems[0]
    (entry,) = events(team, "session.signed_out")
    assert entry["user_id"] == team.operator.user_id
    assert "rights ended" in entry["changes"]
    assert subjects.find_subject(uow=team.uow, actor=team.nurse, study_id="SAIL-01-077") is None


def test_when_the_last_person_loses_their_rights_the_screen_locks(
    qtbot, window, bedside, team, context
) -> None:
    from slidesk.domain.users import Role
    from slidesk.services.accounts import admin as account_admin
    from slidesk.services.procedure import subjects
    from ui.door import operations

    bedside.sign_out(team.nurse.user_id)
    account_admin.set_roles(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        user_id=team.operator.user_id,
        roles=frozenset({Role.MONITOR}),
        reason="moved to monitoring",
    )
    with qtbot.waitSignal(bedside.locked_changed):
        operations.read(
            context,
            subjects.list_subjects,
            actor=bedside.active,
            show_error=lambda _t: None,
            what="The subjects",
        )
    assert bedside.is_locked
    assert bedside.people == ()
