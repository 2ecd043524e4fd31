"""Write signed checkpoints of the audit chain to the database and its witnesses; check them.

`write_checkpoint` reads the chain's head under the write lock, signs (sequence, head, UTC time,
database identity) with the installation's PDF-signing key (`reports.certificates`), stores the
checkpoint in the database and then appends every checkpoint a witness lacks to each witness
file. A witness that cannot be written is a warning, never a refusal: the checkpoint is in the
database, and the next checkpoint written brings that witness up to date (retry).

`verify_witnesses` is the half of `slidesk verify` that looks outside the database: each
checkpoint's signature, its database identity, and that the chain still has, at each witnessed
sequence number, the witnessed head (the stored hash: that each stored hash is its entry's
content is `verify_database`'s part, and the command runs both). Nothing here imports Qt or
SQLAlchemy.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from slidesk.audit import GENESIS_HASH, canonical_value
from slidesk.checkpoint import (
    Checkpoint,
    CheckpointFormatError,
    CheckpointSigner,
    SignedCheckpoint,
    parse_line,
)
from slidesk.clock import Clock
from slidesk.domain.checkpoints import STATUS_LOGGER
from slidesk.domain.errors import ValidationError
from slidesk.domain.settings import WITNESS_FOLDERS, folders
from slidesk.i18n import _
from slidesk.persistence.rows_checkpoints import CheckpointRepository, CheckpointRow
from slidesk.persistence.uow import Transaction, UnitOfWork
from slidesk.services.settings import value_in
from slidesk.witness import (
    WitnessLine,
    append,
    compare,
    last_number,
    read_witness,
    witness_file,
)

log = logging.getLogger(__name__)
_status = logging.getLogger(STATUS_LOGGER)
_signers: dict[str, CheckpointSigner] = {}


@dataclass(frozen=True, slots=True)
class CheckpointResult:
    checkpoint: Checkpoint | None  # None when nothing new was there to vouch for
    witnessed_in: tuple[Path, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WitnessReport:
    findings: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        lines = [f"WITNESS: {f}" for f in self.findings]
        lines.extend(self.notes)
        return "\n".join(lines)


class AutomaticCheckpoints:
    """The unit of work's milestone hook: a checkpoint after each signature, report, export and
    completion, unless the newest one already vouches for the head. It never raises; what went
    wrong (a witness not written, no key) is logged and kept in `warnings` for the screen."""

    def __init__(
        self,
        uow: UnitOfWork,
        *,
        key_folder: Path | None = None,
        witness_folders: Sequence[Path] | None = None,
    ) -> None:
        self.uow = uow
        self.key_folder = key_folder
        self.witness_folders = witness_folders
        self.warnings: tuple[str, ...] = ()
        self.last: Checkpoint | None = None

    def __call__(self, clock: Clock, reason: str) -> None:
        try:
            result = write_checkpoint(
                uow=self.uow,
                clock=clock,
                reason=reason,
                key_folder=self.key_folder,
                witness_folders=self.witness_folders,
                only_if_new=True,
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
) -> AutomaticCheckpoints:
    """Write checkpoints automatically at this unit of work's milestones (the app, the CLI)."""
    hook = AutomaticCheckpoints(uow, key_folder=key_folder, witness_folders=witness_folders)
    uow.milestone_hook = hook
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


def write_checkpoint(
    *,
    uow: UnitOfWork,
    clock: Clock,
    reason: str,
    key_folder: Path | None = None,
    witness_folders: Sequence[Path] | None = None,
    witness_files: Sequence[Path] = (),
    only_if_new: bool = False,
) -> CheckpointResult:
    """Sign the chain's head now, keep it in the database, append it to every witness.

    `witness_folders` replaces this workstation's setting (tests, the CLI); `witness_files`
    are extra witness files named by their path. With `only_if_new`, no checkpoint is written
    when the newest one already vouches for the head (the witnesses are still brought up to
    date).
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
    written, warnings = sync_witnesses(uow=uow, folders=folders_here, files=witness_files)
    return CheckpointResult(checkpoint, written, warnings)


def sync_witnesses(
    *, uow: UnitOfWork, folders: Sequence[Path], files: Sequence[Path] = ()
) -> tuple[tuple[Path, ...], tuple[str, ...]]:
    """Append to each witness the database's checkpoints it lacks; never raises for a witness."""
    with uow.read() as tx:
        repo = tx.repo(CheckpointRepository)
        identity = repo.identity()
        database_file = repo.database_file()
        named = [witness_file(f, identity) for f in folders] if identity is not None else []
        targets = named + list(files)
        pending = {t: repo.after(_known(t)) for t in targets}
        lines = {t: [row.line for row in rows] for t, rows in pending.items()}
    written: list[Path] = []
    warnings: list[str] = []
    for target, texts in lines.items():
        try:
            append(target, [parse_line(text) for text in texts])
            written.append(target)
        except (OSError, CheckpointFormatError) as exc:
            log.warning("witness %s not written: %s", target, exc)
            warnings.append(
                _(
                    "Checkpoint not witnessed in {folder} ({problem}): it is kept in the "
                    "database and will be added there next time."
                ).format(folder=target.parent, problem=getattr(exc, "strerror", None) or exc)
            )
            continue
        if database_file is not None and _same_disk(target.parent, database_file.parent):
            warnings.append(
                _(
                    "The witness folder {folder} is on the same disk as the database: it "
                    "survives neither that disk nor someone who can change the database file. "
                    "Choose a folder elsewhere (a network share, a USB stick)."
                ).format(folder=target.parent)
            )
    return tuple(written), tuple(warnings)


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


def verify_witnesses(
    *, uow: UnitOfWork, witness_files: Sequence[Path] | None = None
) -> WitnessReport:
    """Check the database's checkpoints and each witness's against the chain as it is now.

    Without `witness_files`, this workstation's witness folders are read (a folder without a
    file for this database is a note, not a finding: no checkpoint may have been written yet).
    """
    findings: list[str] = []
    notes: list[str] = []
    with uow.read() as tx:
        repo = tx.repo(CheckpointRepository)
        missing = repo.missing_tables()
        findings.extend(
            _("the table {name} is missing (dropped behind the app's back)").format(name=name)
            for name in missing
        )
        identity = repo.identity() if "database_identity" not in missing else None
        if identity is None and not missing:
            findings.append(_("this database has no identity (database_identity was emptied)"))
        stored = {}
        if "checkpoints" not in missing:
            stored = {row.number: row.line for row in repo.after(0)}
        heads, chain_end = _heads(tx)
        if witness_files is not None:
            files, explicit = list(witness_files), True
        elif identity is not None:
            files, explicit = [witness_file(f, identity) for f in witness_folders_in(tx)], False
        else:
            files, explicit = [], False
    in_database = _checked(
        [(_("kept in the database"), n, line) for n, line in stored.items()], identity, findings
    )
    witnessed: list[tuple[str, SignedCheckpoint]] = []
    for path in files:
        if not path.exists() and not explicit:
            notes.append(
                _("No witness file for this database in {folder}.").format(folder=path.parent)
            )
            continue
        try:
            lines = read_witness(path)
        except OSError as exc:
            findings.append(
                _("the witness {file} cannot be read: {problem}").format(
                    file=path, problem=exc.strerror or exc
                )
            )
            continue
        where = _("witnessed in {file}").format(file=path)
        ok = _lines_checked(lines, path, identity, findings)
        for signed in ok:
            number = signed.checkpoint.number
            if number not in stored:
                findings.append(
                    _("checkpoint #{n} {where} is missing from the database").format(
                        n=number, where=where
                    )
                )
            elif parse_line(stored[number]).to_line() != signed.to_line():
                findings.append(
                    _("checkpoint #{n} in the database differs from the one {where}").format(
                        n=number, where=where
                    )
                )
        witnessed.extend((where, s) for s in ok)
        if ok:
            newest = max(ok, key=lambda s: s.checkpoint.number).checkpoint
            notes.append(
                _(
                    "Checked {file}: {count} signed checkpoint(s), the newest #{n} at entry {seq}."
                ).format(file=path, count=len(ok), n=newest.number, seq=newest.seq)
            )
    seen = {s.checkpoint.number for _w, s in witnessed}
    everything = witnessed + [(w, s) for w, s in in_database if s.checkpoint.number not in seen]
    findings.extend(compare(everything, heads, chain_end))
    if not witnessed:
        notes.append(
            _(
                "No witness was checked: a history rewritten with every hash recomputed "
                "cannot be told from the original without one."
            )
        )
    return WitnessReport(tuple(findings), tuple(notes))


def _heads(tx: Transaction) -> tuple[dict[int, str], int]:
    """The chain's head after each entry, as stored, and its last sequence number.

    The stored hashes are what `verify_database` proves equal to the entries' content
    (`audit.verify_chain`); `slidesk verify` runs both, so recomputing them here again would
    double the cost (≈8 s at 100,000 entries) and find nothing more.
    """
    heads = tx.repo(CheckpointRepository).stored_heads()
    end = max(heads, default=0)
    heads[0] = GENESIS_HASH
    return heads, end


def _checked(
    items: Sequence[tuple[str, int, str]], identity: str | None, findings: list[str]
) -> list[tuple[str, SignedCheckpoint]]:
    good: list[tuple[str, SignedCheckpoint]] = []
    for where, number, line in items:
        try:
            signed = parse_line(line)
        except CheckpointFormatError as exc:
            findings.append(
                _("checkpoint #{n} {where} cannot be read: {problem}").format(
                    n=number, where=where, problem=exc
                )
            )
            continue
        if _problem(signed, identity, where, findings):
            good.append((where, signed))
    return good


def _lines_checked(
    lines: Sequence[WitnessLine], path: Path, identity: str | None, findings: list[str]
) -> list[SignedCheckpoint]:
    good: list[SignedCheckpoint] = []
    for line in lines:
        if line.checkpoint is None:
            findings.append(
                _("{file} line {no}: {problem}").format(
                    file=path, no=line.line_no, problem=line.problem
                )
            )
            continue
        if _problem(line.checkpoint, identity, f"{path} line {line.line_no}", findings):
            good.append(line.checkpoint)
    return good


def _problem(
    signed: SignedCheckpoint, identity: str | None, where: str, findings: list[str]
) -> bool:
    """True when the checkpoint is this database's and its signature holds; else a finding.

    A database whose identity is gone (a finding of its own) is compared with every witness
    it is given: the heads still tell whether its chain is the one witnessed.
    """
    cp = signed.checkpoint
    if identity is not None and cp.database != identity:
        findings.append(
            _("checkpoint #{n} ({where}) is of database {other}, not of this one ({this})").format(
                n=cp.number, where=where, other=cp.database, this=identity
            )
        )
        return False
    problem = signed.signature_problem()
    if problem is not None:
        findings.append(
            _("checkpoint #{n} ({where}): {problem}").format(
                n=cp.number, where=where, problem=problem
            )
        )
        return False
    return True
