"""Keyboard helpers for journeys through the main window: keys where the focus is, Alt keys,
signing by keys, and the text of a PDF the window produced."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import PASSWORD
from tests.ui.bedside import activate
from ui.signing.sign_dialog import SignDialog

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def key(
    qtbot: Any, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """A key pressed wherever the keyboard focus is (as a person would press it)."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard"
    qtbot.keyClick(target, k, modifier)


def type_text(qtbot: Any, text: str) -> None:
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard"
    qtbot.keyClicks(target, text)


def alt(qtbot: Any, k: Qt.Key) -> None:
    """Alt+letter on a button: Qt presses it, and clicks a moment later."""
    key(qtbot, k, ALT)
    QApplication.processEvents()


def sign_by_keys(qtbot: Any, dialog: SignDialog, username: str) -> None:
    """Acknowledge the warnings (Alt+A), type the signer's own username and password, Enter."""
    alt(qtbot, Qt.Key.Key_A)
    qtbot.waitUntil(dialog.findings.all_warnings_acknowledged)
    meanings = [dialog.meaning.itemData(i) for i in range(dialog.meaning.count())]
    dialog.meaning.setFocus()
    for _ in range(meanings.index(username)):
        key(qtbot, Qt.Key.Key_Down)
    assert dialog.meaning.currentData() == username
    alt(qtbot, Qt.Key.Key_U)
    assert dialog.username.hasFocus()
    type_text(qtbot, username)
    key(qtbot, Qt.Key.Key_Tab)
    assert dialog.password.hasFocus()
    type_text(qtbot, PASSWORD)
    with qtbot.waitSignal(dialog.signed, timeout=10_000):
        key(qtbot, Qt.Key.Key_Return)


def open_sign_dialog(qtbot: Any, bedside: Any) -> SignDialog:
    """Ctrl+Shift+S: review and sign the procedure on screen."""
    key(qtbot, Qt.Key.Key_S, CTRL_SHIFT)
    dialog = bedside.window.features.procedure.dialog
    assert isinstance(dialog, SignDialog)
    activate(qtbot, dialog)
    return dialog


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
