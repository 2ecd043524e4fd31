"""The nurse's panel: cumulative totals and the vitals reminder on top, four tabs below.

Designed for the right-hand side of the operator's workspace (about 420–520 px wide at
1366×768). Every entry goes through the services as the person signed in and typing
(`session.active`); an operator sees the record but only the AE form is open to them.
It follows the one notification (`ui.common.follow`): a fresh record from any entry is shown as it
is; other changes to the procedure (an adverse event, an injection, a signature) read it
again — at once on screen, when next shown if hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from slidesk.domain.sedation.doses import LimitState
from slidesk.domain.sedation.timing import DueState
from slidesk.domain.users import Actor, Permission
from slidesk.services.sedation import service as sedation
from slidesk.services.sedation.dto import SedationRecord
from ui.common.follow import Follower
from ui.common.layouts import clear_layout
from ui.common.timefmt import local_hm
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Changed, Topic
from ui.nurse.ae_form import AdverseEventDialog
from ui.nurse.common import MessageLine
from ui.nurse.events import EventsEntry
from ui.nurse.medication.entry import MedicationEntry
from ui.nurse.recovery import RecoveryEntry
from ui.nurse.vitals import VitalsEntry
from ui.session import BedsideSession

_STATE_STYLE = {
    LimitState.OK: "color: #111827;",
    LimitState.WARNING: "color: #7a4b00; background: #fff4d6;",
    LimitState.AT_MAX: "color: #9b1c1c; background: #fde2e1; font-weight: bold;",
    LimitState.OVER_MAX: "color: white; background: #c81e1e; font-weight: bold;",
}
_STATE_WORD = {
    LimitState.OK: "",
    LimitState.WARNING: " ⚠",
    LimitState.AT_MAX: " MAX",
    LimitState.OVER_MAX: " OVER MAX",
}


class NursePanel(QWidget):
    def __init__(
        self, context: AppContext, session: BedsideSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._session = session
        self._procedure_id: int | None = None
        self.record: SedationRecord | None = None
        # Replaceable in tests: opening the (modal) AE form.
        self.open_ae_form: Callable[[tuple[int, ...]], None] = self._open_ae_form
        self._build()
        self._connect_signals()
        self.follower = Follower(
            self,
            context.changes,
            (Topic.SEDATION, Topic.ADVERSE_EVENTS, Topic.PROCEDURE, Topic.SIGNATURES),
            self.refresh,
            procedure_id=self.shown_procedure,
            take=self._take,
        )
        self.timer = QTimer(self)
        self.timer.setInterval(15_000)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.timer.start()

    def _build(self) -> None:
        self.setMinimumWidth(420)
        self.title = QLabel(self.tr("Sedation and monitoring"))
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.due = QLabel()
        self.due.setWordWrap(True)
        self.totals = QGridLayout()
        self.totals.setHorizontalSpacing(6)
        self.totals.setVerticalSpacing(2)
        self.message = MessageLine()
        self.medication = MedicationEntry(self._context, self._session)
        self.vitals = VitalsEntry(self._context, self._session)
        self.events = EventsEntry(self._context, self._session)
        self.recovery = RecoveryEntry(self._context, self._session)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.medication, self.tr("&Medication"))
        self.tabs.addTab(self.vitals, self.tr("V&itals"))
        self.tabs.addTab(self.events, self.tr("Eve&nts / AEs"))
        self.tabs.addTab(self.recovery, self.tr("Re&covery"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.due)
        totals_box = QWidget()
        totals_box.setLayout(self.totals)
        layout.addWidget(totals_box)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)

    def _hm(self, value: datetime | None) -> str:
        return local_hm(value, self._context.clock.zone)

    def _connect_signals(self) -> None:
        self.medication.reversal_given.connect(self._on_medication_reversal_given)
        self.events.adverse_event_requested.connect(self._on_events_adverse_event_requested)
        self._session.active_changed.connect(self._on_session_active_changed)

    # --- public -------------------------------------------------------------------------------

    def shown_procedure(self) -> int | None:
        """The procedure whose record this shows (None: none)."""
        return self._procedure_id

    def set_procedure(self, procedure_id: int | None) -> None:
        self._procedure_id = procedure_id
        self.refresh()

    def refresh(self) -> None:
        actor = self._session.active
        if self._procedure_id is None or actor is None:
            self._show(None)
            return
        self.follower.stale = False
        record = operations.read(
            self._context,
            sedation.get_sedation,
            actor=actor,
            show_error=self.message.error,
            what=self.tr("The sedation record"),
            clock=self._context.clock,
            procedure_id=self._procedure_id,
        )
        if record is not None:
            self._show(record)

    def open_adverse_event(self, site_nos: tuple[int, ...] = ()) -> None:
        """Open the AE form for the current procedure (e.g. from a site flag)."""
        if self._procedure_id is not None:
            self.open_ae_form(site_nos)

    # --- internals ----------------------------------------------------------------------------

    def _take(self, changed: Changed) -> bool:
        """An entry returned the fresh record: show it as it is (no need to read it again)."""
        record = changed.result
        if isinstance(record, SedationRecord) and record.procedure_id == self._procedure_id:
            self._show(record)
            return True
        return False

    def _show(self, record: SedationRecord | None) -> None:
        self.record = record
        late_day = record.started_at if record is not None and record.amending else None
        for entry in (self.medication, self.vitals, self.events, self.recovery):
            entry.set_record(record)
            entry.time.set_late_only(late_day)
        self._show_totals(record)
        self._show_due()
        self._apply_permissions(self._session.active)
        if record is not None:
            self.title.setText(self.tr("Sedation — {0}").format(record.study_id))
            if not record.editable:
                self.message.warn(self.tr("The record is signed: entries are closed."))
            elif record.amending:
                self.message.warn(
                    self.tr(
                        "Amendment open: correct or strike out entries with a reason. A "
                        "forgotten entry is added late, with the time it really happened."
                    )
                )

    def _show_totals(self, record: SedationRecord | None) -> None:
        clear_layout(self.totals)
        if record is None:
            return
        shown = [t for t in record.totals if t.dose_count or t.kind != "reversal"]
        for i, t in enumerate(shown):
            limit = f" / {t.maximum_text}" if t.maximum_text else ""
            label = QLabel(f"{t.drug_name} <b>{t.total_text}</b>{limit}{_STATE_WORD[t.state]}")
            label.setStyleSheet(_STATE_STYLE[t.state] + " padding: 2px 4px; border-radius: 3px;")
            label.setToolTip(
                self.tr("{0} doses; warning at {1}; maximum {2}").format(
                    t.dose_count, t.warning_text or "—", t.maximum_text or "—"
                )
            )
            label.setAccessibleName(f"{t.drug_name} total {t.total_text}")
            self.totals.addWidget(label, i // 2, i % 2)
        oxygen = record.current_oxygen
        if oxygen is not None:
            self.totals.addWidget(QLabel(f"O₂ {oxygen.text}"), (len(shown) + 1) // 2, 0, 1, 2)

    def _show_due(self) -> None:
        record = self.record
        if record is None:
            self.due.setText("")
            self.due.setVisible(False)
            return
        due = sedation.vitals_due(record=record, now=self._context.clock.now())
        style = "padding: 6px; border-radius: 4px; font-weight: bold;"
        if due.state is DueState.BASELINE:
            # Said the same before or after the first injection: the set is due at once.
            text = self.tr("No vital signs charted yet: chart the baseline set now.")
            style += "background: #fff4d6; color: #7a4b00;"
        elif due.state is DueState.DUE:
            text = self.tr("Vital signs due now ({0}).").format(self._hm(due.due_at))
            style += "background: #fff4d6; color: #7a4b00;"
        elif due.state is DueState.OVERDUE:
            minutes = int(due.overdue_by.total_seconds() // 60)
            text = self.tr("Vital signs OVERDUE by {0} min (due {1}).").format(
                minutes, self._hm(due.due_at)
            )
            style += "background: #c81e1e; color: white;"
        elif due.state is DueState.NOT_DUE and due.due_at is not None:
            text = self.tr("Next vital signs at {0} (every {1} min).").format(
                self._hm(due.due_at), record.vitals_interval_minutes
            )
            style = "color: #374151; padding: 2px;"
        else:
            text = ""
        self.due.setText(text)
        self.due.setStyleSheet(style)
        self.due.setVisible(bool(text))
        self.due.setProperty("due_state", due.state.value)

    def _apply_permissions(self, actor: Actor | None) -> None:
        can_sedate = actor is not None and actor.can(Permission.RECORD_SEDATION)
        editable = self.record is not None and self.record.editable
        for entry in (self.medication, self.vitals, self.recovery):
            entry.setEnabled(can_sedate and editable)
        self.events.save.setEnabled(can_sedate and editable)
        can_ae = actor is not None and actor.can(Permission.RECORD_ADVERSE_EVENT)
        self.events.add_ae.setEnabled(can_ae and editable)
        has_aes = self.record is not None and bool(self.record.adverse_events)
        self.events.follow_up.setEnabled(can_ae and editable and has_aes)
        if actor is not None and not can_sedate and self.record is not None:
            self.message.warn(
                self.tr("{0} can read this record; sedation entries are made by the nurse.").format(
                    actor.full_name
                )
            )
        elif editable:
            self.message.clear_message()

    def _open_ae_form(self, site_nos: tuple[int, ...]) -> None:
        if self._procedure_id is None:
            return
        dialog = AdverseEventDialog.for_procedure(
            self._context,
            self._session,
            self,
            self._procedure_id,
            site_nos,
            show_error=self.message.error,
        )
        if dialog is not None:
            dialog.exec()

    # --- slots --------------------------------------------------------------------------------

    def _on_medication_reversal_given(self, dose_id: int) -> None:
        self.tabs.setCurrentWidget(self.events)
        self.events.prepare_for_reversal(dose_id)

    def _on_events_adverse_event_requested(self) -> None:
        self.open_adverse_event()

    def _on_session_active_changed(self, actor: object) -> None:
        self.refresh()

    def _on_timer_timeout(self) -> None:
        self._show_due()
