"""Follow up an adverse event: new outcome (and end time when resolved), with the reason."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.sedation.adverse_events import Outcome
from slidesk.services.sedation import adverse_events
from slidesk.services.sedation.dto import AdverseEventView
from ui.common.fields import OneStopDateTimeEdit
from ui.common.timefmt import from_site_wall_clock, site_wall_clock
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import Topic
from ui.nurse.common import MessageLine
from ui.session import BedsideSession


class AdverseEventFollowUpDialog(QDialog):
    followed_up = Signal(object)
    """The AE was updated; carries the new `AdverseEventView`."""

    def __init__(
        self,
        context: AppContext,
        session: BedsideSession,
        ae: AdverseEventView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._session = session
        self._ae = ae
        self.setWindowTitle(self.tr("Follow up: {0}").format(ae.term))
        self.outcome = QComboBox()
        for out in Outcome:
            self.outcome.addItem(out.label, out)
        self.outcome.setCurrentIndex(self.outcome.findData(ae.outcome))
        self.ended = QCheckBox(self.tr("Ended at"))
        now = context.clock.now()
        self.end_time = OneStopDateTimeEdit(site_wall_clock(now, context.clock.zone))
        self.end_time.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.end_time.setEnabled(False)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Why the record changes (required)"))
        self.message = MessageLine()
        form = QFormLayout()
        form.addRow(QLabel(self.tr("Now: {0}").format(ae.outcome.label)))
        form.addRow(self.tr("&Outcome"), self.outcome)
        form.addRow(self.ended, self.end_time)
        form.addRow(self.tr("&Reason"), self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._connect_signals()
        self.message.follow(self)

    def _connect_signals(self) -> None:
        self.ended.toggled.connect(self.end_time.setEnabled)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _on_buttons_accepted(self) -> None:
        resolved = (
            from_site_wall_clock(self.end_time.dateTime(), self._context.clock.zone)
            if self.ended.isChecked()
            else None
        )
        view = operations.write(
            self._context,
            adverse_events.follow_up_adverse_event,
            actor=self._session.active,
            show_error=self.message.error,
            what=self.tr("The follow-up of the adverse event"),
            changes=(Topic.ADVERSE_EVENTS,),
            about=self._ae.procedure_id,
            ae_id=self._ae.id,
            reason=self.reason.text(),
            outcome=self.outcome.currentData(),
            resolved_at=resolved,
            later=self._followed_up,
            owner=self,
        )
        if view is not None:
            self._followed_up(view)

    def _followed_up(self, view: AdverseEventView) -> None:
        """The follow-up went through (at once, or once another program let go: the form
        stayed open with the message until then)."""
        self.followed_up.emit(view)
        self.accept()
