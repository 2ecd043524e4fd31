"""Witnesses: append-only checkpoint files outside the database, and what they say about a chain.

A witness is a folder (a network share, a USB stick, at least another folder) holding one file
per database identity, `slidesk-<identity>.checkpoints`, in the `slidesk.integrity.checkpoint`
format. The
app only appends to it (opened in append mode, flushed to disk); it never rewrites a line, so a
person or a backup system can keep the file write-once. Reading is forgiving: a line that does
not parse is a finding, never a traceback.

`compare` names what a database's chain no longer agrees with: a head that changed at a
witnessed sequence number (a rewrite, named as the range of entries between the last checkpoint
that still holds and this one), or a chain that ends before a witnessed sequence number (a
deleted tail). No Qt, no database.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from slidesk.i18n import _
from slidesk.integrity.checkpoint import CheckpointFormatError, SignedCheckpoint, parse_line

SUFFIX = ".checkpoints"


def witness_file(folder: Path, database: str) -> Path:
    """The witness file of database `database` in `folder`."""
    return folder / f"slidesk-{database}{SUFFIX}"


@dataclass(frozen=True, slots=True)
class WitnessLine:
    source: str  # the file, for messages
    line_no: int
    checkpoint: SignedCheckpoint | None
    problem: str | None = None


def read_witness(path: Path) -> list[WitnessLine]:
    """Every line of a witness file, parsed; unreadable lines carry their problem."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    found: list[WitnessLine] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            found.append(WitnessLine(str(path), number, parse_line(line)))
        except CheckpointFormatError as exc:
            found.append(WitnessLine(str(path), number, None, str(exc)))
    if text and not text.endswith("\n"):
        last = found[-1] if found else None
        if last is not None and last.checkpoint is None:
            # A torn last line (power lost while appending): said, but not an attack.
            found[-1] = WitnessLine(str(path), last.line_no, None, "incomplete last line")
    return found


def last_number(path: Path, tail_bytes: int = 65536) -> int:
    """The number of the last readable checkpoint in a witness file (0 for none or no file).

    Reads the file's end only (checkpoints are appended in order), so the cost does not grow
    with a year of hourly checkpoints; the whole file only when its end holds none.
    """
    if not path.exists():
        return 0
    with path.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - tail_bytes))
        tail = handle.read().decode("utf-8", errors="replace").splitlines()
    if size > tail_bytes:
        tail = tail[1:]  # the first line read may start mid-line
    for line in reversed(tail):
        try:
            return parse_line(line).checkpoint.number
        except CheckpointFormatError:
            continue
    if size <= tail_bytes:
        return 0
    numbers = [w.checkpoint.checkpoint.number for w in read_witness(path) if w.checkpoint]
    return max(numbers, default=0)


def append(path: Path, checkpoints: Iterable[SignedCheckpoint]) -> int:
    """Append checkpoints to a witness file (created with its folder if missing); returns how many.

    Each line is written whole and flushed to disk before returning. A file whose last line was
    torn gets a newline first, so the new line stands on its own.
    """
    lines = [c.to_line() + "\n" for c in checkpoints]
    if not lines:
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        if os.fstat(fd).st_size > 0 and not _ends_with_newline(path):
            os.write(fd, b"\n")
        os.write(fd, "".join(lines).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return len(lines)


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def compare(
    witnessed: Sequence[tuple[str, SignedCheckpoint]],
    heads: Mapping[int, str],
    chain_end: int,
) -> list[str]:
    """What the chain (computed head after each seq; last seq) no longer agrees with.

    `witnessed` pairs each checkpoint with where it was kept, as words ("witnessed in
    /media/usb/…", "kept in the database"). A checkpoint whose head
    still holds vouches for every entry up to its seq; a rewrite is named from the entry after
    the last such checkpoint below it.
    """
    findings: list[str] = []
    holding: set[int] = {0}
    for _source, signed in witnessed:
        cp = signed.checkpoint
        if cp.seq <= chain_end and heads.get(cp.seq) == cp.head:
            holding.add(cp.seq)
    for source, signed in sorted(witnessed, key=lambda item: item[1].checkpoint.seq):
        cp = signed.checkpoint
        what = _("checkpoint #{n} of {time}").format(n=cp.number, time=cp.local_text())
        if cp.seq in holding:
            continue
        first = max(s for s in holding if s < cp.seq) + 1
        if cp.seq <= chain_end:
            findings.append(
                _("entries {first}–{seq} were rewritten after {what} {where}").format(
                    first=first, seq=cp.seq, what=what, where=source
                )
            )
        elif first > chain_end:
            findings.append(
                _(
                    "the chain ends at {end} but {what} witnessed {seq} ({where}): "
                    "entries {first}–{seq} were deleted"
                ).format(end=chain_end, what=what, seq=cp.seq, first=chain_end + 1, where=source)
            )
        else:
            findings.append(
                _(
                    "the chain ends at {end} but {what} witnessed {seq} ({where}): "
                    "{missing} missing (deleted), and entries {first}–{end} "
                    "may have been rewritten: no witnessed checkpoint vouches for them"
                ).format(
                    missing=_("entry {seq} is").format(seq=cp.seq)
                    if chain_end + 1 == cp.seq
                    else _("entries {after}–{seq} are").format(after=chain_end + 1, seq=cp.seq),
                    end=chain_end,
                    what=what,
                    seq=cp.seq,
                    first=first,
                    where=source,
                )
            )
    return _unique(findings)


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    return [i for i in items if not (i in seen or seen.add(i))]  # type: ignore[func-returns-value]
