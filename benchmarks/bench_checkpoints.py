"""What a witnessed checkpoint costs: writing one, and checking a trail against its witness.

Builds a SQLite trail of N entries (default 100,000, as `bench_audit_viewer.build`), then:

  * the first checkpoint of the process (loading the PKCS#12 key) and then the median of R
    checkpoints (read the head under the write lock, sign, insert, commit, append to a witness
    file with fsync) — what a signature, report, export or completion pays after its commit;
  * an automatic checkpoint when the head is already vouched for (nothing new: no signature);
  * `verify_witnesses` with the witness file: recomputing the chain's head at every entry is
    the cost that grows with the trail (median of R; `verify_database` shown for comparison).

    python benchmarks/bench_checkpoints.py [--entries N] [--runs R]
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

from benchmarks.bench_audit_viewer import build
from slidesk.services.audit.checkpoint_verify import verify_witnesses
from slidesk.services.audit.checkpoints import write_checkpoint
from slidesk.services.audit.verify import verify_database


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """(median, min, max) in ms."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        team, _procedure, _entry = build(folder, args.entries)
        keys, witness = folder / "keys", folder / "usb" / "w.checkpoints"
        keys.mkdir()

        def checkpoint(only_if_new: bool = False) -> object:
            team.clock.advance(seconds=1)
            with team.uow.begin(actor=team.admin, clock=team.clock) as tx:
                tx.event(event_type="bench.tick")  # something new to vouch for
                tx.commit()
            return write_checkpoint(
                uow=team.uow,
                clock=team.clock,
                reason="manual",
                key_folder=keys,
                witness_folders=(),
                witness_files=(witness,),
                only_if_new=only_if_new,
            )

        started = time.perf_counter()
        checkpoint()
        print(
            f"first checkpoint (key created and loaded): {(time.perf_counter() - started) * 1000:.1f} ms"
        )
        med, lo, hi = timed(checkpoint, args.runs)
        print(
            f"checkpoint (incl. one audit event): median {med:.1f} ms (min {lo:.1f}, max {hi:.1f})"
        )

        def unchanged() -> object:
            return write_checkpoint(
                uow=team.uow,
                clock=team.clock,
                reason="manual",
                key_folder=keys,
                witness_folders=(),
                witness_files=(witness,),
                only_if_new=True,
            )

        med, lo, hi = timed(unchanged, args.runs)
        print(
            f"automatic checkpoint, head already vouched for: median {med:.1f} ms (min {lo:.1f}, max {hi:.1f})"
        )
        runs = max(3, args.runs // 5)
        med, lo, hi = timed(lambda: verify_witnesses(uow=team.uow, witness_files=[witness]), runs)
        report = verify_witnesses(uow=team.uow, witness_files=[witness])
        assert report.ok, report.summary()
        print(
            f"verify_witnesses ({args.entries:,} entries, {args.runs + 1} checkpoints): median {med:.0f} ms (min {lo:.0f}, max {hi:.0f})"
        )
        med, lo, hi = timed(lambda: verify_database(uow=team.uow), runs)
        print(f"verify_database for comparison: median {med:.0f} ms (min {lo:.0f}, max {hi:.0f})")
        team.db.close()


if __name__ == "__main__":
    main()
