"""The rules of one site entry at the bedside: the site exists and is still open, depth and
volume within the protocol's range (or a deviation reason), a time not in the future, a
relocated site on the diagram. Standard library only; the protocol is read through the
shapes below, never imported.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Protocol

from slidesk.domain.errors import ConflictError, ReasonRequired, ValidationError
from slidesk.domain.procedure.model import EntryKind, SiteState, SkipReason
from slidesk.domain.values import Depth, Volume
from slidesk.i18n import _

# A typed event time may lie this far ahead of the clock (clock drift), never more.
FUTURE_TOLERANCE = timedelta(minutes=2)
# A position on the diagram (0–1 on each axis) is kept in ten-thousandths.
_E4 = Decimal(10_000)


class InjectionRange(Protocol):
    """The protocol's injection limits."""

    @property
    def depth_min_mm(self) -> Decimal: ...
    @property
    def depth_max_mm(self) -> Decimal: ...
    @property
    def volume_min_ml(self) -> Decimal: ...
    @property
    def volume_max_ml(self) -> Decimal: ...


class HasInjectionRange(Protocol):
    @property
    def injection(self) -> InjectionRange: ...


class NumberedSite(Protocol):
    @property
    def number(self) -> int: ...


class HasSites(Protocol):
    """A protocol, as far as its sites go."""

    @property
    def key(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def sites(self) -> Iterable[NumberedSite]: ...


def range_problems(protocol: HasInjectionRange, depth: Depth, volume: Volume) -> list[str]:
    """What is out of the protocol's range, worded for people (empty when all is in range)."""
    spec = protocol.injection
    problems = []
    if not spec.depth_min_mm <= depth.mm <= spec.depth_max_mm:
        problems.append(f"depth {depth} is outside {spec.depth_min_mm}–{spec.depth_max_mm} mm")
    if not spec.volume_min_ml <= volume.ml <= spec.volume_max_ml:
        lo, hi = spec.volume_min_ml, spec.volume_max_ml
        allowed = f"{lo} mL" if lo == hi else f"{lo}–{hi} mL"
        problems.append(f"volume {volume} is not {allowed}")
    return problems


def require_deviation_reason(
    problems: list[str], *, relocated: bool, reason: str | None, relocation: str
) -> None:
    """ReasonRequired when a value is out of range or the site was relocated and no deviation
    reason is given; `relocation` words the relocation when nothing is out of range."""
    if (problems or relocated) and not reason:
        what = "; ".join(problems) if problems else relocation
        raise ReasonRequired(f"A deviation reason is required: {what}.")


def require_site(protocol: HasSites, site_no: int) -> None:
    """ValidationError unless the protocol has site `site_no`."""
    numbers = [s.number for s in protocol.sites]
    if site_no not in numbers:
        raise ValidationError(
            f"There is no site {site_no} in protocol {protocol.key} {protocol.version} "
            f"(sites {min(numbers)}–{max(numbers)})."
        )


def refuse_finished_site(site_no: int, kind: EntryKind | None, at: str, by: str) -> None:
    """ConflictError when the site already has a live entry of `kind` (made at `at` on the
    wall clock, recorded by `by`): a site is injected or skipped once."""
    if kind is not None:
        what = "done" if kind is EntryKind.INJECTED else "skipped"
        raise ConflictError(f"Site {site_no} is already {what} ({at}, by {by}).")


def not_in_future(when: datetime, now: datetime) -> datetime:
    """`when`, unless it lies further ahead of `now` than clock drift explains."""
    if when > now + FUTURE_TOLERANCE:
        raise ValidationError("The time given lies in the future.")
    return when


def position_e4(position: tuple[Decimal, Decimal] | None) -> tuple[int | None, int | None]:
    """Where a relocated site was injected (0–1 on each axis) in ten-thousandths."""
    if position is None:
        return None, None
    x, y = (Decimal(str(v)) for v in position)
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise ValidationError("The actual position must lie on the diagram.")
    return int((x * _E4).to_integral_value()), int((y * _E4).to_integral_value())


def position_from_e4(value: int | None) -> Decimal | None:
    """A stored coordinate back on the 0–1 scale."""
    return Decimal(value) / _E4 if value is not None else None


def is_deviation(kind: EntryKind, deviation_reason: str | None, relocated: bool) -> bool:
    """An injection that departed from the protocol: out of range (it has a reason) or moved."""
    return kind is EntryKind.INJECTED and (bool(deviation_reason) or relocated)


def site_state(kind: EntryKind | None, *, deviation: bool, is_next: bool) -> SiteState:
    """How a site is shown, from its live entry (None: no entry yet)."""
    if kind is None:
        return SiteState.NEXT if is_next else SiteState.PENDING
    if kind is EntryKind.SKIPPED:
        return SiteState.SKIPPED
    return SiteState.DEVIATION if deviation else SiteState.DONE


def require_skip_explanation(reason: SkipReason | str | None, detail: str | None) -> None:
    """ReasonRequired when a site is skipped for 'Other' reasons without an explanation."""
    if reason == SkipReason.OTHER.value and not detail:
        raise ReasonRequired(_("Explain why the site is skipped ('Other' needs a text)."))
