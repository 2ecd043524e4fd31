"""Right-click on a site marker of the leg diagram: show it, report an AE there, its history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtWidgets import QMenu

from slidesk.domain.users import Permission
from ui.features.procedure_actions import ProcedureActions, site_entry
from ui.frame.host import FeatureHost

if TYPE_CHECKING:  # the workspace is built on first use, not at start-up
    from ui.workspace.page import WorkspacePage


class SiteContextMenu(QObject):
    def __init__(self, host: FeatureHost, actions: ProcedureActions) -> None:
        super().__init__(host.frame())
        self._host = host
        self._actions = actions
        self._page: WorkspacePage | None = None
        self.menu: QMenu | None = None  # the menu on screen (for tests)
        host.workspace_created.connect(self._on_window_workspace_created)

    def site_at(self, pos: QPoint) -> int | None:
        """The site whose marker is under `pos` (viewport pixels of the diagram)."""
        from ui.workspace.diagram.markers import SiteMarker  # with the workspace, not at start-up

        if self._page is None:
            return None
        for item in self._page.diagram.items(pos):
            while item is not None and not isinstance(item, SiteMarker):
                item = item.parentItem()
            if isinstance(item, SiteMarker):
                return item.number
        return None

    def menu_for(self, site_no: int) -> QMenu | None:
        page = self._page
        view = page.view if page is not None else None
        if page is None or view is None:
            return None
        actor = self._host.session.active
        site = view.site(site_no)
        menu = QMenu(page.diagram)
        title = menu.addAction(
            self.tr("Site %1 · %2").replace("%1", str(site_no)).replace("%2", site.label)
        )
        title.setEnabled(False)
        menu.addSeparator()
        show = menu.addAction(self.tr("&Show in the entry panel"))
        show.triggered.connect(lambda: self._show_site(site_no))
        if actor is not None and actor.can(Permission.RECORD_ADVERSE_EVENT):
            ae = menu.addAction(self.tr("Report an &adverse event at this site…"))
            ae.triggered.connect(lambda: self._actions.open_adverse_event(view.id, (site_no,)))
        if actor is not None and actor.can(Permission.READ_AUDIT):
            keys = self._actions.site_history_action.shortcut().toString()
            history = menu.addAction(self.tr("&History of this site…") + "\t" + keys)
            history.setEnabled(site_entry(view, site_no) is not None)
            history.triggered.connect(lambda: self._actions.open_site_history(site_no))
        return menu

    def _show_site(self, site_no: int) -> None:
        if self._page is not None:
            self._page.show_site(site_no)

    # --- slots ---------------------------------------------------------------------------------

    def _on_window_workspace_created(self, page: WorkspacePage) -> None:
        self._page = page
        page.diagram.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        page.diagram.customContextMenuRequested.connect(self._on_diagram_context_menu_requested)

    def _on_diagram_context_menu_requested(self, pos: QPoint) -> None:
        page = self._page
        site_no = self.site_at(pos)
        if page is None or site_no is None or page.scene.picking is not None:
            return
        # The menu's site becomes the shown one, so the menu's shortcuts mean this site.
        page.panel.select_site(site_no)
        menu = self.menu_for(site_no)
        if menu is None:
            return
        if self.menu is not None:
            self.menu.deleteLater()
        self.menu = menu
        menu.popup(page.diagram.mapToGlobal(pos))
