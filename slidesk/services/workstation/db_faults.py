"""What the screens may know of a database fault: its kind, and a short wait for a lock.

The screens may not import `slidesk.persistence`; they ask here whether a failure was a lock
held by another program (to wait for it in short tries driven by a timer instead of
freezing), a read-only file, a full disk, a damaged file or an unreachable server (to say so
in one sentence). The functions take positional arguments: they are helpers of the door
(`ui.door.operations`), not services a person's input reaches. No Qt.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from slidesk.persistence import db
from slidesk.persistence.faults import classify


def fault_kind(exc: BaseException, /) -> str | None:
    """ "locked", "read-only", "disk full", "corrupt" or "unreachable"; None for anything else."""
    fault = classify(exc)
    return None if fault is None else fault.value


def lock_wait_seconds() -> float:
    """How long a write waits, in all, for another program's lock (`SLIDESK_LOCK_WAIT`)."""
    return db.lock_wait_seconds()


@contextmanager
def short_lock_wait(seconds: float, /) -> Iterator[None]:
    """Transactions begun inside wait at most `seconds` for another program's lock."""
    with db.lock_wait(seconds):
        yield
