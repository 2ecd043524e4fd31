"""Correct a charted dose: amount (with its unit), route, the time it was given, and why.

The saved values stay in the audit trail with the reason. Opened with `open()` (window-modal,
non-blocking); the medication tab reads `changes()` and `reason()` when it is accepted. Every
field is reachable by Tab; Enter saves, or says that the reason is still missing. Qt only;
DTOs in, values out.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TypedDict

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.sedation.doses import plain, unit, units_of
from slidesk.services.sedation.dto import DoseView
from ui.common.fields import OneStopTimeEdit
from ui.common.timefmt import local_hm
from ui.nurse.common import MessageLine


class DoseChanges(TypedDict, total=False):
    """What differs from the charted dose: the keyword arguments of `sedation.correct_dose`."""

    amount: str
    unit_code: str
    route: str
    given_at: datetime


class DoseCorrectionDialog(QDialog):
    """The new values of one dose and the reason for the change."""

    def __init__(
        self,
        dose: DoseView,
        routes: tuple[str, ...],
        zone: tzinfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.dose = dose
        self.setWindowTitle(self.tr("Correct dose"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        what = QLabel(
            self.tr("%1 %2 %3 at %4, charted by %5.")
            .replace("%1", dose.drug_name)
            .replace("%2", dose.text)
            .replace("%3", dose.route)
            .replace("%4", local_hm(dose.given_at, zone))
            .replace("%5", dose.recorder.full_name)
        )
        what.setWordWrap(True)
        layout.addWidget(what)
        note = QLabel(
            self.tr(
                "The saved values stay in the audit trail with your reason; only what you "
                "change is corrected."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self._amount = plain(dose.dose.amount_in(dose.unit))
        self.amount = QLineEdit(self._amount)
        self.amount.setMaximumWidth(110)
        self.unit = QComboBox()
        for u in units_of(unit(dose.unit).dimension):
            if u.code != "ng":
                self.unit.addItem(u.symbol, u.code)
        self.unit.setCurrentIndex(max(self.unit.findData(dose.unit), 0))
        self.route = QComboBox()
        self.route.addItems(list(routes))
        self.route.setCurrentIndex(max(self.route.findText(dose.route), 0))
        # The time on the dose's own day (site-local); the entry time stays the clock's.
        self._given = dose.given_at.astimezone(zone)
        self.time = OneStopTimeEdit(QTime(self._given.hour, self._given.minute))
        self.time.setDisplayFormat("HH:mm")
        self.reason_field = QLineEdit()
        self.reason_field.setPlaceholderText(self.tr("Why is this corrected? (required)"))
        amount_row = QHBoxLayout()
        amount_row.addWidget(self.amount)
        amount_row.addWidget(self.unit)
        amount_row.addStretch(1)
        form = QFormLayout()
        amount_label = QLabel(self.tr("&Amount:"))
        amount_label.setBuddy(self.amount)  # a row of two fields has no buddy of its own
        form.addRow(amount_label, amount_row)
        form.addRow(self.tr("R&oute:"), self.route)
        form.addRow(self.tr("&Time given:"), self.time)
        form.addRow(self.tr("&Reason for change:"), self.reason_field)
        layout.addLayout(form)
        self.message = MessageLine()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Save correction"))
        layout.addWidget(self.buttons)
        self._connect_signals()
        self.message.follow(self)
        self.amount.setFocus(Qt.FocusReason.OtherFocusReason)
        self.amount.selectAll()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _on_buttons_accepted(self) -> None:
        """Save stays pressable: without a reason it says what is missing, saves nothing."""
        if not self.reason():
            self.message.error(
                self.tr("Give the reason for the correction. Nothing is corrected yet.")
            )
            self.reason_field.setFocus()
            return
        self.accept()

    def reason(self) -> str:
        return self.reason_field.text().strip()

    def amount_changed(self) -> bool:
        return (
            self.amount.text().strip() != self._amount
            or str(self.unit.currentData()) != self.dose.unit
        )

    def changes(self) -> DoseChanges:
        """Only what differs from the charted dose (for `sedation.correct_dose`)."""
        values: DoseChanges = {}
        if self.amount_changed():
            values["amount"] = self.amount.text().strip()
            values["unit_code"] = str(self.unit.currentData())
        if self.route.currentText() != self.dose.route:
            values["route"] = self.route.currentText()
        typed = self.time.time()
        if (typed.hour(), typed.minute()) != (self._given.hour, self._given.minute):
            values["given_at"] = self._given_at(typed)
        return values

    def _given_at(self, typed: QTime) -> datetime:
        return self._given.replace(
            hour=typed.hour(), minute=typed.minute(), second=0, microsecond=0
        )
