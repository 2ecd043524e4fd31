"""Open an amendment of a signed record: the reason, and the opener's own password typed now.

An amendment reopens signed source data, so, like a signature, it needs the person at the
keyboard to type their password (the service checks it and counts a wrong one like a failed
sign-in). The reason is printed on the amended version's report. Keyboard: type the reason,
Tab, type the password, Enter. Talks to `slidesk.services.signing.service` through
`ui.door.operations`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.users import Actor
from slidesk.services.signing import service as signing
from slidesk.services.signing.dto import AmendmentView, SigningReview
from ui.auth.common import MessageStrip, header, hint, text_field
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Topic

_REASON_MAX = 2000


class AmendmentDialog(QDialog):
    """Asks why the signed record must change and the opener's password; opens the amendment."""

    opened = Signal(object)
    """The amendment is open (its `AmendmentView`); the record can be corrected now."""

    def __init__(
        self,
        context: AppContext,
        actor: Actor,
        review: SigningReview,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._actor = actor
        self._review = review
        self.amendment: AmendmentView | None = None
        self.setWindowTitle(self.tr("Open an amendment — SLI Desk"))
        self.setMinimumWidth(560)
        self._build()
        self._connect_signals()
        self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        review = self._review
        layout.addWidget(
            header(
                self.tr("Open an amendment"),
                self.tr("Subject %1 · procedure %2 · signed version %3")
                .replace("%1", review.study_id)
                .replace("%2", str(review.procedure_id))
                .replace("%3", str(review.version)),
            )
        )
        layout.addWidget(
            hint(
                self.tr(
                    "An amendment reopens the signed record. Correct each entry with a reason; "
                    "then the operator and the nurse sign again and the record becomes version "
                    "%1. Version %2 stays as it was signed, marked superseded."
                )
                .replace("%1", str(review.version + 1))
                .replace("%2", str(review.version))
            )
        )
        self.message = MessageStrip()
        layout.addWidget(self.message)
        reason_label = QLabel(
            self.tr("&Why must the signed record change? (printed on the amended report)")
        )
        reason_label.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)  # Tab goes on to the password
        self.reason.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        reason_label.setBuddy(self.reason)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason)
        password_label = QLabel(
            self.tr("Your &password, %1 (typed now, like a signature)").replace(
                "%1", self._actor.full_name
            )
        )
        self.password = text_field(password=True)
        password_label.setBuddy(self.password)
        layout.addWidget(password_label)
        layout.addWidget(self.password)
        layout.addWidget(
            hint(self.tr("The amendment is recorded with your name, the time and the reason."))
        )
        # Plain buttons: a QDialogButtonBox makes Cancel the default button once shown, and
        # Enter in the password field would then cancel.
        self.open_button = QPushButton(self.tr("&Open amendment"))
        self.open_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        # Enter anywhere but in the reason presses the default button, "Open amendment"; it
        # stays enabled and says what is missing. Esc cancels.
        self.open_button.clicked.connect(self._on_open_requested)
        self.cancel_button.clicked.connect(self.reject)

    def _reason_text(self) -> str:
        return self.reason.toPlainText().strip()

    def _on_open_requested(self) -> None:
        if not self._reason_text():
            self.message.show_message(self.tr("Give the reason for the amendment."), "error")
            self.reason.setFocus()
            return
        if not self.password.text():
            self.message.show_message(self.tr("Type your password."), "error")
            self.password.setFocus()
            return
        if len(self._reason_text()) > _REASON_MAX:
            self.message.show_message(
                self.tr("Keep the reason under %1 characters.").replace("%1", str(_REASON_MAX)),
                "error",
            )
            return
        password = self.password.text()
        self.password.clear()  # a password never stays in the field
        amendment = operations.write(
            self._context,
            signing.open_amendment,
            actor=self._actor,
            show_error=self._on_refused,
            what=self.tr("The amendment"),
            changes=(Topic.SIGNATURES, Topic.PROCEDURE),
            short_lock=True,  # it checks the password again: said at once, not retried
            procedure_id=self._review.procedure_id,
            reason=self._reason_text(),
            password=password,
        )
        if amendment is None:
            return
        self.amendment = amendment
        self.opened.emit(amendment)
        self.accept()

    def _on_refused(self, text: str) -> None:
        self.message.show_message(text, "error")
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)
