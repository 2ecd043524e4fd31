"""View ▸ Large text, Record panel and Full screen: remembered, applied to the window and to
the workspace page once it is built.

Imports no window and no feature (the workspace page only as a type: it is built on first use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow

from ui.workspace.ui_state import LARGE_TEXT, SHOW_RECORD_PANEL, UiState

if TYPE_CHECKING:  # built on first use: the list must appear at once
    from ui.workspace.page import WorkspacePage

LARGE_TEXT_FACTOR = 1.25


class ViewToggles(QObject):
    """The three checkable View actions of the window and what each one changes."""

    def __init__(self, window: QMainWindow, ui_state: UiState) -> None:
        super().__init__(window)
        self._window = window
        self._ui_state = ui_state
        self._page: WorkspacePage | None = None
        self.large_text = self._action(window.tr("&Large text"), "Ctrl+Shift+L")
        self.record_panel = self._action(window.tr("&Record panel"), "F9")
        self.fullscreen = self._action(window.tr("&Full screen"), "F11")
        self.large_text.setChecked(bool(ui_state.get(LARGE_TEXT)))
        self.record_panel.setChecked(bool(ui_state.get(SHOW_RECORD_PANEL)))
        self.large_text.toggled.connect(self._on_large_text_toggled)
        self.record_panel.toggled.connect(self._on_record_panel_toggled)
        self.fullscreen.toggled.connect(self._on_fullscreen_toggled)

    def _action(self, text: str, shortcut: str) -> QAction:
        action = QAction(text, self._window)
        action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(True)
        return action

    def actions(self) -> list[QAction]:
        return [self.large_text, self.record_panel, self.fullscreen]

    def attach(self, page: WorkspacePage) -> None:
        """The workspace page was built: it follows the toggles from now on."""
        self._page = page
        page.set_large_text(self.large_text.isChecked())
        page.columns.set_record_wanted(self.record_panel.isChecked())

    def apply_large_text(self, on: bool) -> None:
        app = QApplication.instance()
        window = self._window
        base = app.font() if isinstance(app, QApplication) else window.font()
        font = window.font()
        font.setPointSizeF(base.pointSizeF() * (LARGE_TEXT_FACTOR if on else 1.0))
        window.setFont(font)
        if self._page is not None:
            self._page.set_large_text(on)

    # --- slots ---------------------------------------------------------------------------------

    def _on_large_text_toggled(self, on: bool) -> None:
        self._ui_state.set(LARGE_TEXT, on)
        self.apply_large_text(on)

    def _on_record_panel_toggled(self, on: bool) -> None:
        self._ui_state.set(SHOW_RECORD_PANEL, on)
        if self._page is not None:
            self._page.columns.set_record_wanted(on)

    def _on_fullscreen_toggled(self, on: bool) -> None:
        if on:
            self._window.showFullScreen()
        else:
            self._window.showNormal()
