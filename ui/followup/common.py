"""Shared pieces of the follow-up screens: palette, date text, the message line, small dialogs.

Qt only; talks to nothing but DTOs and domain values.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.followup.schedule import DueState
from slidesk.outcomes import Criterion, Verdict
from ui.common.text_warning import IdentifyingTextWarning

# Calm palette; colour is never the only signal — the text says the same.
INK = QColor("#1f2937")
MUTED = QColor("#6b7280")
GRID = QColor("#d1d5db")
ACCENT = QColor("#1d4ed8")
ERROR_BG, ERROR_FG = "#fde2e1", "#9b1c1c"
WARN_BG, WARN_FG = "#fff4d6", "#7a4b00"
INFO_BG, INFO_FG = "#e8eefc", "#1e3a8a"
OK_BG, OK_FG = "#dcf2e4", "#1d6b3a"

VERDICT_COLOURS = {
    Verdict.SUCCESS: (OK_BG, OK_FG),
    Verdict.FAILURE: (ERROR_BG, ERROR_FG),
    Verdict.INCOMPLETE: (WARN_BG, WARN_FG),
}
CRITERION_MARKS = {Criterion.MET: "✓", Criterion.NOT_MET: "✗", Criterion.UNKNOWN: "?"}
CRITERION_WORDS = {Criterion.MET: "met", Criterion.NOT_MET: "not met", Criterion.UNKNOWN: "unknown"}
DUE_COLOURS = {
    DueState.OVERDUE: (ERROR_BG, ERROR_FG),
    DueState.DUE: (WARN_BG, WARN_FG),
    DueState.STARTED: (INFO_BG, INFO_FG),
    DueState.UPCOMING: ("#f3f4f6", "#374151"),
    DueState.DONE: (OK_BG, OK_FG),
    DueState.NOT_YET: ("#ffffff", "#6b7280"),
}


def day_text(day: date | None) -> str:
    """'27 Feb 2026' — a calendar day, no time, no zone."""
    return day.strftime("%d %b %Y") if day is not None else "—"


def shortcut_text(sequence: QKeySequence | str) -> str:
    seq = sequence if isinstance(sequence, QKeySequence) else QKeySequence(sequence)
    return seq.toString(QKeySequence.SequenceFormat.NativeText)


class MessageLine(QLabel):
    """One line under a form's title: error, warning, information or success, in words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def _show(self, text: str, bg: str, fg: str) -> None:
        self.setText(text)
        self.setStyleSheet(
            f"QLabel {{ background: {bg}; color: {fg}; border-radius: 4px; padding: 6px 8px; }}"
        )
        self.setAccessibleDescription(text)
        self.show()

    def error(self, text: str) -> None:
        self._show(text, ERROR_BG, ERROR_FG)

    def warning(self, text: str) -> None:
        self._show(text, WARN_BG, WARN_FG)

    def info(self, text: str) -> None:
        self._show(text, INFO_BG, INFO_FG)

    def success(self, text: str) -> None:
        self._show(text, OK_BG, OK_FG)

    def clear_message(self) -> None:
        self.clear()
        self.hide()


class ReasonDialog(QDialog):
    """Asks why a saved record is being changed; OK stays disabled until a reason is typed."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.prompt = QLabel(prompt)
        self.prompt.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("For example: value re-read from the paper CRF"))
        self.text.setFixedHeight(80)
        self.text.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.text)
        self.warning = IdentifyingTextWarning(self.text, self.tr("The reason"))
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self.resize(460, 220)
        self._connect_signals()
        self._on_text_changed()

    def _connect_signals(self) -> None:
        self.text.textChanged.connect(self._on_text_changed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _on_text_changed(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.text.toPlainText().strip()))

    def reason(self) -> str:
        return self.text.toPlainText().strip()


class SignDialog(QDialog):
    """The assessor signs: the meaning of the signature, and their password typed again."""

    def __init__(self, who: str, what: str, meaning: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign visit"))
        intro = QLabel(
            self.tr(
                "<b>{what}</b><br>Signing locks the visit. Later changes need an amendment."
            ).replace("{what}", what)
        )
        intro.setWordWrap(True)
        statement = QLabel(meaning)
        statement.setWordWrap(True)
        statement.setStyleSheet(
            f"QLabel {{ background: {INFO_BG}; color: {INFO_FG}; padding: 8px; "
            "border-radius: 4px; }"
        )
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        form = QFormLayout()
        form.addRow(self.tr("Signed by"), QLabel(f"<b>{who}</b>"))
        form.addRow(self.tr("&Password"), self.password)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(statement)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(460, 240)
        self._connect_signals()
        self._on_password_textChanged("")

    def _connect_signals(self) -> None:
        self.password.textChanged.connect(self._on_password_textChanged)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _on_password_textChanged(self, text: str) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text))

    def secret(self) -> str:
        return self.password.text()
