"""The workspace page: header, leg diagram, entry panel and the record side panel.

It is the controller of one open procedure: it opens it, lays out its parts and shows the state
the services returned. Panel and diagram emit what the user asked for; what is to be recorded
goes to its recorder (`ui.workspace.recorder`), which calls one service per request (through
`ui.door.operations`). Nothing is shown as done before the service has committed it. What other
screens change (the review, a signature, the nurse's record) reaches it through the one
notification (`ui.common.follow`).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from slidesk.domain.users import Actor
from slidesk.protocol.model import Protocol
from slidesk.services.dto import ProcedureView
from slidesk.services.procedure import service as procedures
from slidesk.services.procedure import workspace
from slidesk.services.procedure.dto_workspace import SiteFlagView
from slidesk.services.sedation import service as sedation
from slidesk.services.sedation.dto import SedationRecord
from ui.common.follow import Follower
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Changed, Topic
from ui.session import BedsideSession
from ui.workspace.columns import WorkspaceColumns
from ui.workspace.diagram import palette
from ui.workspace.diagram.legend import DiagramLegend
from ui.workspace.diagram.view import LegDiagramScene, LegDiagramView
from ui.workspace.entry.panel import EntryPanel
from ui.workspace.header import WorkspaceHeader
from ui.workspace.recorder import EntryRecorder
from ui.workspace.scanner import ScanDetector


class WorkspacePage(QWidget):
    procedure_opened = Signal(object)
    """Another procedure is shown here (its `ProcedureView`), or None: the page was closed.

    Not repeated after each saved action: views that show the procedure follow
    `context.changes` themselves."""

    adverse_event_requested = Signal(int, int)
    """Open the adverse-event form for (procedure id, site number). Hook for the nurse panel."""

    review_requested = Signal(int)
    """The user asked to review and finish this procedure (its id)."""

    def __init__(
        self, context: AppContext, session: BedsideSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.session = session
        self.view: ProcedureView | None = None
        self.protocol: Protocol | None = None
        self.flags: tuple[SiteFlagView, ...] = ()
        self.disposed: frozenset[str] = frozenset()
        self._scene_follows_selection = True
        self.header = WorkspaceHeader(context.clock, context.changes, self)
        self.scene = LegDiagramScene(self)
        self.diagram = LegDiagramView(self.scene, self)
        self.panel = EntryPanel(context.clock, self)
        self.panel.sedation.attach(context, session)
        diagram_column = QWidget(self)
        column_layout = QVBoxLayout(diagram_column)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.setSpacing(0)
        column_layout.addWidget(self.diagram, 1)
        self.legend = DiagramLegend(diagram_column)
        column_layout.addWidget(self.legend)
        diagram_column.setStyleSheet("background:white;")
        self.columns = WorkspaceColumns(diagram_column, self.panel, self)
        self.record_tabs = self.columns.record_tabs
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.columns, 1)
        self.review_action = QAction(self.tr("Review and &finish…"), self)
        self.review_action.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.scanner = ScanDetector(self)
        # Actions must sit on a widget of the window for their shortcuts to work.
        self.addActions(self.actions_for_menu)
        # What other screens record for this procedure (the review, a signature): read again.
        # Paused while this page writes: it shows what its own service returned.
        self.follower = Follower(
            self,
            context.changes,
            (Topic.PROCEDURE, Topic.SIGNATURES, Topic.SEDATION),
            self.reload,
            procedure_id=self._open_id,
            take=self._take_change,
        )
        self.recorder = EntryRecorder(self, self)
        self._connect_signals()

    def _connect_signals(self) -> None:
        p = self.panel
        p.flows.relocation_started.connect(self._on_panel_relocation_started)
        p.flows.relocation_cancelled.connect(self.scene.cancel_pick)
        p.site_selected.connect(self._on_panel_site_selected)
        p.flows.adverse_event_requested.connect(self._on_panel_adverse_event_requested)
        p.review_requested.connect(self._on_review_action_triggered)
        self.scene.site_activated.connect(self._on_scene_site_activated)
        self.scene.position_tapped.connect(self._on_scene_position_tapped)
        self.scanner.scanned.connect(self._on_scanner_scanned)
        self.session.active_changed.connect(self._on_session_active_changed)
        self.review_action.triggered.connect(self._on_review_action_triggered)

    # --- public --------------------------------------------------------------------------------

    @property
    def actions_for_menu(self) -> list[QAction]:
        return [*self.panel.actions.all(), self.review_action]

    def add_side_tab(self, widget: QWidget, title: str) -> int:
        """Add a tab to the right-hand "Record" panel (nurse panel, timeline …).

        A widget with a `set_procedure(view_or_None)` method is told about the open procedure.
        """
        index = self.columns.add_tab(widget, title)
        setter = getattr(widget, "set_procedure", None)
        if callable(setter):
            self.procedure_opened.connect(setter)
            if self.view is not None:
                setter(self.view)
        return index

    def focus_entry(self, reason: Qt.FocusReason, *, show: bool = True) -> None:
        """The syringe field takes the keyboard (with `show`: the entry panel comes in view)."""
        if show:
            self.columns.show_entry_panel()
        self.panel.syringe.setFocus(reason)

    def show_record_tab(self, tab: QWidget) -> None:
        """The "Record" panel at `tab`."""
        self.record_tabs.setCurrentWidget(tab)

    @property
    def selected_site(self) -> int | None:
        """The site the entry panel shows."""
        return self.panel.selected

    def show_site(self, site_no: int) -> None:
        """The entry panel in view, showing site `site_no`."""
        self.columns.show_entry_panel()
        self.panel.select_site(site_no)

    def open_procedure(self, procedure_id: int) -> ProcedureView | None:
        actor = self.actor()
        if actor is None:
            return None
        uow = self.context.uow
        loaded = operations.attempt(
            self.context,
            lambda: (
                procedures.get_procedure(uow=uow, actor=actor, procedure_id=procedure_id),
                workspace.list_flags(uow=uow, actor=actor, procedure_id=procedure_id),
                workspace.get_reconciliation(uow=uow, actor=actor, procedure_id=procedure_id),
                sedation.has_vital_signs(uow=uow, actor=actor, procedure_id=procedure_id),
            ),
            show_error=self.panel.show_error,
            what=self.tr("The procedure"),
            reading=True,
        )
        if loaded is None:
            return None
        view, self.flags, reconciliation, charted = loaded
        self.follower.stale = False  # read just now
        self.disposed = reconciliation.disposed_labels
        switched = self.view is None or self.view.id != view.id
        self.protocol = self.context.uow.protocols.get(view.protocol_key, view.protocol_version)
        self.scanner.set_pattern(self.protocol.product.syringe_pattern)
        self.view = view
        self.scene.set_sites(view.sites, view.subject.index_limb)
        self.panel.set_actor(self.session.active)
        self.panel.set_procedure(view, self.protocol, flags=self.flags, disposed=self.disposed)
        self.panel.set_vitals_charted(charted)
        self.addActions(self.panel.actions.flag_actions)
        self.show_state(view)
        self.diagram.fit()
        self.review_action.setEnabled(True)
        if switched:
            self.procedure_opened.emit(view)
        return view

    def reload(self) -> None:
        if self.view is not None:
            current = self.panel.selected
            self.open_procedure(self.view.id)
            if current is not None:
                self.panel.select_site(current)

    def close_procedure(self) -> None:
        self.view = None
        self.scene.cancel_pick()
        self.procedure_opened.emit(None)

    def set_large_text(self, on: bool) -> None:
        factor = 1.25 if on else 1.0
        self.scene.set_marker_diameter(int(palette.MARKER_DIAMETER * factor), factor)

    # --- helpers -------------------------------------------------------------------------------

    def actor(self) -> Actor | None:
        """The active person; when nobody is signed in the entry panel says so."""
        actor = self.session.active
        if actor is None:
            self.panel.show_error(self.tr("Nobody is signed in: sign in to record."))
        return actor

    def _open_id(self) -> int | None:
        return self.view.id if self.view is not None else None

    def _take_change(self, changed: Changed) -> bool:
        """The nurse's record changed: only the reminder about vital signs follows it here."""
        if changed.topics == frozenset({Topic.SEDATION}) and isinstance(
            changed.result, SedationRecord
        ):
            self.panel.set_vitals_charted(bool(changed.result.live_vitals))
            return True
        return False  # the review, a signature: read the procedure again

    def show_problem(self, text: str) -> None:
        """A refusal or failure of a service call: said in the entry panel, in view."""
        self.columns.show_entry_panel()
        self.panel.show_error(text)

    def show_state(self, view: ProcedureView, message: str = "") -> None:
        """The state a service returned (with `message`: what was saved)."""
        self.view = view
        self.header.set_procedure(view, self.protocol)  # type: ignore[arg-type]
        if message:
            self._scene_follows_selection = False  # one scene update below is enough
            try:
                self.panel.update_view(view, message)
            finally:
                self._scene_follows_selection = True
        self.update_scene()

    def update_scene(self) -> None:
        if self.view is not None:
            counts = Counter(f.site_no for f in self.flags)
            self.scene.show_procedure(self.view, self.panel.selected, counts)

    # --- slots ---------------------------------------------------------------------------------

    def _on_panel_adverse_event_requested(self, site_no: int) -> None:
        if self.view is not None:
            # The adverse-event form is built elsewhere; MainWindow forwards this signal.
            self.adverse_event_requested.emit(self.view.id, site_no)

    def _on_panel_relocation_started(self, site_no: int) -> None:
        self.scene.begin_pick(site_no)
        self.diagram.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_panel_site_selected(self, _number: int) -> None:
        if self._scene_follows_selection:
            self.update_scene()

    def _on_scene_site_activated(self, number: int) -> None:
        self.columns.show_entry_panel()
        self.panel.flows.cancel_relocation()
        self.panel.select_site(number)

    def _on_scene_position_tapped(self, view_name: str, x: Decimal, y: Decimal) -> None:
        self.panel.flows.relocation_picked(view_name, x, y)

    def _on_scanner_scanned(self, label: str) -> None:
        if self.view is None or self.panel.active_dialog is not None:
            return
        self.columns.show_entry_panel()
        self.panel.syringe.setText(label)
        self.panel.actions.confirm.trigger()

    def _on_session_active_changed(self, actor: Actor | None) -> None:
        self.panel.set_actor(actor)

    def _on_review_action_triggered(self) -> None:
        if self.view is not None:
            self.review_requested.emit(self.view.id)

    # --- visibility ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.scanner.start()
        self.panel.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.scanner.stop()
        self.panel.actions.set_enabled(False)
