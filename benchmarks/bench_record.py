"""Latency of recording one injection (durable, with its audit entry) against raw sqlite3.

Both run interleaved in the same process on files in one temporary folder, with the same
PRAGMAs (WAL, synchronous=FULL, foreign_keys=ON). Prints median and p95 of each and the ratio.
Target: ratio of medians <= 1.5.

With `--checkpoints`, automatic checkpoints are on (a key and a witness folder in the temporary
folder, as the app has them) and the clock jumps an hour before every 50th injection: those
Confirms write the hourly checkpoint and are reported apart from the others.

    python benchmarks/bench_record.py [--rounds N] [--checkpoints]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST

from slidesk.domain.users import Role
from slidesk.domain.values import Limb
from slidesk.services.accounts import service as accounts
from slidesk.services.procedure import planning, site_entries, subjects
from slidesk.services.workstation.database import open_database


class Clock:
    zone = UTC  # the site's zone, for times in messages

    def __init__(self) -> None:
        self.t = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        self.t += timedelta(milliseconds=1)
        return self.t

    def local_offset_minutes(self, at: datetime) -> int:
        return 60


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--checkpoints", action="store_true", help="automatic checkpoints on")
    args = parser.parse_args()
    rounds = args.rounds
    folder = Path(tempfile.mkdtemp(prefix="slidesk-bench-"))

    opened = open_database(folder / "app.sqlite3")
    uow, clock = opened.uow, Clock()
    hasher = PasswordHasher.from_parameters(CHEAPEST)
    accounts.create_first_admin(
        uow=uow,
        clock=clock,
        username="admin",
        full_name="Admin",
        password="bench-password-1",
        hasher=hasher,
    )
    admin = accounts.authenticate(
        uow=uow, clock=clock, username="admin", password="bench-password-1", hasher=hasher
    )
    for name, role in (("op", Role.OPERATOR), ("rn", Role.NURSE)):
        accounts.add_user(
            uow=uow,
            clock=clock,
            actor=admin,
            username=name,
            full_name=name,
            roles=frozenset({role}),
            temporary_password="bench-password-1",
            hasher=hasher,
        )
    op = accounts.authenticate(
        uow=uow, clock=clock, username="op", password="bench-password-1", hasher=hasher
    )
    rn = accounts.authenticate(
        uow=uow, clock=clock, username="rn", password="bench-password-1", hasher=hasher
    )
    nurse_id = rn.user_id
    kits = iter(range(1, 1000))
    subject = subjects.register_subject(
        uow=uow, clock=clock, actor=op, study_id="SAIL-01-001", index_limb=Limb.LEFT, centre="bench"
    )

    def new_procedure() -> tuple[int, list[int]]:
        view = planning.plan_procedure(
            uow=uow,
            clock=clock,
            actor=op,
            subject_id=subject.id,
            kit_number=f"SAIL-K{next(kits):03d}",  # a kit serves one procedure
            operator_id=op.user_id,
            nurse_id=nurse_id,
            location="bench",
        )
        from slidesk.services.procedure import checklist

        # Start refuses an incomplete time-out: each item confirmed by the roles it names.
        state = checklist.get_checklist(uow=uow, actor=op, procedure_id=view.id)
        for item in state.open_items:
            for role in item.missing:
                checklist.tick_item(
                    uow=uow,
                    clock=clock,
                    actor=op if role is Role.OPERATOR else rn,
                    procedure_id=view.id,
                    item_key=item.key,
                    role=role,
                )
        view = planning.start_procedure(uow=uow, clock=clock, actor=op, procedure_id=view.id)
        return view.id, [s.number for s in view.sites]

    raw = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=FULL")
    raw.execute("PRAGMA foreign_keys=ON")
    raw.execute(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, site INTEGER, depth_um INTEGER, "
        "volume_ul INTEGER, syringe TEXT, at TEXT)"
    )

    if args.checkpoints:
        from slidesk.services.audit.checkpoints import enable_automatic

        enable_automatic(uow, key_folder=folder / "keys", witness_folders=[folder / "witnesses"])
    hourly_rounds: set[int] = set()
    app_times: list[float] = []
    raw_times: list[float] = []
    one_ml, depth = Decimal("1.0"), Decimal("12.5")
    procedure_id, todo = new_procedure()
    syringe = 0
    for n in range(1, rounds + 1):
        if not todo:  # a procedure has 30 sites: start the next one, untimed
            procedure_id, todo = new_procedure()
            syringe = 0
        site = todo.pop(0)
        syringe += 1
        if args.checkpoints and n % 50 == 0:
            clock.t += timedelta(minutes=61)
            hourly_rounds.add(n)
        t0 = time.perf_counter()
        site_entries.record_injection(
            uow=uow,
            clock=clock,
            actor=op,
            procedure_id=procedure_id,
            site_no=site,
            depth_mm=depth,
            volume_ml=one_ml,
            syringe=str(syringe),
        )
        t1 = time.perf_counter()
        raw.execute("BEGIN")
        raw.execute(
            "INSERT INTO t (site, depth_um, volume_ul, syringe, at) VALUES (?,?,?,?,?)",
            (n, 12500, 1000, f"S{n}", "2026-11-25T09:00:00Z"),
        )
        raw.execute("COMMIT")
        t2 = time.perf_counter()
        app_times.append((t1 - t0) * 1000)
        raw_times.append((t2 - t1) * 1000)
    if hourly_rounds:
        hourly = [t for n, t in enumerate(app_times, 1) if n in hourly_rounds]
        app_times = [t for n, t in enumerate(app_times, 1) if n not in hourly_rounds]
        print(
            f"record_injection that wrote the hourly checkpoint ({len(hourly)}): "
            f"median {statistics.median(hourly):.3f} ms, max {max(hourly):.3f} ms"
        )
    app_med, raw_med = statistics.median(app_times), statistics.median(raw_times)
    print(f"rounds: {rounds} injections (30 per procedure, as in the trial)")
    print(
        f"record_injection service: median {app_med:.3f} ms, p95 {percentile(app_times, 0.95):.3f} ms"
    )
    print(
        f"raw sqlite3 INSERT+COMMIT: median {raw_med:.3f} ms, p95 {percentile(raw_times, 0.95):.3f} ms"
    )
    print(f"ratio (median service / median raw): {app_med / raw_med:.2f}  (target <= 1.5)")
    opened.close()
    raw.close()


if __name__ == "__main__":
    main()
