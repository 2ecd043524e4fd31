"""Questionnaire sections of the visit form, in transcription mode (answers from paper).

EQ-5D-5L: only dimension names and levels 1–5 are shown (the licensed wording is not); the
utility index is left to analysis. RAND-36: item numbers, a short topic and the answer code,
with RAND's scale scores computed live.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

from slidesk.domain.followup.model import EQ5D_LABELS, Eq5d, Item, VisitEntry
from slidesk.domain.followup.rand36 import ITEM_COUNT, ITEM_TOPICS, ScaleScore, options
from ui.followup.form_fields import ChoiceBox, ItemRow, OptionalSpin, watch
from ui.followup.form_sections import Section

EQ5D_INDEX_NOTE = (
    "The EQ-5D-5L index (Dutch value set, Versteegh et al. 2016) is not computed here: its "
    "coefficients could not be verified against the publication. The levels and EQ VAS are "
    "stored as ticked; the index is computed in the statistical analysis."
)


class Eq5dSection(Section):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("EQ-5D-5L (transcribe from the paper form)", parent)
        self.levels = [ChoiceBox((str(n), n) for n in range(1, 6)) for _ in EQ5D_LABELS]
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        for column, (label, box) in enumerate(zip(EQ5D_LABELS, self.levels, strict=True)):
            box.setAccessibleName(f"EQ-5D-5L {label}, level 1 to 5")
            grid.addWidget(QLabel(label), 0, column)
            grid.addWidget(box, 1, column)
        self.vas = OptionalSpin(0, 100)
        self.vas.setAccessibleName("EQ VAS 0 to 100")
        grid.addWidget(QLabel("EQ VAS"), 0, len(EQ5D_LABELS))
        grid.addWidget(self.vas, 1, len(EQ5D_LABELS))
        self.version = QLineEdit()
        self.version.setMinimumWidth(320)
        self.version.setAccessibleName("EQ-5D-5L version")
        self.item_row(Item.EQ5D, "Levels (1 best – 5 worst)", grid_host)
        self.form.addRow("Version", self.version)
        note = QLabel(EQ5D_INDEX_NOTE)
        note.setWordWrap(True)
        note.setMinimumWidth(700)
        note.setStyleSheet("color: #6b7280;")
        self.form.addRow("", note)
        for box in self.levels:
            watch(box, self.changed.emit)
        watch(self.vas, self.changed.emit)
        watch(self.version, self.changed.emit)

    def load(self, entry: VisitEntry, default_version: str) -> None:
        levels = entry.eq5d.levels if entry.eq5d else (None,) * len(EQ5D_LABELS)
        for box, level in zip(self.levels, levels, strict=True):
            box.set_choice(level)
        self.vas.set_number(entry.eq5d.vas if entry.eq5d else None)
        self.version.setText(entry.eq5d_version or default_version)
        self.load_codes(entry)

    def values(self) -> dict[str, Any]:
        if self.rows[Item.EQ5D].code() is not None:
            return {"eq5d": None, "eq5d_version": None}
        eq5d = Eq5d(tuple(box.choice() for box in self.levels), self.vas.number())
        answered = eq5d.answered
        return {
            "eq5d": eq5d if answered else None,
            "eq5d_version": self.version.text().strip() or None if answered else None,
        }


class Rand36Section(Section):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("RAND-36 (transcribe the answer codes from the paper form)", parent)
        self.answers = [
            ChoiceBox((str(n), n) for n in range(1, options(item) + 1))
            for item in range(1, ITEM_COUNT + 1)
        ]
        host = QWidget()
        grid = QGridLayout(host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        per_column = 12
        for index, box in enumerate(self.answers):
            item = index + 1
            box.setAccessibleName(f"RAND-36 item {item}: {ITEM_TOPICS[index]}")
            box.setToolTip(f"Answers 1–{options(item)} as on the paper form")
            label = QLabel(f"<b>{item}</b> {ITEM_TOPICS[index]}")
            column, row = divmod(index, per_column)
            grid.addWidget(label, row, column * 2)
            grid.addWidget(box, row, column * 2 + 1)
            watch(box, self.changed.emit)
        self.version = QLineEdit()
        self.version.setMinimumWidth(320)
        self.version.setAccessibleName("RAND-36 version")
        watch(self.version, self.changed.emit)
        self.item_row(Item.RAND36, "Questionnaire", QLabel("36 items, blank = not answered"))
        self.form.addRow(host)
        self.form.addRow("Version", self.version)
        self.scores = QLabel()
        self.scores.setWordWrap(True)
        self.scores.setMinimumWidth(1000)
        self.form.addRow("Scale scores", self.scores)
        self.rows[Item.RAND36].picker.code_changed.connect(self._on_picker_code_changed)

    def _on_picker_code_changed(self, code: object) -> None:
        for box in self.answers:
            if code is not None:
                box.setCurrentIndex(0)
            box.setEnabled(code is None)

    def load(self, entry: VisitEntry, default_version: str) -> None:
        answers = entry.rand36 or (None,) * ITEM_COUNT
        for box, answer in zip(self.answers, answers, strict=True):
            box.set_choice(answer)
        self.version.setText(entry.rand36_version or default_version)
        self.load_codes(entry)

    def values(self) -> dict[str, Any]:
        if self.rows[Item.RAND36].code() is not None:
            return {"rand36": None, "rand36_version": None}
        answers = tuple(box.choice() for box in self.answers)
        answered = any(a is not None for a in answers)
        return {
            "rand36": answers if answered else None,
            "rand36_version": self.version.text().strip() or None if answered else None,
        }

    def show_scores(self, scores: tuple[ScaleScore, ...] | None) -> None:
        if not scores:
            self.scores.setText("<span style='color:#6b7280'>No answers yet.</span>")
            return
        cells = [
            f"<td style='padding-right:18px'>{s.scale.label}: <b>"
            f"{format(s.score, 'f') if s.score is not None else '—'}</b>"
            f" <span style='color:#6b7280'>({s.answered}/{s.items})</span></td>"
            for s in scores
        ]
        rows = "".join(f"<tr>{''.join(cells[i : i + 4])}</tr>" for i in range(0, len(cells), 4))
        self.scores.setText(
            f"<table>{rows}</table><span style='color:#6b7280'>RAND 36-Item Health Survey 1.0 "
            "scoring (0–100, higher is better); blank items are left out.</span>"
        )


__all__ = ["EQ5D_INDEX_NOTE", "Eq5dSection", "ItemRow", "Rand36Section"]
