"""Medication entry: drug, quick increments, dose with explicit unit, route, time; oxygen.

A dose typed in another unit than the drug is charted in, or one that crosses a protocol
limit, is shown back in a confirmation dialog before it is charted; so is every quick-button
bolus of a sedative or an opioid (one tap fills it in, Enter charts it).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.sedation.charting import OTHER, ROUTES
from slidesk.domain.sedation.doses import plain, unit, units_of
from slidesk.domain.sedation.oxygen import OxygenDevice
from slidesk.services.sedation import service as sedation
from slidesk.services.sedation.dto import DosePreview, SedationEntryType, SedationRecord
from ui.common.keys import press_with
from ui.context import AppContext
from ui.door import operations
from ui.nurse.common import TimeField
from ui.nurse.entry import RecordEntry, chosen_row, entry_table, right_aligned
from ui.nurse.medication.confirm import DoseConfirmDialog
from ui.nurse.medication.correction import DoseCorrectionDialog
from ui.nurse.medication.oxygen import OxygenRow
from ui.nurse.medication.quick import QuickDoses
from ui.nurse.models import DoseModel
from ui.session import BedsideSession


class MedicationEntry(RecordEntry):
    """Doses and oxygen: charted, or struck out with a reason."""

    reversal_given = Signal(int)
    """A reversal agent was charted (the dose id): the panel prompts for a sedation event."""

    def __init__(
        self, context: AppContext, session: BedsideSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, session, parent)
        # Replaceable in tests: the dialog that blocks.
        self.confirm: Callable[[QWidget, DosePreview], tuple[bool, str | None]] = (
            DoseConfirmDialog.ask
        )
        # What a write waiting for another program's lock names once it went through.
        self._pending_dose = ("", "")
        self._pending_correction = ""
        self._build()
        self._connect_signals()
        self.message.follow(self)

    def _build(self) -> None:
        self.drug = QComboBox()
        self.other_name = QLineEdit()
        self.other_name.setPlaceholderText(self.tr("Name of the other drug"))
        self.quick = QuickDoses()
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(self.tr("dose"))
        self.amount.setMaximumWidth(90)
        self.unit = QComboBox()
        self.route = QComboBox()
        self.route.addItems(list(ROUTES))
        self.time = TimeField(self._context.clock)
        self.give = QPushButton(self.tr("&Give and chart"))
        press_with(self.give, "Ctrl+Return")
        self.give.setToolTip(self.tr("Chart the dose (Ctrl+Enter)"))
        self.total_line = QLabel()
        self.total_line.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("&Drug"), self.drug)
        form.addRow("", self.other_name)
        quick_row = QWidget()
        quick_row.setLayout(self.quick)
        form.addRow(self.tr("Quick"), quick_row)
        dose_row = QHBoxLayout()
        dose_row.addWidget(self.amount)
        dose_row.addWidget(self.unit)
        dose_row.addWidget(self.route)
        dose_row.addStretch(1)
        form.addRow(self.tr("Dose"), dose_row)
        form.addRow(self.tr("Time"), self.time)

        self.o2 = OxygenRow()

        self.model = DoseModel(self._context.clock.zone, self)
        self.table = entry_table(self.model, fill=False, single=True)
        self.strike = QPushButton(self.tr("Strike out selected…"))
        self.correct = QPushButton(self.tr("Correct selected…"))
        self.correct.setToolTip(self.tr("Correct the amount, route or time of the selected dose"))
        self.correction_dialog: DoseCorrectionDialog | None = None  # the last one (for tests)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.total_line, 1)
        buttons.addWidget(self.give)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addLayout(self.o2)
        layout.addWidget(self.table, 1)
        layout.addLayout(right_aligned(self.correct, self.strike))

    def _connect_signals(self) -> None:
        self.drug.currentIndexChanged.connect(self._on_drug_current_index_changed)
        self.give.clicked.connect(self._on_give_clicked)
        self.quick.chosen.connect(self._on_quick_clicked)
        self.amount.returnPressed.connect(self._on_give_clicked)
        self.o2.button.clicked.connect(self._on_o2_button_clicked)
        self.o2.stop.clicked.connect(self._on_o2_stop_clicked)
        self.strike.clicked.connect(self._on_strike_clicked)
        self.correct.clicked.connect(self._on_correct_clicked)

    # --- state --------------------------------------------------------------------------------

    def what(self) -> str:
        return self.tr("The medication or oxygen entry")

    def show_record(self, record: SedationRecord | None) -> None:
        first = (
            self._record is None
            or record is None
            or record.procedure_id != self._record.procedure_id
        )
        self._record = record
        if record is None:
            self.model.set_rows(())
            self.o2.show_record(None)
            return
        if first:
            current = self.drug.currentData()
            self.drug.blockSignals(True)
            self.drug.clear()
            for t in record.totals:
                if t.drug_key != OTHER:
                    self.drug.addItem(t.drug_name, t.drug_key)
            self.drug.addItem(self.tr("Other…"), OTHER)
            index = self.drug.findData(current)
            self.drug.setCurrentIndex(max(index, 0))
            self.drug.blockSignals(False)
            self._on_drug_current_index_changed(self.drug.currentIndex())
        self.model.set_rows(tuple(reversed(record.doses)))
        self._update_total_line()
        for w in (self.give, self.strike, self.correct, self.amount, self.drug):
            w.setEnabled(record.editable)
        self.o2.show_record(record)

    def _drug_key(self) -> str:
        return str(self.drug.currentData() or "")

    def _update_total_line(self) -> None:
        if self._record is None:
            return
        total = self._record.total(self._drug_key())
        if total is None or self._drug_key() == OTHER:
            self.total_line.setText("")
            return
        limits = []
        if total.warning_text:
            limits.append(self.tr("warning {0}").format(total.warning_text))
        if total.maximum_text:
            limits.append(self.tr("max {0}").format(total.maximum_text))
        self.total_line.setText(
            self.tr("Total so far {0}").format(total.total_text)
            + (f"  ({', '.join(limits)})" if limits else "")
        )

    # --- slots --------------------------------------------------------------------------------

    def _on_drug_current_index_changed(self, _index: int) -> None:
        key = self._drug_key()
        self.other_name.setVisible(key == OTHER)
        self.unit.clear()
        total = self._record.total(key) if self._record else None
        chart_unit = total.unit if total and key != OTHER else "mg"
        for u in units_of(unit(chart_unit).dimension):
            if u.code != "ng":
                self.unit.addItem(u.symbol, u.code)
        if key == OTHER:
            self.unit.addItem("mL", "mL")
            self.unit.addItem("IU", "IU")
        self.unit.setCurrentIndex(max(self.unit.findData(chart_unit), 0))
        self.quick.show_total(total if key != OTHER else None)
        self._update_total_line()

    def _on_quick_clicked(self, step: Decimal) -> None:
        """One tap fills the dose; a sedative or an opioid is then shown back to confirm
        (Enter charts it, Escape or a stray tap elsewhere charts nothing)."""
        total = self._record.total(self._drug_key()) if self._record else None
        if total is None:
            return
        self.amount.setText(plain(step))
        self.unit.setCurrentIndex(max(self.unit.findData(total.unit), 0))
        self._give(always_confirm=total.confirm_each_bolus)

    def _on_give_clicked(self) -> None:
        self._give()

    def _give(self, *, always_confirm: bool = False) -> None:
        if self._record is None:
            return
        actor = self._session.active
        self.message.clear_message()
        procedure_id = self._record.procedure_id
        key = self._drug_key()
        amount = self.amount.text()
        unit_code = str(self.unit.currentData())
        other_name = self.other_name.text() if key == OTHER else None
        if actor is None:
            self._not_charted(self.tr("Nobody is signed in: sign in first."))
            return
        uow = self._context.uow
        preview = operations.attempt(
            self._context,
            lambda: sedation.preview_dose(
                uow=uow,
                actor=actor,
                procedure_id=procedure_id,
                drug_key=key,
                amount=amount,
                unit_code=unit_code,
                other_name=other_name,
            ),
            show_error=self._not_charted,
            what=self.tr("The check of the dose"),
        )
        if preview is None:
            return
        confirmed, reason = None, None
        if preview.needs_confirmation or always_confirm:
            ok, reason = self.confirm(self, preview)
            if not ok:
                self.message.warn(self.tr("Not charted."))
                return
            confirmed = preview.dose.nano
        self._pending_dose = (preview.drug_name, preview.text)
        record = self._record_entry(
            sedation.record_dose,
            what=self.tr("The dose of {0} {1}").format(preview.drug_name, preview.text),
            route=self.route.currentText(),
            given_at=self.time.value(),
            confirmed_nano=confirmed,
            limit_reason=reason,
            drug_key=key,
            amount=amount,
            unit_code=unit_code,
            other_name=other_name,
            later=self._dose_charted,
        )
        if record is not None:
            self._dose_charted(record)

    def _dose_charted(self, record: SedationRecord) -> None:
        """The dose went through (at once, or once another program let go of the database)."""
        drug_name, text = self._pending_dose
        self.amount.clear()
        self.time.reset()
        given = record.live_doses[-1] if record.live_doses else None
        latest = max(record.live_doses, key=lambda d: (d.recorded_at, d.id), default=given)
        self.message.ok(self.tr("Charted {0} {1}.").format(drug_name, text))
        self._publish(record)
        if latest is not None and latest.is_reversal:
            self.reversal_given.emit(latest.id)

    def _not_charted(self, text: str) -> None:
        self.message.error(text + " " + self.tr("The dose is NOT charted."))

    def _oxygen_not_charted(self, text: str) -> None:
        self.message.error(text + " " + self.tr("The oxygen is NOT charted."))

    def _on_o2_button_clicked(self) -> None:
        self._chart_oxygen(self.o2.choice(), self.o2.flow.text() or "0")

    def _on_o2_stop_clicked(self) -> None:
        self._chart_oxygen(OxygenDevice.ROOM_AIR, "0")

    def _chart_oxygen(self, device: OxygenDevice, flow: str) -> None:
        """Chart the oxygen now (room air or flow 0: stopped), or late during an amendment."""
        self.message.clear_message()
        # During an amendment oxygen is a late entry too: at the time typed above.
        late = {"started_at": self.time.value()} if self._record and self._record.amending else {}
        record = self._record_entry(
            sedation.record_oxygen,
            what=self.tr("The oxygen entry"),
            show_error=self._oxygen_not_charted,
            device=device.value,
            flow_l_min=flow,
            **late,
            later=self._oxygen_charted,
        )
        if record is not None:
            self._oxygen_charted(record)

    def _oxygen_charted(self, record: SedationRecord) -> None:
        """The oxygen went through (at once, or once another program let go)."""
        saved = max(record.oxygen, key=lambda o: o.id, default=None)
        if saved is None:
            self.message.ok(self.tr("Oxygen charted."))
        elif saved.device is OxygenDevice.ROOM_AIR:
            self.message.ok(
                self.tr("Oxygen stopped at {0}: room air.").format(self.model.hm(saved.started_at))
            )
        else:
            self.message.ok(
                self.tr("Oxygen charted: {0} at {1}.").format(
                    saved.text, self.model.hm(saved.started_at)
                )
            )
        self._publish(record)

    def _on_correct_clicked(self) -> None:
        position = chosen_row(self.table)
        if self._record is None or position is None:
            self.message.warn(self.tr("Select the dose to correct first."))
            return
        dose = self.model.row_at(position)
        if dose.voided:
            self.message.warn(self.tr("A struck-out dose is not corrected."))
            return
        dialog = DoseCorrectionDialog(dose, ROUTES, self._context.clock.zone, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._correct_dose(dialog))
        self.correction_dialog = dialog
        dialog.open()

    def _correct_dose(self, dialog: DoseCorrectionDialog) -> None:
        """Save the corrected dose; a converted unit or a crossed limit is confirmed first."""
        actor, record, dose = self._session.active, self._record, dialog.dose
        changes = dialog.changes()
        if actor is None or record is None:
            return
        if not changes:
            self.message.warn(self.tr("Nothing was changed."))
            return
        confirmed, limit_reason = None, None
        if dialog.amount_changed():
            preview = operations.read(
                self._context,
                sedation.preview_dose,
                actor=actor,
                show_error=self.message.error,
                what=self.what(),
                procedure_id=record.procedure_id,
                drug_key=dose.drug_key,
                amount=changes["amount"],
                unit_code=changes["unit_code"],
                other_name=dose.drug_name if dose.drug_key == OTHER else None,
                exclude_dose_id=dose.id,
            )
            if preview is None:
                return
            if preview.needs_confirmation:
                ok, limit_reason = self.confirm(self, preview)
                if not ok:
                    self.message.warn(self.tr("Not corrected."))
                    return
                confirmed = preview.dose.nano
        self._pending_correction = dose.drug_name
        saved = self._call(
            sedation.correct_dose,
            actor,
            dose_id=dose.id,
            reason=dialog.reason(),
            confirmed_nano=confirmed,
            limit_reason=limit_reason,
            later=self._dose_corrected,
            **changes,
        )
        if saved is not None:
            self._dose_corrected(saved)

    def _dose_corrected(self, record: SedationRecord) -> None:
        """The correction went through (at once, or once another program let go)."""
        self.message.ok(self.tr("Dose of {0} corrected.").format(self._pending_correction))
        self._publish(record)

    def _on_strike_clicked(self) -> None:
        self._strike_selected(
            self.table,
            self.model,
            SedationEntryType.DOSE,
            select_first=self.tr("Select the dose to strike out first."),
            title=self.tr("Strike out dose"),
            question=lambda dose: self.tr("Why is {0} {1} struck out?").format(
                dose.drug_name, dose.text
            ),
        )
