"""The snapshot cache: views kept by what they describe, valid while the audit chain's head is
the one they were made at.

Every write through the app appends to the chain, so an unchanged head proves nothing changed
since (see `services.procedure.service.record_injection`). Bounded: the least recently kept
go first. Plain Python; imports nothing of the database.
"""

from __future__ import annotations

from collections import OrderedDict


class SnapshotCache:
    """Up to `size` snapshots, each with the chain head (audit seq) it was made at."""

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._kept: OrderedDict[object, tuple[int, object]] = OrderedDict()

    def remember(self, key: object, seq: int, value: object) -> None:
        self._kept[key] = (seq, value)
        self._kept.move_to_end(key)
        while len(self._kept) > self._size:
            self._kept.popitem(last=False)

    def recall(self, key: object, seq: int) -> object | None:
        """The snapshot kept for `key` if it was made at chain head `seq`, else None."""
        found = self._kept.get(key)
        return found[1] if found is not None and found[0] == seq else None

    def __len__(self) -> int:
        return len(self._kept)
