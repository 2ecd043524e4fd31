"""The Administration menu for the main window: users, audit trail, password, lock, sign-out.

Entries are enabled for the person typing according to their role; the services check the
permission again, so the menu is a convenience, not the control.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QWidget

from slidesk.domain.users import Permission
from ui.admin.users_dialog import UsersDialog
from ui.audit.viewer import AuditViewer
from ui.auth.password_change import ChangePasswordDialog
from ui.context import AppContext
from ui.door import operations
from ui.session import BedsideSession


class AdminMenu(QMenu):
    """'Administration': Users…, Audit trail…, Change my password…, Lock screen, Sign out."""

    def __init__(self, window: QWidget, context: AppContext, session: BedsideSession) -> None:
        super().__init__(window.tr("&Administration"), window)
        self._window = window
        self._context = context
        self._session = session
        self.last_dialog: QDialog | None = None
        self.users_action = self._action(self.tr("&Users…"), "Ctrl+Shift+U")
        self.audit_action = self._action(self.tr("&Audit trail…"), "Ctrl+Shift+A")
        self.addSeparator()
        self.password_action = self._action(self.tr("Change my &password…"), "")
        self.lock_action = self._action(self.tr("&Lock screen"), "Ctrl+L")
        self.sign_out_action = self._action(self.tr("Sign &out"), "Ctrl+Shift+Q")
        self._connect_signals()
        self._on_session_active_changed(session.active)

    def _action(self, text: str, shortcut: str) -> QAction:
        action = QAction(text, self._window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        self.addAction(action)
        self._window.addAction(action)  # shortcuts work even while the menu is closed
        return action

    def _connect_signals(self) -> None:
        self.users_action.triggered.connect(self._on_users_action_triggered)
        self.audit_action.triggered.connect(self._on_audit_action_triggered)
        self.password_action.triggered.connect(self._on_password_action_triggered)
        self.lock_action.triggered.connect(self._on_lock_action_triggered)
        self.sign_out_action.triggered.connect(self._on_sign_out_action_triggered)
        self._session.active_changed.connect(self._on_session_active_changed)

    def _on_session_active_changed(self, _actor: object) -> None:
        actor = self._session.active
        self.users_action.setEnabled(actor is not None and actor.can(Permission.MANAGE_USERS))
        self.audit_action.setEnabled(actor is not None and actor.can(Permission.READ_AUDIT))
        self.password_action.setEnabled(actor is not None)
        self.sign_out_action.setEnabled(actor is not None)
        self.sign_out_action.setText(
            self.tr("Sign &out %s") % actor.full_name if actor else self.tr("Sign &out")
        )

    def _on_users_action_triggered(self) -> None:
        self._show(
            lambda: UsersDialog(self._context, self._session, self._window),
            self.tr("Opening the user accounts"),
        )

    def _on_audit_action_triggered(self) -> None:
        self._show(
            lambda: AuditViewer(self._context, self._session, self._window),
            self.tr("Opening the audit trail"),
        )

    def _on_password_action_triggered(self) -> None:
        actor = self._session.active
        if actor is not None:
            self._show(
                lambda: ChangePasswordDialog(
                    self._context, actor.username, self._window, hasher=self._session.hasher
                ),
                self.tr("Opening the change of password"),
            )

    def _on_lock_action_triggered(self) -> None:
        self._session.lock(
            cause="manual", show_error=operations.message_box(self._window, self.tr("Lock"))
        )

    def _on_sign_out_action_triggered(self) -> None:
        actor = self._session.active
        if actor is not None:
            self._session.sign_out(
                actor.user_id,
                show_error=operations.message_box(self._window, self.tr("Sign out")),
            )

    def _show(self, build: Callable[[], QDialog], what: str) -> QDialog | None:
        """Open a window; a refusal (role, nobody signed in) is said, not raised."""
        dialog = operations.attempt(
            self._context,
            build,
            show_error=operations.message_box(self._window, self.tr("SLI Desk")),
            what=what,
        )
        if dialog is None:
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()  # keys go to it at once, whatever the window manager does
        return dialog


def build_admin_menu(
    window: QMainWindow | QWidget, context: AppContext, session: BedsideSession
) -> QMenu:
    """The menu to add to the main window's menu bar (its shortcuts are window-wide)."""
    return AdminMenu(window, context, session)
