"""The quick-dose buttons of the chosen drug: one per protocol increment ("25 µg", "50 µg").

A row layout holding the buttons; a tap says which increment (`chosen`), and the tab fills in
and charts the dose. Qt only; reads the drug's `DrugTotal`, calls no service.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton

from slidesk.domain.sedation.doses import plain, unit
from slidesk.services.sedation.dto import DrugTotal
from ui.common.layouts import clear_layout


class QuickDoses(QHBoxLayout):
    chosen = Signal(object)
    """A quick button was tapped: its increment (a `Decimal`, in the drug's charting unit)."""

    def __init__(self) -> None:
        super().__init__()
        self.setContentsMargins(0, 0, 0, 0)

    def show_total(self, total: DrugTotal | None) -> None:
        """One button per increment of `total`'s drug (None: no buttons, as for "Other…")."""
        clear_layout(self)
        if total is not None:
            for step in total.increments:
                button = QPushButton(f"{plain(step)} {unit(total.unit).symbol}")
                button.setToolTip(
                    (
                        self.tr("{0} {1}: shown back to confirm; Enter charts it")
                        if total.confirm_each_bolus
                        else self.tr("Give and chart {0} {1}")
                    ).format(plain(step), total.drug_name)
                )
                button.clicked.connect(lambda _=False, s=step: self.chosen.emit(s))
                self.addWidget(button)
        self.addStretch(1)
