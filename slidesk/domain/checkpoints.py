"""Why a checkpoint of the audit trail is written: the moments the app vouches for its history.

Standard library only. The checkpoint itself (signed, witnessed) is `slidesk.integrity.checkpoint`.
"""

from __future__ import annotations

from enum import StrEnum

# The logger on which a checkpoint's problem is said in a sentence for a person (a witness not
# written, no key): the GUI shows each in its status bar, the log file keeps it.
STATUS_LOGGER = "slidesk.checkpoints.status"


class CheckpointReason(StrEnum):
    """Stored in each checkpoint; an automatic one follows the commit of its moment."""

    MANUAL = "manual"
    SIGNATURE = "signature"
    REPORT = "report"
    EXPORT = "export"
    COMPLETION = "completion"
    BACKUP = "backup"
    RESTORE = "restore"  # the first checkpoint of a restored copy; it names its origin
    HOURLY = "hourly"
    # An account locked after too many wrong passwords: witnessed at once, so that erasing the
    # failed attempts and clearing the lockout afterwards is named by verify --witness.
    LOCKOUT = "lockout"
