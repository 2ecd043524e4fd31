"""A finding at a site added during an amendment: a late entry, with the time it was seen.

While an amendment is open nothing is recorded as happening "now" (see
`slidesk.domain.procedure.amendments`): a finding forgotten at the bedside is added with its real
time,
typed here (time first; the date is the injection's), and a note ('other' needs one). Opened
with `open()`; the entry panel reads `observed_at()` and `note()` when it is accepted. Qt only.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from slidesk.services.dto import EntryView
from ui.common.fields import OneStopDateTimeEdit
from ui.common.timefmt import from_site_wall_clock, local_hm, site_wall_clock


class LateFindingDialog(QDialog):
    """When the finding was seen at the site, and a note."""

    def __init__(
        self,
        entry: EntryView,
        flag: str,
        zone: tzinfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._zone = zone
        self._flag = flag
        self.setWindowTitle(
            self.tr("Finding at site %1 (late entry)").replace("%1", str(entry.site_no))
        )
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Amendment open: “%1” at site %2 (injected %3) is added as a late entry. "
                "Give the time it was seen."
            )
            .replace("%1", flag)
            .replace("%2", str(entry.site_no))
            .replace("%3", local_hm(entry.performed_at, zone))
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        # Whole minutes, as shown: no hidden seconds of the injection time are kept.
        injected = entry.performed_at.replace(second=0, microsecond=0)
        self.seen = OneStopDateTimeEdit(site_wall_clock(injected, zone))
        self.seen.setDisplayFormat("HH:mm  dd MMM yyyy")
        self.note_field = QLineEdit()
        self.note_field.setMaxLength(500)
        self.note_field.setPlaceholderText(
            self.tr("Describe the finding (required)")
            if flag == "other"
            else self.tr("Note (optional)")
        )
        form = QFormLayout()
        form.addRow(self.tr("&Seen at:"), self.seen)
        form.addRow(self.tr("&Note:"), self.note_field)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Record the finding")
        )
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.note_field.textChanged.connect(self._on_note_field_text_changed)
        self._on_note_field_text_changed("")
        self.seen.setFocus(Qt.FocusReason.OtherFocusReason)

    def _ready(self) -> bool:
        return self._flag != "other" or bool(self.note())

    def _on_note_field_text_changed(self, _text: str) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self._ready())

    def _on_buttons_accepted(self) -> None:
        if self._ready():
            self.accept()

    def observed_at(self) -> datetime:
        """The time typed, read on the site's wall clock, as an aware UTC time."""
        return from_site_wall_clock(self.seen.dateTime(), self._zone)

    def note(self) -> str:
        return self.note_field.text().strip()
