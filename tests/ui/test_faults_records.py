"""A broken service is said on screen and changes nothing: signing, amendments, the report,
and the audit trail with its check and export (see tests/ui/fault_rig.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.conftest import PASSWORD
from tests.signing_helpers import amend, completed_procedure, signed_procedure
from tests.ui.bedside import Bedside
from tests.ui.fault_rig import CASES, Rig, Scene, case, drive

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
_HERE: list[str] = []


def here(service: str, *, writes: bool):  # type: ignore[no-untyped-def]
    _HERE.append(service)
    return case(service, writes=writes)


def _open(rig: Rig, bedside: Bedside, key: Qt.Key, modifier: Any) -> Any:
    """A Procedure-menu window for the selected row of the list, opened again for each try."""
    actions = bedside.window.features.procedure
    if actions.dialog is not None and actions.dialog.isVisible():
        actions.dialog.close()
    actions.dialog = None
    rig.activate(bedside.window)
    bedside.window.home.table.setFocus()
    rig.key(key, modifier)
    dialog = actions.dialog
    if dialog is not None:
        rig.shown(dialog)
    return dialog


def _sign_window(rig: Rig, bedside: Bedside) -> Any:
    return _open(rig, bedside, Qt.Key.Key_S, CTRL | SHIFT)


def _report_window(rig: Rig, bedside: Bedside) -> Any:
    return _open(rig, bedside, Qt.Key.Key_P, CTRL)


# --- signing -----------------------------------------------------------------------------------


@here("slidesk.services.signing.service.review_for_signing", writes=False)
def _review(rig: Rig) -> Scene:
    completed_procedure(rig.team)
    bedside = rig.window()
    opened: list[Any] = []
    return Scene(
        lambda: opened.append(_sign_window(rig, bedside)),
        lambda: opened[-1].review is not None,
        says="NOT be up to date",
        keep=opened,
    )


@here("slidesk.services.signing.service.sign_record", writes=True)
def _sign(rig: Rig) -> Scene:
    completed_procedure(rig.team)
    bedside = rig.window()
    dialog = _sign_window(rig, bedside)

    def act() -> None:
        dialog.findings.acknowledge_all()
        dialog.meaning.setCurrentIndex(dialog.meaning.findData("operator"))
        dialog.username.setText("operator")
        dialog.password.setText(PASSWORD)  # cleared after every try
        rig.click(dialog.sign_button)

    def worked() -> bool:
        signed = [m for m in dialog.review.meanings if m.signature is not None]
        return [m.role for m in signed] == ["operator"]

    return Scene(act, worked, keep=[dialog])


@here("slidesk.services.signing.service.open_amendment", writes=True)
def _amend(rig: Rig) -> Scene:
    signed_procedure(rig.team)
    bedside = rig.window()
    dialog = _sign_window(rig, bedside)
    opened: list[Any] = [dialog]

    def act() -> None:  # Open amendment…, the reason, one's own password, Open
        old = dialog.amendment_dialog
        if old is not None and old.isVisible():
            old.reject()
        rig.click(dialog.amend_button)
        amendment = rig.shown(dialog.amendment_dialog)
        opened.append(amendment)
        amendment.reason.setPlainText("Depth at site 4 read again from the paper chart")
        amendment.password.setText(PASSWORD)
        rig.click(amendment.open_button)

    return Scene(act, lambda: dialog.review.open_amendment is not None, keep=opened)


@here("slidesk.services.signing.changes.changes_since_signed", writes=False)
def _changes(rig: Rig) -> Scene:
    view = signed_procedure(rig.team)
    amend(rig.team, view.id, "Depth at site 4 read again from the paper chart")
    bedside = rig.window()
    opened: list[Any] = []
    return Scene(
        lambda: opened.append(_sign_window(rig, bedside)),
        lambda: opened[-1].changes.isVisible(),
        says="NOT be up to date",
        keep=opened,
    )


# --- the report --------------------------------------------------------------------------------


@here("slidesk.services.signing.service.list_versions", writes=False)
def _versions(rig: Rig) -> Scene:
    signed_procedure(rig.team)
    bedside = rig.window()
    opened: list[Any] = []
    return Scene(
        lambda: opened.append(_report_window(rig, bedside)),
        lambda: opened[-1].version.count() > 0 and opened[-1].issued is not None,
        says="NOT be up to date",
        keep=opened,
        slow=True,
    )


@here("slidesk.services.reporting.service.issue_report", writes=True)
def _report(rig: Rig) -> Scene:
    signed_procedure(rig.team)
    bedside = rig.window()
    opened: list[Any] = []
    return Scene(
        lambda: opened.append(_report_window(rig, bedside)),
        lambda: opened[-1].issued is not None,
        says="could not be done",
        keep=opened,
        slow=True,
    )


@here("slidesk.services.reporting.service.record_report_event", writes=True)
def _saved_copy(rig: Rig) -> Scene:
    signed_procedure(rig.team)
    bedside = rig.window()
    dialog = _report_window(rig, bedside)
    rig.qtbot.waitUntil(lambda: dialog.issued is not None, timeout=30_000)
    target = rig.tmp_path / "report.pdf"
    rig.monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_args, **_kwargs: (str(target), "")
    )
    return Scene(
        lambda: rig.click(dialog.save_button),
        lambda: dialog.message.kind == "success" and target.is_file(),
        keep=[dialog],
    )


# --- the audit trail ---------------------------------------------------------------------------


def _auditor(rig: Rig) -> Bedside:
    """The main window with the administrator typing (the audit trail is theirs to read)."""
    bedside = rig.window()
    bedside.session.add(rig.team.admin, make_active=True)
    bedside.window._add_admin_menu()  # built a moment after the list, normally
    return bedside


def _viewer(rig: Rig, bedside: Bedside) -> Any:
    """Administration ▸ Audit trail (Ctrl+Shift+A), opened again for each try."""
    menu = bedside.window.admin_menu
    if menu.last_dialog is not None and menu.last_dialog.isVisible():
        old = menu.last_dialog
        rig.qtbot.waitUntil(lambda: old.verify_banner.kind in ("success", "error", "warning"))
        old.close()
    rig.activate(bedside.window)
    rig.key(Qt.Key.Key_A, CTRL | SHIFT)
    viewer = menu.last_dialog
    rig.shown(viewer)
    return viewer


def _viewer_read(service: str, worked: Any) -> None:
    @here(service, writes=False)
    def _build(rig: Rig) -> Scene:
        rig.team.started_procedure()
        bedside = _auditor(rig)
        opened: list[Any] = []
        return Scene(
            lambda: opened.append(_viewer(rig, bedside)),
            lambda: worked(opened[-1]),
            says="NOT be up to date",
            keep=opened,
        )


_viewer_read("slidesk.services.audit.trail.event_types", lambda v: v.filters.kind.count() > 1)
_viewer_read("slidesk.services.accounts.service.list_users", lambda v: v.filters.user.count() > 1)
_viewer_read("slidesk.services.audit.trail.read_page", lambda v: v.model.rowCount() > 0)
_viewer_read("slidesk.services.audit.trail.count_entries", lambda v: v.message.kind != "error")


@here("slidesk.services.audit.verify.verify_database", writes=False)
def _verify(rig: Rig) -> Scene:
    rig.team.started_procedure()
    bedside = _auditor(rig)
    opened: list[Any] = []

    def act() -> None:
        viewer = _viewer(rig, bedside)
        opened.append(viewer)
        viewer.start_verify()  # at once, not after the first paint

    return Scene(
        act,
        lambda: opened[-1].verify_banner.kind == "success",
        says="could not be done",
        keep=opened,
        slow=True,
    )


@here("slidesk.services.audit.trail.export_csv", writes=True)
def _export(rig: Rig) -> Scene:
    rig.team.started_procedure()
    bedside = _auditor(rig)
    viewer = _viewer(rig, bedside)
    target: Path = rig.tmp_path / "trail.csv"
    rig.monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_args, **_kwargs: (str(target), "")
    )

    def act() -> None:
        rig.qtbot.waitUntil(viewer.export_button.isEnabled)
        rig.click(viewer.export_button)

    return Scene(
        act,
        lambda: viewer.message.kind == "success" and target.is_file(),
        says="could not be done",
        keep=[viewer],
        slow=True,
    )


@pytest.fixture
def rig(qtbot, team, tmp_path, monkeypatch, make_window) -> Iterator[Rig]:  # type: ignore[no-untyped-def]
    found = Rig(qtbot, team, tmp_path, monkeypatch, make_window)
    yield found
    found.close()


@pytest.mark.parametrize("service", _HERE)
def test_a_broken_service_is_said_on_screen_and_changes_nothing(rig: Rig, service: str) -> None:
    drive(rig, CASES[service])
