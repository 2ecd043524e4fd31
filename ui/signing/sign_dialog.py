"""Review and sign a procedure record; open an amendment; reach its report.

The review lists what must be fixed (signing is refused) and what must be acknowledged. A
signature needs the signer's username and password typed now, whoever is at the keyboard
(21 CFR 11.200): the session's active user is not assumed to be the signer.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.errors import DomainError
from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.users import Actor
from slidesk.services.accounts.service import AuthenticationFailed
from slidesk.services.signing import service as signing
from slidesk.services.signing.changes import changes_since_signed
from slidesk.services.signing.dto import AmendmentView, SigningReview
from ui.auth.common import MAX_FIELD_LENGTH, MessageStrip, header
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Topic
from ui.signing.changes import ChangesBox
from ui.signing.models import FindingColumn, FindingsModel, SignatureColumn, SignaturesModel
from ui.signing.parts import as_sentence, buddy, fit_rows, table_view


class SignDialog(QDialog):
    """The sign-off of one procedure record (any status; actions follow the status)."""

    signed = Signal(object)
    """A signature was recorded (a `SigningResult`)."""

    amendment_opened = Signal(object)
    """An amendment was opened on the signed record (an `AmendmentView`)."""

    def __init__(
        self,
        context: AppContext,
        actor: Actor,
        procedure_id: int,
        parent: QWidget | None = None,
        *,
        key_folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._actor = actor
        self._procedure_id = procedure_id
        self._key_folder = key_folder
        self.review: SigningReview | None = None
        self.amendment_dialog: QDialog | None = None  # the last one opened (for tests)
        self.setWindowTitle(self.tr("Review and sign — SLI Desk"))
        self._fit_to_screen()
        self._build()
        self._connect_signals()
        self.refresh()

    # --- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self._header = header(self.tr("Review and sign the procedure record"))
        layout.addWidget(self._header)
        self._subtitle = QLabel()
        self._subtitle.setWordWrap(True)
        layout.addWidget(self._subtitle)
        self.message = MessageStrip()
        layout.addWidget(self.message)

        review_box = QGroupBox(self.tr("&Before signing: what a signer must see"))
        review_layout = QVBoxLayout(review_box)
        self.findings = FindingsModel()
        self.findings_view = table_view(self.findings)
        self.findings_view.horizontalHeader().setSectionResizeMode(
            FindingColumn.KIND, QHeaderView.ResizeMode.ResizeToContents
        )
        # Each row as tall as its wrapped text at the current widths, kept so on every resize.
        self.findings_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.findings_view.setMinimumHeight(110)
        review_layout.addWidget(self.findings_view)
        self._nothing = QLabel(self.tr("Nothing missing or unusual was found."))
        review_layout.addWidget(self._nothing)
        # Beside the statement that asks for the ticks (see the sign box), not under the list:
        # there it sat over the list's scroll arrow when the dialog was short.
        self.acknowledge_all = QPushButton(self.tr("&Acknowledge all warnings (Alt+A)"))
        layout.addWidget(review_box, 1)  # the list to tick gets the room that is left

        self.changes = ChangesBox(self._context.clock)
        layout.addWidget(self.changes)  # as tall as its rows, up to a limit (ChangesBox)

        sig_box = QGroupBox(self.tr("Signatures of this version"))
        sig_layout = QVBoxLayout(sig_box)
        self.signatures = SignaturesModel(self._context.clock)
        self.signatures_view = table_view(self.signatures)
        heading = self.signatures_view.horizontalHeader()
        heading.setStretchLastSection(False)
        heading.setSectionResizeMode(SignatureColumn.MEANING, QHeaderView.ResizeMode.Stretch)
        for column in (SignatureColumn.SIGNED_BY, SignatureColumn.WHEN, SignatureColumn.STATE):
            heading.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        sig_layout.addWidget(self.signatures_view)
        layout.addWidget(sig_box)  # as tall as its rows (see refresh): room for the review

        self.sign_box = QGroupBox(self.tr("Sign (your own username and password, typed now)"))
        form = QGridLayout(self.sign_box)
        self.meaning = QComboBox()
        self.username = QLineEdit()
        self.username.setMaxLength(MAX_FIELD_LENGTH)
        self.password = QLineEdit()
        self.password.setMaxLength(MAX_FIELD_LENGTH)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.statement = QLabel()
        self.statement.setWordWrap(True)
        self.sign_button = QPushButton(self.tr("&Sign (Ctrl+Enter)"))
        self.sign_button.setDefault(True)
        # Username and password side by side, the statement beside the button: the dialog
        # fits a 1366×768 screen with an amendment's list of changes.
        form.addWidget(buddy(self.tr("&Meaning"), self.meaning), 0, 0)
        form.addWidget(self.meaning, 0, 1, 1, 3)
        form.addWidget(buddy(self.tr("&Username"), self.username), 1, 0)
        form.addWidget(self.username, 1, 1)
        form.addWidget(buddy(self.tr("&Password"), self.password), 1, 2)
        form.addWidget(self.password, 1, 3)
        ticks = QHBoxLayout()
        ticks.addWidget(self.statement, 1)
        ticks.addWidget(self.acknowledge_all)
        ticks.addWidget(self.sign_button)
        form.addLayout(ticks, 2, 0, 1, 4)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        layout.addWidget(self.sign_box)

        buttons = QHBoxLayout()
        # Alt+O: Alt+M is the meaning's, which a signed record still offers (optional review).
        self.amend_button = QPushButton(self.tr("&Open an amendment…"))
        # Ctrl+P as in the Procedure menu ("Report / print…"); Ctrl+R relocates a site.
        self.report_button = QPushButton(self.tr("&Report / print… (Ctrl+P)"))
        self.close_button = QPushButton(self.tr("&Close"))
        # Enter means Sign and nothing else: a dialog's buttons are auto-default, so the Enter
        # that signs would otherwise, once Sign greys out, also press another (Acknowledge all
        # would tick the next signer's warnings for them).
        for button in (
            self.acknowledge_all,
            self.amend_button,
            self.report_button,
            self.close_button,
        ):
            button.setAutoDefault(False)
        buttons.addWidget(self.amend_button)
        buttons.addStretch(1)
        buttons.addWidget(self.report_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self._sign_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        self._report_shortcut = QShortcut(QKeySequence("Ctrl+P"), self)

    def _connect_signals(self) -> None:
        self.acknowledge_all.clicked.connect(self._on_acknowledge_all_clicked)
        self.findings.dataChanged.connect(self._on_findings_data_changed)
        self.meaning.currentIndexChanged.connect(self._on_meaning_current_index_changed)
        self.sign_button.clicked.connect(self._on_sign_button_clicked)
        self.password.returnPressed.connect(self._on_sign_button_clicked)
        self._sign_shortcut.activated.connect(self._on_sign_button_clicked)
        self.amend_button.clicked.connect(self._on_amend_button_clicked)
        self.report_button.clicked.connect(self._on_report_button_clicked)
        self._report_shortcut.activated.connect(self._on_report_button_clicked)
        self.close_button.clicked.connect(self.accept)

    def _fit_to_screen(self) -> None:
        """1100×720, or less on a smaller screen: the whole dialog, title bar included, stays
        on a 1366×768 screen with room for the taskbar."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        width, height = 1100, 720
        if screen is not None:
            room = screen.availableGeometry()
            width = min(width, room.width() - 16)
            height = min(height, room.height() - 40)  # the window's title bar
        self.resize(width, height)

    # --- state -------------------------------------------------------------------------------

    def _show_error(self, text: str) -> None:
        self.message.show_message(text, "error")

    def refresh(self) -> None:
        review = operations.read(
            self._context,
            signing.review_for_signing,
            actor=self._actor,
            show_error=self._show_error,
            what=self.tr("The review of the record"),
            procedure_id=self._procedure_id,
        )
        if review is None:
            self._update_sign_state()
            return
        self.review = review
        status = review.status.label
        self._subtitle.setText(
            self.tr("Subject %s · procedure %d · %s · version %d · record SHA-256 %s…")
            % (
                review.study_id,
                review.procedure_id,
                status,
                review.version,
                review.content_hash[:16],
            )
        )
        if review.integrity_problem:
            self.message.show_message(review.integrity_problem, "error")
        elif review.status is ProcedureStatus.SIGNED:
            self.message.show_message(
                self.tr("Signed and locked. Changes need an amendment with a reason."), "success"
            )
        elif review.open_amendment is not None:
            self.message.show_message(
                self.tr("Amendment open. Reason: %1 Correct the record, then sign again.").replace(
                    "%1", as_sentence(review.open_amendment.reason)
                ),
                "warning",
            )
        else:
            self.message.clear_message()
        self.findings.set_rows(review.findings)
        self.signatures.set_rows(review.meanings)
        fit_rows(self.signatures_view)
        self._nothing.setVisible(not review.findings)
        self.findings_view.setVisible(bool(review.findings))
        self.acknowledge_all.setVisible(bool(review.warnings))
        current = self.meaning.currentData()
        self.meaning.blockSignals(True)
        self.meaning.clear()
        for m in review.meanings:
            if m.signature is None:
                self.meaning.addItem(f"{m.meaning} ({m.role})", m.role)
        # Keep the meaning chosen while it still needs signing; else the first one required.
        required = {m.role for m in review.meanings if m.required and m.signature is None}
        index = self.meaning.findData(current) if current in required else -1
        self.meaning.setCurrentIndex(max(index, 0))
        self.meaning.blockSignals(False)
        self.amend_button.setVisible(review.status is ProcedureStatus.SIGNED)
        self._show_changes(review)
        self._update_sign_state()

    def _show_changes(self, review: SigningReview) -> None:
        """While an amendment is open: what changed since the last signed version."""
        amending = review.status is ProcedureStatus.AMENDED
        found = (
            operations.read(
                self._context,
                changes_since_signed,
                actor=self._actor,
                show_error=lambda text: self.message.show_message(text, "error"),
                what=self.tr("The list of changes"),
                procedure_id=self._procedure_id,
                tz=self._context.clock.zone,
            )
            if amending
            else None
        )
        self.changes.setVisible(found is not None)
        if found is not None:
            self.changes.set_changes(found)

    def _update_sign_state(self) -> None:
        review = self.review
        can = (
            review is not None
            and review.signable
            and self.meaning.count() > 0
            and self.findings.all_warnings_acknowledged()
        )
        self.sign_box.setEnabled(bool(review and review.signable and self.meaning.count()))
        self.sign_button.setEnabled(bool(can))
        role = self.meaning.currentData()
        meaning = next((m.meaning for m in review.meanings if m.role == role), "") if review else ""
        if review is not None and review.blocking:
            self.statement.setText(self.tr("Fix the items marked “Must be fixed” first."))
        elif not self.findings.all_warnings_acknowledged():
            self.statement.setText(self.tr("Tick each warning to confirm you have seen it."))
        elif meaning:
            self.statement.setText(
                self.tr(
                    "By signing you state: “%s”. An electronic signature is binding like "
                    "a handwritten one."
                )
                % meaning
            )
        else:
            self.statement.setText("")

    # --- slots -------------------------------------------------------------------------------

    def _on_acknowledge_all_clicked(self) -> None:
        self.findings.acknowledge_all()

    def _on_findings_data_changed(self, *_args: object) -> None:
        self._update_sign_state()

    def _on_meaning_current_index_changed(self, _index: int) -> None:
        self._update_sign_state()

    def _on_sign_button_clicked(self) -> None:
        if not self.sign_button.isEnabled():
            return
        role = self.meaning.currentData()
        password = self.password.text()
        self.password.clear()  # a password never stays in the field
        result = operations.write(
            self._context,
            signing.sign_record,
            actor=self._actor,
            show_error=self._show_error,
            refused=self._on_sign_refused,
            what=self.tr("The signature"),
            changes=(Topic.SIGNATURES,),
            short_lock=True,  # it checks the password again: said at once, not retried
            procedure_id=self._procedure_id,
            meaning_role=role,
            username=self.username.text(),
            password=password,
            acknowledged=self.findings.acknowledged,
        )
        if result is None:
            return
        self.username.clear()
        # The ticks were this signer's: the next signer must see and tick the warnings themself.
        self.findings.forget_acknowledgements()
        self.refresh()
        done = (
            self.tr("Signed by %s. The record is now signed and locked.")
            if result.version_completed
            else self.tr("Signed by %s.")
        ) % result.signature.signer_full_name
        self.message.show_message(done, "success")
        self.signed.emit(result)

    def _on_sign_refused(self, refusal: DomainError) -> None:
        self._show_error(refusal.message)
        if isinstance(refusal, AuthenticationFailed):
            self.password.setFocus()

    def _on_amend_button_clicked(self) -> None:
        from ui.signing.amendment_dialog import AmendmentDialog

        if self.review is None:
            return
        dialog = AmendmentDialog(self._context, self._actor, self.review, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.opened.connect(self._on_amendment_dialog_opened)
        self.amendment_dialog = dialog
        dialog.open()

    def _on_amendment_dialog_opened(self, amendment: AmendmentView) -> None:
        self.refresh()
        self.message.show_message(
            self.tr(
                "Amendment open. Reason: %1 Correct the record in the workspace, each change "
                "with its reason; the changes are listed here for both signatures."
            ).replace("%1", as_sentence(amendment.reason)),
            "warning",
        )
        self.amendment_opened.emit(amendment)

    def _on_report_button_clicked(self) -> None:
        from ui.signing.report_dialog import ReportDialog

        dialog = ReportDialog(
            self._context, self._actor, self._procedure_id, self, key_folder=self._key_folder
        )
        dialog.open()
