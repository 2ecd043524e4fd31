"""The lock screen: covers every window without touching its state; a password unlocks it.

When the session locks (idle time, Ctrl+L, or the last person signing out) every visible
window gets an opaque cover, so nothing clinical stays readable, and an application-modal
dialog asks a signed-in person for their password. Modal, so it also works above another
dialog that was open at the time, and that dialog keeps what was typed in it. When nobody
is signed in any more, cover and dialog say that and ask for a sign-in instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.errors import DomainError
from slidesk.services.accounts.service import AuthenticationFailed
from ui.auth.common import MessageStrip, grow_to_fit, header, text_field
from ui.auth.sign_in import SignInDialog, show_alerts
from ui.common.timefmt import local_hm
from ui.context import AppContext
from ui.session import BedsideSession


class _Cover(QWidget):
    """An opaque sheet over one window while the session is locked."""

    def __init__(self, window: QWidget, text: str) -> None:
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockCover { background:#24313D; } QLabel { color:#DCE3EA; }")
        layout = QVBoxLayout(self)
        self.label = QLabel(text)
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.label.setFont(font)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addStretch(1)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
            self.raise_()
        return False


class UnlockDialog(QDialog):
    """Asks a signed-in person's password; Escape and the close button do nothing."""

    quit_requested = Signal()
    """Nobody is signed in and the person chose to quit the app."""

    def __init__(
        self, context: AppContext, session: BedsideSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._session = session
        self._locked_at = local_hm(context.clock.now(), context.clock.zone)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.person = QComboBox()
        self.password = text_field(self.tr("Password"), password=True)
        self.strip = MessageStrip()
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.setDefault(True)
        self.other_button = QPushButton(self.tr("Someone else…"))
        self.other_button.setToolTip(self.tr("Another person signs in with their own account"))
        self.quit_button = QPushButton(self.tr("Quit SLI Desk"))

        self.form = QFormLayout()
        self.form.addRow(self.tr("&Person:"), self.person)
        self.form.addRow(self.tr("&Password:"), self.password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.other_button)
        buttons.addWidget(self.quit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        # refresh_people changes the words when nobody is signed in (any more).
        top = header(self.tr("SLI Desk is locked"), self.tr("Locked at %s."))
        title = top.findChild(QLabel, "dialogTitle")
        subtitle = top.findChild(QLabel, "dialogSubtitle")
        assert title is not None
        assert subtitle is not None
        self.title, self.subtitle = title, subtitle
        layout.addWidget(top)
        layout.addLayout(self.form)
        layout.addWidget(self.strip)
        layout.addLayout(buttons)
        self.setMinimumWidth(460)
        self.refresh_people()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.unlock_button.clicked.connect(self._on_unlock_button_clicked)
        self.other_button.clicked.connect(self._on_other_button_clicked)
        self.quit_button.clicked.connect(self.quit_requested)
        self._session.people_changed.connect(self.refresh_people)

    def refresh_people(self) -> None:
        """List the signed-in people, the last typist first."""
        self.person.clear()
        people = list(self._session.people)
        active = self._session.active
        people.sort(key=lambda a: 0 if active is not None and a.user_id == active.user_id else 1)
        for actor in people:
            self.person.addItem(f"{actor.full_name} ({actor.username})", actor.user_id)
        anyone = bool(people)
        if anyone:
            self.setWindowTitle(self.tr("Locked — SLI Desk"))
            self.title.setText(self.tr("SLI Desk is locked"))
            self.subtitle.setText(
                self.tr("Locked at %s. Everything on screen is kept as it was.") % self._locked_at
            )
        else:  # the last person signed out: nothing is locked for anyone, a sign-in is due
            self.setWindowTitle(self.tr("Sign in — SLI Desk"))
            self.title.setText(self.tr("Nobody is signed in"))
            self.subtitle.setText(
                self.tr("Sign in to continue. Everything on screen is kept as it was.")
            )
        for widget in (self.person, self.password, self.unlock_button):
            widget.setVisible(anyone)
            label = self.form.labelForField(widget)
            if label is not None:
                label.setVisible(anyone)
        self.quit_button.setVisible(not anyone)
        self.other_button.setText(self.tr("Sign in…") if not anyone else self.tr("Someone else…"))
        self.other_button.setDefault(not anyone)
        self.unlock_button.setDefault(anyone)
        (self.password if anyone else self.other_button).setFocus()
        grow_to_fit(self)

    def _on_unlock_button_clicked(self) -> None:
        if not self.password.text():
            self.password.setFocus()
            return
        user_id = self.person.currentData()
        typed = self.password.text()
        self.password.clear()
        self._session.unlock(
            int(user_id), typed, show_error=self.strip.show_message, refused=self._on_refused
        )

    def _on_refused(self, refusal: DomainError) -> None:
        if isinstance(refusal, AuthenticationFailed):
            self.strip.show_message(
                self.tr(
                    "The password is not correct, or the account has been locked or "
                    "deactivated. After 5 failed attempts an account is locked for 15 minutes."
                )
            )
            self.password.setFocus()
        else:
            self.strip.show_message(refusal.message)

    def _on_other_button_clicked(self) -> None:
        dialog = SignInDialog(self._context, self._session, self, adding=bool(self._session.people))
        # The sign-in dialog adds the person; then the session is theirs to unlock.
        dialog.signed_in.connect(self._session.unlock_after_sign_in)
        dialog.finished.connect(
            lambda _code: show_alerts(self.parentWidget() or self, dialog.result_info)
        )
        dialog.open()

    def reject(self) -> None:
        """Escape must not unlock."""

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()


class SessionLockGuard(QObject):
    """Covers all windows and shows the unlock dialog while the session is locked."""

    def __init__(self, context: AppContext, session: BedsideSession, window: QWidget) -> None:
        super().__init__(window)
        self._context = context
        self._session = session
        self._window = window
        self._covers: list[_Cover] = []
        self.dialog: UnlockDialog | None = None
        self._connect_signals()
        if session.is_locked:
            self._on_session_locked_changed(True)

    def _connect_signals(self) -> None:
        self._session.locked_changed.connect(self._on_session_locked_changed)
        self._session.people_changed.connect(self._on_session_people_changed)

    def _cover_text(self) -> str:
        if self._session.people:
            return self.tr("SLI Desk is locked")
        return self.tr("Nobody is signed in")

    def _on_session_people_changed(self) -> None:
        text = self._cover_text()
        for cover in self._covers:
            cover.label.setText(text)

    def _on_session_locked_changed(self, locked: bool) -> None:
        if locked:
            self._cover_windows()
            self.dialog = UnlockDialog(self._context, self._session, self._window)
            self.dialog.quit_requested.connect(self._on_dialog_quit_requested)
            self.dialog.show()
            self.dialog.raise_()
            self.dialog.activateWindow()
        else:
            self._uncover()

    def _cover_windows(self) -> None:
        for _ in range(10):  # open menus and pop-ups close; they hold nothing to keep
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()
        for widget in QApplication.topLevelWidgets():
            kind = widget.windowType()
            if (
                widget.isVisible()
                and kind in (Qt.WindowType.Window, Qt.WindowType.Dialog)
                and not isinstance(widget, UnlockDialog)
            ):
                self._covers.append(_Cover(widget, self._cover_text()))

    def _uncover(self) -> None:
        for cover in self._covers:
            window = cover.parentWidget()
            if window is not None:
                window.removeEventFilter(cover)
            cover.hide()
            cover.deleteLater()
        self._covers.clear()
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None

    def release(self) -> None:
        """Take the covers and the dialog away without unlocking (the window is closing)."""
        self._uncover()

    def _on_dialog_quit_requested(self) -> None:
        self._uncover()
        self._window.close()
