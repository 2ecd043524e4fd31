"""Review and finish: every site, what is missing, totals, and the syringe reconciliation.

Completing needs the procedure's operator (the service refuses anyone else). After completion
the record is read-only except corrections with a reason. The texts (totals, skips and
deviations, what is missing) are worded in `review_texts`, the sites' table in `review_model`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.procedure.syringe import SyringeDisposition
from slidesk.domain.users import Actor, Permission
from slidesk.domain.values import Limb
from slidesk.services.dto import ProcedureView
from slidesk.services.procedure import completion, workspace
from slidesk.services.procedure import service as procedures
from slidesk.services.procedure.dto_workspace import ReconciliationView, SiteFlagView
from ui.common.timefmt import local_hm
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Topic
from ui.procedure import review_texts
from ui.procedure.reconciliation_panel import ReconciliationPanel
from ui.procedure.review_model import ReviewColumn, ReviewSitesModel
from ui.session import BedsideSession
from ui.workspace.banner import Banner
from ui.workspace.dialogs import ReasonDialog


class ReviewDialog(QDialog):
    completed = Signal(object)
    """The procedure was completed (its `ProcedureView`). Views that show the procedure
    follow `context.changes`; this is for whoever waits on the completion itself."""

    def __init__(
        self,
        context: AppContext,
        session: BedsideSession,
        procedure_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.session = session
        self.procedure_id = procedure_id
        self.view: ProcedureView | None = None
        self.reconciliation: ReconciliationView | None = None
        self.flags: tuple[SiteFlagView, ...] = ()
        self.reason_dialog: ReasonDialog | None = None
        self.completion_gaps: tuple[str, ...] = ()
        self.setWindowTitle(self.tr("Review and finish"))
        self.resize(1100, 690)
        self._build()
        self._connect_signals()
        self.reload()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setStyleSheet("font-size:16pt; font-weight:700;")
        layout.addWidget(self.title)
        self.banner = Banner(self)
        layout.addWidget(self.banner)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        layout.addWidget(self.totals)
        self.exceptions = QLabel()
        self.exceptions.setWordWrap(True)
        self.exceptions.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.exceptions)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        layout.addWidget(self.missing)
        self.model = ReviewSitesModel(self.context.clock.zone, self)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the list (it wrapped round rows)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ReviewColumn.NOTE, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.reconcile = ReconciliationPanel(self)
        layout.addWidget(self.reconcile)
        buttons = QHBoxLayout()
        self.close_button = QPushButton(self.tr("Close"))
        self.complete_button = QPushButton()
        self.complete_button.setMinimumHeight(44)
        self.complete_button.setStyleSheet(
            "QPushButton { background:#009E73; color:white; font-weight:700; border-radius:6px;"
            " padding:0 16px; } QPushButton:disabled { background:#BFBFBF; color:#4D4D4D; }"
        )
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.complete_button)
        layout.addLayout(buttons)
        self.complete_action = QAction(self)
        self.complete_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.addAction(self.complete_action)
        # Enter presses no button here: completing is Ctrl+Enter or a click, and a stray Enter
        # must not mark a syringe returned. The review starts on the list of sites.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.table.setFocus()

    def _connect_signals(self) -> None:
        self.close_button.clicked.connect(self.accept)
        self.complete_button.clicked.connect(self._on_complete_button_clicked)
        self.complete_action.triggered.connect(self._on_complete_action_triggered)
        self.reconcile.disposition_requested.connect(self._on_reconcile_disposition_requested)
        self.reconcile.withdrawal_requested.connect(self._on_reconcile_withdrawal_requested)
        self.session.active_changed.connect(self._on_session_active_changed)

    def _on_session_active_changed(self, actor: object) -> None:
        """Marking syringes is the operator's: for anyone else the buttons say so."""
        if isinstance(actor, Actor) and actor.can(Permission.RECORD_INJECTION):
            self.reconcile.set_may_reconcile(None)
            return
        name = actor.full_name if isinstance(actor, Actor) else self.tr("Nobody")
        self.reconcile.set_may_reconcile(
            self.tr("%1 may not mark syringes: switch to the operator (Ctrl+Shift+T).").replace(
                "%1", name
            )
        )

    # --- data ----------------------------------------------------------------------------------

    def _reader(self) -> Actor | None:
        actor = self.session.active
        if actor is None:
            self.banner.show_message(self.tr("Nobody is signed in."), "error")
        return actor

    def reload(self) -> None:
        actor = self._reader()
        if actor is None:
            return
        uow, procedure_id = self.context.uow, self.procedure_id
        loaded = operations.attempt(
            self.context,
            lambda: (
                procedures.get_procedure(uow=uow, actor=actor, procedure_id=procedure_id),
                workspace.list_flags(uow=uow, actor=actor, procedure_id=procedure_id),
                workspace.get_reconciliation(uow=uow, actor=actor, procedure_id=procedure_id),
                completion.get_completion_gaps(uow=uow, actor=actor, procedure_id=procedure_id),
            ),
            show_error=self._show_error,
            what=self.tr("The procedure's record"),
            reading=True,
        )
        if loaded is None:
            return
        view, self.flags, state, gaps = loaded
        self.completion_gaps = gaps
        self._render(view, state)

    def _render(self, view: ProcedureView, state: ReconciliationView) -> None:
        self.view = view
        self.reconciliation = state
        limb = self.tr("LEFT leg") if view.subject.index_limb is Limb.LEFT else self.tr("RIGHT leg")
        self.title.setText(
            self.tr("Review — %1 · %2 · kit %3")
            .replace("%1", view.subject.study_id)
            .replace("%2", limb)
            .replace("%3", view.kit_number)
        )
        self.model.set_rows(view, self.flags)
        self.reconcile.set_state(state)
        self._on_session_active_changed(self.session.active)
        self.totals.setText(review_texts.totals_text(view, len(self.flags), self.context.clock))
        self.exceptions.setText(self.exception_text())
        gaps = self.missing_items()
        if gaps:
            self.missing.setStyleSheet(
                "background:#FBE3D6; border:1px solid #D55E00; border-radius:6px; padding:8px;"
            )
            self.missing.setText(self.tr("Missing:") + "\n• " + "\n• ".join(gaps))
        else:
            self.missing.setStyleSheet(
                "background:#D7F0E7; border:1px solid #009E73; border-radius:6px; padding:8px;"
            )
            self.missing.setText(
                self.tr(
                    "Nothing missing: every site is injected or skipped, every syringe is "
                    "accounted for, and the sedation record has vital signs and analgesia."
                )
            )
        open_sites = [s for s in view.sites if s.entry is None]
        if view.status is ProcedureStatus.IN_PROGRESS:
            self.complete_button.setEnabled(not open_sites)
            self.complete_button.setText(
                self.tr("Complete procedure as %1 (operator)  Ctrl+Enter").replace(
                    "%1", view.operator.full_name
                )
            )
        elif view.status is ProcedureStatus.AMENDED:
            # Not read-only, and the time of completion is not the amendment's.
            self.complete_button.setEnabled(False)
            self.complete_button.setText(
                self.tr("Amendment open: correct with a reason, then sign again (Ctrl+Shift+S)")
            )
        else:
            self.complete_button.setEnabled(False)
            self.complete_button.setText(
                self.tr("%1 %2 — read-only; corrections need a reason")
                .replace("%1", view.status.label)
                .replace("%2", local_hm(view.completed_at, self.context.clock.zone))
            )

    def exception_text(self) -> str:
        """Skips with their reasons, deviations and relocations, one line each."""
        assert self.view is not None
        return review_texts.exception_text(self.view)

    def missing_items(self) -> list[str]:
        """What still keeps the procedure from being complete (see `review_texts`)."""
        assert self.view is not None
        assert self.reconciliation is not None
        return review_texts.missing_items(self.view, self.reconciliation, self.completion_gaps)

    # --- actions -------------------------------------------------------------------------------

    def _show_error(self, text: str) -> None:
        self.banner.show_message(text, "error")

    def _save(
        self,
        service: Callable[..., Any],
        what: str,
        *,
        later: Callable[[Any], None] | None = None,
        **values: Any,
    ) -> Any:
        """`later`: another program's lock is waited for without freezing (the dialog stays
        open with the message) and `later` gets the result once it went through."""
        return operations.write(
            self.context,
            service,
            actor=self._reader(),
            show_error=self._show_error,
            what=what,
            changes=(Topic.PROCEDURE,),
            about=self.procedure_id,
            later=later,
            owner=self if later is not None else None,
            **values,
        )

    def _on_reconcile_disposition_requested(
        self, labels: list[str], disposition: SyringeDisposition, note: str
    ) -> None:
        state = self._save(
            workspace.record_disposition,
            self.tr("The syringes' fate"),
            procedure_id=self.procedure_id,
            syringes=labels,
            disposition=disposition,
            note=note or None,
            later=self._disposed,
        )
        if state is not None:
            self._disposed(state)

    def _disposed(self, _state: object) -> None:
        """The syringes' fate went through (at once, or once another program let go)."""
        if self.view is not None:
            self.banner.clear_message()
            self.reload()  # the reconciliation and what completing would still need

    def _on_reconcile_withdrawal_requested(self, disposition_id: int, reason: str) -> None:
        state = self._save(
            workspace.void_disposition,
            self.tr("The withdrawal of the syringe's fate"),
            disposition_id=disposition_id,
            reason=reason,
            later=self._withdrawn,
        )
        if state is not None:
            self._withdrawn(state)

    def _withdrawn(self, _state: object) -> None:
        """The withdrawal went through (at once, or once another program let go)."""
        if self.view is not None:
            self.banner.clear_message()
            self.reload()

    def _on_complete_action_triggered(self) -> None:
        if self.complete_button.isEnabled():
            self._on_complete_button_clicked()

    def _on_complete_button_clicked(self) -> None:
        view, state = self.view, self.reconciliation
        if view is None or state is None:
            return
        operator_id = view.operator.id
        if not self.session.is_signed_in(operator_id):
            self.banner.show_message(
                self.tr("Only the operator %1 can complete: they must sign in first.").replace(
                    "%1", view.operator.full_name
                ),
                "error",
            )
            return
        if not self.completion_gaps:
            self._complete(None)
            return
        # What is missing is normally recorded first; completing without it needs the
        # reason, which goes into the audit trail with the list.
        dialog = ReasonDialog(
            self.tr("Complete with items missing"),
            self.tr("Completing now, without:")
            + "\n• "
            + "\n• ".join(self.completion_gaps)
            + "\n\n"
            + self.tr(
                "Cancel and record them (returned or wasted syringes below, the sedation "
                "record in the nurse's tab), or give the reason the procedure is completed "
                "without."
            ),
            [
                self.tr("Unused syringes returned to the trial pharmacy; counted there"),
                self.tr("Sedation record kept on the paper chart (attached)"),
            ],
            ok_text=self.tr("Complete procedure"),
            parent=self,
        )
        dialog.accepted.connect(lambda: self._complete(dialog.reason()))
        dialog.finished.connect(dialog.deleteLater)
        self.reason_dialog = dialog
        dialog.open()

    def _complete(self, gaps_reason: str | None) -> None:
        view, state = self.view, self.reconciliation
        if view is None or state is None:
            return
        # The operator completes: an audited change of typist if needed (not recorded, not
        # completed).
        if not self.session.switch_to(view.operator.id, show_error=self._show_error):
            return
        done = self._save(
            completion.complete_procedure,
            self.tr("The completion"),
            procedure_id=self.procedure_id,
            gaps_reason=gaps_reason,
            later=self._completed,
        )
        if done is not None:
            self._completed(done)

    def _completed(self, done: ProcedureView) -> None:
        """The completion went through (at once, or once another program let go)."""
        state = self.reconciliation
        self.banner.show_message(
            self.tr("Procedure completed at %1.").replace(
                "%1", local_hm(done.completed_at, self.context.clock.zone)
            ),
            "success",
        )
        if state is not None:
            self._render(done, state)
        self.completed.emit(done)
