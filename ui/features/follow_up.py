"""Follow-up visits on the home page, below the procedure list, and the subject outcomes.

The due-visits panel is built a moment after the list is shown (its query and modules must
not delay the list) and can be hidden (View ▸ Follow-up visits, F6; remembered).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from ui.frame.host import FeatureHost
from ui.workspace.ui_state import SHOW_FOLLOW_UP

if TYPE_CHECKING:
    from ui.followup.due_panel import DueVisitsPanel

# The section's first height: four visit rows under the list at 1366×768, which keeps ten.
SECTION_PX = 230
_BUILD_DELAY_MS = 300


class FollowUpSection(QObject):
    """Owns the due-visits panel of the home page and opens subjects' outcome windows."""

    def __init__(self, host: FeatureHost) -> None:
        super().__init__(host.frame())
        self._host = host
        self.panel: DueVisitsPanel | None = None
        self.toggle_action = QAction(self.tr("&Follow-up visits"), self)
        self.toggle_action.setShortcut(QKeySequence("F6"))
        self.toggle_action.setCheckable(True)
        self.toggle_action.setChecked(bool(host.ui_state.get(SHOW_FOLLOW_UP)))
        host.add_view_actions([self.toggle_action])
        # Owned by this object (not a bare single shot): it dies with the window, never
        # firing into a window that is gone.
        self._build_timer = QTimer(self)
        self._build_timer.setSingleShot(True)
        self._build_timer.setInterval(_BUILD_DELAY_MS)
        self._connect_signals()
        self._build_timer.start()

    def _connect_signals(self) -> None:
        self._build_timer.timeout.connect(self.ensure_panel)
        self.toggle_action.toggled.connect(self._on_toggle_action_toggled)

    def ensure_panel(self) -> DueVisitsPanel:
        self._build_timer.stop()
        if self.panel is None:
            from ui.followup.due_panel import DueVisitsPanel

            panel = DueVisitsPanel(self._host.context, self._host.session)
            panel.setObjectName("FollowUpVisits")
            panel.setMinimumHeight(120)
            layout = panel.layout()
            if layout is not None:  # its edges line up with the procedure list above
                layout.setContentsMargins(0, 8, 0, 0)
            self._host.home.add_section(panel, SECTION_PX)
            panel.setVisible(self.toggle_action.isChecked())
            self.panel = panel
        return self.panel

    def open_subject(self, subject_id: int) -> QWidget:
        """The subject's outcomes window; the due list refreshes when a visit changes there."""
        window = self.ensure_panel().open_subject(subject_id)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.raise_()
        window.activateWindow()
        return window

    # --- slots ---------------------------------------------------------------------------------

    def _on_toggle_action_toggled(self, on: bool) -> None:
        self._host.ui_state.set(SHOW_FOLLOW_UP, on)
        panel = self.ensure_panel()
        panel.setVisible(on)
        if not self._host.on_home():
            return
        if on:
            panel.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            self._host.home.focus_list()
