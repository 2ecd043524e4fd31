"""A message strip inside a page: modal-free, but impossible to miss when it is an error."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from ui.workspace.diagram.palette import BANNER_STYLES


class Banner(QLabel):
    """Shows one message at a time; errors beep and stay until the next action clears them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName(self.tr("Message"))
        self.kind = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear_message)
        self.hide()

    def show_message(self, text: str, kind: str = "info", *, timeout_ms: int = 0) -> None:
        self.kind = kind
        self.setStyleSheet(BANNER_STYLES[kind])
        self.setText(text)
        self.setAccessibleDescription(text)
        self.show()
        if kind == "error":
            QApplication.beep()
        if timeout_ms:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()

    def clear_message(self) -> None:
        self.kind = ""
        self.setText("")
        self.hide()
