"""Write signed checkpoints of the audit chain to the database and its witnesses; check them.

`write_checkpoint` reads the chain's head under the write lock, signs (sequence, head, UTC time,
database identity) with the installation's PDF-signing key (`reports.certificates`), stores the
checkpoint in the database and then appends every checkpoint a witness lacks to each witness
file. A witness that cannot be written is a warning, never a refusal: the checkpoint is in the
database, and the next checkpoint written brings that witness up to date (retry).

Checking them is `services.checkpoint_verify`. Nothing here imports Qt or SQLAlchemy.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from slidesk.clock import Clock
from slidesk.domain.checkpoints import STATUS_LOGGER, CheckpointReason
from slidesk.domain.errors import ValidationError
from slidesk.domain.settings import WITNESS_FOLDERS, folders
from slidesk.i18n import _
from slidesk.integrity.chain import canonical_value
from slidesk.integrity.checkpoint import (
    Checkpoint,
    CheckpointFormatError,
    CheckpointSigner,
    parse_line,
)
from slidesk.integrity.witness import append, last_number, witness_file
from slidesk.integrity.witness_writer import WRITER
from slidesk.integrity.witness_writer import set_thread_guard as set_thread_guard  # for the GUI
from slidesk.persistence.queries.checkpoints import CheckpointRepository
from slidesk.persistence.rows.checkpoints import CheckpointRow
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.boundary import boundary
from slidesk.services.settings import value_in

# How long a checkpoint written on request waits for its witnesses (the CLI, tests); the
# automatic ones do not wait at all.
WITNESS_WAIT = 30.0
# While entries are made, a checkpoint at least this often.
HOURLY = timedelta(minutes=60)

log = logging.getLogger(__name__)
_status = logging.getLogger(STATUS_LOGGER)
_signers: dict[str, CheckpointSigner] = {}


@dataclass(frozen=True, slots=True)
class CheckpointResult:
    checkpoint: Checkpoint | None  # None when nothing new was there to vouch for
    witnessed_in: tuple[Path, ...]
    warnings: tuple[str, ...]
    # Witnesses still being written when the call returned (their outcome is said later).
    pending: tuple[Path, ...] = ()


class AutomaticCheckpoints:
    """The unit of work's hooks: a checkpoint after each signature, report, export and
    completion, unless the newest one already vouches for the head — and, while entries are
    made, at least every `every` (by the clock): the first entry committed when the newest
    checkpoint is older writes one. It never raises and never waits for a witness; what went
    wrong (a witness not written, no key) is logged and kept in `warnings` for the screen."""

    def __init__(
        self,
        uow: UnitOfWork,
        *,
        key_folder: Path | None = None,
        witness_folders: Sequence[Path] | None = None,
        witness_wait: float = 0.0,
        every: timedelta = HOURLY,
    ) -> None:
        self.uow = uow
        self.key_folder = key_folder
        self.witness_folders = witness_folders
        self.witness_wait = witness_wait
        self.every = every
        self.warnings: tuple[str, ...] = ()
        self.last: Checkpoint | None = None
        # When the newest checkpoint was written (or last tried); None: not read yet.
        self._since: datetime | None = None

    def __call__(self, clock: Clock, reason: str) -> None:
        self._write(clock, reason)

    def warm_up(self) -> None:
        """Load the key and the newest checkpoint's time now (off the GUI thread, at open), so
        the first checkpoint of the session, perhaps in a Confirm, does not pay for them.
        A key is not created here (the first checkpoint does); a problem is left for that
        checkpoint to say."""
        from slidesk.paths import user_data_dir
        from slidesk.reports.certificates import P12_NAME, SETTINGS_NAME

        folder = self.key_folder or user_data_dir()
        if any((folder / name).exists() for name in (P12_NAME, SETTINGS_NAME)):
            try:
                signer(self.key_folder)
            except ValidationError:
                log.warning("the checkpoint key could not be loaded yet", exc_info=True)
        if self._since is None:
            self._since = self._newest_time()

    def entries_made(self, clock: Clock, at: datetime) -> None:
        """After each commit with audit entries: a checkpoint if the newest is too old."""
        since = self._since
        if since is not None and at - since < self.every:
            return  # the bedside path: one comparison
        if since is None:
            since = self._since = self._newest_time()
            if since is not None and at - since < self.every:
                return
        self._write(clock, CheckpointReason.HOURLY)

    def _newest_time(self) -> datetime | None:
        try:
            with self.uow.read() as tx:
                repo = tx.repo(CheckpointRepository)
                row = None if repo.missing_tables() else repo.last()
                return None if row is None else parse_line(row.line).checkpoint.at_utc
        except Exception:  # a checkpoint problem never stops an entry; _write says what
            log.warning("the newest checkpoint could not be read", exc_info=True)
            return None

    def _write(self, clock: Clock, reason: str) -> None:
        # Tried now: whatever happens, the next hourly try is an hour away (milestones still try).
        self._since = clock.now()
        try:
            result = write_checkpoint(
                uow=self.uow,
                clock=clock,
                reason=reason,
                key_folder=self.key_folder,
                witness_folders=self.witness_folders,
                only_if_new=True,
                witness_wait=self.witness_wait,
            )
        except Exception as exc:
            log.warning("no checkpoint written after %s", reason, exc_info=True)
            message = exc.message if isinstance(exc, ValidationError) else str(exc)
            self.warnings = (
                _(
                    "No checkpoint of the audit trail was written ({problem}); it is tried "
                    "again at the next signature, report, export or completion."
                ).format(problem=message),
            )
            _status.warning(self.warnings[0])
            return
        self.warnings = result.warnings
        self.last = result.checkpoint or self.last
        for warning in self.warnings:
            _status.warning(warning)


def enable_automatic(
    uow: UnitOfWork,
    *,
    key_folder: Path | None = None,
    witness_folders: Sequence[Path] | None = None,
    witness_wait: float = 0.0,
) -> AutomaticCheckpoints:
    """Write checkpoints automatically at this unit of work's milestones and at least hourly
    while entries are made (the app, the CLI)."""
    hook = AutomaticCheckpoints(
        uow, key_folder=key_folder, witness_folders=witness_folders, witness_wait=witness_wait
    )
    uow.milestone_hook = hook
    uow.entries_hook = hook.entries_made
    return hook


def default_witness_folder() -> Path:
    from slidesk.paths import user_data_dir

    return user_data_dir() / "witnesses"


def witness_folders_in(tx: Transaction) -> tuple[Path, ...]:
    """This workstation's witness folders (the setting, else the data folder's `witnesses`)."""
    chosen = folders(value_in(tx, WITNESS_FOLDERS))
    return tuple(Path(f) for f in chosen) or (default_witness_folder(),)


def signer(key_folder: Path | None = None) -> CheckpointSigner:
    """The installation's (or institution's) key, loaded once per process and folder."""
    from slidesk.paths import user_data_dir
    from slidesk.reports.certificates import (
        P12_NAME,
        SETTINGS_NAME,
        SigningKeyError,
        load_signing_key,
    )

    folder = key_folder or user_data_dir()
    # Keyed by the files' times too: a key replaced on disk is loaded again.
    cache_key = repr([folder] + [_mtime(folder / name) for name in (P12_NAME, SETTINGS_NAME)])
    found = _signers.get(cache_key)
    if found is None:
        try:
            key = load_signing_key(folder)
            found = CheckpointSigner.from_pkcs12(key.pkcs12_data, key.passphrase)
        except (SigningKeyError, ValueError) as exc:
            raise ValidationError(
                _("No checkpoint can be signed: {problem}").format(problem=exc)
            ) from None
        _signers[cache_key] = found
    return found


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


@boundary
def write_checkpoint(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reason: str,
    key_folder: Path | None = None,
    witness_folders: Sequence[Path] | None = None,
    witness_files: Sequence[Path] = (),
    only_if_new: bool = False,
    witness_wait: float = WITNESS_WAIT,
    origin: str | None = None,
) -> CheckpointResult:
    """Sign the chain's head now, keep it in the database, append it to every witness.

    `witness_folders` replaces this workstation's setting (tests, the CLI); `witness_files`
    are extra witness files named by their path. With `only_if_new`, no checkpoint is written
    when the newest one already vouches for the head (the witnesses are still brought up to
    date). `origin` is for a restored copy's first checkpoint (`services.backup`). Each witness
    is written on its own thread (`slidesk.integrity.witness_writer`); this call waits for them
    at most
    `witness_wait` seconds (0: not at all, a witness that fails later says so on
    `STATUS_LOGGER`).
    """
    key = signer(key_folder)
    checkpoint: Checkpoint | None = None
    with uow.begin(actor=None, clock=clock) as tx:
        repo = tx.repo(CheckpointRepository)
        identity = None if repo.missing_tables() else repo.identity()
        if identity is None:
            raise ValidationError(
                _(
                    "This database has no identity or checkpoint table any more (changed "
                    "behind the app's back): no checkpoint can be written. Run slidesk verify."
                )
            )
        seq, head = tx.chain_head()
        last = repo.last()
        if not (only_if_new and last is not None and last.seq == seq and last.head == head):
            checkpoint = Checkpoint(
                database=identity,
                number=(last.number if last is not None else 0) + 1,
                seq=seq,
                head=head,
                at_utc=tx.now,
                offset_min=clock.local_offset_minutes(tx.now),
                reason=reason,
                origin=origin,
            )
            signed = key.sign(checkpoint)
            repo.add(
                CheckpointRow(
                    number=checkpoint.number,
                    seq=seq,
                    head=head,
                    at_utc=canonical_value(tx.now),
                    line=signed.to_line(),
                )
            )
        tx.commit()
        folders_here = (
            tuple(witness_folders) if witness_folders is not None else witness_folders_in(tx)
        )
        database_file = repo.database_file()
    targets = [witness_file(f, identity) for f in folders_here] + list(witness_files)
    written, warnings, pending = _witness(uow, targets, database_file, witness_wait)
    return CheckpointResult(checkpoint, written, warnings, pending)


@boundary
def sync_witnesses(
    *,
    uow: UnitOfWork,
    folders: Sequence[Path],
    files: Sequence[Path] = (),
    wait: float = WITNESS_WAIT,
) -> tuple[tuple[Path, ...], tuple[str, ...]]:
    """Append to each witness the database's checkpoints it lacks; never raises for a witness."""
    with uow.read() as tx:
        repo = tx.repo(CheckpointRepository)
        identity = repo.identity()
        database_file = repo.database_file()
    named = [witness_file(f, identity) for f in folders] if identity is not None else []
    written, warnings, _pending = _witness(uow, named + list(files), database_file, wait)
    return written, warnings


def _witness(
    uow: UnitOfWork, targets: Sequence[Path], database_file: Path | None, wait: float
) -> tuple[tuple[Path, ...], tuple[str, ...], tuple[Path, ...]]:
    """(written, warnings, still being written) — each witness on its own thread."""
    written: list[Path] = []
    warnings: list[str] = []
    pending: list[Path] = []
    # Every witness starts at once; the wait is shared, not one per witness.
    started = [(t, WRITER.write(t, _append_job(uow, t, database_file))) for t in targets]
    if wait > 0:
        WRITER.settle(wait, [t for t, first in started if not first.stuck])
    for target, first in started:
        outcome = first if first.stuck else WRITER.outcome(target)
        if outcome.done:
            if outcome.written:
                written.append(target)
            if outcome.warning is not None:
                warnings.append(outcome.warning)
            continue
        pending.append(target)
        if outcome.stuck:
            warnings.append(
                _(
                    "The witness folder {folder} has not answered since an earlier checkpoint "
                    "(a network share that hangs?): this one is kept in the database and is "
                    "added there when it answers."
                ).format(folder=target.parent)
            )
    return tuple(written), tuple(warnings), tuple(pending)


def _append_job(
    uow: UnitOfWork, target: Path, database_file: Path | None
) -> Callable[[], tuple[bool, str | None]]:
    """Append to `target` what it lacks (runs on the witness's thread; may block there)."""

    def run() -> tuple[bool, str | None]:
        try:
            known = _known(target)
            with uow.read() as tx:
                texts = [row.line for row in tx.repo(CheckpointRepository).after(known)]
            append(target, [parse_line(text) for text in texts])
        except (OSError, CheckpointFormatError) as exc:
            log.warning("witness %s not written: %s", target, exc)
            return False, _(
                "Checkpoint not witnessed in {folder} ({problem}): it is kept in the "
                "database and will be added there next time."
            ).format(folder=target.parent, problem=getattr(exc, "strerror", None) or exc)
        if database_file is not None and _same_disk(target.parent, database_file.parent):
            return True, _(
                "The witness folder {folder} is on the same disk as the database: it "
                "survives neither that disk nor someone who can change the database file. "
                "Choose a folder elsewhere (a network share, a USB stick)."
            ).format(folder=target.parent)
        return True, None

    return run


def _known(target: Path) -> int:
    try:
        return last_number(target)
    except OSError:
        return 0


def _same_disk(a: Path, b: Path) -> bool:
    try:
        return os.stat(a).st_dev == os.stat(b).st_dev
    except OSError:
        return False
