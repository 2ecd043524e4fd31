"""Durability: a process killed with SIGKILL at random moments loses no confirmed entry.

A child process records sites and prints each one only after `record_injection` returned.
The parent kills it at a random moment, reopens the database and checks that every printed
entry is there, that SQLite's integrity check passes, that the procedure resumes at the first
unfinished site in protocol order, and finally that the audit trail verifies.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from slidesk.services.audit.verify import verify_database
from slidesk.services.procedure import service as procedures
from slidesk.services.workstation.database import open_database
from tests.conftest import Team
from tests.fakes import FakeClock

ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("SLIDESK_KILLS", "12"))
MAX_ROUNDS = 3 * KILLS


def _plan(team: Team, n: int) -> list[int]:
    ids = []
    for i in range(n):
        view = team.started_procedure(study_id=f"SAIL-02-{i + 1:03d}", kit=f"SAIL-K{i + 1:03d}")
        ids.append(view.id)
    return ids


@pytest.mark.slow
def test_killing_the_process_at_random_moments_loses_no_confirmed_entry(tmp_path: Path) -> None:
    path = tmp_path / "kill.sqlite3"
    setup = open_database(path)
    team = Team(setup, FakeClock())
    procedure_ids = _plan(team, 40)  # 1,200 sites: more than the rounds can use up
    setup.close()

    rng = random.Random(20261125)
    confirmed: dict[tuple[int, int], int] = {}
    kills = 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _round in range(MAX_ROUNDS):
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.integration.kill_worker",
                str(path),
                *map(str, procedure_ids),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        first = child.stdout.readline()  # start-up varies with load: kill only once recording
        assert first.strip() == "READY", child.stderr.read() if child.stderr else first
        time.sleep(rng.uniform(0.0, 0.12))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        out, err = child.communicate(timeout=60)
        finished = "ALL DONE" in out
        for line in out.splitlines():
            if line.startswith("OK "):
                _, proc, site, syringe = line.split()
                confirmed[(int(proc), int(site))] = int(syringe)
        if child.returncode not in (0, -signal.SIGKILL):
            pytest.fail(f"worker failed: {err[-2000:]}")
        _check(path, confirmed, procedure_ids)
        if finished or kills >= KILLS:
            break
    print(f"\nkill test: {kills} kills, {len(confirmed)} confirmed entries")  # noqa: T201
    assert kills >= KILLS, "the worker finished before enough kills happened"
    assert len(confirmed) > 20


def _check(path: Path, confirmed: dict[tuple[int, int], int], procedure_ids: list[int]) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    opened = open_database(path)
    try:
        team_actor = _operator_actor(opened)
        for procedure_id in procedure_ids:
            view = procedures.get_procedure(
                uow=opened.uow, actor=team_actor, procedure_id=procedure_id
            )
            live = {e.site_no: e for e in view.entries if not e.voided}
            for (proc, site), syringe in confirmed.items():
                if proc == procedure_id:
                    assert site in live, f"confirmed site {site} of procedure {proc} was lost"
                    assert live[site].syringe_label == f"{view.kit_number}-{syringe:02d}"
            expected_next = next((n for n in _order(opened) if n not in live), None)
            assert view.next_site_no == expected_next
        report = verify_database(uow=opened.uow)
        assert report.intact, report.summary()
    finally:
        opened.close()


def _order(opened) -> tuple[int, ...]:
    return opened.uow.protocols.default.order


def _operator_actor(opened):
    from slidesk.domain.users import Actor, Role

    # Reading needs only an actor with READ_RECORDS; no password check is being tested here.
    return Actor(user_id=0, username="reader", full_name="Reader", roles=frozenset({Role.MONITOR}))
