"""The workspace's keyboard actions, each with a visible shortcut (menus and buttons show it)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence


class EntryActions(QObject):
    flag_triggered = Signal(str)
    """One of the quick-flag actions was triggered (the flag's name)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        # Enter confirms from any entry field; the menu shows it after a tab.
        self.confirm = self._make(self.tr("&Confirm site") + "\t" + self.tr("Enter"), "")
        self.skip = self._make(self.tr("S&kip site…"), "Ctrl+K")
        self.relocate = self._make(self.tr("&Relocate site…"), "Ctrl+R")
        self.undo = self._make(self.tr("&Undo last entry…"), "Ctrl+Z")
        self.correct = self._make(self.tr("C&orrect entry…"), "Ctrl+E")
        self.goto = self._make(self.tr("&Go to site…"), "Ctrl+G")
        self.back_to_next = self._make(self.tr("Back to &next site"), "Esc")
        self.adverse_event = self._make(self.tr("Report &adverse event…"), "Ctrl+Shift+E")
        self.flag_actions: list[QAction] = []

    def _make(self, text: str, shortcut: str) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        return action

    def all(self) -> list[QAction]:
        return [
            self.confirm,
            self.skip,
            self.relocate,
            self.undo,
            self.correct,
            self.goto,
            self.back_to_next,
            self.adverse_event,
            *self.flag_actions,
        ]

    def set_flags(self, flags: Sequence[str]) -> None:
        """One action per protocol site flag: Alt+1, Alt+2 …"""
        for action in self.flag_actions:
            action.deleteLater()
        self.flag_actions = []
        for i, flag in enumerate(flags, start=1):
            action = self._make(flag.capitalize(), f"Alt+{i}" if i <= 9 else "")
            action.setData(flag)
            action.triggered.connect(self._on_flag_action_triggered)
            self.flag_actions.append(action)

    def _on_flag_action_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.flag_triggered.emit(str(action.data()))

    def owns(self, sequence: QKeySequence) -> bool:
        return any(
            not a.shortcut().isEmpty()
            and a.shortcut().matches(sequence) == QKeySequence.SequenceMatch.ExactMatch
            for a in self.all()
        )

    def set_enabled(self, enabled: bool) -> None:
        for action in self.all():
            action.setEnabled(enabled)
