"""The sign-in dialog: username and password, then a new password when one is due.

Every refusal shows the same words, so the dialog never tells whether a username exists
(the service also spends the same time on every refusal). After a few failures it explains
the lockout rule — for any account, without saying that this one exists or is locked.

At start-up the dialog is shown before the database has opened (`ui.startup`): the person
types while it opens, and a sign-in asked for before then goes ahead once it is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.errors import DomainError
from slidesk.services.accounts.dto import SignInResult
from ui.auth.common import MessageStrip, grow_to_fit, header, hint, text_field
from ui.auth.password_change import PasswordChangeForm, change_password
from ui.context import AppContext
from ui.door import operations

if TYPE_CHECKING:  # both load the ORM, which the first screen does not wait for
    from ui.session import BedsideSession

# After this many failures in one dialog, explain the lockout rule.
_EXPLAIN_AFTER = 3


class SignInDialog(QDialog):
    """Sign a person in to the bedside session (first person, or one more at the bedside)."""

    signed_in = Signal(object)
    """A person signed in and joined the session (their `Actor`)."""

    def __init__(
        self,
        context: AppContext | None,
        session: BedsideSession | None,
        parent: QWidget | None = None,
        *,
        adding: bool = False,
        username: str = "",
        database_location: str = "",
    ) -> None:
        """`context` and `session` are None only at start-up, until `attach` gives them."""
        super().__init__(parent)
        self._context = context
        self._session = session
        self._location = database_location or (context.database_location if context else "")
        self._held = False
        self._failures = 0
        self._pending: SignInResult | None = None
        self._typed_password = ""
        self.result_info: SignInResult | None = None
        self.setWindowTitle(self.tr("Sign in — SLI Desk"))
        self.setModal(True)

        self.username = text_field(self.tr("e.g. jdevries"))
        self.username.setText(username)
        self.password = text_field(self.tr("Password"), password=True)
        self.change_form = PasswordChangeForm(ask_current=False)
        self.strip = MessageStrip()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Sign in"))
        self.pages = QStackedWidget()
        self.pages.addWidget(self._sign_in_page(adding))
        self.pages.addWidget(self._change_page())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(self.pages)
        layout.addWidget(self.strip)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self._connect_signals()
        (self.password if username else self.username).setFocus()

    def _sign_in_page(self, adding: bool) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        if adding:
            title = self.tr("Add a person at the bedside")
            subtitle = self.tr(
                "The next person signs in with their own account. Everyone stays signed in; "
                "switch who is typing in the toolbar."
            )
        else:
            title = self.tr("Sign in to SLI Desk")
            subtitle = self.tr("SAIL trial bedside record — %s") % self._location
        layout.addWidget(header(title, subtitle))
        form = QFormLayout()
        form.addRow(self.tr("&Username:"), self.username)
        form.addRow(self.tr("&Password:"), self.password)
        layout.addLayout(form)
        layout.addWidget(
            hint(self.tr("Use only your own account: entries are recorded in your name."))
        )
        return page

    def _change_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(header(self.tr("Choose your own password")))
        self.change_reason = hint("")
        layout.addWidget(self.change_reason)
        layout.addSpacing(6)
        layout.addWidget(self.change_form)
        return page

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    @property
    def waiting_for_database(self) -> bool:
        """A sign-in was asked for before the database opened; it runs on `attach`."""
        return self._held

    def attach(self, context: AppContext, session: BedsideSession) -> None:
        """The database is open (start-up): a sign-in asked for meanwhile goes ahead now."""
        self._context, self._session = context, session
        if self._held:
            self._held = False
            self.strip.clear_message()
            self.ok_button.setEnabled(True)
            self._try_sign_in()

    @property
    def changing_password(self) -> bool:
        return self.pages.currentIndex() == 1

    def _on_buttons_accepted(self) -> None:
        if self.changing_password:
            self._finish_password_change()
        else:
            self._try_sign_in()

    def _try_sign_in(self) -> None:
        # Enter in an empty field moves on instead of spending an attempt.
        if not self.username.text().strip():
            self.username.setFocus()
            return
        if not self.password.text():
            self.password.setFocus()
            return
        if self._context is None or self._session is None:
            self._hold_until_open()
            return
        from slidesk.services.accounts import sessions

        typed_password = self.password.text()
        self.password.clear()
        context, hasher, username = self._context, self._session.hasher, self.username.text()
        result = operations.attempt(
            context,
            lambda: sessions.sign_in(
                uow=context.uow,
                clock=context.clock,
                username=username,
                password=typed_password,
                hasher=hasher,
            ),
            show_error=self.strip.show_message,
            refused=self._on_refused,
            what=self.tr("The sign-in"),
        )
        if result is None:
            return
        if result.must_change_password:
            self._pending = result
            self._typed_password = typed_password
            self._show_change_page(result)
            return
        self._complete(result)

    def _hold_until_open(self) -> None:
        # Seconds at most (a schema upgrade); the fields keep what was typed meanwhile.
        self._held = True
        self.ok_button.setEnabled(False)
        self.strip.show_message(
            self.tr("Opening the database… you will be signed in as soon as it is ready."),
            "info",
        )

    def _on_refused(self, refusal: DomainError) -> None:
        from slidesk.services.accounts.service import AuthenticationFailed

        if isinstance(refusal, AuthenticationFailed):  # counted: the lockout rule is explained
            self._failures += 1
            self._show_failure()
        else:
            self.strip.show_message(refusal.message)

    def _show_failure(self) -> None:
        from slidesk.services.accounts.service import GENERIC_FAILURE

        text = self.tr(GENERIC_FAILURE)
        if self._failures >= _EXPLAIN_AFTER:
            text += "\n\n" + self.tr(
                "After 5 failed attempts an account is locked for 15 minutes. If you have "
                "forgotten your password, ask an administrator to reset it."
            )
        self.strip.show_message(text)
        self.password.setFocus()

    def _show_change_page(self, result: SignInResult) -> None:
        self.pages.setCurrentIndex(1)
        self.ok_button.setText(self.tr("Set password and continue"))
        who = f"{result.actor.full_name} ({result.actor.username})"
        if result.password_expired:
            why = self.tr("%s: your password has expired. Choose a new one before you continue.")
        else:
            why = self.tr(
                "%s: you signed in with a one-time password from an administrator. Replace it "
                "with one that only you know before you continue."
            )
        self.change_reason.setText(why % who)
        self.strip.clear_message()
        grow_to_fit(self)  # this page is taller than the sign-in page
        self.change_form.new.setFocus()

    def _finish_password_change(self) -> None:
        assert self._pending is not None
        assert self._context is not None
        assert self._session is not None
        actor = change_password(
            self._context,
            self._session.hasher,
            self._pending.actor.username,
            self._typed_password,
            self.change_form,
            self.strip,
        )
        if actor is None:
            return
        self._typed_password = ""
        self._complete(self._pending)

    def _complete(self, result: SignInResult) -> None:
        self.result_info = result
        assert self._session is not None
        self._session.add(result.actor, make_active=True)
        self.signed_in.emit(result.actor)
        self.accept()

    def reject(self) -> None:
        self._typed_password = ""
        self.password.clear()
        self.change_form.clear()
        super().reject()


def show_alerts(parent: QWidget, result: SignInResult | None) -> QMessageBox | None:
    """Show security alerts for an administrator after sign-in (ACC-04); non-blocking."""
    if result is None or not result.alerts:
        return None
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(parent.tr("Security notice — SLI Desk"))
    box.setText(parent.tr("Since your last sign-in:"))
    box.setInformativeText("\n\n".join(result.alerts))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()
    return box
