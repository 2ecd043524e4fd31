"""The clinical sections of the visit form: visit, survival and limb, clinical status, ulcers,
walking, and pressures. Each loads a `VisitEntry`, gives back its part of one, and says what
changed; the questionnaires live in `form_questionnaires`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from slidesk.domain.followup.model import (
    RUTHERFORD_LABELS,
    Fontaine,
    Item,
    MissingReason,
    UnableToWalk,
    VisitEntry,
    VitalStatus,
)
from slidesk.domain.followup.schedule import VisitWindow
from slidesk.domain.followup.vascular import Pressure, PressureFlag, PressureSite
from slidesk.services.dto import UserView
from ui.followup.form_fields import (
    ChoiceBox,
    FormError,
    ItemRow,
    OptionalSpin,
    date_edit,
    day_of,
    set_day,
    watch,
)
from ui.followup.form_lists import AmputationList, UlcerList


class Section(QGroupBox):
    changed = Signal()
    """A value in this section was typed or chosen."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.rows: dict[Item, ItemRow] = {}

    def item_row(self, item: Item, label: str, *inputs: QWidget) -> ItemRow:
        row = ItemRow(item.label, inputs)
        row.setFixedWidth(880)
        row.changed.connect(self.changed.emit)
        self.rows[item] = row
        self.form.addRow(label, row)
        return row

    def load_codes(self, entry: VisitEntry) -> None:
        for item, row in self.rows.items():
            row.picker.set_code(entry.missing.get(item))

    def missing(self) -> dict[Item, MissingReason]:
        return {item: code for item, row in self.rows.items() if (code := row.code())}

    def set_read_only(self, read_only: bool) -> None:
        self.setEnabled(not read_only)

    def align_labels(self, width: int) -> None:
        """Give every section the same label column, so the missing pickers line up."""
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if label is not None:
                label.setFixedWidth(width)


class VisitSection(Section):
    def __init__(
        self,
        users: tuple[UserView, ...],
        window: VisitWindow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Visit", parent)
        self.visit_window = window
        self.visit_date = date_edit()
        self.visit_date.setAccessibleName("Visit date")
        self.not_done = ChoiceBox((r.label, r) for r in MissingReason)
        self.not_done.setAccessibleName("Visit did not take place: reason")
        self.assessor = ChoiceBox((f"{u.full_name}", u.id) for u in users)
        self.assessor.setAccessibleName("Assessor")
        self.window_note = QLabel()
        self.window_note.setStyleSheet("color: #4b5563;")
        self.form.addRow("Visit &date", self.visit_date)
        self.form.addRow("", self.window_note)
        self.form.addRow("Visit did &not take place", self.not_done)
        self.form.addRow("A&ssessed by", self.assessor)
        for widget in (self.visit_date, self.not_done, self.assessor):
            watch(widget, self.changed.emit)
        self.not_done.currentIndexChanged.connect(self._on_not_done_currentIndexChanged)
        self.visit_date.dateChanged.connect(self._on_visit_date_dateChanged)
        self.assessor.setMinimumWidth(260)

    def _on_not_done_currentIndexChanged(self, _index: int) -> None:
        self.visit_date.setEnabled(self.not_done.choice() is None)
        self._on_visit_date_dateChanged()

    def _on_visit_date_dateChanged(self, *_args: object) -> None:
        window = self.visit_window
        if window is None or self.not_done.choice() is not None:
            self.window_note.setText("")
            return
        offset = window.offset_days(day_of(self.visit_date))
        if offset == 0:
            self.window_note.setText("Inside the protocol window.")
            self.window_note.setStyleSheet("color: #1d6b3a;")
        else:
            side = "after the window closes" if offset > 0 else "before the window opens"
            self.window_note.setText(f"{abs(offset)} day(s) {side}: a protocol deviation.")
            self.window_note.setStyleSheet("color: #7a4b00;")

    def load(self, entry: VisitEntry) -> None:
        if entry.visit_date is not None:
            set_day(self.visit_date, entry.visit_date)
        self.not_done.set_choice(entry.visit_missing)
        self.assessor.set_choice(entry.assessor_id)
        self._on_visit_date_dateChanged()

    def values(self) -> dict[str, Any]:
        skipped = self.not_done.choice()
        return {
            "visit_date": None if skipped else day_of(self.visit_date),
            "visit_missing": skipped,
            "assessor_id": self.assessor.choice(),
        }


class SurvivalSection(Section):
    """Vital status (follow-up only) and amputations of the index limb."""

    def __init__(self, baseline: bool, today: date, parent: QWidget | None = None) -> None:
        super().__init__("Survival and index limb", parent)
        self.baseline = baseline
        self.vital = ChoiceBox((s.label, s) for s in VitalStatus)
        self.death_date = date_edit()
        self.death_date.setAccessibleName("Date of death")
        self.cause = QLineEdit()
        self.cause.setPlaceholderText("Cause of death ('unknown' if not known)")
        self.cause.setMinimumWidth(420)
        if not baseline:
            self.item_row(Item.VITAL_STATUS, "&Vital status", self.vital)
            self.form.addRow("Date of death", self.death_date)
            self.form.addRow("Cause of death", self.cause)
        self.amputated = ChoiceBox([("No", False), ("Yes", True)])
        self.amputated.setAccessibleName("Amputation of the index limb")
        question = (
            "Earlier a&mputation of the index limb"
            if baseline
            else "A&mputation since the last visit"
        )
        self.item_row(Item.AMPUTATION, question, self.amputated)
        self.amputations = AmputationList(today)
        self.form.addRow("", self.amputations)
        self.others = QLabel()
        self.others.setWordWrap(True)
        self.others.setStyleSheet("color: #4b5563;")
        self.others.setMinimumWidth(600)
        self.form.addRow("", self.others)
        self.amputations.changed.connect(self.changed.emit)
        watch(self.death_date, self.changed.emit)
        watch(self.cause, self.changed.emit)
        self.vital.currentIndexChanged.connect(self._sync)
        self.amputated.currentIndexChanged.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        died = self.vital.choice() is VitalStatus.DIED
        if not self.baseline:
            self.form.setRowVisible(self.death_date, died)
            self.form.setRowVisible(self.cause, died)
        self.amputations.setVisible(self.amputated.choice() is True)
        if self.amputated.choice() is True and not self.amputations.rows:
            self.amputations.add_row(None)

    def load(self, entry: VisitEntry, others: str) -> None:
        self.vital.set_choice(entry.vital_status)
        if entry.death_date is not None:
            set_day(self.death_date, entry.death_date)
        self.cause.setText(entry.death_cause or "")
        self.amputations.load(entry.amputations)
        self.amputated.set_choice(entry.new_amputation)
        self.others.setText(others)
        self.others.setVisible(bool(others))
        self.load_codes(entry)
        self._sync()

    def values(self) -> dict[str, Any]:
        died = self.vital.choice() is VitalStatus.DIED
        amputated = self.amputated.choice()
        return {
            "vital_status": self.vital.choice(),
            "death_date": day_of(self.death_date) if died else None,
            "death_cause": self.cause.text().strip() or None if died else None,
            "new_amputation": amputated,
            "amputations": self.amputations.values() if amputated is True else (),
        }


class ClinicalSection(Section):
    """Rutherford, Fontaine, rest pain, VAS, ulcers and the walking distance."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Clinical status of the index limb", parent)
        self.rutherford = ChoiceBox((text, n) for n, text in enumerate(RUTHERFORD_LABELS))
        self.fontaine = ChoiceBox((f.label, f) for f in Fontaine)
        self.rest_pain = ChoiceBox([("No", False), ("Yes", True)])
        self.vas = OptionalSpin(0, 100, " mm")
        self.vas.setAccessibleName("Pain VAS in millimetres")
        self.ulcers_present = ChoiceBox([("None", False), ("Yes — describe each", True)])
        self.ulcers = UlcerList()
        self.walk = OptionalSpin(0, 20_000, " m")
        self.walk.setAccessibleName("Pain-free walking distance in metres")
        self.unable = ChoiceBox((u.label, u) for u in UnableToWalk)
        self.unable.setAccessibleName("Unable to walk: reason")
        self.unable_detail = QLineEdit()
        self.unable_detail.setPlaceholderText("Explain ('Other')")
        self.unable_detail.setMinimumWidth(220)
        self.item_row(Item.RUTHERFORD, "&Rutherford category", self.rutherford)
        self.item_row(Item.FONTAINE, "&Fontaine stage", self.fontaine)
        self.item_row(Item.REST_PAIN, "Rest &pain", self.rest_pain)
        self.item_row(Item.VAS, "Pain &VAS (0–100 mm)", self.vas)
        self.item_row(Item.ULCERS, "&Ulcers", self.ulcers_present)
        self.form.addRow("", self.ulcers)
        self.item_row(
            Item.WALKING,
            "Pain-free &walking\n(treadmill 3 km/h, 0 %)",
            self.walk,
            QLabel("or unable:"),
            self.unable,
            self.unable_detail,
        )
        self.ulcers.changed.connect(self.changed.emit)
        self.ulcers_present.currentIndexChanged.connect(self._sync)
        self.unable.currentIndexChanged.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        present = self.ulcers_present.choice() is True
        self.ulcers.setVisible(present)
        if present and not self.ulcers.rows:
            self.ulcers.add_row(None)
        unable = self.unable.choice() is not None
        self.walk.setEnabled(not unable and self.rows[Item.WALKING].code() is None)
        if unable:
            self.walk.set_number(None)

    def load(self, entry: VisitEntry) -> None:
        self.rutherford.set_choice(entry.rutherford)
        self.fontaine.set_choice(entry.fontaine)
        self.rest_pain.set_choice(entry.rest_pain)
        self.vas.set_number(entry.vas_mm)
        self.ulcers.load(entry.ulcers)
        self.ulcers_present.set_choice(None if entry.ulcer_count is None else entry.ulcer_count > 0)
        self.walk.set_number(entry.walk_distance_m)
        self.unable.set_choice(entry.walk_unable)
        self.unable_detail.setText(entry.walk_unable_detail or "")
        self.load_codes(entry)
        self._sync()

    def values(self) -> dict[str, Any]:
        present = self.ulcers_present.choice()
        ulcers = self.ulcers.values() if present is True else ()
        if present is True and not ulcers:
            raise FormError("Ulcers: describe each ulcer, or answer 'None'.")
        return {
            "rutherford": self.rutherford.choice(),
            "fontaine": self.fontaine.choice(),
            "rest_pain": self.rest_pain.choice(),
            "vas_mm": self.vas.number(),
            "ulcer_count": None if present is None else len(ulcers),
            "ulcers": ulcers,
            "walk_distance_m": self.walk.number(),
            "walk_unable": self.unable.choice(),
            "walk_unable_detail": self.unable_detail.text().strip() or None,
        }


class PressureSection(Section):
    """Raw systolic pressures of the index limb and both arms; ABI and TBI are derived."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Pressures (systolic, mmHg) — ABI and TBI are computed", parent)
        self.spins: dict[PressureSite, OptionalSpin] = {}
        self.flags: dict[PressureSite, ChoiceBox] = {}
        for site in PressureSite:
            spin = OptionalSpin(0, 350, " mmHg")
            spin.setAccessibleName(f"{site.label}, mmHg")
            flag = ChoiceBox((f.label, f) for f in PressureFlag)
            flag.setAccessibleName(f"{site.label}: no number because")
            self.spins[site], self.flags[site] = spin, flag
            self.item_row(Item(site.value), site.label, spin, QLabel("or"), flag)
            flag.currentIndexChanged.connect(lambda _i, s=site: self._sync(s))
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setMinimumWidth(700)
        self.form.addRow("Derived", self.result)

    def _sync(self, site: PressureSite) -> None:
        flagged = self.flags[site].choice() is not None
        if flagged:
            self.spins[site].set_number(None)
        self.spins[site].setEnabled(not flagged and self.rows[Item(site.value)].code() is None)

    def load(self, entry: VisitEntry) -> None:
        for site in PressureSite:
            reading = entry.pressure(site)
            self.spins[site].set_number(reading.mmhg if reading else None)
            self.flags[site].set_choice(reading.flag if reading else None)
        self.load_codes(entry)
        for site in PressureSite:
            self._sync(site)

    def values(self) -> dict[str, Any]:
        pressures = {}
        for site in PressureSite:
            mmhg, flag = self.spins[site].number(), self.flags[site].choice()
            if mmhg is not None or flag is not None:
                pressures[site] = Pressure(mmhg if flag is None else None, flag)
        return {"pressures": pressures}
