"""`slidesk report` and `slidesk verify-pdf`: issue a procedure report, check a PDF."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any


def add_report_commands(sub: Any) -> None:
    report = sub.add_parser(
        "report", help="write the procedure report PDF (signed version, or the draft)"
    )
    report.add_argument("procedure_id", type=int, metavar="PROCEDURE_ID")
    report.add_argument("-o", "--output", required=True, metavar="FILE", help="PDF to write")
    report.add_argument(
        "--version", dest="record_version", type=int, metavar="N", help="a signed version"
    )
    report.add_argument("--username", help="who exports (asked if not given)")
    check = sub.add_parser(
        "verify-pdf", help="check a report PDF's seal and whether it matches the database"
    )
    check.add_argument("file", metavar="FILE")


def run_report_command(args: argparse.Namespace, target: str) -> int:
    from slidesk.domain.errors import DomainError
    from slidesk.services.workstation.database import open_database, open_for_checking

    if args.command == "verify-pdf":  # reads the database, never changes it
        with open_for_checking(target) as checked:
            for note in checked.notes:
                print(note)
            return _verify_pdf(checked.uow, Path(args.file))
    opened = open_database(target)
    try:
        from slidesk.services.audit.checkpoints import enable_automatic

        enable_automatic(opened.uow)  # an export is checkpointed and witnessed
        return _report(opened.uow, args)
    except DomainError as exc:
        print(f"Refused: {exc.message}", file=sys.stderr)
        return 2
    finally:
        opened.close()


def _report(uow: Any, args: argparse.Namespace) -> int:
    from slidesk.clock import SystemClock
    from slidesk.services.accounts import service as accounts
    from slidesk.services.reporting.service import ReportPurpose, issue_report, write_pdf
    from slidesk.services.settings import site_zone

    clock = SystemClock(site_zone(uow=uow))
    username = args.username or input("Username: ")
    # SLIDESK_PASSWORD serves scripted use (CI, batch export); otherwise it is asked.
    password = os.environ.get("SLIDESK_PASSWORD") or getpass.getpass("Password: ")
    actor = accounts.authenticate(uow=uow, clock=clock, username=username, password=password)
    issued = issue_report(
        uow=uow,
        clock=clock,
        actor=actor,
        procedure_id=args.procedure_id,
        purpose=ReportPurpose.EXPORT,
        version=args.record_version,
    )
    out = Path(args.output)
    write_pdf(out, issued.pdf)
    what = f"signed version {issued.version}" if issued.version else "draft (not signed)"
    print(f"Wrote {out} — procedure {args.procedure_id}, {what}")
    print(f"Document {issued.document_id}; record SHA-256 {issued.record_hash}")
    if issued.from_archive:
        print("This is the archived issue of that version (the same bytes as first issued).")
    if issued.time_zone:
        print(f"Times are printed in {issued.time_zone}.")
    if issued.seal_problem:
        print(f"Not digitally sealed: {issued.seal_problem}", file=sys.stderr)
    return 0


def _verify_pdf(uow: Any, path: Path) -> int:
    from slidesk.services.reporting.service import verify_pdf

    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"Cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 2
    result = verify_pdf(uow=uow, data=data)
    print(f"File: {path}")
    print(result.summary())
    ok = result.signed and result.intact and result.covers_whole_file and result.matches_database
    return 0 if ok else 1
