"""Sign-in, first run, forced password change and user management, driven by the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from slidesk.domain.users import Role
from slidesk.services.accounts import service as accounts
from tests.conftest import PASSWORD
from ui.admin.user_forms import AddUserForm, OneTimePasswordDialog, ReasonForm
from ui.admin.users_dialog import UsersDialog
from ui.auth.first_run import FirstRunDialog
from ui.auth.sign_in import SignInDialog
from ui.session import BedsideSession

NEW_PASSWORD = "blue-river-stone-4"


@pytest.fixture
def session(context, team, qtbot) -> BedsideSession:
    return BedsideSession(context, hasher=team.hasher)


def audit_count(team) -> int:
    with team.uow.read() as tx:
        return tx.audit.count()


def last_events(team, n: int = 5) -> list[str]:
    with team.uow.read() as tx:
        return [e["event_type"] for e in tx.audit.iter_all()][-n:]


def type_and_enter(qtbot, field, text: str) -> None:
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


# --- first run ------------------------------------------------------------------------------


def test_first_run_creates_the_administrator_from_the_keyboard(qtbot, db, empty_context) -> None:
    from tests.fakes import cheap_hasher

    dialog = FirstRunDialog(empty_context, hasher=cheap_hasher())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "dm.jansen")
    qtbot.keyClicks(dialog.full_name, "Dana Jansen")
    qtbot.keyClicks(dialog.password, NEW_PASSWORD)
    with qtbot.waitSignal(dialog.admin_created):
        type_and_enter(qtbot, dialog.repeat, NEW_PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert accounts.has_users(uow=db.uow)
    assert dialog.created is not None
    assert dialog.created.roles == {Role.ADMIN}


def test_first_run_refuses_differing_passwords_and_writes_nothing(qtbot, db, empty_context) -> None:
    dialog = FirstRunDialog(empty_context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "admin")
    qtbot.keyClicks(dialog.full_name, "Ada Admin")
    qtbot.keyClicks(dialog.password, NEW_PASSWORD)
    type_and_enter(qtbot, dialog.repeat, NEW_PASSWORD + "x")
    assert "differ" in dialog.strip.text()
    assert dialog.isVisible()
    assert not accounts.has_users(uow=db.uow)


def test_first_run_enter_in_an_empty_field_moves_on_without_an_error(
    qtbot, db, empty_context
) -> None:
    dialog = FirstRunDialog(empty_context)
    qtbot.addWidget(dialog)
    dialog.show()
    type_and_enter(qtbot, dialog.username, "admin")
    assert dialog.focusWidget() is dialog.full_name
    assert not dialog.strip.isVisible()
    assert not accounts.has_users(uow=db.uow)


# --- sign-in --------------------------------------------------------------------------------


def test_sign_in_with_enter_adds_the_person_as_typist(qtbot, context, session) -> None:
    dialog = SignInDialog(context, session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "admin")
    with qtbot.waitSignal(dialog.signed_in):
        type_and_enter(qtbot, dialog.password, PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert session.active is not None
    assert session.active.username == "admin"


@pytest.mark.parametrize(("username", "password"), [("admin", "wrong-pass-1"), ("ghost", PASSWORD)])
def test_any_failure_shows_the_same_words_and_keeps_the_dialog_open(
    qtbot, context, session, username, password
) -> None:
    dialog = SignInDialog(context, session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, username)
    type_and_enter(qtbot, dialog.password, password)
    assert dialog.strip.text() == accounts.GENERIC_FAILURE
    assert dialog.isVisible()
    assert dialog.password.text() == ""
    assert session.active is None


def test_repeated_failures_explain_the_lockout_rule_without_naming_the_account(
    qtbot, context, session
) -> None:
    dialog = SignInDialog(context, session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "nobody-here")
    for _ in range(3):
        type_and_enter(qtbot, dialog.password, "wrong-pass-1")
    text = dialog.strip.text()
    assert "locked for 15 minutes" in text
    assert "nobody-here" not in text


def test_enter_with_an_empty_password_spends_no_attempt(qtbot, context, session, team) -> None:
    dialog = SignInDialog(context, session)
    qtbot.addWidget(dialog)
    dialog.show()
    before = audit_count(team)
    type_and_enter(qtbot, dialog.username, "admin")
    assert dialog.focusWidget() is dialog.password
    assert audit_count(team) == before


def test_first_sign_in_requires_a_new_password_before_joining(qtbot, context, session, team):
    dialog = SignInDialog(context, session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "nurse")
    type_and_enter(qtbot, dialog.password, PASSWORD)
    assert dialog.changing_password
    assert session.active is None  # not in until the new password is set
    assert "one-time password" in dialog.change_reason.text()
    qtbot.keyClicks(dialog.change_form.new, NEW_PASSWORD)
    with qtbot.waitSignal(dialog.signed_in):
        type_and_enter(qtbot, dialog.change_form.repeat, NEW_PASSWORD)
    assert session.active is not None
    assert session.active.username == "nurse"
    assert "user.password_changed" in last_events(team)
    assert team.sign_in("nurse", NEW_PASSWORD).username == "nurse"


def test_forced_change_refuses_a_weak_or_differing_password(qtbot, context, session) -> None:
    dialog = SignInDialog(context, session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "nurse")
    type_and_enter(qtbot, dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.change_form.new, NEW_PASSWORD)
    type_and_enter(qtbot, dialog.change_form.repeat, NEW_PASSWORD + "!")
    assert "differ" in dialog.strip.text()
    qtbot.keyClicks(dialog.change_form.new, "nurse-12345")
    type_and_enter(qtbot, dialog.change_form.repeat, "nurse-12345")
    assert "username" in dialog.strip.text()
    assert session.active is None
    assert dialog.changing_password


# --- user management -------------------------------------------------------------------------


@pytest.fixture
def users_dialog(qtbot, context, session, team) -> UsersDialog:
    session.add(team.admin)
    dialog = UsersDialog(context, session)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_users_model_passes_the_model_tester(qtmodeltester, users_dialog) -> None:
    qtmodeltester.check(users_dialog.model)
    assert users_dialog.model.rowCount() == 4


def test_new_account_is_created_from_the_form(qtbot, users_dialog, team) -> None:
    users_dialog.activateWindow()
    qtbot.waitUntil(users_dialog.isActiveWindow)
    qtbot.keyClick(users_dialog, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: users_dialog.form is not None)  # a button shortcut clicks animated
    form = users_dialog.form
    assert isinstance(form, AddUserForm)
    qtbot.keyClicks(form.username, "sbakker")
    qtbot.keyClicks(form.full_name, "S. Bakker")
    form.roles.boxes[Role.NURSE].setChecked(True)
    form.roles.boxes[Role.OPERATOR].setChecked(True)
    one_time = form.password.text()
    qtbot.keyClick(form.full_name, Qt.Key.Key_Return)
    assert isinstance(users_dialog.form, OneTimePasswordDialog)
    assert users_dialog.form.password.text() == one_time
    created = {u.username: u for u in accounts.list_users(uow=team.uow, actor=team.admin)}
    assert created["sbakker"].roles == {Role.NURSE, Role.OPERATOR}
    assert created["sbakker"].must_change_password


def test_an_admin_with_a_clinical_role_is_refused_in_the_form(qtbot, users_dialog, team) -> None:
    users_dialog.add_button.click()
    form = users_dialog.form
    qtbot.keyClicks(form.username, "mixed")
    qtbot.keyClicks(form.full_name, "Mixed Roles")
    form.roles.boxes[Role.ADMIN].setChecked(True)
    form.roles.boxes[Role.NURSE].setChecked(True)
    qtbot.keyClick(form.full_name, Qt.Key.Key_Return)
    assert "cannot also enter clinical data" in form.strip.text()
    assert "mixed" not in {u.username for u in accounts.list_users(uow=team.uow, actor=team.admin)}


def test_reset_needs_a_reason_and_shows_the_one_time_password(qtbot, users_dialog, team) -> None:
    users_dialog.select_user("nurse")
    users_dialog.reset_button.click()
    form = users_dialog.form
    assert isinstance(form, ReasonForm)
    qtbot.keyClick(form.reason, Qt.Key.Key_Return)
    assert "Reason is required" in form.strip.text()
    type_and_enter(qtbot, form.reason, "forgot it; identity checked at the desk")
    shown = users_dialog.form
    assert isinstance(shown, OneTimePasswordDialog)
    assert team.sign_in("nurse", shown.password.text()).username == "nurse"
    assert "user.password_reset" in last_events(team, 3)


def test_roles_change_and_deactivation_are_recorded(qtbot, users_dialog, team) -> None:
    users_dialog.select_user("operator")
    users_dialog.roles_button.click()
    form = users_dialog.form
    form.roles.boxes[Role.NURSE].setChecked(True)
    type_and_enter(qtbot, form.reason, "trained in sedation")
    assert "Roles of Olga Operator changed" in users_dialog.strip.text()
    users_dialog.select_user("monitor")
    assert users_dialog.active_button.text().replace("&", "") == "Deactivate…"
    users_dialog.active_button.click()
    type_and_enter(qtbot, users_dialog.form.reason, "monitoring visit finished")
    row = users_dialog.model.row_of(team.monitor.user_id)
    assert users_dialog.model.row_at(row).active is False
    with pytest.raises(accounts.AuthenticationFailed):
        team.sign_in("monitor")


def test_own_account_cannot_be_reset_or_deactivated_from_the_table(users_dialog) -> None:
    users_dialog.select_user("admin")
    assert not users_dialog.reset_button.isEnabled()
    assert not users_dialog.active_button.isEnabled()


def test_access_review_exports_from_the_dialog(users_dialog, tmp_path) -> None:
    users_dialog.export_review(tmp_path / "review.csv")
    assert (tmp_path / "review.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "4 accounts" in users_dialog.strip.text()


def test_users_dialog_refuses_a_nurse(qtbot, context, session, team) -> None:
    from slidesk.domain.errors import PermissionDenied

    session.add(team.nurse)
    with pytest.raises(PermissionDenied):
        UsersDialog(context, session)
