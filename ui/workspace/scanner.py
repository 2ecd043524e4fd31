"""Barcode scanners type like a keyboard: a fast burst of keys ending in Enter.

`ScanDetector` watches key presses application-wide while the workspace is shown. When a burst
matches the protocol's syringe label pattern, it undoes what the burst typed into whatever
field had focus and reports the label, so a scan works wherever the focus happens to be.
"""

from __future__ import annotations

import re
import time

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

# A scanner sends a key every few milliseconds; people rarely type this fast for long.
MAX_GAP_S = 0.035
MIN_LENGTH = 5


class ScanDetector(QObject):
    scanned = Signal(str)
    """A syringe label was scanned (upper-cased text as read)."""

    def __init__(self, scope: QWidget, pattern: str = r".+") -> None:
        super().__init__(scope)
        self._scope = scope
        self._pattern = re.compile(pattern)
        self._buffer: list[str] = []
        self._last = 0.0
        self._target: QLineEdit | None = None
        self._saved = ("", 0)
        self._active = False

    def set_pattern(self, pattern: str) -> None:
        self._pattern = re.compile(pattern)

    def start(self) -> None:
        app = QApplication.instance()
        if not self._active and app is not None:
            app.installEventFilter(self)
            self._active = True

    def stop(self) -> None:
        app = QApplication.instance()
        if self._active:
            if app is not None:  # None only once the application is gone
                app.removeEventFilter(self)
            self._active = False
        self._buffer.clear()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(obj, QWidget):
            return False
        focus = QApplication.focusWidget()
        # Key events are offered to every parent as they propagate; count each key once.
        if obj is not (focus if focus is not None else obj.window()):
            return False
        # Only inside the workspace's own window (a dialog on top is another window).
        if obj is not self._scope and not self._scope.isAncestorOf(obj):
            return False
        assert isinstance(event, QKeyEvent)
        now = time.perf_counter()
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            text = "".join(self._buffer).upper()
            fast = now - self._last <= MAX_GAP_S
            self._buffer.clear()
            if fast and len(text) >= MIN_LENGTH and self._pattern.fullmatch(text):
                self._restore()
                self.scanned.emit(text)
                return True
            return False
        typed = event.text()
        if (
            not typed
            or not typed.isprintable()
            or event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            self._buffer.clear()
            return False
        if now - self._last > MAX_GAP_S or not self._buffer:
            self._buffer = []
            self._target = focus if isinstance(focus, QLineEdit) else None
            if self._target is not None:
                self._saved = (self._target.text(), self._target.cursorPosition())
        self._buffer.append(typed)
        self._last = now
        return False

    def _restore(self) -> None:
        target = self._target
        self._target = None
        if target is not None:
            text, cursor = self._saved
            target.setText(text)
            target.setCursorPosition(cursor)
