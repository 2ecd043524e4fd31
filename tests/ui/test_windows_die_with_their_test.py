"""The window fixtures: `make_window` closes what it built, and a leaked window fails its test."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
import weakref
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QDialog, QLineEdit, QWidget

from tests.ui.conftest import LeakedWindows, check_no_new_windows, live_windows

ROOT = Path(__file__).resolve().parents[2]

INNER = """
import shiboken6
from PySide6.QtWidgets import QDialog, QWidget

kept = []


def test_a_window_kept_by_the_test_leaks(qtbot):
    window = QWidget()
    window.setWindowTitle("Left behind")
    window.show()
    kept.append(window)


def test_a_dialog_given_to_qtbot_does_not_leak(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    kept.append(dialog)


def test_the_factory_window_does_not_leak(make_window, team):
    bedside = make_window(team)
    assert bedside.window.isVisible()
    kept.append(bedside.window)


def test_the_earlier_windows_are_deleted_by_now():
    assert [shiboken6.isValid(w) for w in kept] == [False, False, False]
"""


def test_a_test_that_leaks_a_window_fails_and_the_others_pass(tmp_path: Path) -> None:
    inner = tmp_path / "test_inner.py"
    inner.write_text(textwrap.dedent(INNER))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(inner),
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "tests.conftest",
            "-p",
            "tests.ui.conftest",
            "--rootdir",
            str(tmp_path),
            "-c",
            os.devnull,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )
    out = done.stdout
    assert done.returncode == 1, out + done.stderr
    assert "4 passed, 1 error" in out, out
    assert "ERROR at teardown of test_a_window_kept_by_the_test_leaks" in out, out
    assert "1 window(s) outlived the test: QWidget 'Left behind' (shown)" in out, out


def test_the_leak_check_names_a_kept_window_and_deletes_it(qtbot) -> None:
    before = set(live_windows())
    kept = QDialog()
    kept.setWindowTitle("Forgotten")
    with pytest.raises(
        LeakedWindows, match=r"1 window\(s\) outlived the test: QDialog 'Forgotten' \(hidden\)"
    ):
        check_no_new_windows(before)
    assert not shiboken6.isValid(kept)
    check_no_new_windows(before)  # and nothing is left for the next test


def test_a_window_only_garbage_holds_is_deleted_now_not_reported(qtbot) -> None:
    before = set(live_windows())

    class Cyclic(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.me = self  # only a collection frees it
            self.field = QLineEdit()  # parentless, as a form's unused field can be

    widget = Cyclic()
    field = weakref.ref(widget.field)
    del widget
    assert field() is not None  # alive after the test, though nothing uses it
    check_no_new_windows(before)
    assert field() is None


def test_a_widget_given_to_qtbot_outlives_a_collection_while_its_test_runs(qtbot) -> None:
    class Cyclic(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.me = self
            self.child = QLineEdit(self)

    window = Cyclic()
    qtbot.addWidget(window)
    child = window.child
    del window  # the test keeps only a child, as the vitals fixture did
    gc.collect()
    assert shiboken6.isValid(child)


def test_the_vitals_save_survives_a_collection_in_the_middle_of_it(
    qtbot, team, context, monkeypatch
) -> None:
    """The CI flake, on purpose: a collection during the service call (it allocates a lot)
    used to delete the panel that only qtbot's weak reference held, and with it the message
    line the slot writes to next ('Internal C++ object (MessageLine) already deleted')."""
    from slidesk.services.sedation import monitoring as sedation_monitoring
    from ui.nurse.panel import NursePanel
    from ui.session import BedsideSession

    session = BedsideSession(context)
    session.add(team.nurse)
    view = team.started_procedure()
    panel = NursePanel(context, session)
    qtbot.addWidget(panel)
    panel.set_procedure(view.id)
    vitals = panel.vitals
    del panel
    real = sedation_monitoring.record_vitals

    def collecting(**values: object) -> object:
        gc.collect()
        return real(**values)

    monkeypatch.setattr(sedation_monitoring, "record_vitals", collecting)
    vitals.hr.setText("72")
    with qtbot.waitSignal(context.changes.changed, timeout=2000):
        vitals.save.click()
    assert vitals.message.text() == "Vital signs saved."
