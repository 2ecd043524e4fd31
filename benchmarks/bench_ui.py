"""Bedside UI figures: key press → diagram repainted, start-up, and the home list at 10,000.

1. Confirm latency: from the Enter key press that confirms a site (durable commit included)
   to the leg diagram repainted with that site done. Median and p95; target < 50 ms.
2. Start-up: process start → usable main window (home list shown), against a bare PySide6
   window started the same way in the same run (subprocesses, interleaved). Target ratio ≤ 3.
   Also checks that reportlab, alembic and pyHanko are not imported at start-up.
3. Home list with 10,000 procedures: first page, next page, search.

    python benchmarks/bench_ui.py [--procedures N] [--startup-runs N] [--list 10000]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSWORD = "bench-password-1"
HEAVY = ("reportlab", "alembic", "pyhanko")


class Clock:
    def __init__(self) -> None:
        self.t = datetime.now(UTC) - timedelta(hours=1)

    def now(self) -> datetime:
        self.t += timedelta(milliseconds=1)
        return self.t

    def local_offset_minutes(self, at: datetime) -> int:
        return 60


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def build_team(path: Path):  # type: ignore[no-untyped-def]
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    from slidesk.domain.users import Role
    from slidesk.services import accounts
    from slidesk.services.database import open_database

    opened = open_database(path)
    uow, clock = opened.uow, Clock()
    hasher = PasswordHasher.from_parameters(CHEAPEST)
    accounts.create_first_admin(
        uow=uow, clock=clock, username="admin", full_name="Admin", password=PASSWORD, hasher=hasher
    )
    admin = accounts.authenticate(
        uow=uow, clock=clock, username="admin", password=PASSWORD, hasher=hasher
    )
    people = {}
    for name, full, role in (("op", "O. Operator", Role.OPERATOR), ("rn", "N. Nurse", Role.NURSE)):
        accounts.add_user(
            uow=uow,
            clock=clock,
            actor=admin,
            username=name,
            full_name=full,
            roles=frozenset({role}),
            temporary_password=PASSWORD,
            hasher=hasher,
        )
        people[name] = accounts.authenticate(
            uow=uow, clock=clock, username=name, password=PASSWORD, hasher=hasher
        )
    return opened, clock, people["op"], people["rn"]


def started_procedure(uow, clock, op, rn, n: int) -> int:  # type: ignore[no-untyped-def]
    from slidesk.domain.values import Limb
    from slidesk.services import checklist, procedures, subjects

    subject = subjects.register_subject(
        uow=uow,
        clock=clock,
        actor=op,
        study_id=f"SAIL-09-{n:03d}",
        index_limb=Limb.LEFT if n % 2 else Limb.RIGHT,
        centre="bench",
    )
    view = procedures.plan_procedure(
        uow=uow,
        clock=clock,
        actor=op,
        subject_id=subject.id,
        kit_number=f"SAIL-K{n:03d}",
        operator_id=op.user_id,
        nurse_id=rn.user_id,
        location="bench",
        product_release_at=clock.now(),
    )
    for item in uow.protocols.default.checklist:
        checklist.tick_item(uow=uow, clock=clock, actor=rn, procedure_id=view.id, item_key=item.key)
    return procedures.start_procedure(uow=uow, clock=clock, actor=op, procedure_id=view.id).id


# --- 1. confirm → repaint ---------------------------------------------------------------------


def bench_confirm(folder: Path, procedures_count: int) -> None:
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest

    from slidesk.domain.procedure import SiteState
    from ui.app import create_application
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.session import BedsideSession
    from ui.workspace.entry_panel import EntryPanel

    app = create_application([])
    app.setOrganizationName("SLIDeskBench")
    opened, clock, op, rn = build_team(folder / "confirm.sqlite3")
    context = AppContext(uow=opened.uow, clock=clock, database_location="bench")
    session = BedsideSession(context)
    session.add(rn, make_active=False)
    session.add(op)
    EntryPanel.repeat_guard_s = 0.0  # the benchmark presses faster than any person
    window = MainWindow(context, session)
    window.resize(1366, 768)
    window.show()

    class PaintWatch(QObject):
        painted = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.painted = True
            return False

    watch = PaintWatch()
    totals: list[float] = []
    handling: list[float] = []
    for n in range(1, procedures_count + 1):
        pid = started_procedure(opened.uow, clock, op, rn, n)
        window.open_procedure(pid)
        page = window.workspace
        page.diagram.viewport().installEventFilter(watch)
        for _ in range(5):
            app.processEvents()
        for _ in page.view.sites:
            site = page.panel.selected
            watch.painted = False
            t0 = time.perf_counter()
            QTest.keyClick(page.panel.syringe, Qt.Key.Key_Return)
            t1 = time.perf_counter()
            while not watch.painted:
                app.processEvents()
            t2 = time.perf_counter()
            assert page.scene.markers[site].state is SiteState.DONE, "site not shown done"
            handling.append((t1 - t0) * 1000)
            totals.append((t2 - t0) * 1000)
        assert page.view.injected_count == len(page.view.sites)
    window.close()
    opened.close()
    print(
        f"1. confirm key → diagram repainted, {len(totals)} sites ({procedures_count} procedures)"
    )
    print(
        f"   total:  median {statistics.median(totals):.1f} ms, p95 {percentile(totals, 0.95):.1f} ms"
        "  (target < 50 ms, durable commit included)"
    )
    print(
        f"   of which key handling incl. commit: median {statistics.median(handling):.1f} ms, "
        f"p95 {percentile(handling, 0.95):.1f} ms"
    )


# --- 2. start-up ------------------------------------------------------------------------------

_BARE = r"""
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("SLI Desk"))
window.resize(1366, 768)
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, lambda: (print("READY", flush=True), app.quit()))
            obj.removeEventFilter(self)
        return False
watch = Watch()
window.centralWidget().installEventFilter(watch)
window.show()
app.exec()
"""

_APP = r"""
import os, sys, time
T0 = time.perf_counter()
sys.path.insert(0, {root!r})
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
T_QT = time.perf_counter()
import sqlalchemy.orm
T_SA = time.perf_counter()
from ui.app import create_application, open_context
from slidesk.domain.users import Actor, Role
app = create_application(sys.argv[:1])
app.setOrganizationName("SLIDeskBench")
context, opened = open_context({db!r})
T_DB = time.perf_counter()
from ui.main_window import MainWindow
from ui.session import BedsideSession
session = BedsideSession(context)
# People sign in through a dialog; here the operator is already known (no password typing).
session.add(Actor(2, "op", "O. Operator", frozenset({{Role.OPERATOR}})))
window = MainWindow(context, session)
window.resize(1366, 768)
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            heavy = sorted({{m.split(".")[0] for m in sys.modules}} & {heavy!r})
            rows = window.home.model.rowCount()
            def ready():
                ms = lambda a, b: f"{{1000 * (b - a):.0f}}"
                now = time.perf_counter()
                phases = "/".join((ms(T0, T_QT), ms(T_QT, T_SA), ms(T_SA, T_DB), ms(T_DB, now)))
                print("READY", rows, ",".join(heavy) or "-", phases, flush=True)
                app.quit()
            QTimer.singleShot(0, ready)
            obj.removeEventFilter(self)
        return False
watch = Watch()
window.home.table.viewport().installEventFilter(watch)
window.show()
app.exec()
opened.close()
"""


def _time_child(code: str) -> tuple[float, str]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    assert proc.stdout is not None
    line = ""
    for raw in proc.stdout:
        text = raw.decode().strip()
        if text.startswith("READY"):
            line = text
            break
    elapsed = time.perf_counter() - t0
    proc.wait()
    if not line:
        raise RuntimeError("the child never became ready")
    return elapsed * 1000, line


def bench_startup(db: Path, runs: int) -> None:
    app_code = _APP.format(root=str(ROOT), db=str(db), heavy=set(HEAVY))
    _time_child(_BARE)  # warm the file cache for both
    _time_child(app_code)
    bare: list[float] = []
    ours: list[float] = []
    line = ""
    for _ in range(runs):
        bare.append(_time_child(_BARE)[0])
        elapsed, line = _time_child(app_code)
        ours.append(elapsed)
    _, rows, heavy, phases = line.split()
    bare_med, ours_med = statistics.median(bare), statistics.median(ours)
    print(f"2. start-up to a usable main window ({runs} runs each, interleaved)")
    print(f"   bare PySide6 window: median {bare_med:.0f} ms")
    print(f"   SLI Desk home list:  median {ours_med:.0f} ms ({rows} rows on the first page)")
    print(f"   ratio {ours_med / bare_med:.2f}  (target <= 3)")
    print(f"   heavy modules imported at start-up: {heavy}  (expected '-')")
    qt, sa, db_open, window = phases.split("/")
    print(
        f"   last run, in-process: PySide6 import {qt} ms · SQLAlchemy ORM import {sa} ms · "
        f"our core + database open {db_open} ms · window to first paint {window} ms"
    )


# --- 3. the home list at scale ------------------------------------------------------------------


def fill_procedures(db: Path, count: int) -> None:
    """Bulk rows through sqlite3 (the list reads them; the audit trail is not the subject)."""
    con = sqlite3.connect(db)
    now = datetime.now(UTC).replace(tzinfo=None)
    base_subject = con.execute("SELECT COALESCE(MAX(id), 0) FROM subjects").fetchone()[0]
    subjects = []
    procs = []
    entries = []
    statuses = ("completed", "completed", "completed", "signed", "in_progress", "planned")
    for i in range(count):
        sid = base_subject + i + 1
        subjects.append(
            (
                sid,
                f"SAIL-{10 + i // 1000:02d}-{i % 1000:03d}",
                "left" if i % 2 else "right",
                "bench",
                now,
                2,
            )
        )
        status = statuses[i % len(statuses)]
        planned = now - timedelta(minutes=count - i)
        procs.append(
            (
                sid,
                sid,
                "SAIL",
                "1.0-provisional",
                f"SAIL-K{i % 1000:03d}",
                2,
                3,
                "bench",
                status,
                planned,
                planned,
                planned if status != "planned" else None,
                None,
                2,
            )
        )
    con.executemany(
        "INSERT INTO subjects (id, study_id, index_limb, centre, created_at, created_by) "
        "VALUES (?,?,?,?,?,?)",
        subjects,
    )
    con.executemany(
        "INSERT INTO procedures (id, subject_id, protocol_key, protocol_version, kit_number, "
        "operator_id, nurse_id, location, status, product_release_at, planned_at, started_at, "
        "completed_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        procs,
    )
    for sid, *_rest in procs:
        done = (
            30 if _rest[7] in ("completed", "signed") else (12 if _rest[7] == "in_progress" else 0)
        )
        for site in range(1, done + 1):
            entries.append(
                (
                    sid,
                    site,
                    "injected",
                    now,
                    now,
                    12500,
                    1000,
                    f"SAIL-K{sid % 1000:03d}-{site:02d}-{sid}",
                    2,
                    2,
                    0,
                    0,
                )
            )
    con.executemany(
        "INSERT INTO site_entries (procedure_id, site_no, kind, performed_at, recorded_at, "
        "depth_um, volume_ul, syringe_label, performer_id, recorder_id, relocated, voided) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        entries,
    )
    con.commit()
    con.close()


def bench_list(db: Path) -> None:
    from slidesk.domain.users import Actor, Role
    from slidesk.services import procedures
    from slidesk.services.database import open_database
    from ui.home.procedure_model import PAGE_SIZE, ProcedureTableModel

    opened = open_database(db)
    actor = Actor(2, "op", "O. Operator", frozenset({Role.OPERATOR}))

    def timed(fn, repeat: int = 15) -> float:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times)

    def fetch(offset: int, limit: int):  # type: ignore[no-untyped-def]
        return procedures.list_procedures(uow=opened.uow, actor=actor, offset=offset, limit=limit)

    total = fetch(0, 1).total
    model = ProcedureTableModel()
    first = timed(lambda: model.set_fetcher(fetch))
    deep = timed(lambda: fetch(total - PAGE_SIZE, PAGE_SIZE))
    search = timed(
        lambda: procedures.list_procedures(uow=opened.uow, actor=actor, search="SAIL-14-5")
    )
    opened.close()
    print(f"3. home list with {total} procedures ({PAGE_SIZE} rows a page)")
    print(f"   first page into the model: median {first:.1f} ms")
    print(f"   last page (offset {total - PAGE_SIZE}): median {deep:.1f} ms")
    print(f"   search 'SAIL-14-5': median {search:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=5, help="procedures of 30 sites")
    parser.add_argument("--startup-runs", type=int, default=7)
    parser.add_argument("--list", type=int, default=10_000, help="procedures in the home list")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="slidesk-bench-ui-"))
    bench_confirm(folder, args.procedures)
    opened, _clock, _op, _rn = build_team(folder / "list.sqlite3")
    opened.close()
    fill_procedures(folder / "list.sqlite3", args.list)
    bench_list(folder / "list.sqlite3")
    bench_startup(folder / "list.sqlite3", args.startup_runs)


if __name__ == "__main__":
    main()
