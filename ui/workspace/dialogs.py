"""Small non-blocking dialogs of the workspace: a reason, a skip, a correction of an entry.

They are opened with `open()` (window-modal, the event loop keeps running) and report through
`accepted`; the caller reads the values afterwards. Every field is reachable by keyboard and
Enter accepts once the required text is there.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.procedure.model import SkipReason
from slidesk.services.dto import EntryView, SiteView
from slidesk.services.procedure.dto_workspace import SiteFlagView
from ui.common.fields import OneStopTimeEdit
from ui.common.text_warning import IdentifyingTextWarning
from ui.common.timefmt import local_hm


class ReasonDialog(QDialog):
    """Asks for a reason (required): a preset or free text."""

    def __init__(
        self,
        title: str,
        message: str,
        presets: Sequence[str] = (),
        *,
        ok_text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        text = QLabel(message)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.addItems(list(presets))
        self.combo.setCurrentIndex(-1)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.combo.lineEdit()
        assert line is not None
        line.setPlaceholderText(self.tr("Type the reason or choose one"))
        label = QLabel(self.tr("&Reason:"))
        label.setBuddy(self.combo)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        self.warning = IdentifyingTextWarning(line, self.tr("The reason"))
        layout.addWidget(self.warning)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        if ok_text:
            ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
            ok.setText(ok_text)
        layout.addWidget(self.buttons)
        self._connect_signals()
        self._on_text_changed(self.combo.currentText())
        self.combo.setFocus()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.combo.currentTextChanged.connect(self._on_text_changed)

    def _on_text_changed(self, text: str) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(text.strip()))

    def _on_buttons_accepted(self) -> None:
        if self.reason():
            self.accept()

    def reason(self) -> str:
        return self.combo.currentText().strip()


# The reasons are chosen by keyboard: the focused one must be plain to see (Qt draws no focus
# frame until Tab has been pressed once). The border is always there, transparent, so that
# focus does not shift the text.
_REASON_STYLE = (
    "QRadioButton { padding:3px; border:2px solid transparent; border-radius:4px; }"
    " QRadioButton:focus { border-color:#0072B2; background:#DCEBF7; }"
)


class SkipDialog(QDialog):
    """Why a site is not injected: a reason from the protocol's list plus free text.

    The reasons are numbered: a plain digit (or Alt+digit) chooses one, as does a click, and
    the details field then takes the keyboard. The dialog is modal, so these digits never reach
    the workspace's Alt+1… site flags.
    """

    def __init__(self, site: SiteView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Skip site %1").replace("%1", str(site.number)))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.intro = QLabel(
            self.tr("Site %1 (%2, %3) will not be injected. Why?")
            .replace("%1", str(site.number))
            .replace("%2", site.label)
            .replace("%3", site.muscle)
        )
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.group = QButtonGroup(self)
        for i, reason in enumerate(SkipReason, start=1):
            button = QRadioButton(f"&{i}  {reason.label}")
            button.setProperty("reason", reason.value)
            button.setStyleSheet(_REASON_STYLE)
            self.group.addButton(button, i)
            layout.addWidget(button)
        self.detail = QLineEdit()
        self.detail.setPlaceholderText(self.tr("Details (required for 'Other')"))
        self.detail.setMaxLength(500)
        layout.addWidget(self.detail)
        self.detail_warning = IdentifyingTextWarning(self.detail, self.tr("The skip detail"))
        layout.addWidget(self.detail_warning)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Skip site"))
        layout.addWidget(self.buttons)
        self._connect_signals()
        self._update()
        self.group.button(1).setFocus(Qt.FocusReason.OtherFocusReason)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.group.idClicked.connect(self._on_group_id_clicked)
        self.detail.textChanged.connect(self._on_detail_text_changed)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Digits typed into the details field stay there; they reach the dialog from a reason
        # or a button only.
        button = self.group.button(event.key() - Qt.Key.Key_0)
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if button is not None and modifiers == Qt.KeyboardModifier.NoModifier:
            button.click()
            return
        super().keyPressEvent(event)

    def _on_group_id_clicked(self, _id: int) -> None:
        self._update()
        self.detail.setFocus()

    def _on_detail_text_changed(self, _text: str) -> None:
        self._update()

    def _update(self) -> None:
        reason = self.reason()
        ok = reason is not None and (reason is not SkipReason.OTHER or bool(self.detail_text()))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def _on_buttons_accepted(self) -> None:
        if self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled():
            self.accept()

    def choose(self, reason: SkipReason) -> None:
        for button in self.group.buttons():
            if button.property("reason") == reason.value:
                button.setChecked(True)
        self._update()

    def reason(self) -> SkipReason | None:
        button = self.group.checkedButton()
        return SkipReason(button.property("reason")) if button is not None else None

    def detail_text(self) -> str:
        return self.detail.text().strip()


class CorrectionDialog(QDialog):
    """Change a saved injection: the new values and the reason for the change."""

    def __init__(
        self,
        site: SiteView,
        entry: EntryView,
        zone: tzinfo,
        parent: QWidget | None = None,
        *,
        findings: Sequence[SiteFlagView] = (),
    ) -> None:
        super().__init__(parent)
        self.entry = entry
        self.setWindowTitle(self.tr("Correct site %1").replace("%1", str(site.number)))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        note = QLabel(
            self.tr(
                "The saved values stay in the audit trail with your reason; only what you "
                "change is corrected."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.depth_field = QLineEdit(str(entry.depth.mm) if entry.depth else "")
        self.volume = QLineEdit(str(entry.volume.ml) if entry.volume else "")
        self.syringe = QLineEdit(entry.syringe_label or "")
        self.deviation = QLineEdit(entry.deviation_reason or "")
        # The time the injection was given (site-local); the entry time stays the clock's.
        self._given = entry.performed_at.astimezone(zone)
        self.time = OneStopTimeEdit(QTime(self._given.hour, self._given.minute))
        self.time.setDisplayFormat("HH:mm")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Why is this corrected? (required)"))
        form.addRow(self.tr("&Depth (mm):"), self.depth_field)
        form.addRow(self.tr("&Volume (mL):"), self.volume)
        form.addRow(self.tr("S&yringe:"), self.syringe)
        form.addRow(self.tr("&Time given:"), self.time)
        form.addRow(self.tr("D&eviation reason:"), self.deviation)
        self.deviation_warning = IdentifyingTextWarning(
            self.deviation, self.tr("The deviation reason")
        )
        form.addRow("", self.deviation_warning)
        # A finding recorded at this site by mistake is withdrawn with the same reason.
        self.findings: list[tuple[QCheckBox, SiteFlagView]] = []
        for finding in findings:
            said = f" — {finding.note}" if finding.note else ""
            box = QCheckBox(
                self.tr("Withdraw the finding “%1%2” (%3)")
                .replace("%1", finding.flag)
                .replace("%2", said)
                .replace("%3", local_hm(finding.observed_at, zone))
            )
            self.findings.append((box, finding))
            form.addRow(self.tr("Finding:") if len(self.findings) == 1 else "", box)
        form.addRow(self.tr("&Reason for change:"), self.reason)
        self.reason_warning = IdentifyingTextWarning(self.reason, self.tr("The reason for change"))
        form.addRow("", self.reason_warning)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Save correction"))
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._on_reason_text_changed)
        self._on_reason_text_changed("")
        self.depth_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_reason_text_changed(self, text: str) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip()))

    def _on_buttons_accepted(self) -> None:
        if self.reason.text().strip():
            self.accept()

    def changes(self) -> dict[str, object]:
        """Only the fields that differ from the saved entry (for correct_entry)."""
        entry = self.entry
        values: dict[str, object] = {}
        if self.depth_field.text().strip() != (str(entry.depth.mm) if entry.depth else ""):
            values["depth_mm"] = self.depth_field.text().strip()
        if self.volume.text().strip() != (str(entry.volume.ml) if entry.volume else ""):
            values["volume_ml"] = self.volume.text().strip()
        if self.syringe.text().strip().upper() != (entry.syringe_label or ""):
            values["syringe"] = self.syringe.text().strip()
        if self.deviation.text().strip() != (entry.deviation_reason or ""):
            values["deviation_reason"] = self.deviation.text().strip()
        typed = self.time.time()
        if (typed.hour(), typed.minute()) != (self._given.hour, self._given.minute):
            values["performed_at"] = self._given.replace(
                hour=typed.hour(), minute=typed.minute(), second=0, microsecond=0
            )
        return values

    def withdrawn(self) -> tuple[int, ...]:
        """The findings ticked to be withdrawn (their ids)."""
        return tuple(finding.id for box, finding in self.findings if box.isChecked())


class SkipCorrectionDialog(SkipDialog):
    """Correct why (or when) a site was skipped, with the reason for the change.

    The skip stays a skip: a site that was in fact injected is recorded while the procedure is
    in progress (undo the skip, then record it); after completion it cannot be added.
    """

    def __init__(
        self, site: SiteView, entry: EntryView, zone: tzinfo, parent: QWidget | None = None
    ) -> None:
        self.change_reason = QLineEdit()
        super().__init__(site, parent)
        self.entry = entry
        self.setWindowTitle(self.tr("Correct the skip of site %1").replace("%1", str(site.number)))
        self.intro.setText(
            self.tr(
                "Site %1 (%2, %3) was skipped. Correct the reason or its explanation; the "
                "saved values stay in the audit trail with your reason."
            )
            .replace("%1", str(site.number))
            .replace("%2", site.label)
            .replace("%3", site.muscle)
        )
        if entry.skip_reason is not None:
            self.choose(entry.skip_reason)
        self.detail.setText(entry.skip_detail or "")
        self._done = entry.performed_at.astimezone(zone)
        self.time = OneStopTimeEdit(QTime(self._done.hour, self._done.minute))
        self.time.setDisplayFormat("HH:mm")
        self.change_reason.setPlaceholderText(self.tr("Why is this corrected? (required)"))
        form = QFormLayout()
        form.addRow(self.tr("&Time skipped:"), self.time)
        form.addRow(self.tr("&Reason for change:"), self.change_reason)
        self.change_reason_warning = IdentifyingTextWarning(
            self.change_reason, self.tr("The reason for change")
        )
        form.addRow("", self.change_reason_warning)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(layout.indexOf(self.buttons), form)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Save correction"))
        self.change_reason.textChanged.connect(self._on_change_reason_text_changed)
        self._update()

    def _on_change_reason_text_changed(self, _text: str) -> None:
        self._update()

    def _update(self) -> None:
        super()._update()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(ok.isEnabled() and bool(self.change_reason.text().strip()))

    def changes(self) -> dict[str, object]:
        """Only what differs from the saved skip (for correct_skip)."""
        entry = self.entry
        values: dict[str, object] = {}
        reason = self.reason()
        if reason is not None and reason is not entry.skip_reason:
            values["skip_reason"] = reason
        if self.detail_text() != (entry.skip_detail or ""):
            values["skip_detail"] = self.detail_text()
        typed = self.time.time()
        if (typed.hour(), typed.minute()) != (self._done.hour, self._done.minute):
            values["performed_at"] = self._done.replace(
                hour=typed.hour(), minute=typed.minute(), second=0, microsecond=0
            )
        return values
