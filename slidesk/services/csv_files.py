"""Writing CSV files that spreadsheets open correctly and safely. No Qt, no database.

UTF-8 with a byte-order mark (so Excel reads µ and ë right), CRLF rows, and cells that start
like a formula are prefixed with an apostrophe so that a spreadsheet never runs typed text
(CSV injection). The file appears only when complete: written aside, then renamed.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from slidesk.domain.errors import ValidationError
from slidesk.i18n import _

_FORMULA_START = ("=", "+", "@", "\t", "\r", "\n")


@dataclass(frozen=True, slots=True)
class CsvWritten:
    path: Path
    rows: int
    sha256: str


def safe_cell(value: object) -> str:
    """The text of a cell, neutralised if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) or (text.startswith("-") and not _looks_numeric(text)):
        return "'" + text
    return text


def _looks_numeric(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def write_csv(
    path: str | Path,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    trailer: Sequence[object] = (),
) -> CsvWritten:
    """Write all rows (and a last `trailer` line, not counted); return the row count and the
    file's SHA-256 (for the audit entry)."""
    if "\x00" in str(path):
        raise ValidationError(_("A file name cannot hold a NUL character."))
    target = Path(path)
    if not target.name or target.is_dir():
        raise ValidationError(
            _("{path} is a folder; give the name of the file to write.").format(path=target)
        )
    partial = target.with_name(target.name + ".partial")
    count = 0
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, dialect="excel")
            writer.writerow([safe_cell(h) for h in header])
            for row in rows:
                writer.writerow([safe_cell(v) for v in row])
                count += 1
            if trailer:
                writer.writerow([safe_cell(v) for v in trailer])
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    return CsvWritten(target, count, digest)
