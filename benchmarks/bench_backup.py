"""What a backup costs at the bedside: the demo database, and optionally a long audit trail.

For each database, R backups with `services.backup.backup_database` (the checkpoint in the
source and one witness, the online copy, the verification of the copy), reported as median,
min and max in ms with the copy's size; the copy alone (`persistence.sqlite_copy.online_copy`)
for comparison. The automatic backup after a completion or signature pays the whole of it.

    python benchmarks/bench_backup.py [--runs R] [--entries N]   (N > 0: also an N-entry trail)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slidesk.clock import SystemClock
from slidesk.demo.build import build_demo
from slidesk.persistence.sqlite_copy import online_copy
from slidesk.services.workstation.backup import backup_database
from slidesk.services.workstation.database import open_database


def timed(fn: Callable[[int], object], runs: int) -> tuple[float, float, float]:
    """(median, min, max) in ms."""
    times = []
    for i in range(runs):
        started = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times), max(times)


def bench(path: Path, work: Path, runs: int, label: str) -> None:
    opened = open_database(path)
    clock = SystemClock()
    keys, witness = work / "keys", work / "w"
    sizes: list[int] = []

    def full(i: int) -> None:
        result = backup_database(
            uow=opened.uow,
            clock=clock,
            out=work / f"{label}-full-{i}.sqlite3",
            key_folder=keys,
            witness_folders=[witness],
        )
        assert result.check.intact, result.check.findings
        sizes.append(result.size)

    full(-1)  # the first of a process also creates and loads the key
    med, low, high = timed(full, runs)
    copy = timed(lambda i: online_copy(path, work / f"{label}-copy-{i}.sqlite3"), runs)
    opened.close()
    print(
        f"{label}: {sizes[-1] / 1_048_576:.2f} MB; backup (checkpoint + copy + verify) "
        f"median {med:.0f} ms (min {low:.0f}, max {high:.0f}); copy alone median "
        f"{copy[0]:.1f} ms (min {copy[1]:.1f}, max {copy[2]:.1f}); {runs} runs"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--entries", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        demo = build_demo(str(work / "demo.sqlite3"))
        bench(Path(demo), work, args.runs, "demo")
        if args.entries:
            from benchmarks.bench_audit_viewer import build

            team, _first, _last = build(work, args.entries)
            team.db.close()
            bench(work / "trail.sqlite3", work, args.runs, f"trail of {args.entries} entries")


if __name__ == "__main__":
    main()
