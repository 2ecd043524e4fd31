"""Records what the entry panel asks for: one recording service per request, through the door.

A part of the workspace page (`ui.workspace.page`): it calls the service as the active person,
and hands the state the service returned back to the page to show. Nothing is shown as done
before the service has committed it. A lock held by another program is waited for without
freezing the window. What it needs of the page is the `RecordingPage` protocol below; it never
imports the page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from slidesk.domain.procedure.model import SkipReason
from slidesk.domain.users import Actor
from slidesk.services.dto import ProcedureView
from slidesk.services.procedure import corrections, site_entries, workspace
from slidesk.services.procedure.dto_workspace import SiteFlagView
from ui.common.follow import Follower
from ui.common.timefmt import local_hms
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Topic
from ui.workspace.entry.panel import EntryPanel
from ui.workspace.entry.request import InjectionRequest


class RecordingPage(Protocol):
    """What the recorder uses of the workspace page."""

    context: AppContext
    panel: EntryPanel
    follower: Follower
    view: ProcedureView | None
    flags: tuple[SiteFlagView, ...]
    disposed: frozenset[str]

    def actor(self) -> Actor | None:
        """The active person (None: the panel says nobody is signed in)."""
        ...

    def show_problem(self, text: str) -> None:
        """A refusal or failure, said in the entry panel, in view."""
        ...

    def show_state(self, view: ProcedureView, message: str = "") -> None:
        """The state a service returned, with what was saved."""
        ...

    def update_scene(self) -> None: ...


class EntryRecorder(QObject):
    """Connects the entry panel's requests to the recording services."""

    def __init__(self, widget: QWidget, page: RecordingPage) -> None:
        """`widget`: the page as the owner of waits for a lock; `page`: the page as used here."""
        super().__init__(widget)
        self._widget = widget
        self._page = page
        self._pending_injection: InjectionRequest | None = None  # waiting for the lock
        self._pending_skip: int | None = None
        self._pending_flag: tuple[str, int] = ("", 0)  # a finding waiting for the lock
        flows = page.panel.flows
        page.panel.injection_requested.connect(self.record_injection)
        flows.skip_requested.connect(self.record_skip)
        flows.undo_requested.connect(self.undo_last)
        flows.correction_requested.connect(self.correct_injection)
        flows.skip_correction_requested.connect(self.correct_skip)
        flows.findings_withdrawal_requested.connect(self.withdraw_findings)
        flows.flag_requested.connect(self.record_flag)
        flows.late_flag_requested.connect(self.record_late_flag)

    def _saved(self, view: ProcedureView, text: str) -> None:
        zone = self._page.context.clock.zone
        saved = self.tr("— saved %1").replace("%1", local_hms(view.last_saved_at, zone))
        self._page.show_state(view, text + " " + saved)

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
        self._page.follower.paused = True  # this page shows what the service returns
        try:
            return operations.write(
                self._page.context,
                fn,
                actor=self._page.actor(),
                show_error=self._page.show_problem,
                what=what,
                changes=(Topic.PROCEDURE,),
                about=about,
                later=later,
                owner=self._widget if later is not None else None,
                **kwargs,
            )
        finally:
            self._page.follower.paused = False

    def record_injection(self, request: InjectionRequest) -> None:
        assert self._page.view is not None
        self._pending_injection = request
        view = self._call(
            site_entries.record_injection,
            what=self.tr("The injection at site %1").replace("%1", str(request.site_no)),
            later=self._injection_recorded_later,
            procedure_id=self._page.view.id,
            site_no=request.site_no,
            depth_mm=request.depth_mm,
            volume_ml=request.volume_ml,
            syringe=request.syringe,
            deviation_reason=request.deviation_reason,
            actual_position=request.actual_position,
        )
        if view is None:
            self._page.panel.focus_syringe()  # to scan again, or another syringe
            return
        self._injection_recorded(request, view)

    def _injection_recorded_later(self, view: ProcedureView) -> None:
        """The injection went through once another program let go of the database."""
        request = self._pending_injection
        if request is not None:
            self._injection_recorded(request, view)

    def _injection_recorded(self, request: InjectionRequest, view: ProcedureView) -> None:
        self._pending_injection = None
        self._page.panel.mark_recorded(request)
        self._saved(
            view,
            self.tr("Site %1 injected (%2)")
            .replace("%1", str(request.site_no))
            .replace("%2", request.syringe),
        )

    def record_skip(self, site_no: int, reason: SkipReason, detail: str) -> None:
        assert self._page.view is not None
        self._pending_skip = site_no
        view = self._call(
            site_entries.skip_site,
            what=self.tr("The skip of site %1").replace("%1", str(site_no)),
            later=self._skip_recorded,
            procedure_id=self._page.view.id,
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

    def undo_last(self, reason: str) -> None:
        assert self._page.view is not None
        view = self._call(
            corrections.undo_last,
            what=self.tr("The undo of the last entry"),
            later=self._undone,
            procedure_id=self._page.view.id,
            reason=reason,
        )
        if view is not None:
            self._undone(view)

    def _undone(self, view: ProcedureView) -> None:
        """The undo went through (at once, or once another program let go of the database)."""
        self._saved(view, self.tr("Last entry undone"))

    def correct_injection(self, entry_id: int, changes: dict[str, object], reason: str) -> None:
        self._correct(corrections.correct_entry, entry_id=entry_id, reason=reason, **changes)

    def correct_skip(self, entry_id: int, changes: dict[str, object], reason: str) -> None:
        self._correct(corrections.correct_skip, entry_id=entry_id, reason=reason, **changes)

    def _correct(self, service: Callable[..., ProcedureView], **values: Any) -> None:
        """A correction of a saved site entry (injected or skipped), with its reason."""
        view = self._call(
            service,
            what=self.tr("The correction"),
            about=self._page.view.id if self._page.view is not None else None,
            later=self._corrected,
            **values,
        )
        if view is not None:
            self._corrected(view)

    def _corrected(self, view: ProcedureView) -> None:
        """The correction went through (at once, or once another program let go)."""
        self._page.show_state(view)
        self._page.panel.update_view(view)
        self._page.panel.last_action.setText(
            "✓ "
            + self.tr("Correction saved %1").replace(
                "%1", local_hms(view.last_saved_at, self._page.context.clock.zone)
            )
        )

    def withdraw_findings(self, flag_ids: tuple[int, ...], reason: str) -> None:
        if self._page.view is None:
            return
        actor = self._page.actor()
        for flag_id in flag_ids:
            saved = operations.write(
                self._page.context,
                workspace.void_flag,
                actor=actor,
                show_error=self._page.show_problem,
                what=self.tr("The withdrawal of the finding"),
                changes=(Topic.PROCEDURE,),
                flag_id=flag_id,
                reason=reason,
            )
            if saved is None:
                break
        flags = operations.read(
            self._page.context,
            workspace.list_flags,
            actor=actor,
            show_error=self._page.show_problem,
            what=self.tr("The findings"),
            procedure_id=self._page.view.id,
        )
        if flags is not None:
            self._page.flags = flags
            self._page.panel.set_flags(self._page.flags, self._page.disposed)
            self._page.update_scene()

    def record_flag(self, site_no: int, flag: str, note: str) -> None:
        assert self._page.view is not None
        self._pending_flag = (flag, site_no)
        saved = self._call(
            workspace.flag_site,
            what=self.tr("The finding '%1' at site %2")
            .replace("%1", flag)
            .replace("%2", str(site_no)),
            later=self._flag_recorded,
            procedure_id=self._page.view.id,
            site_no=site_no,
            flag=flag,
            note=note or None,
        )
        if saved is not None:
            self._flag_recorded(saved)

    def record_late_flag(self, site_no: int, flag: str, note: str, observed_at: datetime) -> None:
        assert self._page.view is not None
        self._pending_flag = (flag, site_no)
        saved = operations.write(
            self._page.context,
            workspace.flag_site,
            actor=self._page.actor(),
            show_error=self._page.show_problem,
            what=self.tr("The finding"),
            changes=(Topic.PROCEDURE,),
            later=self._flag_recorded,
            owner=self._widget,
            procedure_id=self._page.view.id,
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
        self._page.flags = (*self._page.flags, saved)
        self._page.panel.set_flags(self._page.flags, self._page.disposed)
        self._page.update_scene()
        self._page.panel.show_info(
            self.tr(
                "Flag '%1' recorded at site %2. If this is an adverse event, report it now "
                "(Ctrl+Shift+E)."
            )
            .replace("%1", flag)
            .replace("%2", str(site_no)),
            "info",
        )
