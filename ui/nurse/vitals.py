"""Vital-signs entry: one row of fields, the sedation score on the protocol's scale, a table.

Empty means 'not measured'; what was typed goes to the service as typed, so a letter is
refused with the reason rather than dropped. Impossible values come back with the reason;
alarming values are saved and shown in red with the threshold they crossed.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.sedation.scales import scale
from slidesk.services.sedation import monitoring as sedation_monitoring
from slidesk.services.sedation.dto import SedationEntryType, SedationRecord
from ui.common.keys import press_with
from ui.context import AppContext
from ui.nurse.chart import VitalsChart
from ui.nurse.common import ReturnComboBox, TimeField
from ui.nurse.entry import RecordEntry, entry_table, right_aligned
from ui.nurse.models import VitalsModel
from ui.session import BedsideSession


class VitalsEntry(RecordEntry):
    """Vital signs: saved with their alarms, or struck out with a reason."""

    def __init__(
        self, context: AppContext, session: BedsideSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, session, parent)
        self._build()
        self._connect_signals()
        self.message.follow(self)

    def _field(self, placeholder: str) -> QLineEdit:
        # No validator: a letter typed is refused with a message on Save, never dropped
        # silently ("7a" must not become 7).
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.setMaxLength(6)
        edit.setMaximumWidth(64)
        edit.returnPressed.connect(self._on_save_clicked)
        return edit

    def _build(self) -> None:
        self.hr = self._field(self.tr("/min"))
        self.systolic = self._field(self.tr("sys"))
        self.diastolic = self._field(self.tr("dia"))
        self.spo2 = self._field("%")
        self.rr = self._field(self.tr("/min"))
        self.etco2 = self._field(self.tr("mmHg"))
        self.temp = QLineEdit()
        self.temp.setPlaceholderText("°C")
        self.temp.setMaximumWidth(64)
        self.score = ReturnComboBox()
        self.scale_label = QLabel()
        self.time = TimeField(self._context.clock)
        self.save = QPushButton(self.tr("&Save vital signs"))
        press_with(self.save, "Ctrl+S")
        self.save.setToolTip(self.tr("Save (Ctrl+S)"))

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        cells = (
            (0, 0, self.tr("P&ulse (HR)"), self.hr),
            (0, 2, self.tr("Sp&O2"), self.spo2),
            (0, 4, self.tr("&RR"), self.rr),
            (1, 2, self.tr("EtCO2"), self.etco2),
            (1, 4, self.tr("Temp"), self.temp),
        )
        for row, col, text, edit in cells:
            label = QLabel(text)
            label.setBuddy(edit)
            grid.addWidget(label, row, col)
            grid.addWidget(edit, row, col + 1)
        bp_label = QLabel(self.tr("&BP"))
        bp_label.setBuddy(self.systolic)
        bp = QHBoxLayout()
        bp.setSpacing(2)
        bp.addWidget(self.systolic)
        bp.addWidget(QLabel("/"))
        bp.addWidget(self.diastolic)
        grid.addWidget(bp_label, 1, 0)
        grid.addLayout(bp, 1, 1)
        grid.setColumnStretch(6, 1)
        for edit in (self.hr, self.spo2, self.rr, self.etco2, self.temp):
            edit.setMaximumWidth(56)
        self.systolic.setMaximumWidth(44)
        self.diastolic.setMaximumWidth(44)
        score_row = QHBoxLayout()
        score_row.addWidget(self.scale_label)
        score_row.addWidget(self.score, 1)
        time_row = QHBoxLayout()
        time_row.addWidget(QLabel(self.tr("Time")))
        time_row.addWidget(self.time, 1)
        time_row.addWidget(self.save)

        self.chart = VitalsChart(self._context.clock)
        self.model = VitalsModel(self._context.clock.zone, self)
        self.table = entry_table(self.model, fill=True, single=True)
        # Tab goes on to the next control; Qt's tables would walk the cells and never let go.
        self.table.setTabKeyNavigation(False)
        self.strike = QPushButton(self.tr("Strike out selected…"))

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(score_row)
        layout.addLayout(time_row)
        layout.addWidget(self.message)
        layout.addWidget(self.chart)
        layout.addWidget(self.table, 1)
        layout.addLayout(right_aligned(self.strike))
        # Tab follows the grid as it is read, row by row (BP sits on the second row, before
        # EtCO2 and Temp), then the score, the time and Save.
        chain = (
            self.hr,
            self.spo2,
            self.rr,
            self.systolic,
            self.diastolic,
            self.etco2,
            self.temp,
            self.score,
            self.time.now_box,
            self.time.time_edit,
            self.save,
            self.table,
            self.strike,
        )
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _connect_signals(self) -> None:
        self.save.clicked.connect(self._on_save_clicked)
        self.strike.clicked.connect(self._on_strike_clicked)
        self.score.return_pressed.connect(self._on_save_clicked)

    def what(self) -> str:
        return self.tr("The vital signs")

    def show_record(self, record: SedationRecord | None) -> None:
        new_scale = record is not None and (
            self._record is None or self._record.scale != record.scale
        )
        self._record = record
        if record is None:
            self.model.set_rows(())
            self.chart.set_record(None)
            return
        if new_scale:
            sc = scale(record.scale)
            self.scale_label.setText(sc.name)
            self.score.clear()
            self.score.addItem(self.tr("— not assessed"), None)
            for value in sc.scores():
                self.score.addItem(f"{value}  {sc.label(value)}", value)
        self.model.set_rows(tuple(reversed(record.vitals)))
        self.chart.set_record(record)
        for w in (self.save, self.strike):
            w.setEnabled(record.editable)

    def _on_save_clicked(self) -> None:
        record = self._record_entry(
            sedation_monitoring.record_vitals,
            measured_at=self.time.value(),
            hr=self.hr.text(),
            systolic=self.systolic.text(),
            diastolic=self.diastolic.text(),
            spo2=self.spo2.text(),
            rr=self.rr.text(),
            etco2=self.etco2.text(),
            temp_c=self.temp.text().strip() or None,
            sedation_score=self.score.currentData(),
            later=self._saved,
        )
        if record is not None:
            self._saved(record)

    def _saved(self, record: SedationRecord) -> None:
        """The vital signs went through (at once, or once another program let go)."""
        saved = max(record.live_vitals, key=lambda v: (v.recorded_at, v.id))
        if saved.alarms:
            self.message.error(
                self.tr("Saved — ALARM: {0}").format("; ".join(a.message for a in saved.alarms))
            )
        else:
            self.message.ok(self.tr("Vital signs saved."))
        for edit in (self.hr, self.systolic, self.diastolic, self.spo2, self.rr, self.etco2):
            edit.clear()
        self.temp.clear()
        self.score.setCurrentIndex(0)
        self.time.reset()
        self.hr.setFocus()
        self._publish(record)

    def _on_strike_clicked(self) -> None:
        self._strike_selected(
            self.table,
            self.model,
            SedationEntryType.VITALS,
            select_first=self.tr("Select the row to strike out first."),
            title=self.tr("Strike out vital signs"),
            question=lambda _item: self.tr("Why is this row struck out?"),
        )
