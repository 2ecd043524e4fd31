"""Sedation events with their interventions, and the list of adverse events of the procedure."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.sedation.events import Intervention, SedationEventKind
from slidesk.services.sedation import monitoring as sedation_monitoring
from slidesk.services.sedation.dto import SedationEntryType, SedationRecord
from ui.context import AppContext
from ui.nurse.ae_followup import AdverseEventFollowUpDialog
from ui.nurse.common import TimeField
from ui.nurse.entry import RecordEntry, entry_table, right_aligned
from ui.nurse.models import AdverseEventModel, EventModel
from ui.session import BedsideSession

_SHOWN_INTERVENTIONS = tuple(i for i in Intervention if i is not Intervention.OTHER)
_COLUMNS = 3


class EventsEntry(RecordEntry):
    """Sedation events and the procedure's adverse events."""

    adverse_event_requested = Signal()
    """The user asked to record an adverse event (the panel opens the form)."""

    def __init__(
        self, context: AppContext, session: BedsideSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, session, parent)
        self.linked_dose_id: int | None = None
        self._build()
        self._connect_signals()
        self.message.follow(self)

    def _build(self) -> None:
        self.kind = QComboBox()
        for kind in SedationEventKind:
            self.kind.addItem(kind.label, kind)
        self.boxes: dict[Intervention, QCheckBox] = {}
        # Three columns of boxes that keep their height (they were crushed into each other
        # at 1366×768): the form never shrinks below what it needs; the tab scrolls instead.
        self.interventions = QWidget()
        self.interventions.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        grid = QGridLayout(self.interventions)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        rows = -(-len(_SHOWN_INTERVENTIONS) // _COLUMNS)
        for i, intervention in enumerate(_SHOWN_INTERVENTIONS):
            box = QCheckBox(intervention.label)
            self.boxes[intervention] = box
            grid.addWidget(box, i % rows, i // rows)  # read down each column
        self.description = QLineEdit()
        self.description.setPlaceholderText(self.tr("What happened (required for 'Other')"))
        self.outcome = QLineEdit()
        self.outcome.setPlaceholderText(self.tr("e.g. SpO2 back to 96 % within 1 min"))
        self.time = TimeField(self._context.clock)
        self.save = QPushButton(self.tr("Record &event"))
        self.events = EventModel(self._context.clock.zone, self)
        self.events_table = entry_table(self.events, fill=False)
        self.strike = QPushButton(self.tr("Strike out selected event…"))
        self.aes = AdverseEventModel(self._context.clock.zone, self)
        self.aes_table = entry_table(self.aes, fill=False)
        self.add_ae = QPushButton(self.tr("A&dverse event…"))
        self.add_ae.setToolTip(self.tr("Record an adverse event (operator or nurse)"))
        self.follow_up = QPushButton(self.tr("F&ollow up…"))
        self.follow_up.setToolTip(self.tr("Update the selected AE's outcome (with a reason)"))

        form = QFormLayout()
        form.addRow(self.tr("Even&t"), self.kind)
        form.addRow(QLabel(self.tr("Interventions")))
        form.addRow(self.interventions)
        form.addRow(self.tr("Description"), self.description)
        form.addRow(self.tr("Outcome"), self.outcome)
        time_row = QHBoxLayout()
        time_row.addWidget(self.time, 1)
        time_row.addWidget(self.save)
        form.addRow(self.tr("Time"), time_row)
        for table in (self.events_table, self.aes_table):
            # Three rows at least; more when the tab has room (not the table's own wish).
            rows_high = table.verticalHeader().defaultSectionSize() * 3
            table.setMinimumHeight(table.horizontalHeader().sizeHint().height() + rows_high + 4)
            table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.events_table, 1)
        layout.addLayout(right_aligned(self.strike))
        ae_row = QHBoxLayout()
        ae_row.addWidget(QLabel(self.tr("<b>Adverse events</b>")))
        ae_row.addStretch(1)
        ae_row.addWidget(self.follow_up)
        ae_row.addWidget(self.add_ae)
        layout.addLayout(ae_row)
        layout.addWidget(self.aes_table, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(scroll)

    def _connect_signals(self) -> None:
        self.save.clicked.connect(self._on_save_clicked)
        self.add_ae.clicked.connect(self.adverse_event_requested)
        self.follow_up.clicked.connect(self._on_follow_up_clicked)
        self.strike.clicked.connect(self._on_strike_clicked)

    def what(self) -> str:
        return self.tr("The sedation event")

    def show_record(self, record: SedationRecord | None) -> None:
        self._record = record
        self.events.set_rows(tuple(reversed(record.events)) if record else ())
        self.aes.set_rows(record.adverse_events if record else ())
        if record is not None:
            self.save.setEnabled(record.editable)
            self.strike.setEnabled(record.editable)
            self.add_ae.setEnabled(record.editable)
            self.follow_up.setEnabled(record.editable and bool(record.adverse_events))

    def prepare_for_reversal(self, dose_id: int) -> None:
        """Pre-fill the form after a reversal agent was charted."""
        self.linked_dose_id = dose_id
        self.kind.setCurrentIndex(self.kind.findData(SedationEventKind.REVERSAL_GIVEN))
        self.boxes[Intervention.REVERSAL_AGENT].setChecked(True)
        self.message.warn(
            self.tr("A reversal agent was given: record what happened and what was done.")
        )
        self.description.setFocus()

    def _on_save_clicked(self) -> None:
        record = self._record_entry(
            sedation_monitoring.record_sedation_event,
            kind=self.kind.currentData(),
            interventions=[i for i, box in self.boxes.items() if box.isChecked()],
            description=self.description.text(),
            outcome=self.outcome.text(),
            occurred_at=self.time.value(),
            dose_id=self.linked_dose_id,
            later=self._saved,
        )
        if record is not None:
            self._saved(record)

    def _saved(self, record: SedationRecord) -> None:
        """The event went through (at once, or once another program let go)."""
        self.linked_dose_id = None
        for box in self.boxes.values():
            box.setChecked(False)
        self.description.clear()
        self.outcome.clear()
        self.time.reset()
        self.message.ok(self.tr("Event recorded."))
        self._publish(record)

    def _on_strike_clicked(self) -> None:
        self._strike_selected(
            self.events_table,
            self.events,
            SedationEntryType.EVENT,
            select_first=self.tr("Select the event to strike out first."),
            title=self.tr("Strike out sedation event"),
            question=lambda event: self.tr("Why is “{0}” at {1} struck out?").format(
                event.kind.label, self.events.hm(event.occurred_at)
            ),
        )

    def _on_follow_up_clicked(self) -> None:
        rows = self.aes_table.selectionModel().selectedRows()
        if not rows:
            self.message.warn(self.tr("Select the adverse event to follow up first."))
            return
        dialog = AdverseEventFollowUpDialog(
            self._context, self._session, self.aes.row_at(rows[0].row()), self
        )
        self.open_follow_up(dialog)

    def open_follow_up(self, dialog: AdverseEventFollowUpDialog) -> None:
        """Show the follow-up dialog (replaceable in tests)."""
        dialog.exec()
