"""Back up a database in use and restore a backup to a new file, each copy verified.

`backup_database` writes a checkpoint (reason `backup`) in the database and its witnesses,
copies the SQLite database with SQLite's online backup API (`persistence.sqlite_copy`: main
file and WAL as one snapshot, never the file by hand), then verifies the copy as `slidesk
verify` would: integrity check, the audit chain and every record against it, the signed
checkpoints it holds. The checkpoint goes first so that the backup holds it: a restore names it
as the copy's origin. `restore_database` copies a backup to a NEW file, verifies it, gives the
copy a new database identity and writes its first checkpoint naming the original identity and
the backup's checkpoint (DECISIONS: a restored copy gets a new identity and a checkpoint naming
its origin). A server database (PostgreSQL) is backed up with pg_dump (docs/backup.md).

Nothing here imports Qt or SQLAlchemy; it never overwrites a file.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from slidesk.clock import Clock
from slidesk.domain.checkpoints import CheckpointReason
from slidesk.domain.errors import DomainError, ValidationError
from slidesk.i18n import _
from slidesk.integrity.chain import canonical_value
from slidesk.persistence.checks.preflight import check_file
from slidesk.persistence.db import copy_engine
from slidesk.persistence.queries.checkpoints import CheckpointRepository
from slidesk.persistence.sqlite_copy import TargetExists, online_copy, settle
from slidesk.persistence.uow import UnitOfWork
from slidesk.protocol.catalog import ProtocolCatalog
from slidesk.services.audit.checkpoint_verify import verify_witnesses
from slidesk.services.audit.checkpoints import write_checkpoint
from slidesk.services.audit.verify import verify_database
from slidesk.services.boundary import boundary

log = logging.getLogger(__name__)

PG_DOCS = "docs/backup.md"


@dataclass(frozen=True, slots=True)
class CopyCheck:
    """What verifying a copy found (the same checks as `slidesk verify`, without witnesses)."""

    entries: int
    records: int
    findings: tuple[str, ...]  # empty: intact
    identity: str | None
    checkpoint: int | None  # the newest checkpoint the copy holds
    checkpoint_seq: int | None

    @property
    def intact(self) -> bool:
        return not self.findings


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    size: int
    seconds: float  # copy and verification, for the record of how long a backup takes
    check: CopyCheck
    checkpoint: int | None  # the backup's checkpoint in the source (None: none could be written)
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RestoreResult:
    path: Path
    check: CopyCheck
    identity: str
    origin_identity: str | None
    origin_checkpoint: int | None
    checkpoint: int | None  # the copy's own first checkpoint (None: none could be written)
    warnings: tuple[str, ...]


def _a_path(value: object, what: str) -> Path:
    if not isinstance(value, Path) or not str(value).strip() or "\x00" in str(value):
        raise ValidationError(_("{what}: give the path of a file.").format(what=what))
    return value


def _refuse_existing(path: Path) -> None:
    if path.exists() or path.is_symlink():
        raise ValidationError(
            _("{path} already exists: a backup or restore never overwrites a file.").format(
                path=path
            )
        )


@boundary
def backup_database(
    *,
    uow: UnitOfWork,
    clock: Clock,
    out: Path,
    key_folder: Path | None = None,
    witness_folders: Sequence[Path] | None = None,
) -> BackupResult:
    """Copy the open database to the new file `out` and verify the copy."""
    out = _a_path(out, _("Backup file"))
    with uow.read() as tx:
        source = tx.repo(CheckpointRepository).database_file()
    if source is None:
        raise ValidationError(
            _(
                "A server database (PostgreSQL) is backed up with pg_dump and restored with "
                "pg_restore, then checked with slidesk verify: see {docs}."
            ).format(docs=PG_DOCS)
        )
    _refuse_existing(out)
    warnings: list[str] = []
    number: int | None = None
    try:
        result = write_checkpoint(
            uow=uow,
            clock=clock,
            reason=CheckpointReason.BACKUP,
            key_folder=key_folder,
            witness_folders=witness_folders,
        )
        number = result.checkpoint.number if result.checkpoint is not None else None
        warnings.extend(result.warnings)
    except Exception as exc:  # the backup matters more than its checkpoint
        log.warning("no checkpoint written for the backup", exc_info=True)
        problem = exc.message if isinstance(exc, DomainError) else str(exc)
        warnings.append(
            _("The backup has no checkpoint of its own ({problem}).").format(problem=problem)
        )
    started = time.perf_counter()
    try:
        copied = online_copy(source, out)
    except TargetExists:
        _refuse_existing(out)
        raise
    check = verify_copy(path=out, protocols=uow.protocols, integrity=copied.integrity)
    seconds = time.perf_counter() - started
    log.info("backup %s: %d bytes in %.2f s", out, copied.size, seconds)
    return BackupResult(out, out.stat().st_size, seconds, check, number, tuple(warnings))


@boundary
def verify_copy(
    *,
    path: Path,
    protocols: ProtocolCatalog,
    integrity: str | None = None,
    settle_after: bool = True,
) -> CopyCheck:
    """Check a copy as `slidesk verify` does (its witnesses are the original's: not read)."""
    path = _a_path(path, _("Copy"))
    engine = copy_engine(path)
    copy = UnitOfWork(engine, protocols)
    try:
        report = verify_database(uow=copy)
        witnesses = verify_witnesses(uow=copy, witness_files=[])
        with copy.read() as tx:
            repo = tx.repo(CheckpointRepository)
            missing = repo.missing_tables()
            identity = None if missing else repo.identity()
            last = None if missing else repo.last()
    finally:
        copy.dispose()
    if settle_after:
        settle(path)  # back to one self-contained file, no -wal beside it
    findings = [] if integrity in (None, "ok") else [f"CORRUPT: {integrity}"]
    if not report.intact:
        findings.extend(report.summary().splitlines()[1:] or [report.summary()])
    findings.extend(f"WITNESS: {f}" for f in witnesses.findings)
    return CopyCheck(
        report.entries,
        report.records,
        tuple(findings),
        identity,
        last.number if last is not None else None,
        last.seq if last is not None else None,
    )


@boundary
def restore_database(
    *,
    clock: Clock,
    source: Path,
    to: Path,
    key_folder: Path | None = None,
    witness_folders: Sequence[Path] | None = None,
) -> RestoreResult:
    """Copy the backup `source` to the new file `to`, verify it, and make it a database of its
    own: a new identity, and a first checkpoint naming the original and its backup checkpoint."""
    from slidesk.services.workstation.database import open_database

    source = _a_path(source, _("Backup file"))
    to = _a_path(to, _("Restored database"))
    _refuse_existing(to)
    state = check_file(source)
    if not state.ok:
        raise ValidationError(state.message())
    copied = online_copy(source, to)
    if copied.integrity != "ok":
        to.unlink()
        raise ValidationError(
            _("The backup {path} is damaged ({problem}); nothing was restored.").format(
                path=source, problem=copied.integrity
            )
        )
    opened = open_database(to)  # a backup of an older version is brought up to date here
    try:
        check = verify_copy(path=to, protocols=opened.uow.protocols, settle_after=False)
        identity = str(uuid.uuid4())
        origin = {
            "identity": check.identity,
            "checkpoint": check.checkpoint,
            "seq": check.checkpoint_seq,
            "restored_from": str(source),
            "at": canonical_value(clock.now()),
        }
        with opened.uow.begin(actor=None, clock=clock) as tx:
            tx.repo(CheckpointRepository).add_identity(identity, json.dumps(origin, sort_keys=True))
            tx.commit()
        warnings: list[str] = []
        number: int | None = None
        named = f"{check.identity} #{check.checkpoint}" if check.checkpoint else check.identity
        try:
            written = write_checkpoint(
                uow=opened.uow,
                clock=clock,
                reason=CheckpointReason.RESTORE,
                key_folder=key_folder,
                witness_folders=witness_folders,
                origin=named or "unknown",
            )
            number = written.checkpoint.number if written.checkpoint is not None else None
            warnings.extend(written.warnings)
        except Exception as exc:
            log.warning("no checkpoint written in the restored copy", exc_info=True)
            problem = exc.message if isinstance(exc, DomainError) else str(exc)
            warnings.append(
                _("The restored copy has no checkpoint naming its origin yet ({problem}).").format(
                    problem=problem
                )
            )
    finally:
        opened.close()
    settle(to)
    return RestoreResult(
        to, check, identity, check.identity, check.checkpoint, number, tuple(warnings)
    )
