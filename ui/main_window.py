"""The main window: a thin frame around the home list and the procedure workspace."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from ui.context import AppContext


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.setWindowTitle(f"SLI Desk — {context.database_location}")
        self.setCentralWidget(QLabel(self.tr("SLI Desk")))
        self.resize(1280, 800)
