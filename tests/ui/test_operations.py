"""The one door: refusals shown, nothing fails silently, every change announced."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from slidesk.domain.errors import ValidationError
from tests.fakes import FakeClock
from ui.door import operations
from ui.door.operations import Changed, ChangeNotifier, Topic


class _Context:
    def __init__(self) -> None:
        self.uow = object()
        self.clock = FakeClock()
        self.changes = ChangeNotifier()


class _Actor:
    user_id = 7


@pytest.fixture
def fake_context() -> _Context:
    return _Context()


@pytest.fixture
def log_file(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = operations.install_log_file(tmp_path / "logs")
    yield path
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "baseFilename", None) == str(path):
            root.removeHandler(handler)
            handler.close()


def test_a_refusal_is_shown_as_the_service_worded_it_and_nothing_is_announced(fake_context) -> None:
    shown: list[str] = []
    announced: list[Changed] = []
    fake_context.changes.changed.connect(announced.append)

    def service(**_: object) -> str:
        raise ValidationError("Depth 30 mm is outside 10–15 mm.")

    result = operations.write(
        fake_context,
        service,
        actor=_Actor(),
        show_error=shown.append,
        what="The injection",
        changes=(Topic.PROCEDURE,),
        procedure_id=3,
    )
    assert result is None
    assert shown == ["Depth 30 mm is outside 10–15 mm."]
    assert announced == []


def test_an_unexpected_failure_says_what_was_not_saved_and_logs_the_traceback(
    fake_context, log_file
) -> None:
    shown: list[str] = []

    def service(**_: object) -> str:
        raise AttributeError("'str' object has no attribute 'value'")

    result = operations.write(
        fake_context,
        service,
        actor=_Actor(),
        show_error=shown.append,
        what="The oxygen entry",
        changes=(Topic.SEDATION,),
        procedure_id=3,
    )
    assert result is None
    (text,) = shown
    assert "The oxygen entry could not be saved: it is NOT recorded." in text
    assert str(log_file) in text
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged
    assert "has no attribute 'value'" in logged


def test_a_success_passes_uow_clock_and_actor_and_announces_one_change(fake_context) -> None:
    seen: dict[str, object] = {}
    announced: list[Changed] = []
    fake_context.changes.changed.connect(announced.append)

    def service(*, uow: object, clock: object, actor: object, procedure_id: int) -> str:
        seen.update(uow=uow, clock=clock, actor=actor)
        return f"view of {procedure_id}"

    actor = _Actor()
    result = operations.write(
        fake_context,
        service,
        actor=actor,
        show_error=pytest.fail,
        what="The dose",
        changes=(Topic.SEDATION,),
        procedure_id=5,
    )
    assert result == "view of 5"
    assert seen == {"uow": fake_context.uow, "clock": fake_context.clock, "actor": actor}
    (change,) = announced
    assert change.topics == {Topic.SEDATION}
    assert change.procedure_id == 5
    assert change.result == "view of 5"
    assert change.touches(Topic.SEDATION, procedure_id=5)
    assert not change.touches(Topic.SEDATION, procedure_id=6)
    assert not change.touches(Topic.FOLLOW_UP)


def test_nobody_at_the_keyboard_is_said_not_ignored(fake_context) -> None:
    shown: list[str] = []
    result = operations.write(
        fake_context,
        lambda **_: "x",
        actor=None,
        show_error=shown.append,
        what="The dose",
        changes=(Topic.SEDATION,),
    )
    assert result is None
    assert shown
    assert "Nobody is signed in" in shown[0]
    assert "NOT recorded" in shown[0]


def test_a_failed_read_says_so(fake_context) -> None:
    shown: list[str] = []

    def service(**_: object) -> str:
        raise OSError("disk I/O error")

    assert (
        operations.read(
            fake_context, service, actor=_Actor(), show_error=shown.append, what="The list"
        )
        is None
    )
    assert shown
    assert "The list could not be read: what is on screen may NOT be up to date." in shown[0]


def test_a_screen_that_tells_refusals_apart_gets_the_refusal_itself(fake_context) -> None:
    shown: list[str] = []
    refusals: list[Exception] = []

    def service(**_: object) -> str:
        raise ValidationError("Wrong password.")

    result = operations.write(
        fake_context,
        service,
        actor=_Actor(),
        show_error=shown.append,
        refused=refusals.append,
        what="The signature",
        changes=(Topic.SIGNATURES,),
    )
    assert result is None
    assert [type(r) for r in refusals] == [ValidationError]
    assert shown == []


def test_a_change_to_another_record_is_announced_for_its_procedure(fake_context) -> None:
    announced: list[Changed] = []
    fake_context.changes.changed.connect(announced.append)
    operations.write(
        fake_context,
        lambda **_: "ok",
        actor=_Actor(),
        show_error=lambda _m: None,
        what="The correction",
        changes=(Topic.PROCEDURE,),
        about=5,
        entry_id=9,
    )
    assert [(c.topics, c.procedure_id) for c in announced] == [(frozenset({Topic.PROCEDURE}), 5)]


def test_typed_input_that_a_rule_refuses_is_shown_and_gives_none() -> None:
    shown: list[str] = []

    def parse() -> int:
        raise ValidationError("Depth must be a number.")

    assert operations.check(parse, show_error=shown.append) is None
    assert shown == ["Depth must be a number."]
    assert operations.check(lambda: 12, show_error=shown.append) == 12


def test_background_work_reports_on_the_gui_thread_while_the_waiter_lives(qtbot) -> None:
    waiter = QWidget()
    qtbot.addWidget(waiter)
    results: list[object] = []
    errors: list[str] = []
    progress: list[int] = []

    def work(report) -> int:  # type: ignore[no-untyped-def]
        report(1)
        report(2)
        return 42

    operations.in_background(
        work,
        what="The export",
        receiver=waiter,
        on_done=results.append,
        show_error=errors.append,
        on_progress=progress.append,
    )
    qtbot.waitUntil(lambda: results == [42])
    assert progress == [1, 2]
    assert errors == []

    def broken(report) -> int:  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    operations.in_background(
        broken,
        what="The check",
        receiver=waiter,
        on_done=results.append,
        show_error=errors.append,
    )
    qtbot.waitUntil(lambda: bool(errors))
    assert "The check could not be done." in errors[0]


def test_background_outcome_is_dropped_when_the_waiter_is_gone(qtbot) -> None:
    import threading

    waiter = QWidget()
    release = threading.Event()
    results: list[object] = []

    def work(report) -> int:  # type: ignore[no-untyped-def]
        release.wait(5)
        return 1

    job = operations.in_background(
        work, what="The export", receiver=waiter, on_done=results.append, show_error=print
    )
    waiter.deleteLater()
    qtbot.waitUntil(lambda: not waiter_alive(waiter))
    release.set()
    qtbot.waitUntil(lambda: job.finished_at is not None)
    # Deliver whatever the job queued: none of it may reach the dead waiter.
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    assert results == []


def waiter_alive(widget: QWidget) -> bool:
    from shiboken6 import isValid

    return bool(isValid(widget))
