"""The Procedure menu's feature entries and the home list's row actions.

Each acts on "the procedure the user means": the one open in the workspace, or the row
selected on the home list. Adverse event, review and sign, report, subject outcomes and the
history of the shown site or of the procedure (monitors and administrators only).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from slidesk.domain.users import Actor, Permission
from slidesk.services.dto import EntryView, ProcedureView
from slidesk.services.procedure import service as procedures
from ui.door import operations
from ui.door.operations import ShowError
from ui.features.follow_up import FollowUpSection
from ui.frame.host import FeatureHost


def site_entry(view: ProcedureView, site_no: int) -> EntryView | None:
    """The entry whose history a site shows: the live one, else the last voided one."""
    entries = [e for e in view.entries if e.site_no == site_no]
    live = [e for e in entries if not e.voided]
    found = live or entries
    return found[-1] if found else None


class ProcedureActions(QObject):
    def __init__(self, host: FeatureHost, follow_up: FollowUpSection) -> None:
        super().__init__(host.frame())
        self._host = host
        self._follow_up = follow_up
        self.dialog: QWidget | None = None  # the last window opened (for tests)
        self.adverse_event_action = self._action(self.tr("Adverse &event (whole procedure)…"), "F8")
        self.adverse_event_action.setToolTip(
            self.tr("An adverse event not tied to one site (Ctrl+Shift+E: at the shown site)")
        )
        self.sign_action = self._action(self.tr("Review and &sign…"), "Ctrl+Shift+S")
        self.report_action = self._action(self.tr("Report / &print…"), "Ctrl+P")
        self.outcomes_action = self._action(self.tr("Su&bject outcomes…"), "Ctrl+Shift+O")
        self.site_history_action = self._action(self.tr("&History of this site…"), "Ctrl+Shift+H")
        self.procedure_history_action = self._action(
            self.tr("History of this proce&dure…"), "Ctrl+Shift+R"
        )
        host.add_procedure_actions(self.actions())
        host.home.add_list_action(self.sign_action, self.tr("Review and sign…  (Ctrl+Shift+S)"))
        host.home.add_list_action(self.report_action, self.tr("Report…  (Ctrl+P)"))
        host.home.add_list_action(self.outcomes_action, self.tr("Outcomes…  (Ctrl+Shift+O)"))
        host.home.add_list_shortcuts([self.adverse_event_action, self.procedure_history_action])
        self._connect_signals()
        self._update_actions()

    def _action(self, text: str, shortcut: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        return action

    def actions(self) -> list[QAction]:
        return [
            self.adverse_event_action,
            self.sign_action,
            self.report_action,
            self.outcomes_action,
            self.site_history_action,
            self.procedure_history_action,
        ]

    def _connect_signals(self) -> None:
        host = self._host
        host.adverse_event_requested.connect(self._on_window_adverse_event_requested)
        host.procedure_opened.connect(self._on_window_procedure_opened)
        host.session.active_changed.connect(self._on_session_active_changed)
        self.adverse_event_action.triggered.connect(self._on_adverse_event_action_triggered)
        self.sign_action.triggered.connect(self._on_sign_action_triggered)
        self.report_action.triggered.connect(self._on_report_action_triggered)
        self.outcomes_action.triggered.connect(self._on_outcomes_action_triggered)
        self.site_history_action.triggered.connect(self._on_site_history_action_triggered)
        self.procedure_history_action.triggered.connect(self._on_procedure_history_action_triggered)

    # --- what the user means -------------------------------------------------------------------

    def in_workspace(self) -> bool:
        return not self._host.on_home()

    def open_view(self) -> ProcedureView | None:
        """The procedure open in the workspace (None on the home page)."""
        page = self._host.shown_workspace()
        return page.view if page is not None else None

    def target_procedure_id(self) -> int | None:
        if self.in_workspace():
            view = self.open_view()
            return view.id if view is not None else None
        return self._host.home.selected_procedure_id()

    def _actor(self) -> Actor | None:
        actor = self._host.session.active
        if actor is None:
            self._say(self.tr("Sign in first."))
        return actor

    def _target(self) -> tuple[Actor, int] | None:
        actor = self._actor()
        if actor is None:
            return None
        procedure_id = self.target_procedure_id()
        if procedure_id is None:
            self._say(self.tr("Select a procedure in the list first."))
            return None
        return actor, procedure_id

    def _say(self, text: str) -> None:
        self._host.say(text, 6000)

    def _warn(self) -> ShowError:
        return operations.message_box(self._host.frame(), self.tr("SLI Desk"))

    def _show(
        self, build: Callable[[], QWidget | None], what: str, *, modal: bool = False
    ) -> QWidget | None:
        """Open a window; a refusal (role, status, nobody signed in) is said, not raised.

        Forms that record or sign are window-modal: the record does not move underneath.
        """
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            dialog = operations.attempt(
                self._host.context, build, show_error=self._warn(), what=what
            )
        finally:
            QApplication.restoreOverrideCursor()
        if dialog is None:
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if modal:
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    # --- opening -------------------------------------------------------------------------------

    def open_adverse_event(self, procedure_id: int, site_nos: tuple[int, ...] = ()) -> None:
        from ui.nurse.ae_form import AdverseEventDialog

        if self._actor() is None:
            return
        host, w = self._host, self._host.frame()
        dialog = self._show(
            lambda: AdverseEventDialog.for_procedure(
                host.context,
                host.session,
                w,
                procedure_id,
                site_nos=site_nos,
                show_error=self._warn(),
            ),
            self.tr("Opening the adverse-event form"),
            modal=True,
        )
        if dialog is not None:
            dialog.adverse_event_recorded.connect(self._on_ae_dialog_adverse_event_recorded)  # type: ignore[attr-defined]

    def open_sign(self, actor: Actor, procedure_id: int) -> None:
        from ui.signing.sign_dialog import SignDialog

        host, w = self._host, self._host.frame()
        self._show(
            lambda: SignDialog(host.context, actor, procedure_id, w),
            self.tr("Opening the review and signing"),
            modal=True,
        )

    def open_report(self, actor: Actor, procedure_id: int) -> None:
        from ui.signing.report_dialog import ReportDialog

        host, w = self._host, self._host.frame()
        self._show(
            lambda: ReportDialog(host.context, actor, procedure_id, w),
            self.tr("Opening the report"),
            modal=True,
        )

    def open_history(self, *, procedure_id: int) -> None:
        from ui.audit.viewer import AuditViewer

        host, w = self._host, self._host.frame()
        self._show(
            lambda: AuditViewer(host.context, host.session, w, procedure_id=procedure_id),
            self.tr("Opening the procedure's history"),
        )

    def open_site_history(self, site_no: int) -> None:
        """The site entry's audit entries, under the site's sedation state and findings."""
        from ui.audit.viewer import AuditViewer
        from ui.features.site_facts import SiteFactsBox

        view = self.open_view()
        if view is None:
            return
        entry = site_entry(view, site_no)
        if entry is None:
            self._say(self.tr("Site %1 has no entry yet: no history.").replace("%1", str(site_no)))
            return
        host, w = self._host, self._host.frame()

        def build() -> AuditViewer:
            actor = host.session.active
            # The viewer refuses when nobody is signed in or the person may not read the trail.
            viewer = AuditViewer(
                host.context,
                host.session,
                w,
                procedure_id=view.id,
                entity="site_entries",
                entity_id=str(entry.id),
            )
            if actor is not None:
                label = view.site(site_no).label
                viewer.add_record_facts(SiteFactsBox(host.context, actor, view.id, site_no, label))
            return viewer

        self._show(build, self.tr("Opening the site's history"))

    def _subject_id(self, actor: Actor, procedure_id: int) -> int | None:
        view = self.open_view()
        if view is not None and view.id == procedure_id:
            return view.subject.id
        found = operations.read(
            self._host.context,
            procedures.get_procedure,
            actor=actor,
            show_error=self._warn(),
            what=self.tr("The procedure"),
            procedure_id=procedure_id,
        )
        return found.subject.id if found is not None else None

    # --- state ---------------------------------------------------------------------------------

    def _update_actions(self) -> None:
        actor = self._host.session.active
        can = actor.can if actor is not None else (lambda _p: False)
        audit = can(Permission.READ_AUDIT)
        for action in (self.site_history_action, self.procedure_history_action):
            action.setVisible(audit)
            action.setEnabled(audit)
        self.site_history_action.setEnabled(audit and self.in_workspace())
        ae = can(Permission.RECORD_ADVERSE_EVENT)
        self.adverse_event_action.setVisible(ae)
        self.adverse_event_action.setEnabled(ae)
        read = can(Permission.READ_RECORDS)
        for action in (self.sign_action, self.report_action, self.outcomes_action):
            action.setEnabled(read)

    # --- slots ---------------------------------------------------------------------------------

    def _on_window_adverse_event_requested(self, procedure_id: int, site_no: int) -> None:
        self.open_adverse_event(procedure_id, (site_no,))

    def _on_window_procedure_opened(self, _view: object) -> None:
        self._update_actions()

    def _on_session_active_changed(self, _actor: object) -> None:
        self._update_actions()

    def _on_ae_dialog_adverse_event_recorded(self, _view: object) -> None:
        self._say(self.tr("Adverse event saved."))

    def _on_adverse_event_action_triggered(self) -> None:
        found = self._target()
        if found is not None:
            self.open_adverse_event(found[1])

    def _on_sign_action_triggered(self) -> None:
        found = self._target()
        if found is not None:
            self.open_sign(*found)

    def _on_report_action_triggered(self) -> None:
        found = self._target()
        if found is not None:
            self.open_report(*found)

    def _on_outcomes_action_triggered(self) -> None:
        found = self._target()
        if found is None:
            return
        subject_id = self._subject_id(*found)
        if subject_id is not None:
            self.dialog = self._follow_up.open_subject(subject_id)

    def _on_site_history_action_triggered(self) -> None:
        page = self._host.shown_workspace()
        site_no = page.selected_site if page is not None else None
        if site_no is None:
            self._say(self.tr("Open a procedure and choose a site first."))
            return
        self.open_site_history(site_no)

    def _on_procedure_history_action_triggered(self) -> None:
        found = self._target()
        if found is not None:
            self.open_history(procedure_id=found[1])
