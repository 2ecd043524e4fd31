"""How quickly the audit-trail viewer opens and pages on a 100,000-entry trail.

Builds a SQLite database whose audit trail has N entries (default 100,000): a real team,
subject and procedure with injections and a correction, then bulk entries appended through
the real `Transaction` API in large batches (`tx.event` in one transaction per batch, so each
entry gets its chain hash exactly as in use). Then, median of several runs:

  * open: the viewer's model shows its first rows (first keyset page + total count);
  * window: the whole AuditViewer dialog is built and its first rows are there
    (the integrity check starts in the background and is not waited for);
  * next page: fetchMore() after the first page, deep in the trail too;
  * filtered first pages: by procedure, by kind of change, by user, by record;
and once each: the background integrity check (`slidesk verify`) and a CSV export of all rows.

    python benchmarks/bench_audit_viewer.py [--entries N] [--runs R]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from slidesk.services.audit import trail as audit_trail
from slidesk.services.audit.trail import AuditFilter
from slidesk.services.audit.verify import verify_database
from slidesk.services.procedure import corrections
from slidesk.services.workstation.database import open_database
from tests.conftest import Team
from tests.fakes import FakeClock
from ui.audit.model import AuditTrailModel
from ui.audit.viewer import AuditViewer
from ui.context import AppContext
from ui.session import BedsideSession

_KINDS = ("auth.sign-in", "session.typist_changed", "export.printed", "session.locked")


def build(folder: Path, entries: int, batch: int = 5000) -> tuple[Team, int, int]:
    opened = open_database(folder / "trail.sqlite3")
    clock = FakeClock()
    team = Team(opened, clock)
    view = team.started_procedure()
    for n in range(1, 6):
        view = team.inject(view.id, view.next_site_no, str(n))
    entry_id = view.entries[1].id
    clock.advance(minutes=2)
    corrections.correct_entry(
        uow=team.uow,
        clock=clock,
        actor=team.operator,
        entry_id=entry_id,
        reason="ultrasound showed 14 mm",
        depth_mm="14.0",
    )
    with team.uow.read() as tx:
        have = tx.audit.count()
    people = (team.operator, team.nurse, team.monitor, team.admin)
    started = time.perf_counter()
    written = have
    while written < entries:
        size = min(batch, entries - written)
        clock.advance(seconds=30)
        actor = people[written // batch % len(people)]
        with team.uow.begin(actor=actor, clock=clock) as tx:
            for i in range(size):
                tx.event(
                    event_type=_KINDS[(written + i) % len(_KINDS)],
                    entity="users",
                    entity_id=str(actor.user_id),
                    procedure_id=view.id if i % 50 == 0 else None,
                    details={"n": written + i, "host_note": "bench"},
                )
            tx.commit()
        written += size
    print(
        f"built {written:,} audit entries in {time.perf_counter() - started:.1f} s "
        f"({(written - have) / (time.perf_counter() - started):,.0f} entries/s via tx.event)"
    )
    return team, view.id, entry_id


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="slidesk-audit-bench-"))
    team, procedure_id, entry_id = build(folder, args.entries)
    context = AppContext(uow=team.uow, clock=team.clock, database_location=str(folder))
    session = BedsideSession(context, hasher=team.hasher)
    session.add(team.monitor)
    actor = team.monitor

    def loader_for(chosen: AuditFilter) -> Callable[[int | None], audit_trail.AuditPage]:
        return lambda cursor: audit_trail.read_page(
            uow=team.uow, actor=actor, audit_filter=chosen, cursor=cursor
        )

    def open_model(chosen: AuditFilter = AuditFilter()) -> AuditTrailModel:  # noqa: B008
        model = AuditTrailModel()
        audit_trail.count_entries(uow=team.uow, actor=actor, audit_filter=chosen)
        model.set_loader(loader_for(chosen))
        assert model.rowCount() > 0
        return model

    def open_window_ms() -> float:
        start = time.perf_counter()
        viewer = AuditViewer(context, session)
        viewer.show()
        app.processEvents()
        assert viewer.model.rowCount() > 0
        elapsed = (time.perf_counter() - start) * 1000
        viewer.close()
        viewer.deleteLater()
        QThreadPool.globalInstance().waitForDone()  # this run's verify, outside the timing
        app.processEvents()
        return elapsed

    print(f"\nmedian of {args.runs} runs, {args.entries:,} entries (SQLite, WAL):")
    print(f"  open viewer model, first rows shown    {median_ms(open_model, args.runs):8.1f} ms")
    window_ms = statistics.median(open_window_ms() for _ in range(args.runs))
    print(f"  open AuditViewer window, rows shown    {window_ms:8.1f} ms")

    model = open_model()
    pages = []
    for _ in range(args.runs):
        start = time.perf_counter()
        model.fetchMore()
        pages.append((time.perf_counter() - start) * 1000)
    print(f"  next page (fetchMore, 200 entries)     {statistics.median(pages):8.1f} ms")
    for _ in range(200):
        model.fetchMore()
    deep = median_ms(model.fetchMore, args.runs)
    print(f"  next page, {model.loaded_entries:>7,} entries loaded   {deep:8.1f} ms")

    filters = {
        "procedure": AuditFilter(procedure_id=procedure_id),
        "kind 'site.' (rare)": AuditFilter(event_prefix="site."),
        "kind 'auth.' (common)": AuditFilter(event_prefix="auth."),
        "user 'nurse'": AuditFilter(username="nurse"),
        "record (site history)": AuditFilter(
            entity="site_entries", entity_id=str(entry_id), newest_first=False
        ),
    }
    for name, chosen in filters.items():
        ms = median_ms(lambda chosen=chosen: open_model(chosen), args.runs)
        print(f"  filtered first rows: {name:<22} {ms:6.1f} ms")

    start = time.perf_counter()
    report = verify_database(uow=team.uow)
    print(
        f"\nintegrity check (background job)         {time.perf_counter() - start:8.2f} s"
        f"  ({'intact' if report.intact else 'BROKEN'}, {report.entries:,} entries)"
    )
    start = time.perf_counter()
    written = audit_trail.export_csv(
        uow=team.uow,
        clock=team.clock,
        actor=team.admin,
        audit_filter=AuditFilter(),
        path=folder / "trail.csv",
    )
    print(
        f"CSV export of the whole trail             {time.perf_counter() - start:8.2f} s"
        f"  ({written.rows:,} lines, {written.path.stat().st_size / 1e6:.1f} MB)"
    )
    team.db.close()


if __name__ == "__main__":
    main()
