"""The main window: a thin frame around the home list and the procedure workspace.

It owns the menus, the toolbar and the page switching; the pages own their flows. Widgets of
other features join through `add_side_tab` (the "Record" panel of the workspace) and the
`adverse_event_requested` signal.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.users import Permission
from slidesk.domain.values import Limb
from slidesk.services.dto import ProcedureView
from slidesk.services.procedure import service as procedures
from ui.context import AppContext
from ui.door import operations
from ui.home.home_page import HomePage
from ui.qt_workarounds import incarnate_qobject_types
from ui.session import BedsideSession
from ui.workspace.ui_state import LARGE_TEXT, SHOW_RECORD_PANEL, WINDOW_GEOMETRY, UiState

_HOME, _WORKSPACE = 0, 1


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
        self._workspace = None  # built on first use: the list must appear at once
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
        self._build_toolbar()
        self.people_label = QLabel()
        self.statusBar().addPermanentWidget(self.people_label)
        self.statusBar().showMessage(
            self.tr("Database: %1").replace("%1", context.database_location)
        )
        self._connect_signals()
        self._add_feature_screens()
        self._apply_large_text(bool(self.ui_state.get(LARGE_TEXT)))
        geometry = self.ui_state.get(WINDOW_GEOMETRY)
        if geometry:
            self.restoreGeometry(geometry)  # type: ignore[arg-type]
        self._on_session_people_changed()
        self.home.refresh()
        self._update_actions()

    # --- building ------------------------------------------------------------------------------

    def _action(self, text: str, shortcut: str = "", *, checkable: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action(self.tr("&New procedure…"), "Ctrl+N")
        self.open_action = self._action(self.tr("&Open selected procedure"), "Ctrl+O")
        self.home_action = self._action(self.tr("Procedure &list"), "Ctrl+H")
        self.timeout_action = self._action(self.tr("&Time-out checklist…"), "Ctrl+T")
        self.quit_action = self._action(self.tr("&Quit"), "Ctrl+Q")
        self.large_text_action = self._action(
            self.tr("&Large text"), "Ctrl+Shift+L", checkable=True
        )
        self.record_panel_action = self._action(self.tr("&Record panel"), "F9", checkable=True)
        self.fullscreen_action = self._action(self.tr("&Full screen"), "F11", checkable=True)
        self.shortcuts_action = self._action(self.tr("&Keyboard shortcuts"), "F1")
        self.about_action = self._action(self.tr("&About SLI Desk"))
        self.large_text_action.setChecked(bool(self.ui_state.get(LARGE_TEXT)))
        self.record_panel_action.setChecked(bool(self.ui_state.get(SHOW_RECORD_PANEL)))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addActions([self.new_action, self.open_action, self.home_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.procedure_menu = bar.addMenu(self.tr("&Procedure"))
        self.procedure_menu.addAction(self.timeout_action)
        self.procedure_menu.aboutToShow.connect(self._on_procedure_menu_about_to_show)
        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addActions(
            [self.large_text_action, self.record_panel_action, self.fullscreen_action]
        )
        self.view_menu = view_menu
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addActions([self.shortcuts_action, self.about_action])
        self.help_menu = help_menu

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(self.tr("Main"), self)
        self.toolbar.setObjectName("MainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addAction(self.home_action)
        self.toolbar.addAction(self.new_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self._add_account_widgets()

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

    def _add_feature_screens(self) -> None:
        """Nurse's record, signing and reports, follow-up and site history (`ui.features`)."""
        from ui.features.install import install_features

        self.features = install_features(self)

    def _connect_signals(self) -> None:
        self.new_action.triggered.connect(self._on_new_action_triggered)
        self.open_action.triggered.connect(self._on_open_action_triggered)
        self.home_action.triggered.connect(self.show_home)
        self.timeout_action.triggered.connect(self._on_timeout_action_triggered)
        self.quit_action.triggered.connect(self._on_quit_action_triggered)
        self.large_text_action.toggled.connect(self._on_large_text_toggled)
        self.record_panel_action.toggled.connect(self._on_record_panel_toggled)
        self.fullscreen_action.toggled.connect(self._on_fullscreen_toggled)
        self.shortcuts_action.triggered.connect(self._on_shortcuts_action_triggered)
        self.about_action.triggered.connect(self._on_about_action_triggered)
        self.home.open_requested.connect(self.open_procedure)
        self.home.new_requested.connect(self._on_new_action_triggered)
        self.session.people_changed.connect(self._on_session_people_changed)
        self.session.active_changed.connect(self._on_session_active_changed)
        self.session.problem.connect(self._on_session_problem)

    # --- the workspace (built lazily) ----------------------------------------------------------

    @property
    def workspace(self):  # type: ignore[no-untyped-def]  # -> WorkspacePage
        if self._workspace is None:
            from ui.workspace.page import WorkspacePage

            page = WorkspacePage(self.context, self.session, self)
            page.adverse_event_requested.connect(self.adverse_event_requested)
            page.review_requested.connect(self.open_review)
            page.procedure_opened.connect(self._on_workspace_procedure_opened)
            page.set_large_text(self.large_text_action.isChecked())
            page.columns.set_record_wanted(self.record_panel_action.isChecked())
            for widget, title in self._side_tabs:
                page.add_side_tab(widget, title)
            self.pages.addWidget(page)
            self._workspace = page
            self.workspace_created.emit(page)
        return self._workspace

    def add_side_tab(self, widget: QWidget, title: str) -> None:
        """Add a tab to the workspace's right-hand "Record" panel (nurse panel, timeline …)."""
        if self._workspace is None:
            self._side_tabs.append((widget, title))
            widget.setParent(self)
            widget.hide()
            return
        self._workspace.add_side_tab(widget, title)

    def add_procedure_actions(self, actions: list[QAction]) -> None:
        """Add entries to the Procedure menu; their shortcuts work window-wide (listed by F1)."""
        self._procedure_extras.extend(actions)
        self.addActions(actions)

    def add_view_actions(self, actions: list[QAction]) -> None:
        """Add entries to the View menu; their shortcuts work window-wide (listed by F1)."""
        self.view_menu.addSeparator()
        self.view_menu.addActions(actions)
        self._view_extras.extend(actions)
        self.addActions(actions)

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
            limb = (
                self.tr("LEFT leg")
                if view.subject.index_limb is Limb.LEFT
                else self.tr("RIGHT leg")
            )
            self.setWindowTitle(
                self.tr("SLI Desk — %1 (%2)")
                .replace("%1", view.subject.study_id)
                .replace("%2", limb)
            )
            page.panel.refresh()
            page.panel.syringe.setFocus(Qt.FocusReason.OtherFocusReason)
            self.procedure_opened.emit(view)
        self._update_actions()

    def open_timeout(self, view: ProcedureView) -> None:
        from ui.procedure.timeout_dialog import TimeOutDialog

        dialog = TimeOutDialog(self.context, self.session, view, self)
        dialog.started.connect(self._on_timeout_started)
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()
        dialog.activateWindow()

    def open_new_procedure(self) -> None:
        from ui.procedure.new_procedure_dialog import NewProcedureDialog

        dialog = NewProcedureDialog(self.context, self.session, self)
        dialog.planned.connect(self._on_new_procedure_planned)
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()
        dialog.activateWindow()

    def open_review(self, procedure_id: int) -> None:
        from ui.procedure.review_dialog import ReviewDialog

        dialog = ReviewDialog(self.context, self.session, procedure_id, self)
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
        menu: QMenu = self.procedure_menu
        menu.clear()
        menu.addAction(self.timeout_action)
        if self._workspace is not None:
            menu.addSeparator()
            for action in self._workspace.actions_for_menu:
                menu.addAction(action)
        if self._procedure_extras:
            menu.addSeparator()
            menu.addActions(self._procedure_extras)

    def _on_large_text_toggled(self, on: bool) -> None:
        self.ui_state.set(LARGE_TEXT, on)
        self._apply_large_text(on)

    def _apply_large_text(self, on: bool) -> None:
        app = QApplication.instance()
        base = app.font() if isinstance(app, QApplication) else self.font()
        font = self.font()
        font.setPointSizeF(base.pointSizeF() * (1.25 if on else 1.0))
        self.setFont(font)
        if self._workspace is not None:
            self._workspace.set_large_text(on)

    def _on_record_panel_toggled(self, on: bool) -> None:
        self.ui_state.set(SHOW_RECORD_PANEL, on)
        if self._workspace is not None:
            self._workspace.columns.set_record_wanted(on)

    def _on_fullscreen_toggled(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    def _on_shortcuts_action_triggered(self) -> None:
        from ui.workspace.shortcuts import ShortcutsDialog

        actions = [self.new_action, self.open_action, self.home_action, self.timeout_action]
        actions.append(self.home.search_action)
        # The workspace's keys too, before any procedure was opened (it is built for this).
        actions += self.workspace.actions_for_menu
        actions += self._procedure_extras
        actions += [self.large_text_action, self.record_panel_action, self.fullscreen_action]
        actions += self._view_extras
        switcher = self.typist_switcher
        actions += [switcher.switch_action, switcher.add_person_action]
        if self.admin_menu is not None:  # what this typist may use of it
            actions += [a for a in self.admin_menu.actions() if a.isEnabled()]
        actions += [self.shortcuts_action, self.quit_action]
        box = ShortcutsDialog(actions, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = box
        box.open()

    def _on_quit_action_triggered(self) -> None:
        """Ctrl+Q sits next to Ctrl+W and Ctrl+A: ask before signing everyone out."""
        people = len(self.session.people)
        if people == 0:
            self.close()
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Quit SLI Desk"))
        box.setText(self.tr("Quit SLI Desk?"))
        detail = self.tr(
            "Everything recorded is saved. %n person(s) will be signed out.", "", people
        )
        if self._workspace is not None and self._workspace.view is not None:
            view = self._workspace.view
            if view.status is ProcedureStatus.IN_PROGRESS:
                detail += " " + self.tr(
                    "Procedure %1 stays in progress; resume it from the list."
                ).replace("%1", view.subject.study_id)
        box.setInformativeText(detail)
        box.setStandardButtons(QMessageBox.StandardButton.Cancel)
        quit_button = box.addButton(self.tr("&Quit"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(
            lambda _code: self.close() if box.clickedButton() is quit_button else None
        )
        box.finished.connect(box.deleteLater)
        self.dialog = box
        box.open()

    def _on_about_action_triggered(self) -> None:
        protocol = self.context.uow.protocols.default
        QMessageBox.about(
            self,
            self.tr("About SLI Desk"),
            self.tr("SLI Desk — bedside record of the %1 trial (protocol %2).")
            .replace("%1", protocol.key)
            .replace("%2", protocol.version),
        )

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
