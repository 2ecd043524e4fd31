"""`slidesk backup OUT` and `slidesk restore IN --to PATH`. No Qt.

Exit codes as for the other commands: 0 done and the copy verifies, 1 the copy was made but
does not verify (its findings are printed), 2 refused (the target exists, a server database,
not a database), 3 a database fault.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_backup_commands(sub: Any) -> None:
    backup = sub.add_parser(
        "backup", help="copy the database safely while it is in use, then verify the copy"
    )
    backup.add_argument("out", type=Path, metavar="OUT", help="the new backup file (not existing)")
    restore = sub.add_parser(
        "restore", help="restore a backup to a new file with a new identity, verified"
    )
    restore.add_argument("source", type=Path, metavar="IN", help="a backup made by slidesk backup")
    restore.add_argument(
        "--to", type=Path, required=True, metavar="PATH", help="the new database file"
    )


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{n / 1024:.0f} kB"


def run_backup(args: argparse.Namespace, target: str) -> int:
    from slidesk.clock import SystemClock
    from slidesk.persistence.probe import sqlite_file
    from slidesk.services.settings import site_zone
    from slidesk.services.workstation.backup import PG_DOCS, backup_database
    from slidesk.services.workstation.database import open_database

    if sqlite_file(target) is None:
        print(
            f"Refused: a server database is backed up with pg_dump and restored with "
            f"pg_restore, then checked with slidesk verify (see {PG_DOCS}).",
            file=sys.stderr,
        )
        return 2
    out: Path = args.out
    if out.exists() or out.is_symlink():
        print(f"Refused: {out} already exists; a backup never overwrites a file.", file=sys.stderr)
        return 2
    opened = open_database(target)
    try:
        clock = SystemClock(site_zone(uow=opened.uow))
        result = backup_database(uow=opened.uow, clock=clock, out=out)
    finally:
        opened.close()
    check = result.check
    print(f"Backup of {opened.location}: {result.path} ({_size(result.size)})")
    print(
        f"Copied and verified in {result.seconds:.2f} s: {check.entries} audit entries, "
        f"{check.records} records"
        + (f", checkpoint #{result.checkpoint}" if result.checkpoint is not None else "")
    )
    for warning in result.warnings:
        print(f"WARNING: {warning}", file=sys.stderr)
    if not check.intact:
        print("NOT INTACT: the copy does not verify:")
        print("\n".join(check.findings))
        return 1
    print("INTACT: the copy verifies (integrity check, audit chain, records, checkpoints).")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from slidesk.clock import SystemClock
    from slidesk.persistence.checks.preflight import FileState, check_file
    from slidesk.services.workstation.backup import restore_database

    source: Path = args.source
    to: Path = args.to
    if to.exists() or to.is_symlink():
        print(f"Refused: {to} already exists; a restore never overwrites a file.", file=sys.stderr)
        return 2
    state = check_file(source)
    if not state.ok:
        print(state.message(), file=sys.stderr)
        return 3 if state.state in (FileState.CORRUPT, FileState.UNREADABLE) else 2
    result = restore_database(clock=SystemClock(), source=source, to=to)
    check = result.check
    print(f"Restored {source} to {result.path}")
    origin = result.origin_identity or "unknown"
    if result.origin_checkpoint is not None:
        origin += f", backup checkpoint #{result.origin_checkpoint}"
    print(f"New database identity {result.identity} (origin: {origin})")
    if result.checkpoint is not None:
        print(f"Checkpoint #{result.checkpoint} of the copy names its origin.")
    for warning in result.warnings:
        print(f"WARNING: {warning}", file=sys.stderr)
    if not check.intact:
        print("NOT INTACT: the restored copy does not verify:")
        print("\n".join(check.findings))
        return 1
    print(f"INTACT: the copy verifies ({check.entries} audit entries, {check.records} records).")
    return 0
