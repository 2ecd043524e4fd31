"""Keyboard shortcuts for buttons that keep their Alt mnemonic."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton


def press_with(button: QAbstractButton, keys: str) -> QShortcut:
    """Make `keys` click `button` while it is shown and enabled.

    Not `button.setShortcut`: that replaces the mnemonic of its text ("&Save" → Alt+S).
    """
    shortcut = QShortcut(QKeySequence(keys), button)
    shortcut.activated.connect(button.animateClick)
    return shortcut
