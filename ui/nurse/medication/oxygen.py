"""The oxygen row of the medication tab: device, flow, Set O₂, Stop O₂ and what runs now.

A grid layout holding its widgets; the tab charts what is chosen here. Qt only; reads the
`SedationRecord`, calls no service.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QPushButton

from slidesk.domain.sedation.oxygen import OxygenDevice
from slidesk.services.sedation.dto import SedationRecord


class OxygenRow(QGridLayout):
    """Device list, flow (L/min), Set O₂; below, the oxygen charted now and Stop O₂."""

    def __init__(self) -> None:
        super().__init__()
        self._editable = True  # no record shown: the flow follows the device alone
        self.device = QComboBox()
        for device in OxygenDevice:
            # The value, not the enum: Qt hands an enum back as plain text anyway.
            self.device.addItem(device.label, device.value)
        self.device.setCurrentIndex(1)
        self.flow = QLineEdit("2")
        self.flow.setMaximumWidth(50)
        self.button = QPushButton(self.tr("Se&t O₂"))
        self.stop = QPushButton(self.tr("St&op O₂"))
        self.stop.setToolTip(
            self.tr("Chart that the oxygen was stopped (room air); a flow of 0 does the same")
        )
        self.now = QLabel()
        self.addWidget(QLabel(self.tr("Oxygen")), 0, 0)
        self.addWidget(self.device, 0, 1)
        self.addWidget(self.flow, 0, 2)
        self.addWidget(QLabel(self.tr("L/min")), 0, 3)
        self.addWidget(self.button, 0, 4)
        self.addWidget(self.now, 1, 1, 1, 3)
        self.addWidget(self.stop, 1, 4)
        self.device.currentIndexChanged.connect(self._on_device_current_index_changed)

    def choice(self) -> OxygenDevice:
        """The oxygen device chosen in the list."""
        return OxygenDevice(str(self.device.currentData()))

    def show_record(self, record: SedationRecord | None) -> None:
        """What runs now; Set and the device only while the record is editable, Stop only
        while oxygen runs (None: no record, nothing shown changes)."""
        if record is None:
            self._editable = True
            return
        self._editable = editable = record.editable
        oxygen = record.current_oxygen
        self.now.setText(
            self.tr("Now: {0}").format(oxygen.text) if oxygen else self.tr("No oxygen charted")
        )
        self.button.setEnabled(editable)
        self.device.setEnabled(editable)
        self._on_device_current_index_changed(self.device.currentIndex())
        running = oxygen is not None and oxygen.device is not OxygenDevice.ROOM_AIR
        self.stop.setEnabled(editable and running)

    def _on_device_current_index_changed(self, _index: int) -> None:
        self.flow.setEnabled(self._editable and self.choice() is not OxygenDevice.ROOM_AIR)
