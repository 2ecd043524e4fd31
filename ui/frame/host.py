"""`FeatureHost`: what a feature screen may ask of the main window, and nothing more.

Features (`ui.features`) are handed a host when the window is built and use only this
protocol: they never import the window, nor reach into its home list or workspace widgets.
The window (`ui.main_window.MainWindow`) implements it. Imports no feature and no window.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QWidget

from slidesk.services.dto import ProcedureView
from ui.context import AppContext
from ui.session import BedsideSession
from ui.workspace.ui_state import UiState


class HomeList(Protocol):
    """The home page as features use it: the procedure list and the room below it."""

    def add_list_action(self, action: QAction, button_text: str) -> object:
        """A row action of the list: a button next to Open and a context-menu entry."""
        ...

    def add_list_shortcuts(self, actions: list[QAction]) -> None:
        """Actions whose shortcuts work while the list has the keyboard."""
        ...

    def add_section(self, widget: QWidget, height: int) -> None:
        """A section below the list, `height` pixels high at first."""
        ...

    def selected_procedure_id(self) -> int | None: ...

    def focus_list(self) -> None:
        """The list takes the keyboard, a row current."""
        ...


class ShownWorkspace(Protocol):
    """The workspace page on screen, as features use it."""

    @property
    def view(self) -> ProcedureView | None:
        """The procedure it shows."""
        ...

    @property
    def selected_site(self) -> int | None:
        """The site the entry panel shows."""
        ...

    def focus_entry(self, reason: Qt.FocusReason, *, show: bool = True) -> None:
        """The syringe field takes the keyboard (with `show`: the entry panel comes in view)."""
        ...

    def show_record_tab(self, tab: QWidget) -> None:
        """The "Record" panel at `tab`."""
        ...


class FeatureHost(Protocol):
    """The main window as the features see it."""

    @property
    def context(self) -> AppContext: ...

    @property
    def session(self) -> BedsideSession: ...

    @property
    def ui_state(self) -> UiState: ...

    @property
    def home(self) -> HomeList: ...

    @property
    def procedure_opened(self) -> SignalInstance:
        """Emits the `ProcedureView` shown in the workspace, or None back on the list."""
        ...

    @property
    def adverse_event_requested(self) -> SignalInstance:
        """Emits (procedure id, site number): open the adverse-event form there."""
        ...

    @property
    def workspace_created(self) -> SignalInstance:
        """Emits the workspace page once it is built (on first use)."""
        ...

    @property
    def record_panel_action(self) -> QAction:
        """View ▸ Record panel (F9): the workspace's right-hand tabs shown or hidden."""
        ...

    def frame(self) -> QMainWindow:
        """The window itself: the parent of a feature's objects and dialogs."""
        ...

    def say(self, text: str, msecs: int) -> None:
        """A message on the status bar for `msecs` milliseconds."""
        ...

    def add_side_tab(self, widget: QWidget, title: str) -> None:
        """A tab of the workspace's right-hand "Record" panel."""
        ...

    def add_procedure_actions(self, actions: list[QAction]) -> None:
        """Entries of the Procedure menu, their shortcuts window-wide."""
        ...

    def add_view_actions(self, actions: list[QAction]) -> None:
        """Entries of the View menu, their shortcuts window-wide."""
        ...

    def on_home(self) -> bool:
        """The home list is the page on screen."""
        ...

    def shown_workspace(self) -> ShownWorkspace | None:
        """The workspace, when it is the page on screen."""
        ...
