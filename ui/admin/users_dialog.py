"""User management for administrators: accounts, roles, passwords, activity (ACC-01…07).

The table is also the access review: who holds which role, whether the account is active,
when they last signed in and when their roles last changed; it exports to CSV. Accounts are
never deleted, only deactivated, so that every name in the record stays attributable. The
table's rows and columns are `users_model`; the forms it opens are `user_forms`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from slidesk.clock import local
from slidesk.domain.errors import DomainError
from slidesk.domain.users import Permission
from slidesk.services.accounts import admin as account_admin
from slidesk.services.accounts import service as accounts
from slidesk.services.accounts.dto import AccessReviewRow
from ui.admin.user_forms import AddUserForm, OneTimePasswordDialog, ReasonForm
from ui.admin.users_model import Column, UsersModel
from ui.auth.common import MessageStrip, header
from ui.common.keys import press_with
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import ShowError, Topic
from ui.session import BedsideSession


class UsersDialog(QDialog):
    """Accounts of this database, for the administrator who is typing."""

    def __init__(
        self, context: AppContext, session: BedsideSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        actor = session.active
        if actor is None:
            raise DomainError("Sign in as an administrator to manage accounts.")
        actor.require(Permission.MANAGE_USERS)
        self._context = context
        self._session = session
        self._actor = actor
        self.form: QDialog | None = None  # the sub-dialog open now (for tests and focus)
        self.setWindowTitle(self.tr("Users — SLI Desk"))
        self.model = UsersModel(context.clock, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        # Tab leaves the table for the buttons instead of walking its cells unseen.
        self.table.setTabKeyNavigation(False)
        header_view = self.table.horizontalHeader()
        header_view.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header_view.setSectionResizeMode(Column.FULL_NAME, QHeaderView.ResizeMode.Stretch)
        self.strip = MessageStrip()
        self.add_button = self._button(self.tr("&New account…"), "Ctrl+N")
        self.reset_button = self._button(self.tr("&Reset password…"), "Ctrl+R")
        self.roles_button = self._button(self.tr("Change r&oles…"), "Ctrl+O")
        self.active_button = self._button(self.tr("&Deactivate…"), "Ctrl+D")
        self.review_button = self._button(self.tr("&Export access review…"), "Ctrl+E")
        self.close_button = self._button(self.tr("Close"), "")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.reset_button, self.roles_button, self.active_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.review_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(
            header(
                self.tr("User accounts"),
                self.tr(
                    "Every change is recorded with your reason. Accounts are deactivated, never "
                    "deleted. Signed in as %s."
                )
                % actor.full_name,
            )
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.strip)
        layout.addLayout(buttons)
        self.resize(1100, 520)
        self._connect_signals()
        self.refresh()
        # The keyboard starts somewhere visible: on the selected row, or on "New account".
        (self.table if self.model.rowCount() else self.add_button).setFocus()

    def _button(self, text: str, shortcut: str) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        if shortcut:
            press_with(button, shortcut)  # keeps the Alt key of the text ("&New")
            button.setToolTip(f"{text.replace('&', '').rstrip('…')} ({shortcut})")
        return button

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        self.roles_button.clicked.connect(self._on_roles_button_clicked)
        self.active_button.clicked.connect(self._on_active_button_clicked)
        self.review_button.clicked.connect(self._on_review_button_clicked)
        self.close_button.clicked.connect(self.close)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

    # --- state ------------------------------------------------------------------------------

    def refresh(self, select_user: int | None = None) -> None:
        keep = select_user if select_user is not None else self._selected_id()
        review = operations.read(
            self._context,
            account_admin.access_review,
            actor=self._actor,
            show_error=self.strip.show_message,
            what=self.tr("The list of accounts"),
            clock=self._context.clock,
        )
        if review is None:
            return
        self.model.set_rows(review.rows, review.generated_at)
        row = self.model.row_of(keep) if keep is not None else -1
        self.table.selectRow(row if row >= 0 else 0)
        self._on_selection_changed()

    def select_user(self, username: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).username == username:
                self.table.selectRow(row)
                return
        raise KeyError(username)

    def _selected(self) -> AccessReviewRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selected_id(self) -> int | None:
        selected = self._selected()
        return selected.user_id if selected else None

    def _on_selection_changed(self, *_args: object) -> None:
        row = self._selected()
        own = row is not None and row.user_id == self._actor.user_id
        for button in (self.reset_button, self.roles_button, self.active_button):
            button.setEnabled(row is not None and not own)
        if row is not None:
            self.active_button.setText(
                self.tr("&Deactivate…") if row.active else self.tr("Re&activate…")
            )
            self.active_button.setToolTip(
                (self.tr("Deactivate (%s)") if row.active else self.tr("Reactivate (%s)"))
                % "Ctrl+D"
            )

    # --- actions -------------------------------------------------------------------------------

    def _on_add_button_clicked(self) -> None:
        form = AddUserForm(self)
        form.buttons.accepted.connect(lambda: self._create_user(form))
        self._open(form)

    def _create_user(self, form: AddUserForm) -> None:
        if not form.username.text().strip():
            form.username.setFocus()
            return
        view = self._write(
            accounts.add_user,
            form.strip.show_message,
            self.tr("The new account"),
            username=form.username.text(),
            full_name=form.full_name.text(),
            roles=form.roles.roles(),
            temporary_password=form.password.text(),
            hasher=self._session.hasher,
        )
        if view is None:
            return
        form.accept()
        self.refresh(select_user=view.id)
        self._show_password(view.full_name, form.password.text())

    def _on_reset_button_clicked(self) -> None:
        row = self._selected()
        if row is None:
            return
        form = ReasonForm(
            self.tr("Reset password"),
            self.tr(
                "%s gets a one-time password and must choose a new one at sign-in. This "
                "also lifts a lockout."
            )
            % row.full_name,
            self.tr("Reset password"),
            self,
        )
        form.buttons.accepted.connect(lambda: self._reset(form, row))
        self._open(form)

    def _reset(self, form: ReasonForm, row: AccessReviewRow) -> None:
        result = self._write(
            account_admin.reset_password,
            form.strip.show_message,
            self.tr("The password reset"),
            user_id=row.user_id,
            reason=form.reason.text(),
            hasher=self._session.hasher,
        )
        if result is None:
            return
        form.accept()
        self.refresh()
        self._show_password(row.full_name, result.one_time_password)

    def _on_roles_button_clicked(self) -> None:
        row = self._selected()
        if row is None:
            return
        form = ReasonForm(
            self.tr("Change roles"),
            self.tr("Roles of %s (%s).") % (row.full_name, row.username),
            self.tr("Change roles"),
            self,
            with_roles=row.roles,
        )
        form.buttons.accepted.connect(lambda: self._change_roles(form, row))
        self._open(form)

    def _change_roles(self, form: ReasonForm, row: AccessReviewRow) -> None:
        assert form.roles is not None
        changed = self._write(
            account_admin.set_roles,
            form.strip.show_message,
            self.tr("The change of roles"),
            user_id=row.user_id,
            roles=form.roles.roles(),
            reason=form.reason.text(),
        )
        if changed is None:
            return
        form.accept()
        self.refresh()
        self.strip.show_message(self.tr("Roles of %s changed.") % row.full_name, "success")

    def _on_active_button_clicked(self) -> None:
        row = self._selected()
        if row is None:
            return
        if row.active:
            title = self.tr("Deactivate account")
            text = self.tr(
                "%s can no longer sign in. The account and everything recorded under it stay."
            )
        else:
            title = self.tr("Reactivate account")
            text = self.tr("%s can sign in again with their password.")
        form = ReasonForm(title, text % row.full_name, title, self)
        form.buttons.accepted.connect(lambda: self._set_active(form, row))
        self._open(form)

    def _set_active(self, form: ReasonForm, row: AccessReviewRow) -> None:
        changed = self._write(
            account_admin.set_active,
            form.strip.show_message,
            self.tr("The deactivation") if row.active else self.tr("The reactivation"),
            user_id=row.user_id,
            active=not row.active,
            reason=form.reason.text(),
        )
        if changed is None:
            return
        form.accept()
        self.refresh()
        state = self.tr("deactivated") if row.active else self.tr("reactivated")
        self.strip.show_message(self.tr("%s is %s.") % (row.full_name, state), "success")

    def _on_review_button_clicked(self) -> None:
        stamp = local(self._context.clock.now(), self._context.clock).strftime("%Y%m%d")
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export access review"),
            str(Path.home() / f"access-review-{stamp}.csv"),
            self.tr("CSV files (*.csv)"),
        )
        if path:
            self.export_review(Path(path))

    def export_review(self, path: Path) -> None:
        written = operations.write(
            self._context,
            account_admin.export_access_review,
            actor=self._actor,
            show_error=self.strip.show_message,
            what=self.tr("The export of the access review"),
            changes=(),
            path=path,
        )
        if written is None:
            return
        self.strip.show_message(
            self.tr("Access review of %s accounts written to %s.") % (written.rows, written.path),
            "success",
        )

    def _write(self, service: Any, show_error: ShowError, what: str, **values: Any) -> Any:
        """Run an account service as the administrator; the form shows a refusal."""
        return operations.write(
            self._context,
            service,
            actor=self._actor,
            show_error=show_error,
            what=what,
            changes=(Topic.ACCOUNTS,),
            **values,
        )

    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        if self.roles_button.isEnabled():  # not for one's own account, as the button says
            self._on_roles_button_clicked()

    def _open(self, form: QDialog) -> None:
        self.form = form
        form.finished.connect(lambda _code: self._forget(form))
        form.open()

    def _forget(self, form: QDialog) -> None:
        if self.form is form:
            self.form = None
        form.deleteLater()

    def _show_password(self, full_name: str, password: str) -> None:
        self._open(OneTimePasswordDialog(full_name, password, self))
