"""Hostile text pasted into every field of the sign-in, first-run and account dialogs.

Pasting (setText) stands for typing: the dialog must answer with a message or succeed,
never raise (pytest-qt fails a test on any exception in a slot), and a refusal writes nothing.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from slidesk.services.accounts import service as accounts
from tests.conftest import PASSWORD
from tests.integration.test_security_input import NASTY
from ui.admin.user_forms import AddUserForm
from ui.admin.users_dialog import UsersDialog
from ui.auth.first_run import FirstRunDialog
from ui.auth.sign_in import SignInDialog
from ui.session import BedsideSession

TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(
        st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=60
    ),
)
UI_FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def user_rows(team) -> tuple:
    with team.uow.read() as tx:
        return tuple((u.username, u.full_name, u.roles, u.active) for u in tx.users.all())


@UI_FUZZ
@given(username=TEXT, password=TEXT)
def test_sign_in_dialog_answers_any_input_with_a_message(qtbot, context, team, username, password):
    session = BedsideSession(context, hasher=team.hasher)
    dialog = SignInDialog(context, session)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText(username)
    dialog.password.setText(password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    if dialog.username.text().strip() and dialog.password.text():
        signed_in = session.active is not None
        assert signed_in or dialog.strip.text() == accounts.GENERIC_FAILURE
    else:
        assert session.active is None  # an empty field: no attempt, no message needed
    team.clock.advance(minutes=16)
    dialog.close()


@UI_FUZZ
@given(username=TEXT, full_name=TEXT, password=TEXT)
def test_first_run_dialog_answers_any_input(
    qtbot, db, empty_context, username, full_name, password
):
    dialog = FirstRunDialog(empty_context)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText(username)
    dialog.full_name.setText(full_name)
    dialog.password.setText(password)
    dialog.repeat.setText(password)
    qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    if dialog.created is None:  # refused: still open, with a message unless a field was empty
        assert dialog.isVisible()
        fields = (dialog.username, dialog.full_name, dialog.password, dialog.repeat)
        assert dialog.strip.text() or any(not f.text().strip() for f in fields)
    dialog.close()


@UI_FUZZ
@given(username=TEXT, full_name=TEXT)
def test_new_account_form_answers_any_input(qtbot, context, team, username, full_name) -> None:
    session = BedsideSession(context, hasher=team.hasher)
    session.add(team.admin)
    dialog = UsersDialog(context, session)
    qtbot.addWidget(dialog)
    dialog.show()
    before = user_rows(team)
    dialog.add_button.click()
    form = dialog.form
    assert isinstance(form, AddUserForm)
    form.username.setText(username)
    form.full_name.setText(full_name)
    form.roles.boxes[next(iter(form.roles.boxes))].setChecked(True)
    qtbot.keyClick(form.full_name, Qt.Key.Key_Return)
    if dialog.form is form:  # still open: refused, with a message, nothing written
        assert form.strip.text() or not form.username.text().strip()
        assert user_rows(team) == before
        form.reject()
    dialog.close()


@UI_FUZZ
@given(reason=TEXT)
def test_deactivation_reason_answers_any_input(qtbot, context, team, reason) -> None:
    session = BedsideSession(context, hasher=team.hasher)
    session.add(team.admin)
    dialog = UsersDialog(context, session)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.select_user("monitor")
    before = user_rows(team)
    dialog.active_button.click()
    form = dialog.form
    form.reason.setText(reason)
    qtbot.keyClick(form.reason, Qt.Key.Key_Return)
    if dialog.form is form:
        assert form.strip.text()
        assert user_rows(team) == before
        form.reject()
    else:  # accepted: reactivate for the next example
        from slidesk.services.accounts import admin as account_admin

        account_admin.set_active(
            uow=team.uow,
            clock=team.clock,
            actor=team.admin,
            user_id=team.monitor.user_id,
            active=True,
            reason="restore",
        )
    dialog.close()


def test_the_right_password_still_works_after_the_fuzzing_style_input(qtbot, context, team):
    session = BedsideSession(context, hasher=team.hasher)
    dialog = SignInDialog(context, session)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("  ADMIN  ")
    dialog.password.setText(PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert session.active is not None
    assert session.active.username == "admin"
