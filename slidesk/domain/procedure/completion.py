"""When a procedure may be completed, and what its completion says. Standard library only.

Only its operator completes a procedure, and only once every site is injected or skipped.
What else is expected (every syringe of the kit accounted for, a sedation record with vital
signs and analgesia) may be missing only with a reason, which the completion's audit entry
keeps with what was missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from slidesk.domain.errors import ReasonRequired, StateError
from slidesk.domain.kits import syringe_list
from slidesk.i18n import _


def require_operator(user_id: int, operator_id: int) -> None:
    """StateError unless the person completing is the procedure's operator."""
    if user_id != operator_id:
        raise StateError("Only the procedure's operator can complete it.")


def require_every_site_finished(order: Sequence[int], finished: Iterable[int]) -> None:
    """StateError naming the sites (in protocol order) neither injected nor skipped."""
    done = set(finished)
    open_sites = [n for n in order if n not in done]
    if open_sites:
        shown = ", ".join(str(n) for n in open_sites[:10])
        more = "…" if len(open_sites) > 10 else ""
        raise StateError(
            f"{len(open_sites)} site(s) are neither injected nor skipped: {shown}{more}. "
            "Record or skip each with a reason before finishing."
        )


def unaccounted_gap(kit_number: str, unaccounted: Sequence[str]) -> list[str]:
    """The gap the kit's unaccounted syringes make (none when every one is accounted for)."""
    if not unaccounted:
        return []
    # Named in full: "syringe 30" read as a count in "Unaccounted: 30".
    message = (
        _("%(n)s syringe of kit %(kit)s not yet accounted for: %(labels)s")
        if len(unaccounted) == 1
        else _("%(n)s syringes of kit %(kit)s not yet accounted for: %(labels)s")
    )
    return [
        message % {"n": len(unaccounted), "kit": kit_number, "labels": syringe_list(unaccounted)}
    ]


def completion_reason(gaps: Sequence[str], reason: str | None) -> str:
    """The completion's audit reason; ReasonRequired when something is missing without one."""
    if not gaps:
        return "procedure completed"
    if not reason:
        raise ReasonRequired(
            "Before completing: " + "; ".join(gaps) + ". Record them, or give the "
            "reason the procedure is completed without."
        )
    return f"procedure completed without: {'; '.join(gaps)} — reason: {reason}"
