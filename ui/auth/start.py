"""After sign-in: the locked-screen guard and the sign-in alerts over the main window.

The first screens themselves (first administrator, sign-in) are run by `ui.startup`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

from slidesk.services.accounts.dto import SignInResult
from ui.auth.lock_screen import SessionLockGuard
from ui.auth.sign_in import show_alerts
from ui.context import AppContext
from ui.session import BedsideSession


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
