"""Automatic backups: after every completed or signed procedure, and once a day, keeping the last N.

A hook on the unit of work's milestones (`uow.after_milestone`, run after the automatic
checkpoint): after a completion or a signature it makes a verified backup (`services.backup`) in
this workstation's backup folder (setting `workstation.backup_folder`; by default `backups` in
the data folder); after any other milestone (a report, an export) it makes one only when the
folder has none of this database from today, on the site's clock. Then it deletes the oldest
beyond the site setting `site.backup_keep`.

Like an automatic checkpoint it never raises: the entry is committed before it runs, and a
backup that fails (folder missing, read-only, full) is said on the status bar
(`STATUS_LOGGER`) and kept in the log, then tried again at the next milestone. A server
database (PostgreSQL) is not backed up here: that is pg_dump's job (docs/backup.md).

Nothing here imports Qt or SQLAlchemy.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from slidesk.clock import Clock, local
from slidesk.domain.checkpoints import STATUS_LOGGER, CheckpointReason
from slidesk.domain.errors import DomainError, ValidationError
from slidesk.domain.settings import BACKUP_FOLDER, BACKUP_KEEP, keep_count
from slidesk.i18n import _
from slidesk.persistence.queries.checkpoints import CheckpointRepository
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.settings import value_in
from slidesk.services.workstation.backup import backup_database

log = logging.getLogger(__name__)
_status = logging.getLogger(STATUS_LOGGER)

# Always followed by a backup; any other milestone only by the first backup of a local day.
EVERY_TIME = frozenset({CheckpointReason.COMPLETION, CheckpointReason.SIGNATURE})
SUFFIX = ".sqlite3"


def default_backup_folder() -> Path:
    from slidesk.paths import user_data_dir

    return user_data_dir() / "backups"


def prefix_of(identity: str) -> str:
    """Backups of one database in a folder: `slidesk-<first 8 of its identity>-…`."""
    return f"slidesk-{identity[:8]}-"


def backups_in(folder: Path, identity: str) -> list[Path]:
    """This database's automatic backups in `folder`, oldest first (by the time in the name)."""
    try:
        found = [
            p
            for p in folder.iterdir()
            if p.name.startswith(prefix_of(identity)) and p.name.endswith(SUFFIX)
        ]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name)


class AutomaticBackups:
    """The milestone hook; `warnings` holds what went wrong at the last milestone."""

    def __init__(
        self,
        uow: UnitOfWork,
        *,
        folder: Path | None = None,
        key_folder: Path | None = None,
        witness_folders: Sequence[Path] | None = None,
    ) -> None:
        self.uow = uow
        self.folder = folder
        self.key_folder = key_folder
        self.witness_folders = witness_folders
        self.warnings: tuple[str, ...] = ()
        self.last: Path | None = None
        self.seconds: float | None = None
        # Set by the GUI: takes the backup to a worker thread (`ui/features/backup_runner.py`)
        # so that the completion or signature returns at once. None: it runs here and now.
        self.runner: Callable[[Callable[[], None]], None] | None = None
        self._one_at_a_time = threading.Lock()

    def __call__(self, clock: Clock, reason: str) -> None:
        runner = self.runner
        if runner is None:
            self.run(clock, reason)
        else:
            runner(lambda: self.run(clock, reason))

    def run(self, clock: Clock, reason: str) -> None:
        """Back up now if this milestone calls for it; never raises."""
        with self._one_at_a_time:
            self._run(clock, reason)

    def _run(self, clock: Clock, reason: str) -> None:
        folder = self.folder
        try:
            with self.uow.read() as tx:
                repo = tx.repo(CheckpointRepository)
                source = repo.database_file()
                identity = repo.identity() or "unknown"
                chosen = value_in(tx, BACKUP_FOLDER)
                keep = keep_count(value_in(tx, BACKUP_KEEP))
            if source is None:
                return  # a server database: pg_dump (docs/backup.md)
            folder = folder or (Path(chosen) if chosen else default_backup_folder())
            warnings = self._backup(clock, reason, folder, identity, keep)
        except Exception as exc:  # never blocks or undoes the entry: it is committed
            log.warning("no automatic backup after %s", reason, exc_info=True)
            problem = exc.message if isinstance(exc, DomainError) else _problem(exc)
            warnings = [
                _(
                    "No automatic backup was made in {folder} ({problem}); what was entered is "
                    "recorded. It is tried again at the next completion or signature."
                ).format(folder=folder or _("the backup folder"), problem=problem)
            ]
        self.warnings = tuple(warnings)
        for warning in self.warnings:
            _status.warning(warning)

    def _backup(
        self, clock: Clock, reason: str, folder: Path, identity: str, keep: int
    ) -> list[str]:
        now = local(clock.now(), clock)
        existing = backups_in(folder, identity)
        today = f"{prefix_of(identity)}{now:%Y%m%d}"
        if reason not in EVERY_TIME and any(p.name.startswith(today) for p in existing):
            return []
        if folder.exists() and not folder.is_dir():
            raise ValidationError(_("{folder} is not a folder").format(folder=folder))
        folder.mkdir(parents=True, exist_ok=True)
        # slidesk-<identity>-<local date-time>-<nn>-<reason>: the names sort as they were made.
        stamp = f"{prefix_of(identity)}{now:%Y%m%d-%H%M%S}-"
        n = 1 + sum(p.name.startswith(stamp) for p in existing)
        out = folder / f"{stamp}{n:02d}-{reason}{SUFFIX}"
        result = backup_database(
            uow=self.uow,
            clock=clock,
            out=out,
            key_folder=self.key_folder,
            witness_folders=self.witness_folders,
        )
        self.last, self.seconds = out, result.seconds
        warnings = list(result.warnings)
        if not result.check.intact:
            warnings.append(
                _("The automatic backup {path} does not verify: {finding}").format(
                    path=out, finding=result.check.findings[0]
                )
            )
        return warnings + _prune(backups_in(folder, identity), keep)


def _prune(backups: list[Path], keep: int) -> list[str]:
    warnings: list[str] = []
    for old in backups[: max(0, len(backups) - keep)]:
        try:
            old.unlink()
        except OSError as exc:
            log.warning("old backup %s not deleted: %s", old, exc)
            warnings.append(
                _("The old backup {path} could not be deleted ({problem}).").format(
                    path=old, problem=_problem(exc)
                )
            )
    return warnings


def _problem(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def enable_automatic_backups(
    uow: UnitOfWork,
    *,
    folder: Path | None = None,
    key_folder: Path | None = None,
    witness_folders: Sequence[Path] | None = None,
) -> AutomaticBackups:
    """Back up automatically at this unit of work's milestones (the app)."""
    hook = AutomaticBackups(
        uow, folder=folder, key_folder=key_folder, witness_folders=witness_folders
    )
    uow.after_milestone["backup"] = hook
    return hook
