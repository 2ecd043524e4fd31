"""Warnings about free text before it is saved: a date of birth or a name in a field that
should hold none (location, kit, centre, reasons). The refusal of a BSN is in the services
that save these fields (`domain.free_text.free_text`); this read lets a screen warn while the
person types. Pure: no database. Never import Qt or SQLAlchemy here."""

from __future__ import annotations

from slidesk.domain.free_text import identifying_warnings
from slidesk.services.boundary import boundary


@boundary
def free_text_warnings(*, text: str | None, what: str) -> tuple[str, ...]:
    """Why `text` may identify a person (each a sentence naming the field `what`); () if none."""
    return identifying_warnings(text, what)
