"""The home list: lazy pages, search, status filter, open and resume."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.domain.values import Limb
from slidesk.services.procedure import planning
from slidesk.services.procedure import service as procedures
from tests.ui.bedside import (
    press,
)
from ui.home.procedure_model import PAGE_SIZE, Column, ProcedureTableModel


def _plan_many(team, count: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(count):
        planning.plan_procedure(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            subject_id=team.subject(f"SAIL-02-{i:03d}", Limb.LEFT if i % 2 else Limb.RIGHT),
            kit_number=f"SAIL-K{i:03d}",
            operator_id=team.operator.user_id,
            nurse_id=team.nurse.user_id,
            location="Angio 2",
        )
        team.clock.advance(minutes=1)


def test_the_list_loads_page_by_page_and_passes_the_model_tester(
    qtbot, qtmodeltester, team
) -> None:
    _plan_many(team, PAGE_SIZE + 30)

    def fetch(offset: int, limit: int):  # type: ignore[no-untyped-def]
        return procedures.list_procedures(
            uow=team.uow, actor=team.operator, offset=offset, limit=limit
        )

    model = ProcedureTableModel(team.clock.zone)
    model.set_fetcher(fetch)
    assert model.rowCount() == PAGE_SIZE
    assert model.total == PAGE_SIZE + 30
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == PAGE_SIZE + 30
    assert not model.canFetchMore()
    newest = model.index(0, Column.STUDY_ID).data()
    assert newest == f"SAIL-02-{PAGE_SIZE + 29:03d}"
    assert model.index(0, Column.PROGRESS).data() == "0/30"
    assert model.index(1, Column.LIMB).data() == "Right"
    qtmodeltester.check(model, force_py=True)


def test_search_and_status_filter_narrow_the_list(qtbot, make_window, team) -> None:
    _plan_many(team, 12)
    started = team.started_procedure(study_id="SAIL-01-900", kit="SAIL-K900")
    bedside = make_window(team)
    home = bedside.window.home
    assert home.model.total == 13
    press(qtbot, bedside.window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert home.search.hasFocus()
    qtbot.keyClicks(home.search, "02-01")
    qtbot.waitUntil(lambda: home.model.total == 2, timeout=2000)  # SAIL-02-010, -011
    home.search.clear()
    qtbot.waitUntil(lambda: home.model.total == 13, timeout=2000)
    home.status_filter.setCurrentIndex(2)  # in progress
    assert home.model.total == 1
    assert home.model.summary(0).id == started.id
    assert home.model.summary(0).status is ProcedureStatus.IN_PROGRESS
    qtbot.waitUntil(lambda: "Resume SAIL-01-900" in home.resume_button.text())


def test_enter_on_a_row_opens_the_procedure(qtbot, make_window, team) -> None:
    started = team.started_procedure()
    bedside = make_window(team)
    home = bedside.window.home
    home.table.setFocus()
    home.table.selectRow(0)
    press(qtbot, home.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bedside.window.workspace.isVisible())
    assert bedside.view.id == started.id


def test_large_text_is_remembered_as_ui_state(qtbot, make_window, team) -> None:
    bedside = make_window(team)
    size = bedside.window.font().pointSizeF()
    bedside.window.large_text_action.trigger()
    assert bedside.window.font().pointSizeF() == pytest.approx(size * 1.25)
    again = make_window(like=bedside).window
    assert again.large_text_action.isChecked()


def test_an_empty_database_says_what_to_do_first_and_an_admin_cannot_plan(
    qtbot, make_window, team
) -> None:
    bedside = make_window(team, users=(team.admin,))
    window, session = bedside.window, bedside.session
    assert window.home.count.text() == (
        "No procedures yet: operators and nurses plan them (accounts: Ctrl+Shift+U)."
    )
    assert window.home.count.width() >= window.home.count.sizeHint().width()  # not cut off
    assert not window.new_action.isEnabled()
    assert not window.home.new_button.isEnabled()
    assert "Ada Admin may not plan procedures" in window.home.new_button.toolTip()
    assert window.home._first_steps(team.operator) == (
        "No procedures yet: plan the first with New procedure (Ctrl+N)."
    )
    started = team.started_procedure()
    window.home.refresh()
    window.home._update_resume()
    assert window.home.resume_button.isHidden()  # resuming is for who records
    window.home.search.setText("no such subject")  # not an empty database any more
    session.add(team.operator)  # the operator takes the keyboard
    assert window.new_action.isEnabled()
    assert window.home.new_button.isEnabled()
    window.home.search.clear()
    window.home._update_resume()
    assert not window.home.resume_button.isHidden()
    assert started.id == window.home._resume_id
