"""The workspace's columns: diagram | entry panel | record tabs (nurse panel, timeline …).

On a wide screen all three stand side by side. Below `WIDE_PX` there is no room for three
columns without shrinking the leg until the markers overlap, so the entry panel becomes the
first tab of the record tabs ("Injection"), next to the nurse's tabs; a scan or a tap on the
diagram brings it to the front.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSplitter, QTabWidget, QWidget

WIDE_PX = 1650
_PANEL_PX = 400
_TAB_PANEL_PX = 420  # as a tab, the panel shares its column with the tab bar
_RECORD_PX = 380
_NO_LIMIT = 16_777_215  # Qt's QWIDGETSIZE_MAX


class WorkspaceColumns(QSplitter):
    def __init__(self, diagram: QWidget, panel: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.diagram = diagram
        self.panel = panel
        self.record_tabs = QTabWidget()
        self.record_tabs.setObjectName("RecordTabs")
        self.record_tabs.setDocumentMode(True)
        self.addWidget(diagram)
        self.addWidget(panel)
        self.addWidget(self.record_tabs)
        self.setChildrenCollapsible(False)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 0)
        self.setStretchFactor(2, 0)
        self.record_tabs.hide()
        self.record_wanted = True
        self._narrow = False
        # As a column the panel keeps a readable width; as a tab it takes the tab's width
        # (narrower, its rows of buttons would be cut off at the right).
        self._panel_max_px = panel.maximumWidth()

    @property
    def narrow(self) -> bool:
        return self._narrow

    def record_count(self) -> int:
        return self.record_tabs.count() - (1 if self._narrow else 0)

    def add_tab(self, widget: QWidget, title: str) -> int:
        index = self.record_tabs.addTab(widget, title)
        self.arrange()
        return index

    def set_record_wanted(self, on: bool) -> None:
        self.record_wanted = on
        self.arrange()

    def show_entry_panel(self) -> None:
        """Bring the injection panel to the front (it is a tab on a narrow screen)."""
        if self._narrow:
            self.record_tabs.setCurrentWidget(self.panel)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.arrange()

    def arrange(self) -> None:
        has_record = self.record_count() > 0 and self.record_wanted
        narrow = has_record and self.width() < WIDE_PX
        if narrow and not self._narrow:
            self.panel.setMaximumWidth(_NO_LIMIT)
            self.record_tabs.insertTab(0, self.panel, self.tr("Injection"))
            self.record_tabs.setCurrentIndex(0)
            self._narrow = True
        elif not narrow and self._narrow:
            self.record_tabs.removeTab(self.record_tabs.indexOf(self.panel))
            self.panel.setMaximumWidth(self._panel_max_px)
            self.insertWidget(1, self.panel)
            self.panel.show()
            self._narrow = False
        self.record_tabs.setVisible(has_record)
        width = max(1, self.width())
        if self._narrow:
            self.setSizes([width - _TAB_PANEL_PX, 0, _TAB_PANEL_PX])
        elif has_record:
            self.setSizes([width - _PANEL_PX - _RECORD_PX, _PANEL_PX, _RECORD_PX])
        else:
            self.setSizes([width - _PANEL_PX, _PANEL_PX, 0])
