"""`slidesk demo` is reopened on later starts, so a build cut short must leave no demo behind."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from slidesk.demo import build as demo
from tests.fakes import START, FakeClock


def test_a_demo_build_cut_short_leaves_nothing_that_a_later_start_would_reopen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "slidesk-demo.sqlite3"
    real_fill = demo._fill

    def killed_half_way(uow, real_now):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt  # the window closed (or the process was stopped) mid-build

    monkeypatch.setattr(demo, "_fill", killed_half_way)
    with pytest.raises(KeyboardInterrupt):
        demo.build_demo(str(target), clock=FakeClock(START))
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []

    monkeypatch.setattr(demo, "_fill", real_fill)
    location = demo.build_demo(str(target), clock=FakeClock(START))
    assert Path(location) == target
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    with sqlite3.connect(target) as conn:
        changed = conn.execute(
            "SELECT count(*) FROM audit_log WHERE event_type = 'user.password_changed'"
        ).fetchone()[0]
    assert changed >= 4  # the build's last steps are in the file: it was finished whole


def test_a_leftover_of_an_earlier_cut_build_is_not_moved_into_place(tmp_path: Path) -> None:
    target = tmp_path / "slidesk-demo.sqlite3"
    leftover = tmp_path / "slidesk-demo.sqlite3.building"
    leftover.write_bytes(b"half a database")
    demo.build_demo(str(target), clock=FakeClock(START))
    assert not leftover.exists()
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
