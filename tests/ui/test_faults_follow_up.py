"""A broken service is said on screen and changes nothing: the follow-up visits under the list,
a subject's outcomes and the visit form (see tests/ui/fault_rig.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog

from slidesk.domain.followup.model import VisitStatus
from tests.conftest import PASSWORD
from tests.followup_helpers import baseline_entry, entry, save, subject_in_follow_up
from tests.ui.fault_rig import CASES, Rig, Scene, case, drive
from ui.followup import common, subject_outcomes
from ui.followup.procedure_date_dialog import ProcedureDateDialog

_HERE: list[str] = []


def here(service: str, *, writes: bool):  # type: ignore[no-untyped-def]
    _HERE.append(service)
    return case(service, writes=writes)


def _subject(rig: Rig, *, month_12: str = "") -> int:
    """A subject in follow-up: baseline and months 2 and 6 saved; month 12 as asked."""
    team = rig.team
    subject = subject_in_follow_up(team)
    save(team, subject, 0, baseline_entry())
    save(team, subject, 2, entry(visit_date=date(2025, 10, 30)))
    save(team, subject, 6, entry())
    if month_12:
        save(team, subject, 12, entry(visit_date=date(2026, 9, 1)))
    if month_12 == "signed":
        from slidesk.services.followup import service as followup

        visit = (
            followup.get_subject_outcomes(
                uow=team.uow, clock=team.clock, actor=team.operator, subject_id=subject
            )
            .time_point(12)
            .visit
        )
        assert visit is not None
        followup.sign_visit(
            uow=team.uow,
            clock=team.clock,
            actor=team.operator,
            visit_id=visit.id,
            password=PASSWORD,
        )
    return subject


def _due_panel(rig: Rig) -> Any:
    """The follow-up visits under the procedure list (built a moment after it, normally)."""
    bedside = rig.window()
    return bedside.window.features.follow_up.ensure_panel()


def _outcomes(rig: Rig) -> Any:
    """The subject's outcomes, opened from the due list (Open subject), again for each try."""
    panel = _due_panel(rig)
    for old in panel._windows:
        if old.isVisible():
            old.close()
    panel.table.selectRow(0)
    rig.click(panel.open_button)
    return rig.shown(panel._windows[-1])


def _at_month_12(rig: Rig, window: Any) -> Any:
    window.table.selectRow(window.model.row_of(12))
    return window


@here("slidesk.services.followup.due.due_visits", writes=False)
def _due(rig: Rig) -> Scene:
    _subject(rig)
    panel = _due_panel(rig)
    return Scene(
        lambda: rig.click(panel.refresh_button),
        lambda: panel.model.rowCount() > 0 and panel.message.text() == "",
        says="NOT be up to date",
    )


@here("slidesk.services.followup.service.get_subject_outcomes", writes=False)
def _outcomes_read(rig: Rig) -> Scene:
    _subject(rig)
    opened: list[Any] = []
    return Scene(
        lambda: opened.append(_outcomes(rig)),
        lambda: opened[-1].outcomes is not None,
        says="NOT be up to date",
        keep=opened,
    )


@here("slidesk.services.followup.service.save_visit", writes=True)
def _save(rig: Rig) -> Scene:
    _subject(rig)
    window = _at_month_12(rig, _outcomes(rig))
    form = rig.shown(window.open_form(window._selected_point()))
    form.survival.vital.setCurrentIndex(1)  # alive
    form.clinical.rutherford.set_choice(2)
    return Scene(
        lambda: rig.click(form.save_button),
        lambda: form.view is not None,
        keep=[window, form],
    )


@here("slidesk.services.followup.service.sign_visit", writes=True)
def _sign(rig: Rig) -> Scene:
    _subject(rig, month_12="saved")

    def typed(dialog: common.SignDialog) -> int:  # instead of exec(): the password typed
        dialog.password.setText(PASSWORD)
        return int(QDialog.DialogCode.Accepted)

    rig.monkeypatch.setattr(common.SignDialog, "exec", typed)
    window = _at_month_12(rig, _outcomes(rig))
    return Scene(
        lambda: window.sign_action.trigger(),
        lambda: window._selected_point().visit.status is VisitStatus.SIGNED,
        keep=[window],
    )


@here("slidesk.services.followup.service.open_amendment", writes=True)
def _amend(rig: Rig) -> Scene:
    _subject(rig, month_12="signed")

    def typed(dialog: common.ReasonDialog) -> int:
        dialog.text.setPlainText("Rutherford category misread from the CRF")
        return int(QDialog.DialogCode.Accepted)

    rig.monkeypatch.setattr(common.ReasonDialog, "exec", typed)
    rig.monkeypatch.setattr(subject_outcomes.SubjectOutcomesWindow, "open_form", _no_form)
    window = _at_month_12(rig, _outcomes(rig))
    return Scene(
        lambda: window.amend_action.trigger(),
        lambda: window._selected_point().visit.status is not VisitStatus.SIGNED,
        keep=[window],
    )


def _no_form(self: Any, point: Any) -> None:
    """The amended visit's form would open next; not needed here."""


@here("slidesk.services.followup.service.set_procedure_date", writes=True)
def _procedure_date(rig: Rig) -> Scene:
    _subject(rig)

    def typed(dialog: ProcedureDateDialog) -> int:
        dialog.date_edit.setDate(dialog.date_edit.date().addDays(-1))
        dialog.reason.setText("Procedure date checked against the paper record")
        return int(QDialog.DialogCode.Accepted)

    rig.monkeypatch.setattr(ProcedureDateDialog, "exec", typed)
    window = _outcomes(rig)
    first = window.outcomes.procedure_date
    return Scene(
        lambda: window.date_action.trigger(),
        lambda: window.outcomes.procedure_date != first,
        keep=[window],
    )


@pytest.fixture
def rig(qtbot, team, tmp_path, monkeypatch, make_window) -> Iterator[Rig]:  # type: ignore[no-untyped-def]
    found = Rig(qtbot, team, tmp_path, monkeypatch, make_window)
    yield found
    found.close()


@pytest.mark.parametrize("service", _HERE)
def test_a_broken_service_is_said_on_screen_and_changes_nothing(rig: Rig, service: str) -> None:
    drive(rig, CASES[service])
