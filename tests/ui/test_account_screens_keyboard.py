"""The account screens driven by the keyboard alone, and laid out so that nothing is clipped."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QWidget

from slidesk.services.accounts.password_policy import NEW_ACCOUNT_POLICY_TEXT, POLICY_TEXT
from tests.conftest import PASSWORD
from ui.admin.user_forms import AddUserForm, ReasonForm
from ui.admin.users_dialog import UsersDialog
from ui.auth.sign_in import SignInDialog
from ui.session import BedsideSession


@pytest.fixture
def session(context, team, qtbot) -> BedsideSession:
    return BedsideSession(context, hasher=team.hasher)


# --- user accounts dialog --------------------------------------------------------------------


@pytest.fixture
def users_dialog(qtbot, context, session, team) -> UsersDialog:
    """The dialog as the admin opens it, active and taking keys."""
    session.add(team.admin)
    dialog = UsersDialog(context, session)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def alt(qtbot, widget, key: Qt.Key) -> None:
    qtbot.keyClick(widget, key, Qt.KeyboardModifier.AltModifier)


def test_users_dialog_opens_with_the_keyboard_on_the_selected_row(users_dialog) -> None:
    focused = QApplication.focusWidget()
    assert focused is users_dialog.table
    assert focused.isVisible()
    assert users_dialog.table.currentIndex().isValid()
    assert users_dialog.table.selectionModel().selectedRows()


def test_users_dialog_without_rows_starts_on_new_account(
    qtbot, context, session, team, monkeypatch
) -> None:
    from slidesk.domain.errors import DomainError
    from slidesk.services.accounts import admin as account_admin

    def refuse(**_kwargs: object) -> None:
        raise DomainError("The accounts could not be read.")

    monkeypatch.setattr(account_admin, "access_review", refuse)
    session.add(team.admin)
    dialog = UsersDialog(context, session)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert QApplication.focusWidget() is dialog.add_button


def test_tab_leaves_the_accounts_table_for_the_buttons(qtbot, users_dialog) -> None:
    qtbot.keyClick(users_dialog.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is users_dialog.add_button


def test_alt_n_opens_the_new_account_form(qtbot, users_dialog) -> None:
    alt(qtbot, users_dialog, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: users_dialog.form is not None)  # a mnemonic clicks animated
    assert isinstance(users_dialog.form, AddUserForm)


def test_alt_keys_reach_the_row_actions(qtbot, users_dialog) -> None:
    users_dialog.select_user("nurse")
    alt(qtbot, users_dialog, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: isinstance(users_dialog.form, ReasonForm))
    assert users_dialog.form.windowTitle().startswith("Reset password")
    users_dialog.form.reject()
    qtbot.waitUntil(lambda: users_dialog.form is None)
    users_dialog.activateWindow()
    qtbot.waitUntil(users_dialog.isActiveWindow)
    alt(qtbot, users_dialog, Qt.Key.Key_O)
    qtbot.waitUntil(lambda: isinstance(users_dialog.form, ReasonForm))
    assert users_dialog.form.roles is not None


@pytest.mark.parametrize(
    "modifier", [Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier]
)
def test_alt_e_and_ctrl_e_export_the_access_review(
    qtbot, users_dialog, monkeypatch, tmp_path, modifier
) -> None:
    target = tmp_path / "review.csv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(target), ""))
    )
    qtbot.keyClick(users_dialog, Qt.Key.Key_E, modifier)
    qtbot.waitUntil(target.exists)
    assert "4 accounts" in users_dialog.strip.text()


def test_ctrl_keys_of_a_disabled_button_do_nothing(qtbot, users_dialog) -> None:
    users_dialog.select_user("admin")  # one's own account: no reset, no deactivation
    assert not users_dialog.reset_button.isEnabled()
    qtbot.keyClick(users_dialog, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(users_dialog, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(200)
    assert users_dialog.form is None


def test_the_reactivate_button_keeps_its_alt_key(qtbot, users_dialog, team) -> None:
    users_dialog.select_user("monitor")
    users_dialog.active_button.click()
    qtbot.keyClicks(users_dialog.form.reason, "visit over")
    qtbot.keyClick(users_dialog.form.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: users_dialog.form is None)
    users_dialog.activateWindow()
    qtbot.waitUntil(users_dialog.isActiveWindow)
    users_dialog.select_user("monitor")
    assert users_dialog.active_button.text() == "Re&activate…"
    assert "Reactivate" in users_dialog.active_button.toolTip()
    alt(qtbot, users_dialog, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: isinstance(users_dialog.form, ReasonForm))
    assert users_dialog.form.windowTitle().startswith("Reactivate")


def test_admin_menu_opens_users_with_a_focused_visible_widget(qtbot, context, session, team):
    from PySide6.QtWidgets import QMainWindow

    from ui.admin.menu import build_admin_menu

    session.add(team.admin)
    window = QMainWindow()
    menu = build_admin_menu(window, context, session)
    window.menuBar().addMenu(menu)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(
        window,
        Qt.Key.Key_U,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = menu.last_dialog
    assert isinstance(dialog, UsersDialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    focused = QApplication.focusWidget()
    assert focused is not None
    assert focused.isVisible()
    assert dialog.isAncestorOf(focused)
    alt(qtbot, dialog, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: isinstance(dialog.form, AddUserForm))
    dialog.form.reject()
    dialog.close()


# --- forced password change: the taller page fits ----------------------------------------------


def squeezed_labels(dialog: QWidget) -> list[str]:
    """Visible labels shorter than their text needs at their width (clipped lines)."""
    return [
        label.text()
        for label in dialog.findChildren(QLabel)
        if label.isVisible()
        and label.text()
        and label.height() < label.heightForWidth(label.width())
    ]


def test_the_forced_change_page_shows_every_line_of_its_text(qtbot, context, session) -> None:
    dialog = SignInDialog(context, session)  # the nurse still has the admin's one-time password
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.username, "nurse")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.changing_password
    qtbot.wait(50)  # let any deferred layout run, as the screen would
    assert squeezed_labels(dialog) == []
    assert dialog.height() >= dialog.sizeHint().height()
    policy = dialog.change_form.findChild(QLabel, "passwordPolicy")
    assert policy is not None
    assert policy.isVisible()


def test_grow_to_fit_makes_a_shown_window_tall_enough_and_never_shorter(qtbot) -> None:
    from PySide6.QtWidgets import QDialog, QVBoxLayout

    from ui.auth.common import grow_to_fit, hint

    dialog = QDialog()
    qtbot.addWidget(dialog)
    label = hint("Short.")
    QVBoxLayout(dialog).addWidget(label)
    dialog.resize(300, 400)
    dialog.show()
    qtbot.waitExposed(dialog)
    grow_to_fit(dialog)
    assert dialog.height() == 400  # already tall enough: unchanged
    dialog.resize(300, 40)
    label.setText(" ".join(["A line that wraps at this width."] * 12))
    grow_to_fit(dialog)
    assert squeezed_labels(dialog) == []
    assert dialog.width() == 300


# --- password policy wording ------------------------------------------------------------------


def policy_text(dialog: QWidget) -> str:
    label = dialog.findChild(QLabel, "passwordPolicy")
    assert label is not None
    assert label.isVisible()
    return label.text()


def test_first_run_shows_the_policy_without_the_history_clause(qtbot) -> None:
    from ui.auth.first_run import FirstRunDialog

    dialog = FirstRunDialog(None, database_location="/data/new.sqlite3")
    qtbot.addWidget(dialog)
    dialog.show()
    text = policy_text(dialog)
    assert text == NEW_ACCOUNT_POLICY_TEXT
    assert text.startswith("At least 10 characters, not your username, not a common password")
    assert "last" not in text
    new_account = AddUserForm()  # the admin's form: a generated one-time password, no history
    qtbot.addWidget(new_account)
    assert not [w for w in new_account.findChildren(QLabel) if "passwords" in w.text()]


def test_changing_a_password_shows_the_full_policy(qtbot, context, session) -> None:
    from ui.auth.password_change import ChangePasswordDialog

    dialog = ChangePasswordDialog(context, "nurse")
    qtbot.addWidget(dialog)
    dialog.show()
    assert policy_text(dialog) == POLICY_TEXT
    assert "not one of your last 5 passwords" in POLICY_TEXT
    forced = SignInDialog(context, session)
    qtbot.addWidget(forced)
    forced.show()
    qtbot.keyClicks(forced.username, "nurse")
    qtbot.keyClicks(forced.password, PASSWORD)
    qtbot.keyClick(forced.password, Qt.Key.Key_Return)
    assert forced.changing_password
    assert policy_text(forced) == POLICY_TEXT
