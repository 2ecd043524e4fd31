"""The therapy-success verdict of one visit, with the reason for each criterion A–D, plainly."""

from __future__ import annotations

import json
from datetime import tzinfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.followup.visit_order import time_point_label
from slidesk.outcomes import Criterion
from slidesk.services.followup.dto import VerdictView
from ui.common.timefmt import local_with_offset
from ui.followup.common import (
    CRITERION_MARKS,
    CRITERION_WORDS,
    ERROR_FG,
    OK_FG,
    VERDICT_COLOURS,
    WARN_FG,
)

_MARK_COLOURS = {Criterion.MET: OK_FG, Criterion.NOT_MET: ERROR_FG, Criterion.UNKNOWN: WARN_FG}


class VerdictPanel(QFrame):
    """Shows a stored verdict; `set_verdict(None, …)` explains why there is none."""

    def __init__(self, zone: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("verdictPanel")
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.badge = QLabel()
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #6b7280;")
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(3, 1)
        self.footer = QLabel()
        self.footer.setStyleSheet("color: #6b7280;")
        self.footer.setWordWrap(True)
        self.inputs_button = QPushButton(self.tr("Show &inputs"))
        self.inputs_button.setCheckable(True)
        self.inputs_button.setToolTip(self.tr("The recorded inputs the verdict was computed from"))
        self.inputs = QPlainTextEdit()
        self.inputs.setReadOnly(True)
        self.inputs.setMaximumHeight(140)
        self.inputs.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.badge)
        layout.addWidget(self.note)
        layout.addLayout(self.grid)
        layout.addStretch(1)
        layout.addWidget(self.footer)
        layout.addWidget(self.inputs_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.inputs)
        self._connect_signals()
        self.set_verdict(None, None, self.tr("Select a follow-up visit."))

    def _connect_signals(self) -> None:
        self.inputs_button.toggled.connect(self._on_inputs_button_toggled)

    def _on_inputs_button_toggled(self, checked: bool) -> None:
        self.inputs.setVisible(checked)

    def _clear_grid(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()

    def set_verdict(
        self, verdict: VerdictView | None, month: int | None, why_none: str = ""
    ) -> None:
        self._clear_grid()
        when = time_point_label(month) if month is not None else ""
        self.heading.setText(
            self.tr("<b>Therapy success</b> — {when}").format(when=when.lower())
            if month is not None
            else self.tr("<b>Therapy success</b>")
        )
        if verdict is None:
            self.badge.hide()
            self.note.setText(why_none)
            self.footer.clear()
            self.inputs_button.hide()
            self.inputs.hide()
            return
        bg, fg = VERDICT_COLOURS[verdict.verdict]
        self.badge.setText(verdict.verdict.label.upper())
        self.badge.setStyleSheet(
            f"QLabel {{ background: {bg}; color: {fg}; font-weight: bold; font-size: 15px; "
            "padding: 6px; border-radius: 4px; }"
        )
        self.badge.setAccessibleName(self.tr("Verdict: {v}").format(v=verdict.verdict.label))
        self.badge.show()
        notes = []
        if verdict.primary:
            notes.append(self.tr("Primary endpoint time point."))
        if verdict.provisional:
            notes.append(self.tr("Provisional: the visit is not signed yet."))
        self.note.setText(" ".join(notes))
        for row, criterion in enumerate(verdict.criteria):
            colour = _MARK_COLOURS[criterion.status]
            mark = QLabel(CRITERION_MARKS[criterion.status])
            mark.setStyleSheet(f"color: {colour}; font-weight: bold; font-size: 15px;")
            key = QLabel(f"<b>{criterion.key}</b>")
            title = QLabel(
                f"{criterion.title}<br><span style='color:{colour}'>"
                f"{CRITERION_WORDS[criterion.status]}</span>"
            )
            title.setWordWrap(True)
            title.setMinimumWidth(150)
            reason = QLabel(criterion.reason)
            reason.setWordWrap(True)
            reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.grid.addWidget(mark, row, 0, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(key, row, 1, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(title, row, 2, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(reason, row, 3, Qt.AlignmentFlag.AlignTop)
        self.footer.setText(
            self.tr("Rule {version} · computed {when}").format(
                version=verdict.algorithm_version,
                when=local_with_offset(verdict.computed_at, self._zone),
            )
        )
        self.inputs_button.show()
        self.inputs.setPlainText(json.dumps(json.loads(verdict.inputs_json), indent=2))
