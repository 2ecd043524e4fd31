"""The time-out dialog with confirmers: each item shows who must confirm it and who has; the
operator and the nurse each tick their own boxes; a refused tick says why; a second person
signs in from the dialog."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from slidesk.domain.users import Role
from slidesk.services.accounts import service as accounts
from slidesk.services.procedure import checklist, planning
from tests.conftest import PASSWORD
from tests.ui.bedside import (
    activate,
)

OP, RN = Role.OPERATOR, Role.NURSE
NURSE_PASSWORD = "bedside-own-secret-7"


def _shot(widget, name: str) -> None:
    if os.environ.get("SLIDESK_SHOTS"):
        QApplication.processEvents()
        folder = Path(os.environ["SLIDESK_SHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        widget.window().grab().save(str(folder / f"{name}.png"))


def _dialog(qtbot, make_window, team, *, nurse_signed_in: bool = True, extra=None):  # type: ignore[no-untyped-def]
    bedside = make_window(team)
    if not nurse_signed_in:
        bedside.session.sign_out(team.nurse.user_id)
    if extra is not None:
        bedside.session.add(extra, make_active=False)
    planned = planning.plan_procedure(
        uow=team.uow,
        clock=team.clock,
        actor=team.operator,
        subject_id=team.subject(),
        kit_number="SAIL-K001",
        operator_id=team.operator.user_id,
        nurse_id=team.nurse.user_id,
        location="Angio 2",
    )
    bedside.window.open_procedure(planned.id)
    dialog = bedside.window.dialog
    assert type(dialog).__name__ == "TimeOutDialog"
    activate(qtbot, dialog)
    dialog.bedside = bedside  # keeps the owning window alive while the dialog is tested
    return dialog


def _click(qtbot, box) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(10, box.height() // 2))


def _choose(dialog, actor) -> None:  # type: ignore[no-untyped-def]
    dialog.who.setCurrentIndex(dialog.who.findData(actor.user_id))


def test_each_item_shows_a_box_per_role_that_confirms_it(qtbot, make_window, team) -> None:
    dialog = _dialog(qtbot, make_window, team)
    protocol = team.uow.protocols.default
    shown = {key: [] for key in (i.key for i in protocol.checklist)}
    for key, role in dialog.boxes:
        shown[key].append(role)
    assert shown == {i.key: list(i.confirm_by) for i in protocol.checklist}
    assert dialog.boxes[("identity", OP)].text() == "Operator"
    assert dialog.boxes[("identity", RN)].text() == "Nurse"
    assert dialog.notes["identity"].text().endswith("waiting for the operator and nurse</span>")
    # The operator is typing and confirms: only the operator's boxes take clicks.
    assert dialog.who.currentText() == "Olga Operator (operator)"
    assert all(box.isEnabled() == (role is OP) for (_key, role), box in dialog.boxes.items())
    assert "0 of 10 items complete" in dialog.progress.text()
    _shot(dialog, "timeout-opened")


def test_two_people_complete_an_item_and_the_note_names_both(qtbot, make_window, team) -> None:
    dialog = _dialog(qtbot, make_window, team)
    _click(qtbot, dialog.boxes[("identity", OP)])
    assert dialog.boxes[("identity", OP)].isChecked()
    note = dialog.notes["identity"].text()
    assert "Olga Operator (operator)" in note
    assert "waiting for the nurse" in note
    assert "0 of 10" in dialog.progress.text()
    _choose(dialog, team.nurse)
    assert dialog.boxes[("identity", RN)].isEnabled()
    assert not dialog.boxes[("identity", OP)].isEnabled()
    _click(qtbot, dialog.boxes[("identity", RN)])
    note = dialog.notes["identity"].text()
    assert "Olga Operator (operator)" in note
    assert "Nina Nurse (nurse)" in note
    assert "waiting" not in note
    assert "1 of 10" in dialog.progress.text()
    state = checklist.get_checklist(uow=team.uow, actor=team.nurse, procedure_id=dialog.view.id)
    identity = next(i for i in state.items if i.key == "identity")
    assert [(t.ticked_by.full_name, t.role) for t in identity.ticks] == [
        ("Olga Operator", "operator"),
        ("Nina Nurse", "nurse"),
    ]
    _shot(dialog, "timeout-two-people")


def test_one_person_with_both_roles_is_refused_the_second_box_and_told_why(
    qtbot, make_window, team
):
    both = team.add("lead", "Lee Both", Role.OPERATOR, Role.NURSE)
    dialog = _dialog(qtbot, make_window, team, extra=both)
    _choose(dialog, both)
    _click(qtbot, dialog.boxes[("identity", OP)])
    nurse_box = dialog.boxes[("identity", RN)]
    assert nurse_box.isEnabled()
    _click(qtbot, nurse_box)
    assert not nurse_box.isChecked()
    assert dialog.banner.isVisible()
    assert dialog.banner.kind == "error"
    assert dialog.banner.text() == (
        "Lee Both already confirmed “Right subject: wristband checked, study ID on the kit "
        "label matches” as operator. A second person must confirm it: the nurse."
    )
    _shot(dialog, "timeout-refused")


def test_the_second_person_signs_in_from_the_time_out_and_is_chosen(
    qtbot, make_window, team
) -> None:
    accounts.change_password(  # the nurse's own password: no change is due at sign-in
        uow=team.uow,
        clock=team.clock,
        username="nurse",
        old_password=PASSWORD,
        new_password=NURSE_PASSWORD,
        hasher=team.hasher,
    )
    dialog = _dialog(qtbot, make_window, team, nurse_signed_in=False)
    assert dialog.who.findData(team.nurse.user_id) == -1
    assert not dialog.boxes[("allergies", RN)].isEnabled()
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    sign_in = dialog.sign_in_dialog
    assert sign_in is not None
    qtbot.waitExposed(sign_in)
    qtbot.keyClicks(sign_in.username, "nurse")
    qtbot.keyClicks(sign_in.password, NURSE_PASSWORD)
    with qtbot.waitSignal(sign_in.signed_in):
        qtbot.keyClick(sign_in.password, Qt.Key.Key_Return)
    assert dialog.who.currentData() == team.nurse.user_id
    assert dialog.bedside.session.active.user_id == team.operator.user_id  # typist unchanged
    assert dialog.boxes[("allergies", RN)].isEnabled()
    _click(qtbot, dialog.boxes[("allergies", RN)])
    assert "Nina Nurse (nurse)" in dialog.notes["allergies"].text()


def test_withdrawing_a_confirmation_asks_why_and_reopens_the_role(qtbot, make_window, team) -> None:
    dialog = _dialog(qtbot, make_window, team)
    box = dialog.boxes[("skin", OP)]
    _click(qtbot, box)
    assert box.isChecked()
    _click(qtbot, box)
    reason = dialog.reason_dialog
    assert reason is not None
    qtbot.waitExposed(reason)
    qtbot.keyClicks(reason.combo.lineEdit(), "Skin not yet inspected")
    qtbot.keyClick(reason.combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not box.isChecked())
    assert "waiting for the operator" in dialog.notes["skin"].text()
    state = checklist.get_checklist(uow=team.uow, actor=team.nurse, procedure_id=dialog.view.id)
    skin = next(i for i in state.items if i.key == "skin")
    assert skin.ticks == ()
