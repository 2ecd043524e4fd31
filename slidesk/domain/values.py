"""Exact clinical quantities (no floats) and small enums. Standard library only.

Quantities are stored as integer micro-units (micrometres, microlitres) so that sums never drift;
`Decimal` is the only type they are shown or typed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from slidesk.domain.errors import ValidationError
from slidesk.i18n import _


class Limb(StrEnum):
    LEFT = "left"
    RIGHT = "right"

    @property
    def label(self) -> str:
        return "Left" if self is Limb.LEFT else "Right"


def parse_decimal(text: str | Decimal | int, what: str) -> Decimal:
    """Read a typed number (accepting a decimal comma) exactly, or explain what is wrong."""
    if isinstance(text, bool) or not isinstance(text, str | Decimal | int):
        # A float is never exact, and anything else is a caller's slip: refused all the same.
        raise ValidationError(_("{what} must be typed as a number.").format(what=what))
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int):
        value = Decimal(text)
    else:
        cleaned = text.strip().replace(",", ".")
        if not cleaned:
            raise ValidationError(f"{what} is empty: type a number.")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise ValidationError(f"{what} '{text}' is not a number.") from None
    if not value.is_finite():
        raise ValidationError(f"{what} must be a finite number.")
    if value.adjusted() > 9:
        raise ValidationError(f"{what} '{text}' is far too large.")
    return value


def parse_whole_number(text: str | int | None, what: str) -> int | None:
    """A count typed as whole digits ("72"), None when left empty ('not measured').

    Anything else is refused with a message naming what was typed: "7a" is a slip, never 7.
    """
    if text is None or (isinstance(text, int) and not isinstance(text, bool)):
        return text
    if not isinstance(text, str):
        raise ValidationError(_("{what} must be typed as a whole number.").format(what=what))
    cleaned = text.strip()
    if not cleaned:
        return None
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise ValidationError(
            _("{what} '{text}' is not a whole number: type only the digits.").format(
                what=what, text=cleaned
            )
        )
    return int(cleaned)


@dataclass(frozen=True, slots=True)
class Depth:
    """Injection depth; exact to the micrometre."""

    um: int

    def __post_init__(self) -> None:
        if not 0 <= self.um <= 100_000:
            raise ValidationError(f"Depth {self.mm} mm is impossible (0–100 mm).")

    @classmethod
    def from_mm(cls, mm: str | Decimal | int) -> Depth:
        value = parse_decimal(mm, "Depth")
        um = value * 1000
        if um != um.to_integral_value():
            raise ValidationError(f"Depth {value} mm has more than 3 decimals.")
        return cls(int(um))

    @property
    def mm(self) -> Decimal:
        return (Decimal(self.um) / 1000).normalize() if self.um else Decimal(0)

    def __str__(self) -> str:
        return f"{_plain(self.mm)} mm"


@dataclass(frozen=True, slots=True)
class Volume:
    """Injected volume; exact to the microlitre."""

    ul: int

    def __post_init__(self) -> None:
        if not 0 <= self.ul <= 100_000_000:
            raise ValidationError(f"Volume {self.ml} mL is impossible.")

    @classmethod
    def from_ml(cls, ml: str | Decimal | int) -> Volume:
        value = parse_decimal(ml, "Volume")
        ul = value * 1000
        if ul != ul.to_integral_value():
            raise ValidationError(f"Volume {value} mL has more than 3 decimals.")
        return cls(int(ul))

    @property
    def ml(self) -> Decimal:
        return (Decimal(self.ul) / 1000).normalize() if self.ul else Decimal(0)

    def __str__(self) -> str:
        return f"{_plain(self.ml)} mL"


def _plain(value: Decimal) -> str:
    """Decimal without exponent, at least one decimal place (1 → '1.0')."""
    text = format(value, "f")
    return text if "." in text else text + ".0"


def clean_text(
    value: str | None, what: str, *, max_len: int = 500, required: bool = False
) -> str | None:
    """Trim free text and refuse control characters and overlong input with a clear message."""
    if value is None:
        if required:
            raise ValidationError(f"{what} is required.")
        return None
    text = value.strip()
    if not text:
        if required:
            raise ValidationError(f"{what} is required.")
        return None
    if any((ord(ch) < 32 and ch not in "\n\t") or ord(ch) == 127 for ch in text):
        raise ValidationError(f"{what} contains control characters; retype it.")
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise ValidationError(f"{what} contains characters that are not valid text.")
    if len(text) > max_len:
        raise ValidationError(f"{what} is too long ({len(text)} characters, at most {max_len}).")
    return text


def require_reason(value: str | None, what: str) -> str:
    """A reason that must be given (corrections, undo, overrides), cleaned."""
    from slidesk.domain.errors import ReasonRequired

    text = clean_text(value, what)
    if not text:
        raise ReasonRequired(f"{what} is required: say why.")
    return text
