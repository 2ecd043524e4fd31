"""The main window's menu bar and toolbar, laid out from the window's actions.

Builds widgets only: what an action does is connected by the window. Imports no window and
no feature.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QSizePolicy, QToolBar, QWidget


class FrameMenus(NamedTuple):
    procedure: QMenu
    view: QMenu
    help: QMenu


def build_menus(
    window: QMainWindow,
    *,
    file: list[QAction],
    quit_action: QAction,
    procedure: list[QAction],
    view: list[QAction],
    help_actions: list[QAction],
) -> FrameMenus:
    """File, Procedure, View and Help (the admin menu joins later, before Help)."""
    bar = window.menuBar()
    file_menu = bar.addMenu(window.tr("&File"))
    file_menu.addActions(file)
    file_menu.addSeparator()
    file_menu.addAction(quit_action)
    procedure_menu = bar.addMenu(window.tr("&Procedure"))
    procedure_menu.addActions(procedure)
    view_menu = bar.addMenu(window.tr("&View"))
    view_menu.addActions(view)
    help_menu = bar.addMenu(window.tr("&Help"))
    help_menu.addActions(help_actions)
    return FrameMenus(procedure_menu, view_menu, help_menu)


def build_toolbar(window: QMainWindow, actions: list[QAction]) -> QToolBar:
    """The top toolbar: `actions` on the left, room on the right for the accounts' widgets."""
    toolbar = QToolBar(window.tr("Main"), window)
    toolbar.setObjectName("MainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    toolbar.addActions(actions)
    spacer = QWidget()
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    toolbar.addWidget(spacer)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    return toolbar


def fill_procedure_menu(menu: QMenu, groups: list[list[QAction]]) -> None:
    """The Procedure menu as it opens: each non-empty group after a separator."""
    menu.clear()
    first, *rest = groups
    menu.addActions(first)
    for group in rest:
        if group:
            menu.addSeparator()
            menu.addActions(group)


def shortcut_list(groups: list[list[QAction]], admin_menu: QMenu | None) -> list[QAction]:
    """What F1 lists, in the order of the menus; of the admin menu what this typist may use."""
    actions = [action for group in groups for action in group]
    if admin_menu is not None:
        actions[-2:-2] = [a for a in admin_menu.actions() if a.isEnabled()]
    return actions
