"""Sessions end when rights end, on the real main window (issue 12, part 6).

An admin deactivates — or takes the role of — a person who is signed in at the bedside. That
person's next action through the real widgets (Enter on a site to record the injection; OK in
File ▸ New procedure to register a subject) is refused with the reason on screen, nothing is
saved, they are signed out, and with nobody left the window is covered and asks for a sign-in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QToolButton, QWidget

from slidesk.domain.users import Role
from slidesk.services.accounts import admin as account_admin
from slidesk.services.procedure import service as procedures
from slidesk.services.procedure import subjects
from tests.ui.bedside import Bedside, activate, open_procedure, press
from ui.auth.lock_screen import SessionLockGuard, UnlockDialog
from ui.auth.start import guard_window

SCREENS = Path("/tmp")  # where a run leaves its screen grabs for a person to look at


@pytest.fixture
def guarded(qtbot, make_window, team) -> Iterator[tuple[Bedside, SessionLockGuard]]:  # type: ignore[no-untyped-def]
    """The main window with only the operator signed in, guarded as the app guards it."""
    bedside = make_window(team, users=(team.operator,))
    guard = guard_window(bedside.window, bedside.context, bedside.session, None)
    yield bedside, guard
    bedside.session.set_idle_minutes(60)
    guard.release()


def _typist_buttons(window: QWidget) -> list[str]:
    """The names on the typist switcher, as drawn."""
    return [
        b.text()
        for b in window.findChildren(QToolButton)
        if b.isVisible() and b.text() in ("Nina Nurse", "Olga Operator")
    ]


def _message_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]


def _assert_signed_out_to_the_sign_in_screen(
    qtbot, bedside: Bedside, guard: SessionLockGuard, why: str, grab: str
) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: bedside.session.is_locked)
    assert bedside.session.people == ()
    cover = bedside.window.findChild(QWidget, "lockCover")
    assert cover is not None
    assert cover.isVisible()
    assert cover.findChild(QLabel).text() == "Nobody is signed in"
    assert isinstance(guard.dialog, UnlockDialog)
    assert guard.dialog.isVisible()
    said = [box.text() for box in _message_boxes() if box.isVisible()]
    assert any(why in text and "Olga Operator has been signed out" in text for text in said), said
    bedside.window.grab().save(str(SCREENS / grab))
    guard.dialog.grab().save(str(SCREENS / grab.replace(".png", "_sign_in.png")))
    next(b for b in _message_boxes() if b.isVisible()).grab().save(
        str(SCREENS / grab.replace(".png", "_message.png"))
    )


def test_a_deactivated_operator_is_stopped_at_the_next_injection_and_signed_out(
    qtbot, guarded, team
) -> None:  # type: ignore[no-untyped-def]
    bedside, guard = guarded
    started = team.started_procedure()
    open_procedure(qtbot, bedside, started.id)
    panel = bedside.panel
    first = bedside.view.next_site_no
    assert panel.selected == first
    account_admin.set_active(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        user_id=team.operator.user_id,
        active=False,
        reason="left the trial team",
    )
    team.clock.advance(seconds=30)
    press(qtbot, panel.syringe, Qt.Key.Key_Return)
    _assert_signed_out_to_the_sign_in_screen(
        qtbot, bedside, guard, "was deactivated", "rights_end_injection.png"
    )
    saved = procedures.get_procedure(uow=team.uow, actor=team.nurse, procedure_id=started.id)
    assert [e for e in saved.entries if e.site_no == first] == [], "nothing was recorded"


def test_an_operator_whose_role_was_taken_cannot_register_a_subject_and_is_signed_out(
    qtbot, make_window, team
) -> None:  # type: ignore[no-untyped-def]
    # Planning needs a nurse at the bedside: she stays signed in and takes over the keyboard.
    bedside = make_window(team)
    guard = guard_window(bedside.window, bedside.context, bedside.session, None)
    window = bedside.window
    assert bedside.session.active == team.operator
    window.show_home()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.dialog is not None)
    dialog = window.dialog
    activate(qtbot, dialog)
    dialog.subject.setCurrentIndex(0)
    dialog.study_id.setText("SAIL-01-061")
    dialog.left.click()
    dialog.kit.setText("SAIL-K061")
    dialog.location.setText("Angio 2")
    assert dialog.ok.isEnabled(), dialog.still_needed.text()
    account_admin.set_roles(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        user_id=team.operator.user_id,
        roles=frozenset({Role.MONITOR}),
        reason="moved to monitoring",
    )
    try:
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not bedside.session.is_signed_in(team.operator.user_id))
        assert bedside.session.active == team.nurse
        assert not bedside.session.is_locked, "the nurse at the bedside goes on"
        said = [box.text() for box in _message_boxes() if box.isVisible()]
        assert any(
            "The roles of Olga Operator changed" in text
            and "Olga Operator has been signed out" in text
            for text in said
        ), said
        assert dialog.result_view is None
        found = subjects.find_subject(uow=team.uow, actor=team.nurse, study_id="SAIL-01-061")
        assert found is None
        qtbot.waitUntil(lambda: _typist_buttons(window) == ["Nina Nurse"])
        assert dialog.isVisible(), "the planned procedure stays on screen"
        assert dialog.study_id.text() == "SAIL-01-061"
        window.grab().save(str(SCREENS / "rights_end_register.png"))
        dialog.grab().save(str(SCREENS / "rights_end_register_dialog.png"))
        next(b for b in _message_boxes() if b.isVisible()).grab().save(
            str(SCREENS / "rights_end_register_message.png")
        )
    finally:
        bedside.session.set_idle_minutes(60)
        guard.release()
