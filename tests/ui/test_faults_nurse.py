"""A broken service is said on screen and changes nothing: the nurse's record in the workspace
(doses, oxygen, vitals, events, recovery, adverse events, the timeline; see fault_rig.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from slidesk.demo.sedation import SedationCourse
from slidesk.domain.sedation.adverse_events import Outcome
from slidesk.domain.sedation.oxygen import OxygenDevice
from slidesk.services.procedure import completion
from slidesk.services.sedation import service as sedation
from tests.signing_helpers import amend, sign
from tests.ui.bedside import Bedside, open_procedure
from tests.ui.fault_rig import CASES, Rig, Scene, case, drive

CTRL = Qt.KeyboardModifier.ControlModifier
_HERE: list[str] = []


def here(service: str, *, writes: bool):  # type: ignore[no-untyped-def]
    _HERE.append(service)
    return case(service, writes=writes)


def _nurse_at_work(rig: Rig, *, tab: str = "") -> tuple[Bedside, Any]:
    """The nurse typing, the procedure open, the "Sedation & vitals" tab shown (Ctrl+2)."""
    view = rig.team.started_procedure()
    bedside = rig.workspace(view.id, typist=rig.team.nurse)
    rig.key(Qt.Key.Key_2, CTRL)
    nurse = bedside.window.features.record_tabs.sedation.inner
    if tab:
        nurse.tabs.setCurrentWidget(getattr(nurse, tab))
    return bedside, nurse


@here("slidesk.services.sedation.service.get_sedation", writes=False)
def _record(rig: Rig) -> Scene:
    view = rig.team.started_procedure()
    bedside = rig.workspace(view.id, typist=rig.team.nurse)
    tabs = bedside.window.features.record_tabs

    def act() -> None:  # back to the list, the procedure again, its sedation tab
        bedside.window.show_home()
        open_procedure(rig.qtbot, bedside, view.id)
        rig.key(Qt.Key.Key_2, CTRL)

    return Scene(act, lambda: tabs.sedation.inner.record is not None, says="NOT be up to date")


def _giving(rig: Rig) -> Scene:
    _bedside, nurse = _nurse_at_work(rig, tab="medication")
    med = nurse.medication

    def act() -> None:
        med.amount.setText("25")
        rig.click(med.give)

    return Scene(act, lambda: len(nurse.record.live_doses) == 1, says="NOT")


@here("slidesk.services.sedation.service.preview_dose", writes=False)
def _preview(rig: Rig) -> Scene:
    return _giving(rig)


@here("slidesk.services.sedation.service.record_dose", writes=True)
def _dose(rig: Rig) -> Scene:
    return _giving(rig)


@here("slidesk.services.sedation.service.record_oxygen", writes=True)
def _oxygen(rig: Rig) -> Scene:
    _bedside, nurse = _nurse_at_work(rig, tab="medication")
    med = nurse.medication

    def act() -> None:
        med.o2.device.setCurrentIndex(med.o2.device.findData(OxygenDevice.NASAL_CANNULA))
        med.o2.flow.setText("2")
        rig.click(med.o2.button)

    return Scene(act, lambda: nurse.record.current_oxygen is not None)


@here("slidesk.services.sedation.service.void_entry", writes=True)
def _strike(rig: Rig) -> Scene:
    bedside, nurse = _nurse_at_work(rig, tab="medication")
    team = rig.team
    assert bedside.view is not None
    sedation.record_dose(
        uow=team.uow,
        clock=team.clock,
        actor=team.nurse,
        procedure_id=bedside.view.id,
        drug_key="fentanyl",
        amount="25",
        unit_code="ug",
    )
    nurse.refresh()
    med = nurse.medication
    med.ask_reason = lambda *_args: "Charted on the wrong patient"  # the blocking question

    def act() -> None:
        med.table.selectRow(0)
        rig.click(med.strike)

    return Scene(act, lambda: nurse.record.doses[0].voided)


@here("slidesk.services.sedation.service.correct_dose", writes=True)
def _correct_dose(rig: Rig) -> Scene:
    team = rig.team
    view = team.started_procedure()
    team.chart_sedation(view.id)  # fentanyl 50 µg among the rest
    for n, site in enumerate(view.sites, start=1):
        view = team.inject(view.id, site.number, str(n))
    completion.complete_procedure(
        uow=team.uow, clock=team.clock, actor=team.operator, procedure_id=view.id
    )
    sign(team, view.id, "operator", "operator")
    sign(team, view.id, "nurse", "nurse")
    amend(team, view.id, "The dose was 25 µg on the paper chart")
    bedside = rig.workspace(view.id, typist=team.nurse)
    rig.key(Qt.Key.Key_2, CTRL)
    nurse = bedside.window.features.record_tabs.sedation.inner
    med = nurse.medication
    nurse.tabs.setCurrentWidget(med)

    def act() -> None:  # the dose, Correct selected…, 25, why, OK
        old = med.correction_dialog  # closed (deleted) once a try waited for the lock
        if old is not None and shiboken6.isValid(old) and old.isVisible():
            old.reject()
        med.table.selectRow(0)
        rig.click(med.correct)
        dialog = rig.shown(med.correction_dialog)
        dialog.amount.setText("25")
        dialog.reason_field.setText("25 µg on the paper chart")
        rig.click(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))

    def worked() -> bool:
        doses = nurse.record.live_doses
        return len(doses) == 1 and "25" in doses[0].text

    return Scene(act, worked)


@here("slidesk.services.sedation.monitoring.record_vitals", writes=True)
def _vitals(rig: Rig) -> Scene:
    _bedside, nurse = _nurse_at_work(rig, tab="vitals")
    vitals = nurse.vitals

    def act() -> None:
        vitals.hr.setText("72")
        vitals.spo2.setText("97")
        rig.click(vitals.save)

    return Scene(act, lambda: len(nurse.record.live_vitals) == 1)


@here("slidesk.services.sedation.monitoring.record_sedation_event", writes=True)
def _event(rig: Rig) -> Scene:
    _bedside, nurse = _nurse_at_work(rig, tab="events")
    events = nurse.events

    def act() -> None:
        events.description.setText("Snoring, chin lift")
        events.outcome.setText("Breathing freely")
        rig.click(events.save)

    return Scene(act, lambda: len(nurse.record.events) == 1)


@here("slidesk.services.sedation.monitoring.record_recovery", writes=True)
def _recovery(rig: Rig) -> Scene:
    _bedside, nurse = _nurse_at_work(rig, tab="recovery")
    recovery = nurse.recovery

    def act() -> None:
        for combo in recovery.items.values():
            combo.setCurrentIndex(combo.findData(2))
        rig.click(recovery.save)

    return Scene(act, lambda: len(nurse.record.recovery) == 1)


# --- adverse events ----------------------------------------------------------------------------


def _ae_form(rig: Rig, bedside: Bedside) -> Any:
    """Procedure ▸ Adverse event (whole procedure), F8; opened again for each try."""
    actions = bedside.window.features.procedure
    if actions.dialog is not None and actions.dialog.isVisible():
        actions.dialog.reject()
    actions.dialog = None
    rig.key(Qt.Key.Key_F8)
    return actions.dialog


@here("slidesk.services.sedation.adverse_events.adverse_event_options", writes=False)
def _ae_options(rig: Rig) -> Scene:
    bedside, _nurse = _nurse_at_work(rig)
    opened: list[Any] = []
    return Scene(
        lambda: opened.append(_ae_form(rig, bedside)),
        lambda: opened[-1] is not None and opened[-1].isVisible(),
        says="NOT be up to date",
        keep=opened,
    )


@here("slidesk.services.sedation.adverse_events.record_adverse_event", writes=True)
def _ae(rig: Rig) -> Scene:
    bedside, nurse = _nurse_at_work(rig)
    dialog = rig.shown(_ae_form(rig, bedside))
    dialog.term.setCurrentText("Haematoma")
    return Scene(
        lambda: rig.click(dialog.save_button),
        lambda: dialog.saved is not None and len(nurse.record.adverse_events) == 1,
        keep=[dialog],
    )


@here("slidesk.services.sedation.adverse_events.follow_up_adverse_event", writes=True)
def _ae_follow_up(rig: Rig) -> Scene:
    bedside, nurse = _nurse_at_work(rig, tab="events")
    team = rig.team
    assert bedside.view is not None
    SedationCourse(team.uow, team.clock, team.nurse, team.operator, bedside.view.id).finish()
    nurse.refresh()
    events = nurse.events
    opened: list[Any] = []

    def answer(dialog: Any) -> None:  # instead of exec(): shown, filled, accepted
        opened.append(dialog)
        dialog.show()
        rig.shown(dialog)
        dialog.outcome.setCurrentIndex(dialog.outcome.findData(Outcome.RECOVERED))
        dialog.reason.setText("Haematoma gone at the discharge check")
        dialog.buttons.accepted.emit()

    events.open_follow_up = answer

    def act() -> None:
        events.aes_table.selectRow(0)
        rig.click(events.follow_up)

    return Scene(
        act,
        lambda: nurse.record.adverse_events[0].outcome is Outcome.RECOVERED,
        keep=opened,
    )


@here("slidesk.services.audit.timeline.get_timeline", writes=False)
def _timeline(rig: Rig) -> Scene:
    view = rig.team.started_procedure()
    bedside = rig.workspace(view.id, typist=rig.team.nurse)
    rig.key(Qt.Key.Key_3, CTRL)
    timeline = bedside.window.features.record_tabs.timeline.inner
    return Scene(
        lambda: rig.click(timeline.refresh_button),
        lambda: timeline.timeline is not None and timeline.message.text() == "",
        says="NOT be up to date",
    )


@pytest.fixture
def rig(qtbot, team, tmp_path, monkeypatch, make_window) -> Iterator[Rig]:  # type: ignore[no-untyped-def]
    found = Rig(qtbot, team, tmp_path, monkeypatch, make_window)
    yield found
    found.close()


@pytest.mark.parametrize("service", _HERE)
def test_a_broken_service_is_said_on_screen_and_changes_nothing(rig: Rig, service: str) -> None:
    drive(rig, CASES[service])
