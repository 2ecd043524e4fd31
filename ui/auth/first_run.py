"""First run: an empty database asks for its first administrator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.errors import DomainError
from slidesk.services.accounts.password_policy import NEW_ACCOUNT_POLICY_TEXT
from slidesk.services.dto import UserView
from ui.auth.common import MessageStrip, header, hint, text_field
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Topic

if TYPE_CHECKING:  # loads the ORM, which the first screen does not wait for
    from slidesk.services.accounts.service import PasswordHasher


class FirstRunDialog(QDialog):
    """Create the first administrator of a new database (no one else can be created first)."""

    admin_created = Signal(object)
    """The first administrator account exists (its `UserView`)."""

    def __init__(
        self,
        context: AppContext | None,
        parent: QWidget | None = None,
        *,
        hasher: PasswordHasher | None = None,
        database_location: str = "",
    ) -> None:
        """`context` is None only at start-up, until `attach` gives it (see `ui.startup`)."""
        super().__init__(parent)
        self._context = context
        self._hasher = hasher
        self._held = False
        self.created: UserView | None = None
        self.setWindowTitle(self.tr("Create the first administrator — SLI Desk"))
        self.setModal(True)
        self.username = text_field(self.tr("e.g. datamanager"))
        self.full_name = text_field(self.tr("As it should appear on records"))
        self.password = text_field(self.tr("At least 10 characters"), password=True)
        self.repeat = text_field(self.tr("Type it again"), password=True)
        self.strip = MessageStrip()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Create administrator"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Quit"))

        form = QFormLayout()
        form.addRow(self.tr("&Username:"), self.username)
        form.addRow(self.tr("&Full name:"), self.full_name)
        form.addRow(self.tr("&Password:"), self.password)
        form.addRow(self.tr("&Repeat password:"), self.repeat)
        self.policy = hint(self.tr(NEW_ACCOUNT_POLICY_TEXT))
        self.policy.setObjectName("passwordPolicy")
        form.addRow("", self.policy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(
            header(
                self.tr("Create the first administrator"),
                self.tr(
                    "This database (%s) has no accounts yet. The administrator creates the "
                    "accounts of operators, sedation nurses and monitors, and resets their "
                    "passwords. An administrator account cannot enter clinical data."
                )
                % (database_location or (context.database_location if context else "")),
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.strip)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self._connect_signals()
        self.username.setFocus()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    @property
    def waiting_for_database(self) -> bool:
        return self._held

    def attach(self, context: AppContext) -> None:
        """The database is open (start-up): a "Create" asked for meanwhile goes ahead now."""
        self._context = context
        if self._held:
            self._held = False
            self.strip.clear_message()
            self.ok_button.setEnabled(True)
            self._on_buttons_accepted()

    def _fields(self) -> list[QLineEdit]:
        return [self.username, self.full_name, self.password, self.repeat]

    def _on_buttons_accepted(self) -> None:
        empty = next((f for f in self._fields() if not f.text().strip()), None)
        if empty is not None:
            empty.setFocus()
            return
        if self.password.text() != self.repeat.text():
            self.strip.show_message(self.tr("The two passwords differ; type them again."))
            self._clear_passwords()
            return
        if self._context is None:
            self._held = True
            self.ok_button.setEnabled(False)
            self.strip.show_message(
                self.tr("Opening the database… the account is created as soon as it is ready."),
                "info",
            )
            return
        from slidesk.services.accounts import service as accounts

        context, hasher = self._context, self._hasher
        username, full_name = self.username.text(), self.full_name.text()
        password = self.password.text()
        self.created = operations.attempt(
            context,
            lambda: accounts.create_first_admin(
                uow=context.uow,
                clock=context.clock,
                username=username,
                full_name=full_name,
                password=password,
                hasher=hasher,
            ),
            show_error=self.strip.show_message,
            refused=self._on_refused,
            what=self.tr("The administrator account"),
            changes=(Topic.ACCOUNTS,),
        )
        if self.created is None:
            return
        self._clear_passwords()
        self.admin_created.emit(self.created)
        self.accept()

    def _on_refused(self, refusal: DomainError) -> None:
        self.strip.show_message(refusal.message)
        if "password" in refusal.message.lower():
            self._clear_passwords()

    def _clear_passwords(self) -> None:
        self.password.clear()
        self.repeat.clear()
        self.password.setFocus()
