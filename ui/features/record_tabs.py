"""The nurse's record in the workspace: the "Sedation & vitals" and "Timeline" side tabs.

The nurse's widgets take a procedure id; the workspace tells its side tabs which procedure it
shows when that changes. `FollowingTab` adapts one to the other: a tab on screen reads the new
procedure at once, a hidden one when it is next shown. What is recorded meanwhile reaches the
widgets through the one notification (`ui.common.follow`), with the same economy.
"""

from __future__ import annotations

from typing import Protocol, cast

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from slidesk.services.dto import ProcedureView
from ui.frame.host import FeatureHost


class RecordWidget(Protocol):
    """What the nurse's panel and the timeline offer."""

    def set_procedure(self, procedure_id: int | None) -> None: ...

    def refresh(self) -> None: ...


class FollowingTab(QWidget):
    """A side tab around a record widget: follows the open procedure, refreshes when seen."""

    def __init__(self, inner: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inner = inner
        self._record = cast(RecordWidget, inner)
        self.procedure_id: int | None = None
        self._told: int | None = None  # the procedure the inner widget shows
        self.stale = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(inner)

    def set_procedure(self, view: ProcedureView | None) -> None:
        """The workspace's side-tab protocol: the procedure it shows now (or None)."""
        procedure_id = view.id if view is not None else None
        if procedure_id == self.procedure_id and not self.stale:
            return
        self.procedure_id = procedure_id
        self.mark_stale()

    def mark_stale(self) -> None:
        """Another procedure: tell the widget now if on screen, else when next shown."""
        self.stale = True
        if self.isVisible() or self.procedure_id is None:
            self.bring_up_to_date()

    def bring_up_to_date(self) -> None:
        if not self.stale:
            return
        self.stale = False
        if self.procedure_id != self._told:
            self._told = self.procedure_id
            self._record.set_procedure(self.procedure_id)
        elif self.procedure_id is not None:
            self._record.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.bring_up_to_date()


class NurseRecordTabs(QObject):
    """Adds the nurse's tabs when the workspace is first built, and View ▸ Ctrl+1/2/3."""

    def __init__(self, host: FeatureHost) -> None:
        super().__init__(host.frame())
        self._host = host
        self.sedation: FollowingTab | None = None
        self.timeline: FollowingTab | None = None
        self.injection_action = self._action(self.tr("&Injection panel"), "Ctrl+1")
        self.sedation_action = self._action(self.tr("&Sedation && vitals"), "Ctrl+2")
        self.timeline_action = self._action(self.tr("T&imeline"), "Ctrl+3")
        host.add_view_actions([self.injection_action, self.sedation_action, self.timeline_action])
        self._connect_signals()
        self._on_window_procedure_opened(None)

    def _action(self, text: str, shortcut: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        return action

    def _connect_signals(self) -> None:
        self._host.workspace_created.connect(self._on_window_workspace_created)
        self._host.procedure_opened.connect(self._on_window_procedure_opened)
        self.injection_action.triggered.connect(self._on_injection_action_triggered)
        self.sedation_action.triggered.connect(self._on_sedation_action_triggered)
        self.timeline_action.triggered.connect(self._on_timeline_action_triggered)

    # --- public --------------------------------------------------------------------------------

    def show_tab(self, tab: FollowingTab | None) -> None:
        page = self._host.shown_workspace()
        if tab is None or page is None:
            return
        if not self._host.record_panel_action.isChecked():
            self._host.record_panel_action.setChecked(True)  # F9 had hidden the tabs
        page.show_record_tab(tab)
        tab.inner.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- slots ---------------------------------------------------------------------------------

    def _on_window_workspace_created(self, _page: object) -> None:
        # Imported here: the nurse's modules are not needed until a procedure is opened.
        from ui.nurse.panel import NursePanel
        from ui.nurse.timeline import TimelineView

        context, session = self._host.context, self._host.session
        nurse = NursePanel(context, session)
        timeline = TimelineView(context, session)
        self.sedation = FollowingTab(nurse)
        self.timeline = FollowingTab(timeline)
        self._host.add_side_tab(self.sedation, self.tr("Sedation && vitals"))
        self._host.add_side_tab(self.timeline, self.tr("Timeline"))

    def _on_window_procedure_opened(self, view: object) -> None:
        for action in (self.injection_action, self.sedation_action, self.timeline_action):
            action.setEnabled(view is not None)

    def _on_injection_action_triggered(self) -> None:
        page = self._host.shown_workspace()
        if page is not None:
            page.focus_entry(Qt.FocusReason.ShortcutFocusReason)

    def _on_sedation_action_triggered(self) -> None:
        self.show_tab(self.sedation)

    def _on_timeline_action_triggered(self) -> None:
        self.show_tab(self.timeline)
