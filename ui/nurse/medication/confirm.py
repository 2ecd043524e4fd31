"""The dose shown back before it is charted: in another unit than the drug's, over a protocol
limit (a reason is then asked), or a quick-button bolus of a sedative or an opioid.

Qt only; a `DosePreview` in, (charted?, reason) out. Imports no other tab.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from slidesk.services.sedation.dto import DosePreview
from ui.nurse.common import MessageLine


class DoseConfirmDialog(QDialog):
    """Shows the dose as it will be charted; asks a reason when a limit is exceeded."""

    def __init__(self, preview: DosePreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(self.tr("Confirm dose"))
        layout = QVBoxLayout(self)
        big = self.headline = QLabel(f"{preview.drug_name}  {preview.text}")
        font = QFont(big.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        big.setFont(font)
        layout.addWidget(big)
        if preview.unit_converted:
            layout.addWidget(QLabel(self.tr("Typed as {0}").format(preview.entered_text)))
        self.total_line = QLabel(
            self.tr("Total {0} → {1}").format(preview.before_text, preview.after_text)
        )
        layout.addWidget(self.total_line)
        for text in preview.messages:
            line = MessageLine()
            (line.error if "STOP" in text or "more than" in text else line.warn)(text)
            layout.addWidget(line)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Reason for exceeding the protocol limit"))
        self.reason.setVisible(preview.needs_reason)
        layout.addWidget(self.reason)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(
            self.tr("Chart {0}").format(preview.text), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.message = MessageLine()
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        self.message.follow(self)
        # Enter charts, Escape does not: the keyboard stays one key from done.
        self.ok_button.setDefault(True)
        (self.reason if preview.needs_reason else self.ok_button).setFocus()

    def _on_buttons_accepted(self) -> None:
        """Chart stays pressable: without a needed reason it says so and charts nothing."""
        if self.preview.needs_reason and not self.reason.text().strip():
            self.message.error(
                self.tr("Give the reason for exceeding the protocol limit. Nothing is charted yet.")
            )
            self.reason.setFocus()
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget, preview: DosePreview) -> tuple[bool, str | None]:
        dialog = cls(preview, parent)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        return ok, (dialog.reason.text().strip() or None) if ok else None
