"""Editable lists of the visit form: amputations of the index limb, and ulcers.

Rows keep the id of the saved item they show, so that saving changes that item instead of
adding a new one; removing a saved row asks the service to void it (with a reason).
"""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from slidesk.domain.followup.model import (
    Amputation,
    AmputationLevel,
    Ulcer,
    UlcerLocation,
    area_to_ucm2,
)
from ui.door import operations
from ui.followup.form_fields import ChoiceBox, FormError, MissingPicker, date_edit, day_of, watch


class _RowList(QWidget):
    changed = Signal()
    """A row was added, removed or edited."""

    def __init__(self, add_text: str, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        for column, text in enumerate(headers):
            label = QLabel(f"<span style='color:#6b7280'>{text}</span>")
            self.grid.addWidget(label, 0, column)
        self.add_button = QPushButton(add_text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.grid)
        layout.addWidget(self.add_button, 0)
        self.rows: list[tuple[int | None, list[QWidget]]] = []
        self.add_button.clicked.connect(self._on_add_button_clicked)

    def _on_add_button_clicked(self) -> None:
        self.add_row(None)
        self.changed.emit()

    def add_row(self, item: object | None) -> list[QWidget]:
        raise NotImplementedError

    def _place(self, item_id: int | None, widgets: list[QWidget]) -> None:
        remove = QPushButton(self.tr("Remove"))
        remove.setAccessibleName(self.tr("Remove this row"))
        widgets.append(remove)
        row = len(self.rows) + 1
        for column, widget in enumerate(widgets):
            self.grid.addWidget(widget, row, column)
            watch(widget, self.changed.emit)
        entry = (item_id, widgets)
        self.rows.append(entry)
        remove.clicked.connect(lambda: self._remove(entry))
        widgets[0].setFocus()

    def _remove(self, entry: tuple[int | None, list[QWidget]]) -> None:
        self.rows.remove(entry)
        for widget in entry[1]:
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self.changed.emit()

    def clear_rows(self) -> None:
        for entry in list(self.rows):
            self._remove(entry)

    def set_read_only(self, read_only: bool) -> None:
        self.add_button.setVisible(not read_only)
        for _id, widgets in self.rows:
            for widget in widgets:
                widget.setEnabled(not read_only)


class AmputationList(_RowList):
    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Add &amputation"), ["Date", "Level", "Major/minor", ""], parent)
        self._today = today  # a new row's date starts at the site's today

    def add_row(self, item: object | None) -> list[QWidget]:
        amputation = item if isinstance(item, Amputation) else None
        day = date_edit(amputation.on if amputation else self._today)
        level = ChoiceBox((lvl.label, lvl) for lvl in AmputationLevel)
        level.setAccessibleName(self.tr("Amputation level"))
        kind = QLabel()
        widgets: list[QWidget] = [day, level, kind]

        def show_kind() -> None:
            chosen = level.choice()
            kind.setText("—" if chosen is None else ("major" if chosen.is_major else "minor"))

        level.currentIndexChanged.connect(show_kind)
        if amputation is not None:
            level.set_choice(amputation.level)
        show_kind()
        self._place(amputation.id if amputation else None, widgets)
        return widgets

    def values(self) -> tuple[Amputation, ...]:
        found = []
        for number, (item_id, widgets) in enumerate(self.rows, start=1):
            day, level = widgets[0], widgets[1]
            assert isinstance(level, ChoiceBox)
            if level.choice() is None:
                raise FormError(f"Amputation {number}: choose the level.")
            found.append(Amputation(day_of(day), level.choice(), item_id))  # type: ignore[arg-type]
        return tuple(found)

    def load(self, items: tuple[Amputation, ...]) -> None:
        self.clear_rows()
        for item in items:
            self.add_row(item)


class UlcerList(_RowList):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Add &ulcer"),
            ["Location", "Describe", "Area (cm²)", "Area missing", ""],
            parent,
        )

    def add_row(self, item: object | None) -> list[QWidget]:
        ulcer = item if isinstance(item, Ulcer) else None
        location = ChoiceBox((loc.label, loc) for loc in UlcerLocation)
        location.setAccessibleName(self.tr("Ulcer location"))
        detail = QLineEdit()
        detail.setPlaceholderText(self.tr("e.g. dorsum of 2nd toe"))
        area = QLineEdit()
        area.setPlaceholderText("0.00")
        area.setMaximumWidth(90)
        area.setAccessibleName(self.tr("Ulcer area in square centimetres"))
        missing = MissingPicker(self.tr("Ulcer area"))
        if ulcer is not None:
            location.set_choice(ulcer.location)
            detail.setText(ulcer.detail or "")
            area.setText(format(ulcer.area_cm2, "f") if ulcer.area_cm2 is not None else "")
            missing.set_code(ulcer.area_missing)
        missing.code_changed.connect(lambda code: area.setEnabled(code is None))
        area.setEnabled(missing.code() is None)
        widgets: list[QWidget] = [location, detail, area, missing]
        self._place(ulcer.id if ulcer else None, widgets)
        return widgets

    def values(self) -> tuple[Ulcer, ...]:
        found = []
        for number, (item_id, widgets) in enumerate(self.rows, start=1):
            location, detail, area, missing = widgets[:4]
            assert isinstance(location, ChoiceBox)
            assert isinstance(missing, MissingPicker)
            assert isinstance(detail, QLineEdit)
            assert isinstance(area, QLineEdit)
            if location.choice() is None:
                raise FormError(f"Ulcer {number}: choose the location.")
            ucm2 = None
            if area.text().strip() and missing.code() is None:
                problem: list[str] = []
                ucm2 = operations.check(
                    partial(area_to_ucm2, area.text()), show_error=problem.append
                )
                if problem:
                    raise FormError(f"Ulcer {number}: {problem[0]}")
            found.append(
                Ulcer(
                    location=location.choice(),
                    detail=detail.text().strip() or None,
                    area_ucm2=ucm2,
                    area_missing=missing.code(),
                    id=item_id,
                )
            )
        return tuple(found)

    def load(self, items: tuple[Ulcer, ...]) -> None:
        self.clear_rows()
        for item in items:
            self.add_row(item)
