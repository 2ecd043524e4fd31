"""The checkpoint a document prints: the newest one when it is issued, frozen with it.

A report PDF's footer and the audit-trail CSV's last line name the checkpoint of the audit
trail in force when they were issued — its number, the entry it vouches up to and the first
16 hex digits of the chain's head there — so whoever holds the paper can ask `slidesk verify`
whether the trail still has that head. The mark is stored with the document (a report's
`issued_with`, the audit entry of the issue), so the same version gives the same bytes.
Nothing here imports Qt or SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slidesk.i18n import _
from slidesk.persistence.queries.checkpoints import CheckpointRepository
from slidesk.persistence.transaction import Transaction

HEAD_HEX = 16  # of the 64: enough to compare by eye, short enough for a footer


@dataclass(frozen=True, slots=True)
class CheckpointMark:
    number: int
    seq: int
    head: str  # the first HEAD_HEX hex digits

    def text(self) -> str:
        return _("Checkpoint #{n} · entry {seq} · {head}…").format(
            n=self.number, seq=self.seq, head=self.head
        )

    def stored(self) -> dict[str, Any]:
        return {"n": self.number, "seq": self.seq, "head": self.head}


def newest_in(tx: Transaction) -> CheckpointMark | None:
    """The database's newest checkpoint (None when there is none, or no checkpoint table)."""
    repo = tx.repo(CheckpointRepository)
    if repo.missing_tables():
        return None
    row = repo.last()
    return None if row is None else CheckpointMark(row.number, row.seq, row.head[:HEAD_HEX])


def mark_text(mark: CheckpointMark | None) -> str:
    """What a document prints for its checkpoint."""
    if mark is None:
        return _("No checkpoint of the audit trail yet")
    return mark.text()
