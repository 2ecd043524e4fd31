"""The adverse-event form: term, times, sites, CTCAE grade, seriousness, causality ×3, outcome.

A serious event shows a prominent notice with the sponsor-report deadline, counted from the
time of first knowledge. Grade 5 ticks 'serious' and 'results in death' and locks them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.sedation.adverse_events import ActionTaken, Grade, Outcome, SeriousCriterion
from slidesk.services.sedation import adverse_events
from slidesk.services.sedation.dto import AdverseEventOptions, AdverseEventView
from ui.common.fields import OneStopDateTimeEdit
from ui.common.keys import press_with
from ui.common.timefmt import from_site_wall_clock, local_with_offset, site_wall_clock
from ui.context import AppContext
from ui.door import operations
from ui.door.operations import ShowError, Topic
from ui.nurse.common import MessageLine
from ui.session import BedsideSession


class AdverseEventDialog(QDialog):
    adverse_event_recorded = Signal(object)
    """The AE was saved; carries its `AdverseEventView`."""

    @classmethod
    def for_procedure(
        cls,
        context: AppContext,
        session: BedsideSession,
        parent: QWidget | None,
        procedure_id: int,
        site_nos: tuple[int, ...] | list[int] = (),
        *,
        show_error: ShowError,
    ) -> AdverseEventDialog | None:
        """The form for this procedure; None (said in `show_error`) when it cannot open."""
        options = operations.read(
            context,
            adverse_events.adverse_event_options,
            actor=session.active,
            show_error=show_error,
            what=QCoreApplication.translate("AdverseEventDialog", "The adverse-event form"),
            procedure_id=procedure_id,
        )
        return None if options is None else cls(context, session, parent, options, site_nos)

    def __init__(
        self,
        context: AppContext,
        session: BedsideSession,
        parent: QWidget | None,
        options: AdverseEventOptions,
        site_nos: tuple[int, ...] | list[int] = (),
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._session = session
        self.saved: AdverseEventView | None = None
        self.options = options
        self.setWindowTitle(self.tr("Adverse event — {0}").format(self.options.study_id))
        self.resize(560, 700)
        self._build(site_nos)
        self._connect_signals()
        self.message.follow(self)
        self._on_seriousness_changed()

    def _build(self, site_nos: tuple[int, ...] | list[int]) -> None:
        o = self.options
        now = self._context.clock.now()
        self.term = QComboBox()
        self.term.setEditable(True)
        self.term.addItems(list(o.terms))
        self.term.setCurrentIndex(-1)
        term_edit = self.term.lineEdit()
        assert term_edit is not None  # an editable combo box has its line edit
        term_edit.setPlaceholderText(self.tr("Choose or type the event term"))
        zone = self._context.clock.zone  # the site's wall clock, as on every other screen
        self.onset = OneStopDateTimeEdit(site_wall_clock(now, zone))
        self.known = OneStopDateTimeEdit(site_wall_clock(now, zone))
        for edit in (self.onset, self.known):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
        self.sites = QLineEdit(", ".join(str(n) for n in site_nos))
        self.sites.setPlaceholderText(self.tr("site numbers, e.g. 3, 5"))
        self.grade = QComboBox()
        for g in Grade:
            self.grade.addItem(g.label, g)
        self.serious = QCheckBox(self.tr("&Serious (SAE)"))
        self.criteria: dict[SeriousCriterion, QCheckBox] = {}
        criteria_box = QGridLayout()
        for i, c in enumerate(SeriousCriterion):
            box = QCheckBox(c.label)
            self.criteria[c] = box
            criteria_box.addWidget(box, i // 2, i % 2)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(
            "background: #c81e1e; color: white; font-weight: bold; padding: 8px;"
            " border-radius: 4px;"
        )
        self.related = {}
        for key in ("product", "procedure", "sedation"):
            combo = QComboBox()
            combo.addItems(list(o.relatedness))
            self.related[key] = combo
        self.related["procedure"].setCurrentIndex(
            max(0, self.related["procedure"].findText("possible"))
        )
        self.expected = QComboBox()
        self.expected.addItems(list(o.expectedness))
        self.action = QComboBox()
        for a in ActionTaken:
            self.action.addItem(a.label, a)
        self.outcome = QComboBox()
        for out in Outcome:
            self.outcome.addItem(out.label, out)
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText(self.tr("Description, treatment, course"))
        self.description.setMaximumHeight(70)
        self.message = MessageLine()

        form = QFormLayout()
        form.addRow(self.tr("&Term"), self.term)
        form.addRow(self.tr("&Onset"), self.onset)
        form.addRow(self.tr("First &knowledge"), self.known)
        form.addRow(self.tr("S&ite(s)"), self.sites)
        form.addRow(self.tr("CTCAE &grade"), self.grade)
        seriousness = QGroupBox(self.tr("Seriousness (ICH E2A)"))
        sl = QVBoxLayout(seriousness)
        sl.addWidget(self.serious)
        sl.addLayout(criteria_box)
        causality = QGroupBox(self.tr("Relatedness"))
        cl = QFormLayout(causality)
        cl.addRow(self.tr("to the investigational product"), self.related["product"])
        cl.addRow(self.tr("to the injection procedure"), self.related["procedure"])
        cl.addRow(self.tr("to the sedation"), self.related["sedation"])
        rest = QFormLayout()
        rest.addRow(self.tr("Expectedness"), self.expected)
        rest.addRow(self.tr("Action taken"), self.action)
        rest.addRow(self.tr("Outcome"), self.outcome)
        rest.addRow(self.tr("Description"), self.description)
        who = self._session.active
        rest.addRow(self.tr("Reporter"), QLabel(who.full_name if who else "?"))

        body = QWidget()
        bl = QVBoxLayout(body)
        bl.addLayout(form)
        bl.addWidget(seriousness)
        bl.addWidget(causality)
        bl.addLayout(rest)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            self.tr("Save adverse event"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        press_with(self.save_button, "Ctrl+Return")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.serious.toggled.connect(self._on_seriousness_changed)
        self.grade.currentIndexChanged.connect(self._on_seriousness_changed)
        self.outcome.currentIndexChanged.connect(self._on_seriousness_changed)
        self.known.dateTimeChanged.connect(self._on_seriousness_changed)

    def deadline(self) -> datetime:
        return from_site_wall_clock(self.known.dateTime(), self._context.clock.zone) + timedelta(
            hours=self.options.sae_report_hours
        )

    def _on_seriousness_changed(self, *_args: object) -> None:
        fatal = self.grade.currentData() is Grade.DEATH
        if fatal:
            self.serious.setChecked(True)
            self.criteria[SeriousCriterion.DEATH].setChecked(True)
            self.outcome.setCurrentIndex(self.outcome.findData(Outcome.FATAL))
        self.serious.setEnabled(not fatal)
        self.criteria[SeriousCriterion.DEATH].setEnabled(fatal)
        for c, box in self.criteria.items():
            if c is not SeriousCriterion.DEATH:
                box.setEnabled(self.serious.isChecked())
            if not self.serious.isChecked():
                box.setChecked(False)
        serious = self.serious.isChecked()
        self.notice.setVisible(serious)
        if serious:
            self.notice.setText(
                self.tr(
                    "SERIOUS ADVERSE EVENT — report to the sponsor within {0} hours of first "
                    "knowledge: by {1}."
                ).format(
                    self.options.sae_report_hours,
                    local_with_offset(self.deadline(), self._context.clock.zone),
                )
            )

    def _on_buttons_accepted(self) -> None:
        self.message.clear_message()
        self.saved = operations.write(
            self._context,
            adverse_events.record_adverse_event,
            actor=self._session.active,
            show_error=self.message.error,
            what=self.tr("The adverse event"),
            changes=(Topic.ADVERSE_EVENTS,),
            procedure_id=self.options.procedure_id,
            term=self.term.currentText(),
            onset_at=from_site_wall_clock(self.onset.dateTime(), self._context.clock.zone),
            first_known_at=from_site_wall_clock(self.known.dateTime(), self._context.clock.zone),
            grade=self.grade.currentData(),
            serious=self.serious.isChecked(),
            criteria=[c for c, box in self.criteria.items() if box.isChecked()],
            related_product=self.related["product"].currentText(),
            related_procedure=self.related["procedure"].currentText(),
            related_sedation=self.related["sedation"].currentText(),
            expectedness=self.expected.currentText(),
            action_taken=self.action.currentData(),
            outcome=self.outcome.currentData(),
            site_nos=self.sites.text(),
            description=self.description.toPlainText(),
            later=self._recorded,
            owner=self,
        )
        if self.saved is not None:
            self._recorded(self.saved)

    def _recorded(self, saved: AdverseEventView) -> None:
        """The event went through (at once, or once another program let go of the database:
        the form stayed open with the message and what was typed until then)."""
        self.saved = saved
        self.adverse_event_recorded.emit(saved)
        self.accept()
