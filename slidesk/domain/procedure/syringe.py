"""The kit's syringes at the bedside: which label a typed number means, and when a syringe may
still be injected. Standard library only; the protocol is read through the shape below.

A syringe is injected once. One that is recorded as returned unused or wasted is not injected
until that record is withdrawn. A syringe of another kit is refused loudly: in a blinded
trial it carries another subject's allocation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from slidesk.domain.errors import ConflictError, ValidationError
from slidesk.domain.values import Volume, clean_text


class SyringeDisposition(StrEnum):
    """What happened to a syringe that was not injected at a site."""

    RETURNED = "returned"
    WASTED = "wasted"

    @property
    def label(self) -> str:
        return "Unused / returned" if self is SyringeDisposition.RETURNED else "Wasted"


class KitProduct(Protocol):
    """How a kit's syringes are labelled (the protocol's product)."""

    @property
    def syringe_pattern(self) -> str: ...
    @property
    def syringe_example(self) -> str: ...
    @property
    def syringe_format(self) -> str: ...
    @property
    def syringes_per_kit(self) -> int: ...


class HasKitProduct(Protocol):
    """A protocol, as far as its syringes go."""

    @property
    def product(self) -> KitProduct: ...


@dataclass(frozen=True, slots=True)
class SyringeUse:
    """A live injection that used a syringe: where, and when on the wall clock ("09:41")."""

    label: str
    site_no: int
    at: str | None = None


@dataclass(frozen=True, slots=True)
class PartialSyringe:
    """A syringe injected with less than the protocol's volume: where, and how much."""

    syringe_label: str
    site_no: int
    volume: Volume


@dataclass(frozen=True, slots=True)
class SyringeAccount:
    """Issued = injected + partial + returned + wasted (each in issue order); the rest is
    unaccounted."""

    injected: tuple[str, ...]
    partial: tuple[PartialSyringe, ...]
    returned: tuple[str, ...]
    wasted: tuple[str, ...]
    unaccounted: tuple[str, ...]


def normalise_syringe(protocol: HasKitProduct, kit_number: str, typed: str) -> str:
    """A scanned label or a typed syringe number → the full label; refuse another kit's syringe."""
    text = (clean_text(typed, "Syringe", max_len=60, required=True) or "").upper()
    product = protocol.product
    if text.isdigit():
        number = int(text)
        label = product.syringe_format.format(kit=kit_number, n=number)
    else:
        label = text
    match = re.fullmatch(product.syringe_pattern, label)
    if match is None:
        raise ValidationError(
            f"'{typed.strip()}' is not a syringe label of this study "
            f"(for example {product.syringe_example}, or just the syringe number)."
        )
    if match.group("kit") != kit_number:
        raise ConflictError(
            f"WRONG KIT: syringe {label} belongs to kit {match.group('kit')}, not to this "
            f"procedure's kit {kit_number}. Do not inject it."
        )
    number = int(match.group("n"))
    if not 1 <= number <= product.syringes_per_kit:
        raise ValidationError(
            f"Syringe number {number} does not exist: a kit has syringes "
            f"1–{product.syringes_per_kit}."
        )
    return label


def issued_syringes(product: KitProduct, kit_number: str) -> tuple[str, ...]:
    """Every syringe label of the kit, in number order."""
    return tuple(
        product.syringe_format.format(kit=kit_number, n=n)
        for n in range(1, product.syringes_per_kit + 1)
    )


def refuse_used_syringe(label: str, uses: Iterable[SyringeUse]) -> None:
    """ConflictError when a live injection already used `label`: each syringe is used once."""
    for use in uses:
        if use.label != label:
            continue
        if use.at is None:
            raise ConflictError(f"Syringe {label} was already used at site {use.site_no}.")
        raise ConflictError(
            f"Syringe {label} was already used at site {use.site_no} "
            f"({use.at}). Each syringe is used once."
        )


def refuse_disposed_syringe(label: str, disposed: Mapping[str, str]) -> None:
    """ConflictError when `label` is recorded as returned or wasted (label → disposition)."""
    if label in disposed:
        what = SyringeDisposition(disposed[label]).label.lower()
        raise ConflictError(
            f"Syringe {label} is recorded as {what}; it cannot be injected. If that record "
            "is wrong, withdraw it in the syringe reconciliation first (with a reason)."
        )


def refuse_undisposable_syringe(
    label: str,
    *,
    chosen: Iterable[str],
    injected_at: Mapping[str, int],
    disposed: Mapping[str, str],
) -> None:
    """ConflictError unless `label` may be recorded as returned or wasted now: not injected
    (label → site), not already recorded (label → disposition), not listed twice."""
    if label in injected_at:
        raise ConflictError(
            f"Syringe {label} was injected at site {injected_at[label]}; it counts as used."
        )
    if label in disposed:
        what = SyringeDisposition(disposed[label]).label.lower()
        raise ConflictError(f"Syringe {label} is already recorded as {what}.")
    if label in chosen:
        raise ConflictError(f"Syringe {label} is listed twice.")


def account_for_syringes(
    issued: Sequence[str],
    injections: Iterable[tuple[str, int, int | None]],
    planned_ul: int,
    dispositions: Iterable[tuple[str, str]],
) -> SyringeAccount:
    """The kit's reconciliation from its live injections (label, site, volume in µL) and its
    live dispositions (label, "returned" or "wasted"); less than `planned_ul` is partial."""
    injected: list[str] = []
    partial: list[PartialSyringe] = []
    for label, site_no, volume_ul in injections:
        if volume_ul is not None and volume_ul < planned_ul:
            partial.append(PartialSyringe(label, site_no, Volume(volume_ul)))
        else:
            injected.append(label)
    disposed = list(dispositions)
    returned = [label for label, what in disposed if what == SyringeDisposition.RETURNED]
    wasted = [label for label, what in disposed if what == SyringeDisposition.WASTED]
    counted = set(injected) | {p.syringe_label for p in partial} | set(returned) | set(wasted)
    order = {label: i for i, label in enumerate(issued)}
    return SyringeAccount(
        injected=tuple(sorted(injected, key=lambda s: order.get(s, 10**6))),
        partial=tuple(sorted(partial, key=lambda p: order.get(p.syringe_label, 10**6))),
        returned=tuple(sorted(returned, key=lambda s: order.get(s, 10**6))),
        wasted=tuple(sorted(wasted, key=lambda s: order.get(s, 10**6))),
        unaccounted=tuple(s for s in issued if s not in counted),
    )
