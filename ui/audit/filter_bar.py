"""The audit viewer's filters: subject, procedure, user, kind of change, date range, order."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from slidesk.services.audit.trail import AuditFilter

# Friendly names for the families of event types (the part before the dot).
FAMILIES = {
    "auth.": "Sign-in and lockout",
    "session.": "Bedside session (lock, unlock, typist, sign-out)",
    "user.": "User accounts and roles",
    "subject.": "Subjects",
    "procedure.": "Procedures",
    "site.": "Injection sites",
    "export.": "Exports",
}


class AuditFilterBar(QWidget):
    """Typed filters; nothing is read until Apply is pressed (the dialog's default: Enter)."""

    applied = Signal()
    """The person asked to show the trail with the current filters."""

    def __init__(self, today: date, zone: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self.subject = QLineEdit()
        self.subject.setPlaceholderText(self.tr("Study ID, e.g. SAIL-01-004"))
        self.subject.setMaxLength(40)
        self.procedure = QLineEdit()
        self.procedure.setPlaceholderText(self.tr("Number"))
        self.procedure.setValidator(QIntValidator(1, 2_000_000_000, self))
        self.procedure.setMaximumWidth(90)
        self.user = QComboBox()
        self.user.setEditable(True)
        self.user.setMinimumWidth(150)
        self.user.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        user_edit = self.user.lineEdit()
        assert user_edit is not None  # an editable combo box has its line edit
        user_edit.setPlaceholderText(self.tr("Any user"))
        user_edit.setMaxLength(64)
        self.kind = QComboBox()
        self.kind.setMinimumWidth(240)
        self.use_since = QCheckBox(self.tr("&From"))
        self.since = QDateEdit(QDate(today.year, today.month, today.day))
        self.use_until = QCheckBox(self.tr("&To"))
        self.until = QDateEdit(QDate(today.year, today.month, today.day))
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.oldest_first = QCheckBox(self.tr("&Oldest first"))
        self.apply_button = QPushButton(self.tr("&Apply"))
        self.apply_button.setMinimumWidth(110)
        self.apply_button.setToolTip(self.tr("Show the trail with these filters (Enter)"))
        self.clear_button = QPushButton(self.tr("&Clear"))
        self.clear_button.setAutoDefault(False)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        labels = (
            (self.tr("&Subject:"), self.subject),
            (self.tr("&Procedure:"), self.procedure),
            (self.tr("&User:"), self.user),
            (self.tr("&Kind:"), self.kind),
        )
        for col, (text, field) in enumerate(labels):
            label = QLabel(text)
            label.setBuddy(field)
            grid.addWidget(label, 0, col * 2)
            grid.addWidget(field, 0, col * 2 + 1)
        grid.addWidget(self.use_since, 1, 0)
        grid.addWidget(self.since, 1, 1)
        grid.addWidget(self.use_until, 1, 2)
        grid.addWidget(self.until, 1, 3)
        actions = QHBoxLayout()
        actions.addWidget(self.oldest_first)
        actions.addStretch(1)
        actions.addWidget(self.clear_button)
        actions.addWidget(self.apply_button)
        grid.addLayout(actions, 1, 4, 1, 4)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(5, 1)
        grid.setColumnStretch(7, 2)
        self.set_kinds(())
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.use_since.toggled.connect(self.since.setEnabled)
        self.use_until.toggled.connect(self.until.setEnabled)
        self.apply_button.clicked.connect(self.applied)
        self.clear_button.clicked.connect(self._on_clear_button_clicked)
        self.oldest_first.toggled.connect(self._on_oldest_first_toggled)

    def set_users(self, usernames: list[str]) -> None:
        current = self.user.currentText()
        self.user.clear()
        self.user.addItem("")
        self.user.addItems(usernames)
        self.user.setCurrentText(current)

    def set_kinds(self, event_types: tuple[str, ...]) -> None:
        """Families first ('site.' = every site change), then each exact kind present."""
        self.kind.clear()
        self.kind.addItem(self.tr("All kinds"), "")
        present = {t.split(".", 1)[0] + "." for t in event_types}
        for prefix, label in FAMILIES.items():
            if prefix in present or not event_types:
                self.kind.addItem(self.tr(label), prefix)
        for event_type in event_types:
            self.kind.addItem(f"   {event_type}", event_type)

    def set_kind(self, prefix: str) -> None:
        index = self.kind.findData(prefix)
        if index < 0:
            self.kind.addItem(prefix, prefix)
            index = self.kind.count() - 1
        self.kind.setCurrentIndex(index)

    def build(self, *, entity: str | None, entity_id: str | None) -> AuditFilter:
        procedure = self.procedure.text().strip()
        return AuditFilter(
            study_id=self.subject.text().strip() or None,
            procedure_id=int(procedure) if procedure.isdigit() else None,
            username=self.user.currentText().strip() or None,
            since=_local_midnight(self.since.date(), self._zone)
            if self.use_since.isChecked()
            else None,
            until=(
                _local_midnight(self.until.date(), self._zone) + timedelta(days=1)
                if self.use_until.isChecked()
                else None
            ),
            event_prefix=self.kind.currentData() or None,
            entity=entity,
            entity_id=entity_id,
            newest_first=not self.oldest_first.isChecked(),
        )

    def _on_clear_button_clicked(self) -> None:
        self.subject.clear()
        self.procedure.clear()
        self.user.setCurrentText("")
        self.kind.setCurrentIndex(0)
        self.use_since.setChecked(False)
        self.use_until.setChecked(False)
        self.applied.emit()

    def _on_oldest_first_toggled(self, _checked: bool) -> None:
        self.applied.emit()


def _local_midnight(day: QDate, zone: tzinfo) -> datetime:
    """The start of a calendar day in the site's time zone, as an aware time."""
    return datetime.combine(date(day.year(), day.month(), day.day()), time(0), tzinfo=zone)
