"""The `slidesk` command: the GUI by default, and demo / verify / users for scripted use."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Callable, Sequence

from slidesk import __version__

log = logging.getLogger(__name__)

_EPILOG = """\
examples:
  slidesk                         start the app on the database in your data folder
  slidesk --db /path/study.sqlite3
  slidesk --db postgresql+psycopg://user@host/sail
  slidesk demo                    create (or reopen) the demo database and start the app on it
  slidesk verify                  check the audit trail of the database
  slidesk verify --witness FILE   ... and that it still has every head witnessed in FILE
                                  (bare --witness, or none: this workstation's witness folders)
  slidesk checkpoint              sign the trail's head now and append it to every witness
  slidesk backup OUT              copy the database safely (also while in use), verified
  slidesk restore IN --to PATH    restore a backup to a new file with a new identity
  slidesk users add --role admin  create the first administrator from a terminal
  slidesk report 12 -o p12.pdf    the signed (or draft) report of procedure 12, sealed
  slidesk verify-pdf p12.pdf      is the PDF unchanged, and does it match the database?
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="slidesk",
        description="SLI Desk: bedside record of the SAIL trial's injection procedure.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"SLI Desk {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="SQLite file or SQLAlchemy URL (default: slidesk.sqlite3 in your data folder)",
    )
    parser.add_argument(
        "--new",
        action="store_true",
        help="create a new database at --db when there is none (otherwise the app asks)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("gui", help="start the app (the default)")
    demo = sub.add_parser("demo", help="create the demo database and start the app on it")
    demo.add_argument("--no-gui", action="store_true", help="only create the demo database")
    demo.add_argument("--reset", action="store_true", help="delete and recreate the demo database")
    verify = sub.add_parser(
        "verify", help="check the audit chain and every record against its history"
    )
    from slidesk.cli.checkpoints import add_checkpoint_command, add_witness_option

    add_witness_option(verify)
    add_checkpoint_command(sub)
    users = sub.add_parser("users", help="manage accounts from a terminal")
    users_sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = users_sub.add_parser("add", help="add an account (the first one must be an admin)")
    add.add_argument(
        "--role", action="append", required=True, choices=["admin", "operator", "nurse", "monitor"]
    )
    add.add_argument("--username")
    add.add_argument("--full-name")
    users_sub.add_parser("list", help="list accounts")
    from slidesk.cli.reports import add_report_commands

    add_report_commands(sub)
    from slidesk.cli.backup import add_backup_commands

    add_backup_commands(sub)
    return parser


GuiRunner = Callable[[str], int]
Ask = Callable[[str], bool]
"""Asks, in a window, whether to create a new database at a path; True means create."""


def main(
    argv: Sequence[str] | None = None, *, gui: GuiRunner | None = None, ask: Ask | None = None
) -> int:
    """Run a command; `gui` starts the window (given by `ui.launch`, the core has no Qt);
    `ask` puts the start-up question in a window when there is no terminal to ask on (an
    app started by a double-click)."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    command = args.command or "gui"
    try:
        return _run(command, args, gui, ask)
    except KeyboardInterrupt:
        print("Interrupted; nothing more was done.", file=sys.stderr)
        return 130
    except Exception as exc:  # a command ends in one line, never a traceback
        return _one_line(exc, _target(args.db))


# Exit codes: 0 done (verify: intact), 1 verify found a problem, 2 refused (a path that is not
# a database, a refusal of the rules), 3 a database fault (locked, read-only, full, corrupt),
# 70 anything else (the traceback is logged with --verbose).
REFUSED_EXIT = 2
FAULT_EXIT = 3
UNEXPECTED_EXIT = 70


def _run(
    command: str, args: argparse.Namespace, gui: GuiRunner | None, ask: Ask | None = None
) -> int:
    if command == "gui":
        refused = _refuse_unless_database(args, may_create=True, ask=ask if gui else None)
        return refused if refused is not None else _gui(args.db, gui)
    if command == "demo":
        return _demo(args, gui)
    if command == "verify":
        return _verify(args)
    if command == "checkpoint":
        refused = _refuse_unless_database(args, may_create=False)
        if refused is not None:
            return refused
        from slidesk.cli.checkpoints import run_checkpoint

        return run_checkpoint(args, _target(args.db))
    if command == "backup":
        from slidesk.cli.backup import run_backup

        refused = _refuse_unless_database(args, may_create=False)  # None for a server URL
        return refused if refused is not None else run_backup(args, _target(args.db))
    if command == "restore":
        from slidesk.cli.backup import run_restore

        return run_restore(args)
    if command == "users":
        refused = _refuse_unless_database(args, may_create=args.users_command == "add")
        return refused if refused is not None else _users(args)
    if command in ("report", "verify-pdf"):
        from slidesk.cli.reports import run_report_command

        refused = _refuse_unless_database(args, may_create=False)
        return refused if refused is not None else run_report_command(args, _target(args.db))
    raise AssertionError(command)


def _one_line(exc: Exception, where: str) -> int:
    from slidesk.domain.errors import DomainError
    from slidesk.persistence.checks.readonly import OlderSchemaOnServer
    from slidesk.persistence.faults import describe_fault
    from slidesk.persistence.migrate import SchemaTooNew

    log.debug("the command failed", exc_info=exc)
    if isinstance(exc, DomainError):
        print(f"Refused: {exc.message}", file=sys.stderr)
        return REFUSED_EXIT
    if isinstance(exc, EOFError):
        print("An answer was needed and none could be read (no terminal).", file=sys.stderr)
        return REFUSED_EXIT
    if isinstance(exc, SchemaTooNew | OlderSchemaOnServer):
        print(str(exc), file=sys.stderr)
        return REFUSED_EXIT
    fault = describe_fault(exc, where)
    if fault is not None:
        print(fault, file=sys.stderr)
        return FAULT_EXIT
    print(
        f"SLI Desk stopped on an unexpected error ({type(exc).__name__}: {exc}); "
        "run the command again with --verbose for the details.",
        file=sys.stderr,
    )
    return UNEXPECTED_EXIT


def _refuse_unless_database(
    args: argparse.Namespace, *, may_create: bool, ask: Ask | None = None
) -> int | None:
    """Exit code 2 with one line when the SQLite file is missing, empty, a folder or not ours.

    Nothing is created: a missing file is created only where that is the point (the app and
    `users add`) and, for a path typed with --db, only after a yes (or with --new): on the
    terminal, or — without one — in the window `ask` opens (the app).
    """
    from slidesk.persistence.checks.preflight import FileState, check_file
    from slidesk.persistence.probe import sqlite_file

    path = sqlite_file(_target(args.db))
    if path is None:
        return None
    check = check_file(path)
    if check.ok:
        return None
    asked = f"There is no database at {path}. Create a new one?"
    if (
        check.state is FileState.MISSING
        and may_create
        and (args.db is None or args.new or _yes(asked, str(path), ask))
    ):
        return None
    hint = " To start a new database there, add --new." if may_create else ""
    print(check.message() + hint, file=sys.stderr)
    damaged = check.state in (FileState.CORRUPT, FileState.UNREADABLE)
    return FAULT_EXIT if damaged else REFUSED_EXIT


def _yes(question: str, path: str, ask: Ask | None) -> bool:
    """Ask on the terminal; without one, in the window `ask` opens; neither means no."""
    if not sys.stdin.isatty():
        return ask(path) if ask is not None else False
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def _target(db: str | None) -> str:
    from slidesk.paths import default_database_path

    return db or str(default_database_path())


def _gui(db: str | None, gui: GuiRunner | None) -> int:
    if gui is None:
        print(
            "The window is started by the `slidesk` command (ui.launch); "
            "`python -m slidesk` runs the other commands only.",
            file=sys.stderr,
        )
        return 2
    return gui(_target(db))


def _demo(args: argparse.Namespace, gui: GuiRunner | None) -> int:
    from slidesk.demo.build import build_demo
    from slidesk.paths import demo_database_path

    target = args.db or str(demo_database_path())
    path = build_demo(target, reset=args.reset)
    print(f"Demo database: {path}")
    print(
        "Demo accounts (password for all: demo-password-1): "
        "admin, operator (J. de Vries), nurse (S. Bakker), monitor"
    )
    if args.no_gui:
        return 0
    return _gui(target, gui)


def _verify(args: argparse.Namespace) -> int:
    from slidesk.cli.checkpoints import witness_report
    from slidesk.persistence.checks.preflight import FileState, check_file
    from slidesk.persistence.faults import Fault, classify
    from slidesk.persistence.probe import sqlite_file
    from slidesk.services.audit.verify import verify_database
    from slidesk.services.workstation.database import open_for_checking

    target = _target(args.db)
    path = sqlite_file(target)
    if path is not None:
        check = check_file(path)
        if check.state is FileState.CORRUPT:
            print(f"Database: {path}")
            print(check.message())
            return 1
        if not check.ok:
            print(check.message(), file=sys.stderr)
            return REFUSED_EXIT
    try:
        with open_for_checking(target) as checked:
            report = verify_database(uow=checked.uow)
            witnessed, witness_lines = witness_report(checked.uow, args.witness)
            changed = checked.changed()
    except Exception as exc:
        if classify(exc) is not Fault.CORRUPT:
            raise
        print(f"Database: {path or target}")
        print(f"CORRUPT: the file cannot be read: {getattr(exc, 'orig', None) or exc}")
        return 1
    print(f"Database: {checked.location}")
    for note in checked.notes:
        print(note)
    if changed:
        print(
            "NOT CHECKED: another program wrote to the database while it was read; "
            "run verify again (or on a copy).",
            file=sys.stderr,
        )
        return FAULT_EXIT
    if not witnessed:
        print("NOT INTACT: the audit trail is not what its witnesses saw (WITNESS lines below).")
    print(report.summary())
    if witness_lines:
        print(witness_lines)
    return 0 if report.intact and witnessed else 1


def _users(args: argparse.Namespace) -> int:
    from slidesk.clock import SystemClock
    from slidesk.domain.errors import DomainError
    from slidesk.domain.users import Role
    from slidesk.services.accounts import service as accounts
    from slidesk.services.settings import site_zone
    from slidesk.services.workstation.database import open_database

    opened = open_database(_target(args.db))
    uow, clock = opened.uow, SystemClock(site_zone(uow=opened.uow))
    try:
        if args.users_command == "list":
            print("Listing accounts needs an administrator's sign-in:")
            actor = accounts.authenticate(
                uow=uow,
                clock=clock,
                username=input("Admin username: "),
                password=getpass.getpass("Password: "),
            )
            for user in accounts.list_users(uow=uow, actor=actor):
                shown = ",".join(sorted(r.value for r in user.roles))
                state = "active" if user.active else "inactive"
                print(f"{user.username:<20} {user.full_name:<30} {shown:<20} {state}")
            return 0
        roles = frozenset(Role(r) for r in args.role)
        username = args.username or input("Username: ")
        full_name = args.full_name or input("Full name (as on a signature): ")
        password = os.environ.get("SLIDESK_NEW_PASSWORD") or getpass.getpass("Password: ")
        if not accounts.has_users(uow=uow):
            if roles != {Role.ADMIN}:
                print("The first account must be an administrator (--role admin).", file=sys.stderr)
                return 2
            user = accounts.create_first_admin(
                uow=uow, clock=clock, username=username, full_name=full_name, password=password
            )
        else:
            print("Adding an account needs an administrator's sign-in:")
            actor = accounts.authenticate(
                uow=uow,
                clock=clock,
                username=input("Admin username: "),
                password=getpass.getpass("Admin password: "),
            )
            user = accounts.add_user(
                uow=uow,
                clock=clock,
                actor=actor,
                username=username,
                full_name=full_name,
                roles=roles,
                temporary_password=password,
            )
        print(f"Created {user.username} ({', '.join(sorted(r.value for r in user.roles))}).")
        return 0
    except DomainError as exc:
        print(f"Refused: {exc.message}", file=sys.stderr)
        return 2
    finally:
        opened.close()
