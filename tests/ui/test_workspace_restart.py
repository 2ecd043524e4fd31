"""Never lose a tick: close the window mid-procedure, reopen on the same file, carry on."""

from __future__ import annotations

from PySide6.QtCore import Qt

from slidesk.domain.procedure.model import SiteState
from slidesk.services.workstation.database import open_database
from tests.conftest import Team
from tests.ui.bedside import (
    open_procedure,
    press,
)


def test_reopening_on_the_same_database_resumes_at_the_right_site(
    qtbot, make_window, make_db, clock, tmp_path
) -> None:
    db = make_db("bedside.sqlite3")
    team = Team(db, clock)
    started = team.started_procedure()
    order = [s.number for s in started.sites]
    first = make_window(team)
    open_procedure(qtbot, first, started.id)
    for _ in range(7):
        press(qtbot, first.panel.syringe, Qt.Key.Key_Return)
    first.window.close()
    db.close()

    again = open_database(tmp_path / "bedside.sqlite3")
    try:
        team.uow = again.uow
        second = make_window(team)
        # The home page offers to resume the procedure in progress.
        qtbot.waitUntil(second.window.home.resume_button.isVisible)
        qtbot.mouseClick(second.window.home.resume_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: second.window.workspace.isVisible())
        view = second.view
        assert view.injected_count == 7
        assert second.panel.selected == order[7]
        markers = second.page.scene.markers
        assert all(markers[n].state is SiteState.DONE for n in order[:7])
        assert markers[order[7]].state is SiteState.NEXT
        assert "7 / 30" in second.page.header.progress_text.text()
        assert second.panel.syringe.text() == "08"
        press(qtbot, second.panel.syringe, Qt.Key.Key_Return)
        assert second.view.site(order[7]).state is SiteState.DONE
        second.window.close()
    finally:
        again.close()
