"""Choosing a new password: the form (also a page of the sign-in dialog) and its own dialog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.errors import DomainError
from slidesk.domain.users import Actor
from slidesk.services.accounts.password_policy import POLICY_TEXT
from ui.auth.common import MessageStrip, header, hint, text_field
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Topic

if TYPE_CHECKING:
    from slidesk.services.accounts.service import PasswordHasher


class PasswordChangeForm(QWidget):
    """New password twice (and the current one unless the caller already has it).

    Enter anywhere presses the dialog's default button; the dialog then moves on to the
    first empty field instead of submitting half a form.
    """

    def __init__(self, *, ask_current: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.current = text_field(self.tr("Your current password"), password=True)
        self.new = text_field(self.tr("At least 10 characters"), password=True)
        self.repeat = text_field(self.tr("Type it again"), password=True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        if ask_current:
            form.addRow(self.tr("&Current password:"), self.current)
        else:
            # Not shown, but owned: an unparented field would live on as a hidden window
            # after the dialog is gone (the test window check found two per sign-in).
            self.current.setParent(self)
            self.current.hide()
        form.addRow(self.tr("&New password:"), self.new)
        form.addRow(self.tr("&Repeat new password:"), self.repeat)
        self.policy = hint(self.tr(POLICY_TEXT))
        self.policy.setObjectName("passwordPolicy")
        form.addRow("", self.policy)
        self._ask_current = ask_current

    def fields(self) -> list[QLineEdit]:
        return ([self.current] if self._ask_current else []) + [self.new, self.repeat]

    def first_empty_field(self) -> QLineEdit | None:
        return next((f for f in self.fields() if not f.text()), None)

    def mismatch(self) -> str | None:
        """What is wrong before asking the service, or None."""
        if not self.new.text():
            return self.tr("Type a new password.")
        if self.new.text() != self.repeat.text():
            return self.tr("The two new passwords differ; type them again.")
        return None

    def clear(self) -> None:
        for field in (self.current, self.new, self.repeat):
            field.clear()


def change_password(
    context: AppContext,
    hasher: PasswordHasher | None,
    username: str,
    old_password: str,
    form: PasswordChangeForm,
    strip: MessageStrip,
) -> Actor | None:
    """Check the form, call the service; on refusal say why in `strip` and return None."""
    from slidesk.services.accounts import service as accounts

    empty = form.first_empty_field()
    if empty is not None:
        empty.setFocus()
        return None
    problem = form.mismatch()
    if problem:
        strip.show_message(problem)
        form.new.clear()
        form.repeat.clear()
        form.new.setFocus()
        return None
    new_password = form.new.text()

    def refused(refusal: DomainError) -> None:
        if isinstance(refusal, accounts.AuthenticationFailed):
            strip.show_message(form.tr("The current password is not correct."))
            form.current.clear()
            form.current.setFocus()
            return
        strip.show_message(refusal.message)
        form.new.clear()
        form.repeat.clear()
        form.new.setFocus()

    return operations.attempt(
        context,
        lambda: accounts.change_password(
            uow=context.uow,
            clock=context.clock,
            username=username,
            old_password=old_password,
            new_password=new_password,
            hasher=hasher,
        ),
        show_error=strip.show_message,
        refused=refused,
        what=form.tr("The new password"),
        changes=(Topic.ACCOUNTS,),
    )


class ChangePasswordDialog(QDialog):
    """'Change my password' for the person typing (needs their current password)."""

    def __init__(
        self,
        context: AppContext,
        username: str,
        parent: QWidget | None = None,
        *,
        hasher: PasswordHasher | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._hasher = hasher
        self._username = username
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("Change password — SLI Desk"))
        self.form = PasswordChangeForm(ask_current=True)
        self.strip = MessageStrip()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Change password"))
        layout = QVBoxLayout(self)
        layout.addWidget(header(self.tr("Change your password"), username))
        layout.addWidget(self.form)
        layout.addWidget(self.strip)
        layout.addWidget(self.buttons)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _on_buttons_accepted(self) -> None:
        actor = change_password(
            self._context,
            self._hasher,
            self._username,
            self.form.current.text(),
            self.form,
            self.strip,
        )
        if actor is not None:
            self.actor = actor
            self.form.clear()
            self.accept()
