"""What an amendment may add to a signed record. Standard library only.

An amendment corrects the record of a procedure that is over; it is not a second procedure.
So during an amendment:

- every saved entry may be corrected or struck out with a reason (the services say which);
- a bedside entry that was forgotten (a dose, oxygen, vital signs, a sedation event, a
  recovery score, a finding at a site) may be added as a LATE entry: with the time it really
  happened, typed, which lies before the amendment was opened. "Now" is never its time;
- a new injection, or a skip of a site, is refused: what was injected is what the syringes
  and the site entries of the signed record say, and a site entry can only be corrected.
"""

from __future__ import annotations

from datetime import datetime

from slidesk.domain.errors import ValidationError
from slidesk.i18n import _


def late_entry_time(when: datetime | None, *, opened_at: datetime, what: str) -> datetime:
    """The time of an entry added or re-timed during an amendment opened at `opened_at`.

    `what` names the time for the message ("The time the dose was given").
    """
    if when is None:
        raise ValidationError(
            _(
                "{what} is needed: during an amendment a new entry is a late entry, recorded "
                "with the time it really happened (not now)."
            ).format(what=what)
        )
    if when >= opened_at:
        raise ValidationError(
            _(
                "{what} lies after the amendment was opened: an amendment adds only what "
                "happened before it, with its real time."
            ).format(what=what)
        )
    return when
