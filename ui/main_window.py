"""The main window: a thin frame around the home list and the procedure workspace.

It owns the menus, the toolbar and the page switching; the pages own their flows. Feature
screens (`ui.features`) join through the `FeatureHost` protocol (`ui.frame.host`), which this
window implements: they import the protocol, never this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMenu, QStackedWidget, QWidget

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.users import Permission
from slidesk.services.dto import ProcedureView
from slidesk.services.procedure import service as procedures
from ui.context import AppContext
from ui.door import operations
from ui.features.install import install_features
from ui.frame.boxes import procedure_title, quit_question, show_about
from ui.frame.menus import build_menus, build_toolbar, fill_procedure_menu, shortcut_list
from ui.frame.view_toggles import ViewToggles
from ui.home.home_page import HomePage
from ui.qt_workarounds import incarnate_qobject_types
from ui.session import BedsideSession
from ui.workspace.ui_state import WINDOW_GEOMETRY, UiState

if TYPE_CHECKING:  # built on first use: the list must appear at once
    from ui.workspace.page import WorkspacePage

_HOME = 0  # the workspace joins the page stack on first use


class MainWindow(QMainWindow):
    adverse_event_requested = Signal(int, int)
    """Open the adverse-event form for (procedure id, site number) — connect the AE form here."""

    procedure_opened = Signal(object)
    """A procedure is shown in the workspace (`ProcedureView`), or None back on the list."""

    workspace_created = Signal(object)
    """The workspace page was built (on first use); features add their tabs and menus to it."""

    def __init__(self, context: AppContext, session: BedsideSession | None = None) -> None:
        super().__init__()
        incarnate_qobject_types()  # before the idle-lock and scanner filters (PySide6 crash)
        self.context = context
        self.session = session if session is not None else BedsideSession(context, self)
        self.ui_state = UiState()
        self.dialog: QWidget | None = None
        self._workspace: WorkspacePage | None = None  # built on first use
        self._side_tabs: list[tuple[QWidget, str]] = []
        self._procedure_extras: list[QAction] = []  # features' entries of the Procedure menu
        self._view_extras: list[QAction] = []
        self._shown_once = False
        self.setWindowTitle(self.tr("SLI Desk — %1").replace("%1", context.database_location))
        self.setMinimumSize(1024, 640)
        self.resize(1366, 768)
        self.pages = QStackedWidget(self)
        self.home = HomePage(context, self.session, self)
        self.pages.addWidget(self.home)
        self.setCentralWidget(self.pages)
        self._build_actions()
        self._build_menus()
        self.toolbar = build_toolbar(self, [self.home_action, self.new_action])
        self._add_account_widgets()
        self.people_label = QLabel()
        self.statusBar().addPermanentWidget(self.people_label)
        self.statusBar().showMessage(
            self.tr("Database: %1").replace("%1", context.database_location)
        )
        self._connect_signals()
        self.features = install_features(self)  # nurse's record, signing, follow-up, history
        self.toggles.apply_large_text(self.large_text_action.isChecked())
        geometry = self.ui_state.get(WINDOW_GEOMETRY)
        if geometry:
            self.restoreGeometry(geometry)  # type: ignore[arg-type]
        self._on_session_people_changed()
        self.home.refresh()
        self._update_actions()

    # --- building ------------------------------------------------------------------------------

    def _action(self, text: str, shortcut: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action(self.tr("&New procedure…"), "Ctrl+N")
        self.open_action = self._action(self.tr("&Open selected procedure"), "Ctrl+O")
        self.home_action = self._action(self.tr("Procedure &list"), "Ctrl+H")
        self.timeout_action = self._action(self.tr("&Time-out checklist…"), "Ctrl+T")
        self.quit_action = self._action(self.tr("&Quit"), "Ctrl+Q")
        self.toggles = ViewToggles(self, self.ui_state)
        self.large_text_action = self.toggles.large_text
        self.record_panel_action = self.toggles.record_panel
        self.fullscreen_action = self.toggles.fullscreen
        self.shortcuts_action = self._action(self.tr("&Keyboard shortcuts"), "F1")
        self.about_action = self._action(self.tr("&About SLI Desk"))

    def _build_menus(self) -> None:
        menus = build_menus(
            self,
            file=[self.new_action, self.open_action, self.home_action],
            quit_action=self.quit_action,
            procedure=[self.timeout_action],
            view=self.toggles.actions(),
            help_actions=[self.shortcuts_action, self.about_action],
        )
        self.procedure_menu, self.view_menu, self.help_menu = menus
        self.procedure_menu.aboutToShow.connect(self._on_procedure_menu_about_to_show)

    def _add_account_widgets(self) -> None:
        """Who-is-typing switcher and the admin menu, from the accounts feature."""
        from ui.auth.typist_switcher import TypistSwitcher

        self.typist_switcher = TypistSwitcher(self.context, self.session, self)
        self.toolbar.addWidget(self.typist_switcher)
        self.admin_menu: QMenu | None = None
        # Its dialogs' modules cost ~0.2 s to import: build it once the list is on screen.
        QTimer.singleShot(400, self, self._add_admin_menu)  # dropped if the window goes first

    def _add_admin_menu(self) -> None:
        if self.admin_menu is not None:
            return
        from ui.admin.menu import build_admin_menu

        self.admin_menu = build_admin_menu(self, self.context, self.session)
        self.menuBar().insertMenu(self.help_menu.menuAction(), self.admin_menu)

    def _connect_signals(self) -> None:
        self.new_action.triggered.connect(self._on_new_action_triggered)
        self.open_action.triggered.connect(self._on_open_action_triggered)
        self.home_action.triggered.connect(self.show_home)
        self.timeout_action.triggered.connect(self._on_timeout_action_triggered)
        self.quit_action.triggered.connect(self._on_quit_action_triggered)
        self.shortcuts_action.triggered.connect(self._on_shortcuts_action_triggered)
        self.about_action.triggered.connect(self._on_about_action_triggered)
        self.home.open_requested.connect(self.open_procedure)
        self.home.new_requested.connect(self._on_new_action_triggered)
        self.session.people_changed.connect(self._on_session_people_changed)
        self.session.active_changed.connect(self._on_session_active_changed)
        self.session.problem.connect(self._on_session_problem)

    # --- the workspace (built lazily) ----------------------------------------------------------

    @property
    def workspace(self) -> WorkspacePage:
        if self._workspace is None:
            from ui.workspace.page import WorkspacePage

            page = WorkspacePage(self.context, self.session, self)
            page.adverse_event_requested.connect(self.adverse_event_requested)
            page.review_requested.connect(self.open_review)
            page.procedure_opened.connect(self._on_workspace_procedure_opened)
            self.toggles.attach(page)
            for widget, title in self._side_tabs:
                page.add_side_tab(widget, title)
            self.pages.addWidget(page)
            self._workspace = page
            self.workspace_created.emit(page)
        return self._workspace

    # --- FeatureHost (ui.frame.host): what the features may ask ---------------------------------

    def frame(self) -> QMainWindow:
        return self

    def say(self, text: str, msecs: int) -> None:
        self.statusBar().showMessage(text, msecs)

    def add_side_tab(self, widget: QWidget, title: str) -> None:
        if self._workspace is None:
            self._side_tabs.append((widget, title))
            widget.setParent(self)
            widget.hide()
            return
        self._workspace.add_side_tab(widget, title)

    def add_procedure_actions(self, actions: list[QAction]) -> None:
        self._procedure_extras.extend(actions)
        self.addActions(actions)

    def add_view_actions(self, actions: list[QAction]) -> None:
        self.view_menu.addSeparator()
        self.view_menu.addActions(actions)
        self._view_extras.extend(actions)
        self.addActions(actions)

    def on_home(self) -> bool:
        return self.pages.currentWidget() is self.home

    def shown_workspace(self) -> WorkspacePage | None:
        page = self._workspace
        return page if page is not None and self.pages.currentWidget() is page else None

    # --- navigation ----------------------------------------------------------------------------

    def show_home(self) -> None:
        if self._workspace is not None:
            self._workspace.close_procedure()
        self.home.refresh()  # read now (it may have changed elsewhere), not again on showing it
        self.pages.setCurrentIndex(_HOME)
        self.setWindowTitle(self.tr("SLI Desk — %1").replace("%1", self.context.database_location))
        self.home.table.setFocus()
        self._update_actions()
        self.procedure_opened.emit(None)

    def open_procedure(self, procedure_id: int) -> None:
        """Planned → the time-out first; otherwise straight into the workspace."""
        actor = self.session.active
        if actor is None:
            self.statusBar().showMessage(self.tr("Sign in first."), 5000)
            return
        view = operations.read(
            self.context,
            procedures.get_procedure,
            actor=actor,
            show_error=operations.message_box(self, self.tr("Cannot open")),
            what=self.tr("The procedure"),
            procedure_id=procedure_id,
        )
        if view is None:
            return
        if view.status is ProcedureStatus.PLANNED:
            self.open_timeout(view)
            return
        self._show_workspace(procedure_id)

    def _show_workspace(self, procedure_id: int) -> None:
        page = self.workspace
        view = page.open_procedure(procedure_id)
        if self.pages.indexOf(page) >= 0:
            self.pages.setCurrentWidget(page)
        if view is not None:
            self.setWindowTitle(procedure_title(self, view))
            page.panel.refresh()
            page.focus_entry(Qt.FocusReason.OtherFocusReason, show=False)
            self.procedure_opened.emit(view)
        self._update_actions()

    def open_timeout(self, view: ProcedureView) -> None:
        from ui.procedure.timeout_dialog import TimeOutDialog

        dialog = TimeOutDialog(self.context, self.session, view, self)
        dialog.started.connect(self._on_timeout_started)
        self._open_dialog(dialog)

    def open_new_procedure(self) -> None:
        from ui.procedure.new_procedure_dialog import NewProcedureDialog

        dialog = NewProcedureDialog(self.context, self.session, self)
        dialog.planned.connect(self._on_new_procedure_planned)
        self._open_dialog(dialog)

    def open_review(self, procedure_id: int) -> None:
        from ui.procedure.review_dialog import ReviewDialog

        self._open_dialog(ReviewDialog(self.context, self.session, procedure_id, self))

    def _open_dialog(self, dialog: QDialog) -> None:
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()
        dialog.activateWindow()

    # --- slots ---------------------------------------------------------------------------------

    def _on_new_action_triggered(self) -> None:
        if self.session.active is None:
            self.statusBar().showMessage(self.tr("Sign in first."), 5000)
            return
        self.open_new_procedure()

    def _on_open_action_triggered(self) -> None:
        found = self.home.selected_procedure_id()
        if found is not None:
            self.open_procedure(found)

    def _on_timeout_action_triggered(self) -> None:
        page = self._workspace
        if self.pages.currentIndex() == _HOME or page is None or page.view is None:
            found = self.home.selected_procedure_id()
            if found is not None:
                self.open_procedure(found)
            return
        if page.view.status is ProcedureStatus.PLANNED:
            self.open_timeout(page.view)

    def _on_new_procedure_planned(self, view: ProcedureView) -> None:
        # The list behind the time-out shows the new procedure chosen: closing the time-out and
        # pressing Enter must open this patient's procedure, not the one selected before.
        self.home.refresh(select=view.id)
        self.open_timeout(view)

    def _on_timeout_started(self, view: ProcedureView) -> None:
        self._show_workspace(view.id)

    def _on_dialog_finished(self, _result: int) -> None:
        dialog = self.sender()
        if dialog is self.dialog:
            self.dialog = None
        if isinstance(dialog, QWidget):
            dialog.deleteLater()

    def _on_workspace_procedure_opened(self, _view: object) -> None:
        self._update_actions()

    def _on_session_people_changed(self) -> None:
        names = ", ".join(p.full_name for p in self.session.people)
        self.people_label.setText(
            self.tr("Signed in: %1").replace("%1", names) if names else self.tr("Nobody signed in")
        )

    def _on_session_active_changed(self, _actor: object) -> None:
        self._update_actions()

    def _on_session_problem(self, text: str) -> None:
        operations.message_box(self, self.tr("SLI Desk"))(text)

    def _on_procedure_menu_about_to_show(self) -> None:
        page = self._workspace.actions_for_menu if self._workspace is not None else []
        groups = [[self.timeout_action], page, self._procedure_extras]
        fill_procedure_menu(self.procedure_menu, groups)

    def _on_shortcuts_action_triggered(self) -> None:
        from ui.workspace.shortcuts import ShortcutsDialog

        switcher = self.typist_switcher
        groups = [
            [self.new_action, self.open_action, self.home_action, self.timeout_action],
            [self.home.search_action],
            self.workspace.actions_for_menu,  # before any procedure was opened too (built now)
            self._procedure_extras,
            self.toggles.actions(),
            self._view_extras,
            [switcher.switch_action, switcher.add_person_action],
            [self.shortcuts_action, self.quit_action],
        ]
        box = ShortcutsDialog(shortcut_list(groups, self.admin_menu), self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = box
        box.open()

    def _on_quit_action_triggered(self) -> None:
        """Ctrl+Q sits next to Ctrl+W and Ctrl+A: ask before signing everyone out."""
        people = len(self.session.people)
        if people == 0:
            self.close()
            return
        view = self._workspace.view if self._workspace is not None else None
        box = quit_question(self, people, view)
        self.dialog = box
        box.open()

    def _on_about_action_triggered(self) -> None:
        show_about(self, self.context.uow.protocols.default)

    def _update_actions(self) -> None:
        in_workspace = self.pages.currentIndex() != _HOME
        actor = self.session.active
        signed_in = actor is not None
        # Planning is for operators and nurses; an administrator enters no clinical data.
        may_plan = actor is not None and actor.can(Permission.PLAN_PROCEDURE)
        self.new_action.setEnabled(may_plan)
        self.home.new_button.setEnabled(may_plan)
        self.home.new_button.setToolTip(
            ""
            if may_plan or actor is None
            else self.tr("%1 may not plan procedures: switch to an operator or a nurse.").replace(
                "%1", actor.full_name
            )
        )
        self.open_action.setEnabled(signed_in and not in_workspace)
        self.home_action.setEnabled(in_workspace)
        if self._workspace is not None:
            self._workspace.review_action.setEnabled(
                in_workspace and self._workspace.view is not None
            )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if self.pages.currentIndex() == _HOME:
                # After sign-in the list has the keyboard, its first row current: Enter opens it.
                self.home.focus_list()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Every entry is already committed; only the window's shape is kept.
        self.ui_state.set(WINDOW_GEOMETRY, self.saveGeometry())
        if self._workspace is not None:
            self._workspace.scanner.stop()
        super().closeEvent(event)
