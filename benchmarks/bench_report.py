"""Time to generate and seal the report of a full procedure (30 sites, sedation record, two
signed versions): read the record into the report DTO, build the PDF, sign it (PAdES B-B).

Uses the demo database (built in a temporary folder). The first run pays the imports of
reportlab, svglib and pyHanko and is shown apart; the median is over the runs after it.
Target: median total < 1 s.

    python benchmarks/bench_report.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slidesk.demo.build import build_demo
from slidesk.services.accounts import service as accounts
from slidesk.services.workstation.database import open_database


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench_report_"))
    target = str(folder / "demo.sqlite3")
    t0 = time.perf_counter()
    build_demo(target)
    print(f"demo database built in {time.perf_counter() - t0:.1f} s")
    opened = open_database(target)
    uow = opened.uow

    class Clock:
        zone = ZoneInfo("Europe/Amsterdam")  # the site's zone, as the services expect

        def now(self) -> datetime:
            return datetime.now(UTC)

        def local_offset_minutes(self, at: datetime) -> int:
            return 60

    clock = Clock()
    actor = accounts.authenticate(
        uow=uow, clock=clock, username="monitor", password="demo-password-1"
    )
    t0 = time.perf_counter()
    from slidesk.reports.certificates import load_signing_key
    from slidesk.reports.pdf import build_pdf
    from slidesk.reports.pdfsign import sign_pdf
    from slidesk.services.reporting.data import procedure_report

    key = load_signing_key(folder / "keys")
    print(f"imports + key creation: {time.perf_counter() - t0:.2f} s")

    timings: dict[str, list[float]] = {"dto": [], "pdf": [], "sign": [], "total": []}
    pages = size = 0
    for run in range(args.runs + 1):
        t_start = time.perf_counter()
        report = procedure_report(
            uow=uow,
            actor=actor,
            procedure_id=1,
            generated_at=clock.now(),
            version=2,
            tz=ZoneInfo("Europe/Amsterdam"),
        )
        t_dto = time.perf_counter()
        pdf = build_pdf(report)
        t_pdf = time.perf_counter()
        signed = sign_pdf(pdf, key, reason="benchmark", location="bench")
        t_sign = time.perf_counter()
        if run == 0:
            print(f"first run (cold): {t_sign - t_start:.3f} s")
            continue
        timings["dto"].append(t_dto - t_start)
        timings["pdf"].append(t_pdf - t_dto)
        timings["sign"].append(t_sign - t_pdf)
        timings["total"].append(t_sign - t_start)
        pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
        size = len(signed)
    opened.close()
    print(f"report of procedure 1 version 2: ~{pages} pages, {size / 1024:.0f} KiB signed")
    for name, values in timings.items():
        print(
            f"{name:>6}: median {statistics.median(values) * 1000:7.1f} ms   "
            f"max {max(values) * 1000:7.1f} ms   (n={len(values)})"
        )
    median = statistics.median(timings["total"])
    print(
        f"median generate + sign: {median:.3f} s — target < 1 s: {'OK' if median < 1 else 'MISSED'}"
    )
    return 0 if median < 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
