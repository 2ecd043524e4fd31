"""Recovery: the modified Aldrete score over time and whether the discharge score is met.

Every item of a new assessment starts unanswered: a score is what the nurse observed, never a
default. Saving with an item unanswered is refused, naming the item. Return in any item saves
(as in the vital signs); so does Alt+L.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.sedation.oxygen import OxygenDevice
from slidesk.domain.sedation.recovery import ALDRETE_ITEMS, Aldrete
from slidesk.services.sedation import monitoring as sedation_monitoring
from slidesk.services.sedation.dto import SedationEntryType, SedationRecord
from ui.context import AppContext
from ui.nurse.common import ReturnComboBox, TimeField
from ui.nurse.entry import RecordEntry, entry_table, right_aligned
from ui.nurse.models import RecoveryModel
from ui.session import BedsideSession


class RecoveryEntry(RecordEntry):
    """Aldrete assessments over time and the discharge score."""

    def __init__(
        self, context: AppContext, session: BedsideSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, session, parent)
        self.items: dict[str, QComboBox] = {}
        form = QFormLayout()
        self.labels: dict[str, str] = {}
        for key, label, texts in ALDRETE_ITEMS:
            combo = ReturnComboBox()
            combo.return_pressed.connect(self._on_save_clicked)  # Return saves, as in vitals
            for score in (2, 1, 0):
                combo.addItem(f"{score} — {texts[score]}", score)
            combo.setPlaceholderText(self.tr("— not scored —"))
            combo.setCurrentIndex(-1)
            combo.currentIndexChanged.connect(self._on_item_current_index_changed)
            self.items[key] = combo
            self.labels[key] = label
            form.addRow(label, combo)
        self.time = TimeField(context.clock)
        form.addRow(self.tr("Time"), self.time)
        self.total = QLabel()
        font = QFont(self.total.font())
        font.setBold(True)
        self.total.setFont(font)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.oxygen_note = QLabel()  # SpO2 "on room air" while oxygen is charted
        self.oxygen_note.setWordWrap(True)
        self.oxygen_note.setStyleSheet(
            "color: #7a4b00; background: #fff4d6; padding: 4px 6px; border-radius: 3px;"
        )
        self.oxygen_note.hide()
        self.save = QPushButton(self.tr("Save A&ldrete"))
        self.model = RecoveryModel(context.clock.zone, self)
        self.table = entry_table(self.model, fill=True, select_rows=False)
        self.strike = QPushButton(self.tr("Strike out selected score…"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.total, 1)
        row.addWidget(self.save)
        layout.addLayout(row)
        layout.addWidget(self.oxygen_note)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(right_aligned(self.strike))
        self._connect_signals()
        self.message.follow(self)
        self._on_item_current_index_changed(0)

    def _connect_signals(self) -> None:
        self.save.clicked.connect(self._on_save_clicked)
        self.strike.clicked.connect(self._on_strike_clicked)

    def _unscored(self) -> list[str]:
        """The items not yet answered, by their labels, in the form's order."""
        return [self.labels[key] for key, combo in self.items.items() if combo.currentIndex() < 0]

    def _scores(self) -> Aldrete | None:
        """The assessment as answered; None while an item is unanswered."""
        if self._unscored():
            return None
        return Aldrete(**{key: int(combo.currentData()) for key, combo in self.items.items()})

    def clear_scores(self) -> None:
        """Every item unanswered again (a new assessment starts from nothing)."""
        for combo in self.items.values():
            combo.setCurrentIndex(-1)
        self._on_item_current_index_changed(-1)

    def _show_oxygen_note(self) -> None:
        """Warn at once when SpO2 is scored 2 ('on room air') while oxygen is charted; the
        service refuses to save it."""
        oxygen = self._record.current_oxygen if self._record else None
        running = oxygen is not None and oxygen.device is not OxygenDevice.ROOM_AIR
        if running and oxygen is not None and self.items["spo2"].currentData() == 2:
            self.oxygen_note.setText(
                self.tr(
                    "⚠ Oxygen is charted ({0}), but SpO2 2 means > 92 % on room air. Chart "
                    "'Stop O₂' on the Medication tab if it was stopped, or score SpO2 1."
                ).format(oxygen.text)
            )
            self.oxygen_note.show()
        else:
            self.oxygen_note.hide()

    def _on_item_current_index_changed(self, _index: int) -> None:
        self._show_oxygen_note()
        threshold = self._record.discharge_aldrete_min if self._record else 9
        scores = self._scores()
        if scores is None:
            answered = len(self.items) - len(self._unscored())
            self.total.setText(
                self.tr("Total —/10 ({0} of {1} items scored)").format(answered, len(self.items))
            )
            return
        total = scores.total
        met = self.tr("meets") if total >= threshold else self.tr("below")
        self.total.setText(
            self.tr("Total {0}/10 — {1} the discharge score ≥ {2}").format(total, met, threshold)
        )

    def what(self) -> str:
        return self.tr("The recovery score")

    def show_record(self, record: SedationRecord | None) -> None:
        if (
            record is None
            or self._record is None
            or record.procedure_id != self._record.procedure_id
        ):
            for combo in self.items.values():  # another patient: nothing carries over
                combo.setCurrentIndex(-1)
        self._record = record
        self.model.set_rows(tuple(reversed(record.recovery)) if record else ())
        if record is None:
            return
        self.save.setEnabled(record.editable)
        self.strike.setEnabled(record.editable)
        latest = record.latest_recovery
        last_dose = self.model.hm(record.last_dose_at) if record.last_dose_at else self.tr("none")
        if latest is None:
            text = self.tr("No recovery score yet. Last sedative dose: {0}.").format(last_dose)
            style = "color: #374151;"
        elif latest.meets_threshold:
            text = self.tr("Discharge score MET: Aldrete {0}/10 at {1} (≥ {2}).").format(
                latest.total, self.model.hm(latest.assessed_at), record.discharge_aldrete_min
            )
            style = "color: #1d6b3a; font-weight: bold;"
        else:
            text = self.tr("Discharge score NOT met: Aldrete {0}/10 at {1} (needs ≥ {2}).").format(
                latest.total, self.model.hm(latest.assessed_at), record.discharge_aldrete_min
            )
            style = "color: #7a4b00; font-weight: bold;"
        self.status.setText(text)
        self.status.setStyleSheet(style)
        self._on_item_current_index_changed(0)

    def _on_save_clicked(self) -> None:
        unscored = self._unscored()
        scores = self._scores()
        if scores is None:
            self.message.error(
                self.tr("Not saved: score every item first — {0} not scored.").format(
                    ", ".join(unscored)
                )
            )
            first = next(combo for combo in self.items.values() if combo.currentIndex() < 0)
            first.setFocus()
            return
        self.message.clear_message()
        record = self._record_entry(
            sedation_monitoring.record_recovery,
            scores=scores,
            assessed_at=self.time.value(),
            later=self._saved,
        )
        if record is not None:
            self._saved(record)

    def _saved(self, record: SedationRecord) -> None:
        """The score went through (at once, or once another program let go)."""
        latest = max(record.recovery, key=lambda r: r.id, default=None)
        self.time.reset()
        total = str(latest.total) if latest is not None else ""
        self.message.ok(self.tr("Aldrete score saved: {0}/10.").format(total))
        self._publish(record)
        self.clear_scores()

    def _on_strike_clicked(self) -> None:
        self._strike_selected(
            self.table,
            self.model,
            SedationEntryType.RECOVERY,
            select_first=self.tr("Select the score to strike out first."),
            title=self.tr("Strike out recovery score"),
            question=lambda score: self.tr("Why is Aldrete {0}/10 at {1} struck out?").format(
                score.total, self.model.hm(score.assessed_at)
            ),
        )
