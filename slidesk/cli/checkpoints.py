"""`slidesk checkpoint` and the witness half of `slidesk verify`. No Qt.

`slidesk checkpoint [--witness FILE]…` signs the audit chain's head now and appends it to this
workstation's witness folders and to each FILE; `slidesk verify --witness FILE…` checks the
chain against those files (without `--witness`: against the configured folders).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_witness_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--witness",
        action="append",
        nargs="?",
        const=None,
        type=Path,
        metavar="FILE",
        help=(
            "a witness file of checkpoints (repeatable); without FILE, or without the option: "
            "this workstation's witness folders"
        ),
    )


def named_files(witness: list[Path | None] | None) -> list[Path]:
    """The FILEs given with --witness (a bare --witness names none: it means the folders)."""
    return [path for path in witness or () if path is not None]


def add_checkpoint_command(sub: Any) -> None:
    parser = sub.add_parser(
        "checkpoint", help="sign the audit trail's head now and append it to every witness"
    )
    add_witness_option(parser)


def run_checkpoint(args: argparse.Namespace, target: str) -> int:
    from slidesk.clock import SystemClock
    from slidesk.domain.errors import DomainError
    from slidesk.integrity.checkpoint import Reason
    from slidesk.services.audit.checkpoints import write_checkpoint
    from slidesk.services.settings import site_zone
    from slidesk.services.workstation.database import open_database

    opened = open_database(target)
    try:
        clock = SystemClock(site_zone(uow=opened.uow))
        result = write_checkpoint(
            uow=opened.uow,
            clock=clock,
            reason=Reason.MANUAL,
            witness_files=named_files(args.witness),
        )
    except DomainError as exc:
        print(f"Refused: {exc.message}", file=sys.stderr)
        return 2
    finally:
        opened.close()
    cp = result.checkpoint
    assert cp is not None
    print(f"Database: {opened.location} (identity {cp.database})")
    print(f"Checkpoint #{cp.number} of {cp.local_text()}: entry {cp.seq}, head {cp.head[:16]}")
    for path in result.witnessed_in:
        print(f"Witnessed in {path}")
    for warning in result.warnings:
        print(f"WARNING: {warning}", file=sys.stderr)
    failed = [w for w in named_files(args.witness) if w not in result.witnessed_in]
    return 1 if failed else 0


def witness_report(uow: Any, witness: list[Path | None] | None) -> tuple[bool, str]:
    """(no findings, the lines to print) for `slidesk verify`.

    No --witness, or a bare --witness: the configured witness folders; --witness FILE: that
    file (with a bare --witness as well: the folders too)."""
    from slidesk.services.audit.checkpoint_verify import verify_witnesses

    files = named_files(witness)
    folders_too = not files or None in (witness or ())
    report = verify_witnesses(uow=uow, witness_files=files, with_folders=folders_too)
    return report.ok, report.summary()
