"""Every screen's write while another program holds the database's write lock.

The same as the bedside Confirm (tests/ui/test_faults_lock_wait.py), for the writes a person
makes elsewhere: the nurse's dose and vital signs, an undo, the completion (a dialog) and the
follow-up visit. A real second process holds `BEGIN IMMEDIATE`; the person acts through the
real widgets (the scenes of the fault tests). Within one second of wall time the screen says
"Waiting for the database (held by another program)…", a timer on the GUI thread goes on
ticking, what was typed is still there and nothing is in the file; once the other program
lets go, the write goes through, and exactly once (the file's tables change once, then stay).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from tests.integration.test_security import table_counts
from tests.ui import test_faults_follow_up as follow_up
from tests.ui import test_faults_nurse as nurse
from tests.ui import test_faults_records as records
from tests.ui import test_faults_workspace as workspace
from tests.ui.fault_rig import Rig, Scene, visible_texts
from tests.ui.test_faults_lock_wait import Holder

WAITING = "Waiting for the database (held by another program)"


@pytest.fixture
def rig(qtbot, team, tmp_path, monkeypatch, make_window) -> Iterator[Rig]:  # type: ignore[no-untyped-def]
    found = Rig(qtbot, team, tmp_path, monkeypatch, make_window)
    monkeypatch.setenv("SLIDESK_LOCK_WAIT", "15")  # the real lock goes away: the whole wait
    yield found
    found.close()


def _ticks() -> list[int]:
    counted = [0]
    timer = QTimer(QApplication.instance())
    timer.setInterval(10)
    timer.timeout.connect(lambda: counted.__setitem__(0, counted[0] + 1))
    timer.start()
    return counted


def _dose(rig: Rig) -> tuple[Scene, Callable[[], bool]]:
    scene = nurse._dose.build(rig)
    med = rig.window().window.features.record_tabs.sedation.inner.medication
    return scene, lambda: med.amount.text() == "25"


def _vitals(rig: Rig) -> tuple[Scene, Callable[[], bool]]:
    scene = nurse._vitals.build(rig)
    vitals = rig.window().window.features.record_tabs.sedation.inner.vitals
    return scene, lambda: (vitals.hr.text(), vitals.spo2.text()) == ("72", "97")


def _undo(rig: Rig) -> tuple[Scene, Callable[[], bool]]:
    scene = workspace._undo.build(rig)
    page = rig.window().page
    return scene, lambda: page.view is not None and page.view.injected_count == 1


def _complete(rig: Rig) -> tuple[Scene, Callable[[], bool]]:
    scene = workspace._complete.build(rig)
    review: QWidget = scene.keep[0]
    return scene, review.isVisible


def _adverse_event(rig: Rig) -> tuple[Scene, Callable[[], bool]]:
    scene = nurse._ae.build(rig)
    form = scene.keep[0]
    return scene, lambda: form.isVisible() and form.term.currentText() == "Haematoma"


def _visit(rig: Rig) -> tuple[Scene, Callable[[], bool]]:
    scene = follow_up._save.build(rig)
    form = scene.keep[1]
    return scene, lambda: form.isVisible() and form.survival.vital.currentIndex() == 1


@pytest.mark.parametrize(
    "build",
    [_dose, _vitals, _undo, _complete, _adverse_event, _visit],
    ids=["dose", "vitals", "undo", "completion", "adverse event form", "follow-up visit"],
)
def test_a_write_waits_for_another_programs_lock_without_freezing(
    rig: Rig, build: Callable[[Rig], tuple[Scene, Callable[[], bool]]]
) -> None:
    scene, kept = build(rig)
    before = table_counts(rig.team)
    holder = Holder(Path(rig.team.db.location))
    try:
        pressed_at = time.monotonic()
        scene.act()
        rig.qtbot.waitUntil(lambda: any(WAITING in t for t in visible_texts()), timeout=1000)
        latency = time.monotonic() - pressed_at
        assert latency < 1.0, latency

        ticks = _ticks()
        rig.qtbot.waitUntil(lambda: ticks[0] >= 20, timeout=2000)  # the GUI thread runs
        assert kept(), "what was typed is gone"
        assert not scene.worked()
        assert table_counts(rig.team) == before, "saved while the lock was held"

        holder.release()
        rig.qtbot.waitUntil(scene.worked, timeout=3000)
    finally:
        holder.end()
    after = table_counts(rig.team)
    assert after != before
    assert not any(WAITING in t for t in visible_texts())
    ticks = _ticks()
    rig.qtbot.waitUntil(lambda: ticks[0] >= 60, timeout=3000)  # no second save comes late
    assert table_counts(rig.team) == after


def test_a_signature_is_not_retried_but_said_at_once(rig: Rig) -> None:
    """A signature checks the password again: a held lock is said at once, nothing signed;
    the dialog stays open, and signing again once the lock is free signs once."""
    scene = records._sign.build(rig)
    dialog: QWidget = scene.keep[0]
    before = table_counts(rig.team)
    holder = Holder(Path(rig.team.db.location))
    try:
        pressed_at = time.monotonic()
        scene.act()
        held = "is held by another program. The signature is NOT recorded"
        rig.qtbot.waitUntil(lambda: any(held in t for t in visible_texts()), timeout=1000)
        latency = time.monotonic() - pressed_at
        assert latency < 1.0, latency
        assert dialog.isVisible()
        ticks = _ticks()
        rig.qtbot.waitUntil(lambda: ticks[0] >= 20, timeout=2000)
        assert not scene.worked()
        assert table_counts(rig.team) == before
        holder.release()
    finally:
        holder.end()
    ticks = _ticks()
    rig.qtbot.waitUntil(lambda: ticks[0] >= 30, timeout=3000)  # nothing is signed later
    assert table_counts(rig.team) == before
    scene.act()
    rig.qtbot.waitUntil(scene.worked, timeout=3000)


def test_a_form_closed_while_it_waits_records_nothing(rig: Rig) -> None:
    """Closing the form is the person's word: the visit waiting for the lock is dropped."""
    scene, _kept = _visit(rig)
    form = scene.keep[1]
    before = table_counts(rig.team)
    holder = Holder(Path(rig.team.db.location))
    try:
        scene.act()
        rig.qtbot.waitUntil(lambda: any(WAITING in t for t in visible_texts()), timeout=1000)
        form.reject()  # Close (Esc)
        holder.release()
    finally:
        holder.end()
    ticks = _ticks()
    rig.qtbot.waitUntil(lambda: ticks[0] >= 60, timeout=3000)  # well past a few retries
    assert form.view is None
    assert table_counts(rig.team) == before
