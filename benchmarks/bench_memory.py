"""Resident memory of the app with the demo's procedure open in the workspace.

The demo database is built once by a child process (its build imports must not count). Then each
run is a fresh child process that does what a person does: the real main window (offscreen),
the demo's operator signed in, the home list shown, the procedure in progress (SAIL-01-005)
opened in the workspace. The child prints its resident memory (VmRSS from /proc/self/status;
psutil when /proc is not there) at three moments: the bare Qt application, the main window with
the home list, the procedure open. Goal: <= 200 MB with the procedure open.

    python benchmarks/bench_memory.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_MB = 200.0
MOMENTS = ("qt", "home", "procedure")

_BUILD = r"""
import sys
sys.path.insert(0, {root!r})
from slidesk.demo.build import build_demo
build_demo({db!r})
"""

_RUN = r"""
import sys
sys.path.insert(0, {root!r})


def rss_mb():
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import psutil
    return psutil.Process().memory_info().rss / 2**20


from ui.app import create_application, open_context

app = create_application(sys.argv[:1])
app.setOrganizationName("SLIDeskBench")
print(f"RSS qt {{rss_mb():.1f}}", flush=True)

from slidesk.demo.steps import DEMO_PASSWORD
from slidesk.domain.procedure.model import ProcedureStatus
from slidesk.services.accounts import service as accounts
from slidesk.services.procedure import service as procedures
from ui.main_window import MainWindow
from ui.session import BedsideSession

context, opened = open_context({db!r})
actor = accounts.authenticate(
    uow=context.uow, clock=context.clock, username="operator", password=DEMO_PASSWORD
)
session = BedsideSession(context)
session.add(actor)
window = MainWindow(context, session)
window.resize(1366, 768)
window.show()
for _ in range(20):
    app.processEvents()
print(f"RSS home {{rss_mb():.1f}}", flush=True)

page = procedures.list_procedures(
    uow=context.uow, actor=actor, statuses=[ProcedureStatus.IN_PROGRESS]
)
assert page.rows, "the demo has no procedure in progress"
window.open_procedure(page.rows[0].id)
for _ in range(50):
    app.processEvents()
shown = window.workspace.view
assert shown is not None and shown.id == page.rows[0].id, "the procedure did not open"
print(f"RSS procedure {{rss_mb():.1f}} {{shown.subject.study_id}}", flush=True)
window.close()
app.processEvents()
opened.close()
"""


def _child(code: str) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"the child failed:\n{done.stderr[-3000:]}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="slidesk-bench-memory-"))
    # The app's data folder (keys, witnesses) stays inside the temporary folder.
    os.environ["XDG_DATA_HOME"] = str(folder / "data")
    db = str(folder / "demo.sqlite3")
    figures: dict[str, list[float]] = {m: [] for m in MOMENTS}
    study = ""
    try:
        _child(_BUILD.format(root=str(ROOT), db=db))
        for _ in range(args.runs):
            for line in _child(_RUN.format(root=str(ROOT), db=db)).splitlines():
                parts = line.split()
                if len(parts) >= 3 and parts[0] == "RSS" and parts[1] in figures:
                    figures[parts[1]].append(float(parts[2]))
                    study = parts[3] if len(parts) > 3 else study
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"resident memory (VmRSS), {args.runs} runs, each a fresh process (offscreen)")
    labels = {
        "qt": "bare QApplication",
        "home": "main window, home list, operator signed in",
        "procedure": f"demo procedure {study} open in the workspace",
    }
    for moment in MOMENTS:
        values = figures[moment]
        print(
            f"  {labels[moment]}: median {statistics.median(values):.1f} MB "
            f"(min {min(values):.1f}, max {max(values):.1f})"
        )
    median = statistics.median(figures["procedure"])
    verdict = "within" if median <= GOAL_MB else "OVER"
    print(f"procedure open: {median:.1f} MB, {verdict} the goal of <= {GOAL_MB:.0f} MB")


if __name__ == "__main__":
    main()
