"""Start-up: first administrator on an empty database, then sign-in, then the locked-screen guard.

Called by `ui.app.run` between opening the database and showing the main window.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from slidesk.services import accounts
from slidesk.services.account_dto import SignInResult
from ui import settings
from ui.auth.first_run import FirstRunDialog
from ui.auth.lock_screen import SessionLockGuard
from ui.auth.sign_in import SignInDialog, show_alerts
from ui.context import AppContext
from ui.session import BedsideSession


def start_session(
    context: AppContext, *, hasher: accounts.PasswordHasher | None = None
) -> tuple[BedsideSession, SignInResult | None] | None:
    """Run the first-run and sign-in dialogs; None when the person closes them (quit)."""
    username = ""
    if not accounts.has_users(uow=context.uow):
        first = FirstRunDialog(context, hasher=hasher)
        if first.exec() != QDialog.DialogCode.Accepted or first.created is None:
            return None
        username = first.created.username
    session = BedsideSession(
        context, hasher=hasher, idle_minutes=settings.read(settings.IDLE_LOCK_MINUTES)
    )
    dialog = SignInDialog(context, session, username=username)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return session, dialog.result_info


def guard_window(
    window: QWidget,
    context: AppContext,
    session: BedsideSession,
    result: SignInResult | None,
) -> SessionLockGuard:
    """Lock the window after idle time (and on Ctrl+L); show sign-in alerts over it."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        session.watch_activity(app)
    guard = SessionLockGuard(context, session, window)
    show_alerts(window, result)
    return guard
