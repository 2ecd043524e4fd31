"""`slidesk --db MISTYPED` with no terminal (a double-click) asks in a window before creating.

The question names the path; Cancel (the default button) creates nothing and the app does not
start (exit 2); Create starts the app on a new database there. With a terminal the question
stays on the terminal (tests/integration/test_cli_faults.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from ui import launch
from ui.startup import CreateQuestion


def _answer(qtbot: Any, choose: str, seen: list[str], grab: Path | None = None) -> None:
    """When the question is on screen: note its text, then press `choose`."""

    def press() -> None:
        question = QApplication.activeModalWidget()
        assert isinstance(question, CreateQuestion)
        seen.append(question.text())
        if grab is not None:
            question.grab().save(str(grab))
        button = question.create_button if choose == "create" else question.cancel_button
        button.click()

    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), CreateQuestion))
    press()


def test_a_mistyped_path_without_a_terminal_is_asked_about_in_a_window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QTimer

    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    started: list[str] = []
    monkeypatch.setattr(launch, "_run_gui", lambda target: started.append(target) or 0)
    mistyped = tmp_path / "stduy.sqlite3"
    seen: list[str] = []

    QTimer.singleShot(0, lambda: _answer(qtbot, "cancel", seen, tmp_path / "question.png"))
    assert launch.main(["--db", str(mistyped)]) == 2
    assert seen == [f"No SLI Desk database at {mistyped}. Create a new one?"]
    assert started == []
    assert not mistyped.exists()

    QTimer.singleShot(0, lambda: _answer(qtbot, "create", seen))
    assert launch.main(["--db", str(mistyped)]) == 0
    assert started == [str(mistyped)]


def test_cancel_is_the_default_answer(qtbot: Any, tmp_path: Path) -> None:
    question = CreateQuestion(str(tmp_path / "x.sqlite3"))
    qtbot.addWidget(question)
    assert question.defaultButton() is question.cancel_button
    assert question.escapeButton() is question.cancel_button
