"""The witness half of `slidesk verify`: checkpoints against the chain as it is now.

Each checkpoint's signature, its database identity, that the witnessed ones are still in the
database unchanged, and that the chain still has, at each witnessed sequence number, the
witnessed head (the stored hash: that each stored hash is its entry's content is
`verify_database`'s part, and the command runs both). Reads only; never raises for what it
finds. Nothing here imports Qt or SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from slidesk.i18n import _
from slidesk.integrity.chain import GENESIS_HASH
from slidesk.integrity.checkpoint import CheckpointFormatError, SignedCheckpoint, parse_line
from slidesk.integrity.witness import WitnessLine, compare, read_witness, witness_file
from slidesk.persistence.queries.checkpoints import CheckpointRepository
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.audit.checkpoints import witness_folders_in
from slidesk.services.boundary import boundary


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


@boundary
def verify_witnesses(
    *,
    uow: UnitOfWork,
    witness_files: Sequence[Path] | None = None,
    with_folders: bool = False,
) -> WitnessReport:
    """Check the database's checkpoints and each witness's against the chain as it is now.

    Without `witness_files` (or `with_folders`), this workstation's witness folders are read
    too (a folder without a file for this database is a note, not a finding: no checkpoint may
    have been written yet). Each witness read is named in a note, with the checkpoints in it
    that match the chain.
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
        # A restored copy keeps the checkpoints of the database it was restored from.
        lineage = set(repo.lineage()) if identity is not None else set()
        if identity is None and not missing:
            findings.append(_("this database has no identity (database_identity was emptied)"))
        stored = {}
        if "checkpoints" not in missing:
            stored = {row.number: row.line for row in repo.after(0)}
        heads, chain_end = _heads(tx)
        named = list(witness_files or ())
        configured: list[Path] = []
        if (witness_files is None or with_folders) and identity is not None:
            configured = [witness_file(f, identity) for f in witness_folders_in(tx)]
        files = named + [f for f in configured if f not in named]
    in_database = _checked(
        [(_("kept in the database"), n, line) for n, line in stored.items()],
        identity,
        findings,
        lineage,
    )
    witnessed: list[tuple[str, SignedCheckpoint]] = []
    for path in files:
        if not path.exists() and path not in named:
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
        ok = _lines_checked(lines, path, identity, findings, lineage)
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
        notes.append(_checked_note(path, ok, heads))
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
    else:
        vouched = max(s.checkpoint.seq for _w, s in witnessed)
        if chain_end > vouched:
            notes.append(
                _(
                    "Entries {first}–{end} were made after the newest witnessed checkpoint: "
                    "no witness vouches for them yet."
                ).format(first=vouched + 1, end=chain_end)
            )
    return WitnessReport(tuple(findings), tuple(notes))


def _checked_note(path: Path, ok: Sequence[SignedCheckpoint], heads: dict[int, str]) -> str:
    """Which witness was read, and which of its checkpoints the chain still matches."""
    if not ok:
        return _("Checked {file}: no readable checkpoint of this database in it.").format(file=path)
    newest = max(ok, key=lambda s: s.checkpoint.number).checkpoint
    matching = sorted(
        s.checkpoint.number for s in ok if heads.get(s.checkpoint.seq) == s.checkpoint.head
    )
    return _(
        "Checked {file}: {count} signed checkpoint(s), the newest #{n} at entry {seq} "
        "(head {head}…); matching the chain: {matching}."
    ).format(
        file=path,
        count=len(ok),
        n=newest.number,
        seq=newest.seq,
        head=newest.head[:16],
        matching=_ranges(matching) or _("none"),
    )


def _ranges(numbers: Sequence[int]) -> str:
    """[1, 2, 3, 5] → "#1–#3, #5"."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(f"#{a}" if a == b else f"#{a}–#{b}" for a, b in runs)


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
    items: Sequence[tuple[str, int, str]],
    identity: str | None,
    findings: list[str],
    lineage: set[str],
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
        if _problem(signed, identity, where, findings, lineage):
            good.append((where, signed))
    return good


def _lines_checked(
    lines: Sequence[WitnessLine],
    path: Path,
    identity: str | None,
    findings: list[str],
    lineage: set[str],
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
        where = f"{path} line {line.line_no}"
        if _problem(line.checkpoint, identity, where, findings, lineage):
            good.append(line.checkpoint)
    return good


def _problem(
    signed: SignedCheckpoint,
    identity: str | None,
    where: str,
    findings: list[str],
    lineage: set[str],
) -> bool:
    """True when the checkpoint is this database's and its signature holds; else a finding.

    This database's checkpoints are those of its identity and, in a restored copy, of the
    identities before it (`database_identity`). A database whose identity is gone (a finding
    of its own) is compared with every witness it is given: the heads still tell whether its
    chain is the one witnessed.
    """
    cp = signed.checkpoint
    if identity is not None and cp.database != identity and cp.database not in lineage:
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
