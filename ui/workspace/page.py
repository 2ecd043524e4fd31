"""The workspace page: header, leg diagram, entry panel and the record side panel.

It is the controller of one open procedure: panel and diagram emit what the user asked for,
this page calls one service per request (through `ui.door.operations`) and shows the state the
service returned. Nothing is shown as done before the service has committed it. What other
screens change (the review, a signature, the nurse's record) reaches it through the one
notification (`ui.common.follow`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from slidesk.domain.procedure.model import SkipReason
from slidesk.domain.users import Actor
from slidesk.protocol import Protocol
from slidesk.services.dto import ProcedureView
from slidesk.services.procedure import corrections, site_entries, workspace
from slidesk.services.procedure import service as procedures
from slidesk.services.procedure.dto_workspace import SiteFlagView
from slidesk.services.sedation import service as sedation
from slidesk.services.sedation.dto import SedationRecord
from ui.common.follow import Follower
from ui.common.timefmt import local_hms
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Changed, Topic
from ui.session import BedsideSession
from ui.workspace.columns import WorkspaceColumns
from ui.workspace.diagram import palette
from ui.workspace.diagram.legend import DiagramLegend
from ui.workspace.diagram.view import LegDiagramScene, LegDiagramView
from ui.workspace.entry.panel import EntryPanel, InjectionRequest
from ui.workspace.header import WorkspaceHeader
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
        self._pending_injection: InjectionRequest | None = None  # waiting for the lock
        self._pending_skip: int | None = None
        self._pending_flag: tuple[str, int] = ("", 0)  # a finding waiting for the lock
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
        self._connect_signals()

    def _connect_signals(self) -> None:
        p = self.panel
        p.injection_requested.connect(self._on_panel_injection_requested)
        p.skip_requested.connect(self._on_panel_skip_requested)
        p.undo_requested.connect(self._on_panel_undo_requested)
        p.correction_requested.connect(self._on_panel_correction_requested)
        p.skip_correction_requested.connect(self._on_panel_skip_correction_requested)
        p.findings_withdrawal_requested.connect(self._on_panel_findings_withdrawal_requested)
        p.flag_requested.connect(self._on_panel_flag_requested)
        p.late_flag_requested.connect(self._on_panel_late_flag_requested)
        p.relocation_started.connect(self._on_panel_relocation_started)
        p.relocation_cancelled.connect(self.scene.cancel_pick)
        p.site_selected.connect(self._on_panel_site_selected)
        p.adverse_event_requested.connect(self._on_panel_adverse_event_requested)
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

    def open_procedure(self, procedure_id: int) -> ProcedureView | None:
        actor = self._actor()
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
        self._show(view)
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

    def _actor(self) -> Actor | None:
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

    def _call(
        self,
        fn: Callable[..., Any],
        *,
        what: str,
        about: int | None = None,
        later: Callable[[Any], None] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Call one recording service as the active person; a refusal or failure is shown in
        the panel (None is returned). With `later`, a lock held by another program is waited
        for without freezing the window, and `later` gets the service's result."""
        self.follower.paused = True  # this page shows what the service returns
        try:
            return operations.write(
                self.context,
                fn,
                actor=self._actor(),
                show_error=self._show_problem,
                what=what,
                changes=(Topic.PROCEDURE,),
                about=about,
                later=later,
                owner=self if later is not None else None,
                **kwargs,
            )
        finally:
            self.follower.paused = False

    def _show_problem(self, text: str) -> None:
        self.columns.show_entry_panel()
        self.panel.show_error(text)

    def _show(self, view: ProcedureView, message: str = "") -> None:
        self.view = view
        self.header.set_procedure(view, self.protocol)  # type: ignore[arg-type]
        if message:
            self._scene_follows_selection = False  # one scene update below is enough
            try:
                self.panel.update_view(view, message)
            finally:
                self._scene_follows_selection = True
        self._update_scene()

    def _update_scene(self) -> None:
        if self.view is not None:
            counts = Counter(f.site_no for f in self.flags)
            self.scene.show_procedure(self.view, self.panel.selected, counts)

    def _saved(self, view: ProcedureView, text: str) -> None:
        self._show(
            view,
            text
            + " "
            + self.tr("— saved %1").replace(
                "%1", local_hms(view.last_saved_at, self.context.clock.zone)
            ),
        )

    # --- slots ---------------------------------------------------------------------------------

    def _on_panel_injection_requested(self, request: InjectionRequest) -> None:
        assert self.view is not None
        self._pending_injection = request
        view = self._call(
            site_entries.record_injection,
            what=self.tr("The injection at site %1").replace("%1", str(request.site_no)),
            later=self._injection_recorded_later,
            procedure_id=self.view.id,
            site_no=request.site_no,
            depth_mm=request.depth_mm,
            volume_ml=request.volume_ml,
            syringe=request.syringe,
            deviation_reason=request.deviation_reason,
            actual_position=request.actual_position,
        )
        if view is None:
            self.panel.focus_syringe()  # to scan again, or another syringe
            return
        self._injection_recorded(request, view)

    def _injection_recorded_later(self, view: ProcedureView) -> None:
        """The injection went through once another program let go of the database."""
        request = self._pending_injection
        if request is not None:
            self._injection_recorded(request, view)

    def _injection_recorded(self, request: InjectionRequest, view: ProcedureView) -> None:
        self._pending_injection = None
        self.panel.mark_recorded(request)
        self._saved(
            view,
            self.tr("Site %1 injected (%2)")
            .replace("%1", str(request.site_no))
            .replace("%2", request.syringe),
        )

    def _on_panel_skip_requested(self, site_no: int, reason: SkipReason, detail: str) -> None:
        assert self.view is not None
        self._pending_skip = site_no
        view = self._call(
            site_entries.skip_site,
            what=self.tr("The skip of site %1").replace("%1", str(site_no)),
            later=self._skip_recorded,
            procedure_id=self.view.id,
            site_no=site_no,
            reason=reason,
            detail=detail or None,
        )
        if view is not None:
            self._skip_recorded(view)

    def _skip_recorded(self, view: ProcedureView) -> None:
        """The skip went through (at once, or once another program let go of the database)."""
        site_no, self._pending_skip = self._pending_skip, None
        if site_no is not None:
            self._saved(view, self.tr("Site %1 skipped").replace("%1", str(site_no)))

    def _on_panel_undo_requested(self, reason: str) -> None:
        assert self.view is not None
        view = self._call(
            corrections.undo_last,
            what=self.tr("The undo of the last entry"),
            later=self._undone,
            procedure_id=self.view.id,
            reason=reason,
        )
        if view is not None:
            self._undone(view)

    def _undone(self, view: ProcedureView) -> None:
        """The undo went through (at once, or once another program let go of the database)."""
        self._saved(view, self.tr("Last entry undone"))

    def _on_panel_correction_requested(
        self, entry_id: int, changes: dict[str, object], reason: str
    ) -> None:
        self._correct(corrections.correct_entry, entry_id=entry_id, reason=reason, **changes)

    def _on_panel_skip_correction_requested(
        self, entry_id: int, changes: dict[str, object], reason: str
    ) -> None:
        self._correct(corrections.correct_skip, entry_id=entry_id, reason=reason, **changes)

    def _correct(self, service: Callable[..., ProcedureView], **values: Any) -> None:
        """A correction of a saved site entry (injected or skipped), with its reason."""
        view = self._call(
            service,
            what=self.tr("The correction"),
            about=self._open_id(),
            later=self._corrected,
            **values,
        )
        if view is not None:
            self._corrected(view)

    def _corrected(self, view: ProcedureView) -> None:
        """The correction went through (at once, or once another program let go)."""
        self._show(view)
        self.panel.update_view(view)
        self.panel.last_action.setText(
            "✓ "
            + self.tr("Correction saved %1").replace(
                "%1", local_hms(view.last_saved_at, self.context.clock.zone)
            )
        )

    def _on_panel_findings_withdrawal_requested(
        self, flag_ids: tuple[int, ...], reason: str
    ) -> None:
        if self.view is None:
            return
        actor = self._actor()
        for flag_id in flag_ids:
            saved = operations.write(
                self.context,
                workspace.void_flag,
                actor=actor,
                show_error=self._refused,
                what=self.tr("The withdrawal of the finding"),
                changes=(Topic.PROCEDURE,),
                flag_id=flag_id,
                reason=reason,
            )
            if saved is None:
                break
        flags = operations.read(
            self.context,
            workspace.list_flags,
            actor=actor,
            show_error=self._refused,
            what=self.tr("The findings"),
            procedure_id=self.view.id,
        )
        if flags is not None:
            self.flags = flags
            self.panel.set_flags(self.flags, self.disposed)
            self._update_scene()

    def _refused(self, text: str) -> None:
        """A refusal or failure of a service call: said in the entry panel, in view."""
        self.columns.show_entry_panel()
        self.panel.show_error(text)

    def _on_panel_flag_requested(self, site_no: int, flag: str, note: str) -> None:
        assert self.view is not None
        self._pending_flag = (flag, site_no)
        saved = self._call(
            workspace.flag_site,
            what=self.tr("The finding '%1' at site %2")
            .replace("%1", flag)
            .replace("%2", str(site_no)),
            later=self._flag_recorded,
            procedure_id=self.view.id,
            site_no=site_no,
            flag=flag,
            note=note or None,
        )
        if saved is not None:
            self._flag_recorded(saved)

    def _on_panel_late_flag_requested(
        self, site_no: int, flag: str, note: str, observed_at: datetime
    ) -> None:
        assert self.view is not None
        self._pending_flag = (flag, site_no)
        saved = operations.write(
            self.context,
            workspace.flag_site,
            actor=self._actor(),
            show_error=self._refused,
            what=self.tr("The finding"),
            changes=(Topic.PROCEDURE,),
            later=self._flag_recorded,
            owner=self,
            procedure_id=self.view.id,
            site_no=site_no,
            flag=flag,
            note=note or None,
            observed_at=observed_at,
        )
        if saved is not None:
            self._flag_recorded(saved)

    def _flag_recorded(self, saved: SiteFlagView) -> None:
        """A finding went through (at once, or once another program let go)."""
        flag, site_no = self._pending_flag
        self._show_new_flag(saved, flag, site_no)

    def _show_new_flag(self, saved: SiteFlagView, flag: str, site_no: int) -> None:
        self.flags = (*self.flags, saved)
        self.panel.set_flags(self.flags, self.disposed)
        self._update_scene()
        self.panel.show_info(
            self.tr(
                "Flag '%1' recorded at site %2. If this is an adverse event, report it now "
                "(Ctrl+Shift+E)."
            )
            .replace("%1", flag)
            .replace("%2", str(site_no)),
            "info",
        )

    def _on_panel_adverse_event_requested(self, site_no: int) -> None:
        if self.view is not None:
            # The adverse-event form is built elsewhere; MainWindow forwards this signal.
            self.adverse_event_requested.emit(self.view.id, site_no)

    def _on_panel_relocation_started(self, site_no: int) -> None:
        self.scene.begin_pick(site_no)
        self.diagram.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_panel_site_selected(self, _number: int) -> None:
        if self._scene_follows_selection:
            self._update_scene()

    def _on_scene_site_activated(self, number: int) -> None:
        self.columns.show_entry_panel()
        self.panel.cancel_relocation()
        self.panel.select_site(number)

    def _on_scene_position_tapped(self, view_name: str, x: Decimal, y: Decimal) -> None:
        self.panel.relocation_picked(view_name, x, y)

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
