"""Pieces shared by the sign-in, password and account dialogs: message strip, header, fields."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

# The Okabe–Ito colours used across the app (colour-blind safe); text always says it too.
_STYLES = {
    "error": "background:#FBE3D6; color:#7A2E00; border:1px solid #D55E00;"
    " border-radius:6px; padding:8px;",
    "warning": "background:#FBF6C8; color:#1A1A1A; border:1px solid #C9BD2A;"
    " border-radius:6px; padding:8px;",
    "info": "background:#DCEBF7; color:#1A1A1A; border:1px solid #7FB2DA;"
    " border-radius:6px; padding:8px;",
    "success": "background:#D7F0E7; color:#0B4D3B; border:1px solid #009E73;"
    " border-radius:6px; padding:8px;",
}
# The longest input any of these fields takes: enough for any name or password, and a bound
# on what a pasted megabyte can do.
MAX_FIELD_LENGTH = 300


class MessageStrip(QLabel):
    """One message at a time, in words and colour; hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName(self.tr("Message"))
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "error") -> None:
        self.kind = kind
        self.setStyleSheet(_STYLES[kind])
        self.setText(text)
        self.setAccessibleDescription(text)
        self.show()
        window = self.window()
        if window is not self:
            grow_to_fit(window)

    def clear_message(self) -> None:
        self.kind = ""
        self.setText("")
        self.hide()


def grow_to_fit(window: QWidget) -> None:
    """Make a shown window tall enough for what it holds now, at its width (never shorter).

    A shown window does not grow by itself when it gains content (a message, a longer text,
    another page): its wrapped lines would be squeezed and clipped instead. Call this after
    such a change. The window stays within the screen.
    """
    if not window.isVisible():
        return
    layout = window.layout()
    if layout is not None:
        layout.activate()  # take the new content into account now, not at the next event
    needed = window.sizeHint().height()
    if window.hasHeightForWidth():
        needed = max(needed, window.heightForWidth(window.width()))
    screen = window.screen()
    if screen is not None:
        frame = window.frameGeometry().height() - window.height()
        needed = min(needed, screen.availableGeometry().height() - frame)
    if needed > window.height():
        window.resize(window.width(), needed)


def header(title: str, subtitle: str = "") -> QWidget:
    """A dialog's title in large type with a quieter line under it."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 8)
    layout.setSpacing(2)
    heading = QLabel(title)
    font = QFont(heading.font())
    font.setPointSizeF(font.pointSizeF() * 1.45)
    font.setBold(True)
    heading.setFont(font)
    heading.setObjectName("dialogTitle")
    layout.addWidget(heading)
    if subtitle:
        sub = QLabel(subtitle)
        sub.setObjectName("dialogSubtitle")
        sub.setWordWrap(True)
        sub.setStyleSheet("color:#4D4D4D;")
        layout.addWidget(sub)
    return box


def text_field(placeholder: str = "", *, password: bool = False) -> QLineEdit:
    field = QLineEdit()
    field.setMaxLength(MAX_FIELD_LENGTH)
    field.setPlaceholderText(placeholder)
    field.setMinimumWidth(260)
    if password:
        field.setEchoMode(QLineEdit.EchoMode.Password)
        # No autocompletion or input method history for secrets.
        field.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
        )
    return field


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color:#4D4D4D;")
    return label
