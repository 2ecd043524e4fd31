"""Type the date follow-up counts from, when the procedure is not in SLI Desk's record."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class ProcedureDateDialog(QDialog):
    def __init__(
        self, current: date | None, note: str, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Procedure date for follow-up"))
        explain = QLabel(
            self.tr(
                "Visit windows count from this date (calendar months; a missing day "
                "becomes the month's last day). Use this only when the procedure is not in "
                "SLI Desk's record, and say where the date comes from."
            )
        )
        explain.setWordWrap(True)
        source = QLabel(self.tr("Now: {note}").format(note=note))
        source.setWordWrap(True)
        source.setStyleSheet("color: #6b7280;")
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd MMM yyyy")
        day = current or today
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("For example: procedure on paper, 2025, CRF p. 3"))
        form = QFormLayout()
        form.addRow(self.tr("Procedure &date"), self.date_edit)
        form.addRow(self.tr("&Source / reason"), self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(source)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(480, 230)
        self._connect_signals()
        self._on_reason_textChanged("")

    def _connect_signals(self) -> None:
        self.reason.textChanged.connect(self._on_reason_textChanged)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _on_reason_textChanged(self, text: str) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip()))

    def value(self) -> date:
        q = self.date_edit.date()
        return date(q.year(), q.month(), q.day())
