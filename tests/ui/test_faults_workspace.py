"""A broken service is said on screen and changes nothing: the list, planning, the time-out,
the bedside workspace and the review (see tests/ui/fault_rig.py for what is checked)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox

from slidesk.domain.procedure.model import ProcedureStatus, SkipReason
from slidesk.domain.procedure.syringe import SyringeDisposition
from slidesk.domain.users import Role
from slidesk.domain.values import Limb
from slidesk.services.dto import ProcedureView
from slidesk.services.procedure import checklist, planning, workspace
from tests.signing_helpers import amend, signed_procedure
from tests.ui.fault_rig import CASES, Rig, Scene, case, drive

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
_HERE: list[str] = []


def here(service: str, *, writes: bool):  # type: ignore[no-untyped-def]
    _HERE.append(service)
    return case(service, writes=writes)


def _planned(rig: Rig, study_id: str = "SAIL-01-001", kit: str = "SAIL-K001") -> ProcedureView:
    team = rig.team
    return planning.plan_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        subject_id=team.subject(study_id),
        kit_number=kit,
        operator_id=team.operator.user_id,
        nurse_id=team.nurse.user_id,
        location="Angio 2",
        product_release_at=team.clock.now(),
    )


def _injected(rig: Rig, count: int) -> ProcedureView:
    view = rig.team.started_procedure()
    for n, site in enumerate(view.sites[:count], start=1):
        view = rig.team.inject(view.id, site.number, str(n))
    return view


def _live(view: ProcedureView) -> list[Any]:
    return [e for e in view.entries if not e.voided]


# --- the list and opening a procedure --------------------------------------------------------


def _open_from_the_list(rig: Rig, procedure_id: int) -> None:
    """Back on the list, the procedure's row chosen and Enter pressed (as a person opens it)."""
    bedside = rig.window()
    window = bedside.window
    if window.dialog is not None:
        window.dialog.reject()
    window.show_home()
    home = window.home
    home.table.selectRow(home.model.row_of(procedure_id))
    home.table.setFocus()
    rig.qtbot.keyClick(home.table, Qt.Key.Key_Return)


@here("slidesk.services.procedure.service.list_procedures", writes=False)
def _list(rig: Rig) -> Scene:
    rig.team.started_procedure()
    home = rig.window().window.home

    def act() -> None:  # another status filter: the list reads again
        home.status_filter.setCurrentIndex(1 - home.status_filter.currentIndex())

    return Scene(act, lambda: home.problem.kind == "" and home.model.total >= 0, says="NOT")


@here("slidesk.services.procedure.service.get_procedure", writes=False)
def _open(rig: Rig) -> Scene:
    view = rig.team.started_procedure()
    bedside = rig.window()
    return Scene(
        lambda: _open_from_the_list(rig, view.id),
        lambda: bedside.page.view is not None and bedside.page.isVisible(),
        says="NOT be up to date",
    )


def _opening_reads(service: str) -> None:
    @here(service, writes=False)
    def _build(rig: Rig) -> Scene:
        view = _injected(rig, 1)
        bedside = rig.window()
        return Scene(
            lambda: _open_from_the_list(rig, view.id),
            lambda: bedside.page.view is not None and bedside.page.isVisible(),
            says="NOT be up to date",
        )


for _service in (
    "slidesk.services.procedure.workspace.list_flags",
    "slidesk.services.procedure.workspace.get_reconciliation",
    "slidesk.services.sedation.service.has_vital_signs",
):
    _opening_reads(_service)


@here("slidesk.services.record.sedation.site_sedation_state", writes=False)
def _site_sedation(rig: Rig) -> Scene:
    """The panel's sedation line reads when a procedure is opened: it says it could not."""
    view = _injected(rig, 1)
    rig.team.chart_sedation(view.id)
    bedside = rig.window()
    line = bedside.panel.sedation

    def worked() -> bool:
        return line.isVisible() and "Sedation now" in line.text() and "MOAA/S 5" in line.text()

    return Scene(lambda: _open_from_the_list(rig, view.id), worked, says="NOT be up to date")


# --- planning ----------------------------------------------------------------------------------


def _plan_dialog(rig: Rig) -> Any:
    """File ▸ New procedure (Ctrl+N), opened again for each try."""
    window = rig.window().window
    if window.dialog is not None:
        window.dialog.reject()
    window.show_home()
    rig.key(Qt.Key.Key_N, CTRL)
    return rig.shown(window.dialog)


@here("slidesk.services.procedure.subjects.list_subjects", writes=False)
def _subjects(rig: Rig) -> Scene:
    rig.team.subject("SAIL-01-050")
    opened: list[Any] = []
    return Scene(
        lambda: opened.append(_plan_dialog(rig)),
        lambda: opened[-1].subject.count() == 2,
        says="NOT be up to date",
        keep=opened,
    )


@here("slidesk.services.accounts.service.active_users_with_role", writes=False)
def _people(rig: Rig) -> Scene:
    opened: list[Any] = []
    return Scene(
        lambda: opened.append(_plan_dialog(rig)),
        lambda: opened[-1].operator.combo.count() > 0 and opened[-1].nurse.is_ready(),
        says="NOT be up to date",
        keep=opened,
    )


def _fill_plan(dialog: Any, *, new_subject: bool) -> None:
    if new_subject:
        dialog.subject.setCurrentIndex(0)
        dialog.study_id.setText("SAIL-01-060")
        dialog.left.click()
    else:
        dialog.subject.setCurrentIndex(1)
    dialog.kit.setText("SAIL-K060")
    dialog.location.setText("Angio 2")


def _planning(rig: Rig, *, new_subject: bool) -> Scene:
    if not new_subject:
        rig.team.subject("SAIL-01-060")
    window = rig.window().window
    dialog = _plan_dialog(rig)
    _fill_plan(dialog, new_subject=new_subject)

    def act() -> None:
        assert dialog.ok.isEnabled(), dialog.still_needed.text()
        rig.click(dialog.ok)

    def worked() -> bool:
        return dialog.result_view is not None and window.dialog is not dialog

    return Scene(act, worked, keep=[dialog])


@here("slidesk.services.procedure.planning.plan_procedure", writes=True)
def _plan(rig: Rig) -> Scene:
    return _planning(rig, new_subject=False)


@here("slidesk.services.procedure.subjects.register_subject", writes=True)
def _register(rig: Rig) -> Scene:
    return _planning(rig, new_subject=True)


# --- the time-out ----------------------------------------------------------------------------


def _timeout(rig: Rig, procedure_id: int) -> Any:
    _open_from_the_list(rig, procedure_id)
    return rig.shown(rig.window().window.dialog)


def _click_item(rig: Rig, dialog: Any, key: tuple[str, Role]) -> None:
    check = dialog.boxes[key]
    rig.qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(10, check.height() // 2))


@here("slidesk.services.procedure.checklist.get_checklist", writes=False)
def _checklist(rig: Rig) -> Scene:
    planned = _planned(rig)
    opened: list[Any] = []
    return Scene(
        lambda: opened.append(_timeout(rig, planned.id)),
        lambda: opened[-1].state is not None,
        says="NOT be up to date",
        keep=opened,
    )


@here("slidesk.services.procedure.checklist.tick_item", writes=True)
def _tick(rig: Rig) -> Scene:
    planned = _planned(rig)
    dialog = _timeout(rig, planned.id)
    mine = next(key for key, box in dialog.boxes.items() if box.isEnabled())  # the typist's
    return Scene(
        lambda: _click_item(rig, dialog, mine),
        lambda: dialog.boxes[mine].isChecked(),
        keep=[dialog],
    )


@here("slidesk.services.procedure.checklist.untick_item", writes=True)
def _untick(rig: Rig) -> Scene:
    planned = _planned(rig)
    team = rig.team
    state = checklist.get_checklist(uow=team.uow, actor=team.nurse, procedure_id=planned.id)
    first = (state.items[0].key, Role.OPERATOR)
    checklist.tick_item(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=planned.id,
        item_key=first[0],
        role=first[1],
    )
    dialog = _timeout(rig, planned.id)

    def act() -> None:
        _click_item(rig, dialog, first)
        reason = rig.shown(dialog.reason_dialog)
        rig.qtbot.keyClicks(reason.combo, "Ticked by mistake")
        rig.qtbot.keyClick(reason.combo, Qt.Key.Key_Return)

    return Scene(act, lambda: not dialog.boxes[first].isChecked(), keep=[dialog])


@here("slidesk.services.procedure.planning.start_procedure", writes=True)
def _start(rig: Rig) -> Scene:
    planned = _planned(rig)
    rig.team.tick_checklist(planned.id)
    bedside = rig.window()
    dialog = _timeout(rig, planned.id)
    return Scene(
        lambda: rig.click(dialog.start_button),
        lambda: (
            bedside.page.view is not None
            and bedside.page.view.status is ProcedureStatus.IN_PROGRESS
        ),
        keep=[dialog],
    )


# --- the bedside workspace -------------------------------------------------------------------


@here("slidesk.services.procedure.site_entries.record_injection", writes=True)
def _inject(rig: Rig) -> Scene:
    view = rig.team.started_procedure()
    bedside = rig.workspace(view.id)
    panel = bedside.panel
    return Scene(
        lambda: rig.qtbot.keyClick(panel.syringe, Qt.Key.Key_Return),
        lambda: bedside.view.injected_count == 1,
    )


@here("slidesk.services.procedure.site_entries.skip_site", writes=True)
def _skip(rig: Rig) -> Scene:
    view = rig.team.started_procedure()
    bedside = rig.workspace(view.id)
    panel = bedside.panel

    def act() -> None:
        # The dialog closed while the skip waited for the (injected) lock: no window is
        # active then here (a window manager would activate the main window again).
        rig.activate(bedside.window)
        rig.qtbot.keyClick(panel.syringe, Qt.Key.Key_K, CTRL)
        dialog = rig.shown(panel.active_dialog)
        dialog.choose(SkipReason.ULCER)
        rig.click(dialog.buttons.buttons()[0])

    return Scene(act, lambda: bedside.view.skipped_count == 1)


@here("slidesk.services.procedure.corrections.undo_last", writes=True)
def _undo(rig: Rig) -> Scene:
    view = _injected(rig, 1)
    bedside = rig.workspace(view.id)
    panel = bedside.panel

    def act() -> None:
        rig.activate(bedside.window)  # the dialog closed while the write waited
        rig.qtbot.keyClick(panel.syringe, Qt.Key.Key_Z, CTRL)
        dialog = rig.shown(panel.active_dialog)
        rig.qtbot.keyClicks(dialog.combo, "Entered for the wrong site")
        rig.qtbot.keyClick(dialog.combo, Qt.Key.Key_Return)

    return Scene(act, lambda: not _live(bedside.view))


@here("slidesk.services.procedure.corrections.correct_entry", writes=True)
def _correct(rig: Rig) -> Scene:
    view = _injected(rig, 1)
    bedside = rig.workspace(view.id)
    panel = bedside.panel
    first = view.sites[0].number

    def act() -> None:
        rig.activate(bedside.window)  # the dialog closed while the write waited
        panel.select_site(first)
        rig.qtbot.keyClick(panel.syringe, Qt.Key.Key_E, CTRL)
        dialog = rig.shown(panel.active_dialog)
        dialog.depth_field.setText("13")
        rig.qtbot.keyClicks(dialog.reason, "Depth read again from the needle marks")
        rig.qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)

    return Scene(act, lambda: str(_live(bedside.view)[0].depth) == "13.0 mm")


@here("slidesk.services.procedure.workspace.flag_site", writes=True)
def _flag(rig: Rig) -> Scene:
    view = _injected(rig, 1)
    bedside = rig.workspace(view.id)
    panel = bedside.panel
    return Scene(
        lambda: rig.qtbot.keyClick(panel.syringe, Qt.Key.Key_2, ALT),
        lambda: len(bedside.page.flags) == 1,
    )


def _amended(rig: Rig) -> ProcedureView:
    """A signed record (site 18 skipped) with an amendment open."""
    view = signed_procedure(rig.team)
    amend(rig.team, view.id, "Entries checked against the procedure note")
    return view


@here("slidesk.services.procedure.corrections.correct_skip", writes=True)
def _correct_skip(rig: Rig) -> Scene:
    view = _amended(rig)
    bedside = rig.workspace(view.id)
    panel = bedside.panel

    def act() -> None:  # site 18, Ctrl+E, a new explanation and why, Save correction
        rig.activate(bedside.window)  # the dialog closed while the write waited
        panel.select_site(18)
        rig.qtbot.keyClick(panel.syringe, Qt.Key.Key_E, CTRL)
        dialog = rig.shown(panel.active_dialog)
        dialog.detail.setText("Cellulitis over the planned site")
        dialog.change_reason.setText("Read again from the procedure note")
        rig.click(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))

    def worked() -> bool:
        skip = next(e for e in _live(bedside.view) if e.site_no == 18)
        return skip.skip_detail == "Cellulitis over the planned site"

    return Scene(act, worked)


@here("slidesk.services.procedure.workspace.void_flag", writes=True)
def _withdraw_finding(rig: Rig) -> Scene:
    view = _amended(rig)
    team = rig.team
    assert view.started_at is not None
    workspace.flag_site(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        site_no=3,
        flag="bleeding",
        observed_at=view.started_at + timedelta(minutes=4),
    )
    bedside = rig.workspace(view.id)
    panel = bedside.panel

    def act() -> None:  # site 3, Ctrl+E, tick the finding to withdraw, why, Save correction
        panel.select_site(3)
        rig.qtbot.keyClick(panel.syringe, Qt.Key.Key_E, CTRL)
        dialog = rig.shown(panel.active_dialog)
        [(box, _finding)] = dialog.findings
        box.setChecked(True)
        dialog.reason.setText("Tapped at site 3 instead of site 4")
        rig.click(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))

    return Scene(act, lambda: not any(f.site_no == 3 for f in bedside.page.flags))


# --- review and finish ------------------------------------------------------------------------


def _review(rig: Rig, procedure_id: int) -> Any:
    """Review and finish (Ctrl+Shift+F) from the workspace, opened again for each try."""
    bedside = rig.window()
    if bedside.window.dialog is not None:
        bedside.window.dialog.reject()
    if bedside.page.view is None or not bedside.page.isVisible():
        rig.workspace(procedure_id)
    rig.qtbot.keyClick(bedside.panel.syringe, Qt.Key.Key_F, CTRL | SHIFT)
    return rig.shown(bedside.window.dialog)


@here("slidesk.services.procedure.completion.get_completion_gaps", writes=False)
def _gaps(rig: Rig) -> Scene:
    view = _injected(rig, 2)
    rig.workspace(view.id)
    opened: list[Any] = []
    return Scene(
        lambda: opened.append(_review(rig, view.id)),
        lambda: opened[-1].view is not None,
        says="NOT be up to date",
        keep=opened,
    )


@here("slidesk.services.procedure.workspace.record_disposition", writes=True)
def _returned(rig: Rig) -> Scene:
    view = _injected(rig, 2)
    rig.workspace(view.id)
    review = _review(rig, view.id)
    panel = review.reconcile

    def act() -> None:
        panel.unaccounted.setCurrentRow(0)
        rig.click(panel.returned_button)

    return Scene(act, lambda: bool(review.reconciliation.disposed_labels), keep=[review])


@here("slidesk.services.procedure.workspace.void_disposition", writes=True)
def _withdraw(rig: Rig) -> Scene:
    view = _injected(rig, 2)
    team = rig.team
    workspace.record_disposition(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        procedure_id=view.id,
        syringes=["30"],
        disposition=SyringeDisposition.RETURNED,
    )
    rig.workspace(view.id)
    review = _review(rig, view.id)
    panel = review.reconcile

    def act() -> None:
        panel.recorded.setCurrentRow(0)
        rig.click(panel.withdraw_button)
        dialog = rig.shown(panel.dialog)
        rig.qtbot.keyClicks(dialog.combo, "Marked by mistake")
        rig.qtbot.keyClick(dialog.combo, Qt.Key.Key_Return)

    return Scene(act, lambda: not review.reconciliation.disposed_labels, keep=[review])


@here("slidesk.services.procedure.completion.complete_procedure", writes=True)
def _complete(rig: Rig) -> Scene:
    view = rig.team.started_procedure(limb=Limb.RIGHT)
    for n, site in enumerate(view.sites, start=1):
        view = rig.team.inject(view.id, site.number, str(n))
    rig.team.chart_sedation(view.id)
    bedside = rig.workspace(view.id)
    review = _review(rig, view.id)
    assert not review.completion_gaps, review.completion_gaps

    def act() -> None:
        rig.click(review.complete_button)

    return Scene(
        act,
        lambda: bedside.page.view.status is ProcedureStatus.COMPLETED,
        keep=[review],
    )


def _cases() -> Iterator[str]:
    yield from _HERE


@pytest.fixture
def rig(qtbot, team, tmp_path, monkeypatch, make_window) -> Iterator[Rig]:  # type: ignore[no-untyped-def]
    found = Rig(qtbot, team, tmp_path, monkeypatch, make_window)
    yield found
    found.close()


@pytest.mark.parametrize("service", list(_cases()))
def test_a_broken_service_is_said_on_screen_and_changes_nothing(rig: Rig, service: str) -> None:
    drive(rig, CASES[service])
