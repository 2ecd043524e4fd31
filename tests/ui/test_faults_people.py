"""A broken service is said on screen and changes nothing: signing in, unlocking, the typist,
passwords, the first administrator and the user accounts (see tests/ui/fault_rig.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from slidesk.domain.users import Role
from slidesk.services.workstation.database import open_database
from tests.conftest import PASSWORD
from tests.ui.bedside import Bedside
from tests.ui.fault_rig import CASES, Rig, Scene, broken, case, drive, faults, visible_texts
from ui.auth.first_run import FirstRunDialog
from ui.auth.lock_screen import SessionLockGuard
from ui.auth.sign_in import SignInDialog
from ui.context import AppContext

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
_HERE: list[str] = []
NEW_PASSWORD = "battery-staple-42"


def here(service: str, *, writes: bool):  # type: ignore[no-untyped-def]
    _HERE.append(service)
    return case(service, writes=writes)


# --- who is at the keyboard ---------------------------------------------------------------------


@here("slidesk.services.accounts.sessions.record_session_event", writes=True)
def _switch(rig: Rig) -> Scene:
    bedside = rig.window()
    nurse = rig.team.nurse.user_id
    return Scene(
        lambda: rig.key(Qt.Key.Key_T, CTRL | SHIFT),  # Switch typist
        lambda: bedside.session.active is not None and bedside.session.active.user_id == nurse,
    )


@here("slidesk.services.accounts.sessions.sign_in", writes=True)
def _sign_in(rig: Rig) -> Scene:
    bedside = rig.window()
    admin = rig.team.admin.user_id

    def act() -> None:
        for old in bedside.window.findChildren(SignInDialog):
            old.reject()
        rig.activate(bedside.window)
        rig.key(Qt.Key.Key_N, CTRL | SHIFT)  # Add a person…
        dialog = next(d for d in bedside.window.findChildren(SignInDialog) if d.isVisible())
        rig.shown(dialog)
        dialog.username.setText("admin")
        dialog.password.setText(PASSWORD)
        rig.click(dialog.ok_button)

    return Scene(act, lambda: bedside.session.is_signed_in(admin), says="could not be done")


@here("slidesk.services.accounts.sessions.unlock_session", writes=True)
def _unlock(rig: Rig) -> Scene:
    bedside = rig.window()
    guard = SessionLockGuard(bedside.context, bedside.session, bedside.window)
    bedside.session.lock()
    dialog = guard.dialog
    assert dialog is not None
    rig.shown(dialog)

    def act() -> None:
        dialog.password.setText(PASSWORD)
        rig.click(dialog.unlock_button)

    return Scene(
        act, lambda: not bedside.session.is_locked, says="could not be done", keep=[guard, dialog]
    )


@here("slidesk.services.accounts.service.change_password", writes=True)
def _password(rig: Rig) -> Scene:
    bedside = rig.window()
    bedside.window._add_admin_menu()
    menu = bedside.window.admin_menu
    menu.password_action.trigger()
    dialog = rig.shown(menu.last_dialog)

    def act() -> None:
        dialog.form.current.setText(PASSWORD)
        dialog.form.new.setText(NEW_PASSWORD)
        dialog.form.repeat.setText(NEW_PASSWORD)
        rig.click(dialog.buttons.buttons()[0])

    return Scene(act, lambda: dialog.actor is not None, keep=[dialog])


@here("slidesk.services.accounts.service.create_first_admin", writes=True)
def _first_admin(rig: Rig) -> Scene:
    empty = open_database(rig.tmp_path / "new.sqlite3")
    context = AppContext(uow=empty.uow, clock=rig.team.clock, database_location="new")
    dialog = FirstRunDialog(context, hasher=rig.team.hasher)
    rig.qtbot.addWidget(dialog)
    dialog.show()
    rig.shown(dialog)

    def act() -> None:
        dialog.username.setText("firstadmin")
        dialog.full_name.setText("Fay First")
        dialog.password.setText(NEW_PASSWORD)
        dialog.repeat.setText(NEW_PASSWORD)
        rig.click(dialog.ok_button)

    rig.cleanups.append(empty.close)
    return Scene(act, lambda: dialog.created is not None, keep=[dialog], counted=empty)


# --- user accounts -------------------------------------------------------------------------------


def _administrator(rig: Rig) -> Bedside:
    bedside = rig.window()
    bedside.session.add(rig.team.admin, make_active=True)
    bedside.window._add_admin_menu()
    return bedside


def _users(rig: Rig, bedside: Bedside) -> Any:
    """Administration ▸ Users (Ctrl+Shift+U), opened again for each try."""
    menu = bedside.window.admin_menu
    if menu.last_dialog is not None and menu.last_dialog.isVisible():
        menu.last_dialog.close()
    rig.activate(bedside.window)
    rig.key(Qt.Key.Key_U, CTRL | SHIFT)
    return rig.shown(menu.last_dialog)


@here("slidesk.services.accounts.admin.access_review", writes=False)
def _access_review(rig: Rig) -> Scene:
    bedside = _administrator(rig)
    opened: list[Any] = []
    return Scene(
        lambda: opened.append(_users(rig, bedside)),
        lambda: opened[-1].model.rowCount() == 4,
        says="NOT be up to date",
        keep=opened,
    )


def _form_action(rig: Rig, dialog: Any, button: Any, fill: Any) -> None:
    """Open the form (again, unless it is still open after a failure), fill it, press OK."""
    if dialog.form is None or not dialog.form.isVisible():
        if dialog.model.rowCount():
            dialog.select_user("nurse")
        rig.click(button)
    form = rig.shown(dialog.form)
    fill(form)
    rig.click(form.ok_button)


@here("slidesk.services.accounts.service.add_user", writes=True)
def _add_user(rig: Rig) -> Scene:
    dialog = _users(rig, _administrator(rig))

    def fill(form: Any) -> None:
        form.username.setText("nnew")
        form.full_name.setText("Nora New")
        form.roles.set_roles(frozenset({Role.NURSE}))

    return Scene(
        lambda: _form_action(rig, dialog, dialog.add_button, fill),
        lambda: dialog.model.rowCount() == 5,
        keep=[dialog],
    )


def _reason(form: Any) -> None:
    form.reason.setText("Requested by the ward manager, ticket 1234")


@here("slidesk.services.accounts.admin.reset_password", writes=True)
def _reset(rig: Rig) -> Scene:
    dialog = _users(rig, _administrator(rig))
    return Scene(
        lambda: _form_action(rig, dialog, dialog.reset_button, _reason),
        lambda: dialog.form is not None and hasattr(dialog.form, "password"),
        keep=[dialog],
    )


@here("slidesk.services.accounts.admin.set_roles", writes=True)
def _roles(rig: Rig) -> Scene:
    dialog = _users(rig, _administrator(rig))

    def fill(form: Any) -> None:
        form.roles.set_roles(frozenset({Role.NURSE, Role.OPERATOR}))
        _reason(form)

    return Scene(
        lambda: _form_action(rig, dialog, dialog.roles_button, fill),
        lambda: dialog.strip.kind == "success",
        keep=[dialog],
    )


@here("slidesk.services.accounts.admin.set_active", writes=True)
def _deactivate(rig: Rig) -> Scene:
    dialog = _users(rig, _administrator(rig))
    return Scene(
        lambda: _form_action(rig, dialog, dialog.active_button, _reason),
        lambda: dialog.strip.kind == "success",
        keep=[dialog],
    )


@here("slidesk.services.accounts.admin.export_access_review", writes=True)
def _export_review(rig: Rig) -> Scene:
    dialog = _users(rig, _administrator(rig))
    target = rig.tmp_path / "review.csv"
    rig.monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_args, **_kwargs: (str(target), "")
    )
    return Scene(
        lambda: rig.click(dialog.review_button),
        lambda: dialog.strip.kind == "success" and target.is_file(),
        says="could not be done",
        keep=[dialog],
    )


@pytest.fixture
def rig(qtbot, team, tmp_path, monkeypatch, make_window) -> Iterator[Rig]:  # type: ignore[no-untyped-def]
    found = Rig(qtbot, team, tmp_path, monkeypatch, make_window)
    yield found
    found.close()


@pytest.mark.parametrize("service", _HERE)
def test_a_broken_service_is_said_on_screen_and_changes_nothing(rig: Rig, service: str) -> None:
    drive(rig, CASES[service])


def test_a_change_of_typist_that_cannot_be_audited_does_not_happen(rig: Rig) -> None:
    """Every entry must stay attributable to the person the audit trail names as typing."""
    bedside = rig.window()
    operator = rig.team.operator.user_id
    name = "slidesk.services.accounts.sessions.record_session_event"
    for _tag, fault in faults(name, writes=True):
        with broken(name, fault):
            rig.key(Qt.Key.Key_T, CTRL | SHIFT)
        assert bedside.session.active is not None
        assert bedside.session.active.user_id == operator
        assert any("change of typist to Nina Nurse" in t for t in visible_texts())


def test_a_sign_out_that_cannot_be_audited_still_signs_out_and_says_so(rig: Rig) -> None:
    """Leaving the screen open for someone who walked away is the greater harm."""
    bedside = rig.window()
    bedside.window._add_admin_menu()
    operator = rig.team.operator.user_id
    name = "slidesk.services.accounts.sessions.record_session_event"
    with broken(name, faults(name, writes=False)[0][1]):
        rig.key(Qt.Key.Key_Q, CTRL | SHIFT)  # Administration ▸ Sign out
    assert not bedside.session.is_signed_in(operator)
    assert any("audit entry of the sign-out" in t for t in visible_texts())
