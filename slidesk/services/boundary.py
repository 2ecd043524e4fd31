"""The services' front door for values: every public service refuses an argument of the wrong
type (a float where text is expected, a string for an id, NaN, an integer no column can hold)
with a `ValidationError`, instead of failing somewhere inside with `TypeError`,
`AttributeError`, `ValueError` or `InvalidOperation`.

`@boundary` reads the function's annotations once (on its first call) and checks each given
argument against them; the unit of work, the clock, the actor and other objects of the app
that a screen or the CLI passes are not inspected. One helper, applied to each public service,
so that every entry point refuses bad input the same way. Never import Qt or SQLAlchemy here.
"""

from __future__ import annotations

import functools
import inspect
import math
import os
import sys
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import PurePath
from typing import Annotated, Any, ParamSpec, TypeVar

from slidesk.domain.errors import ValidationError
from slidesk.i18n import _

P = ParamSpec("P")
T = TypeVar("T")
Check = Callable[[object], bool]

# What the database can hold in an integer column (signed 64 bits).
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
# Passed by the app itself and checked where they are used, not here.
_NOT_INSPECTED = frozenset({"uow", "clock", "actor", "hasher"})

_KINDS: dict[type, str] = {
    bool: "yes/no",
    int: "a whole number",
    float: "a floating-point number",
    str: "text",
    Decimal: "an exact decimal number",
    datetime: "a date and time",
    date: "a date",
    timedelta: "a duration",
}


# Text accepted as it comes, even what cannot be stored (a lone surrogate): for a sign-in, where
# any input must fail like a wrong password, at the same cost, and is never written.
ANY_TEXT = "any text"
AnyText = Annotated[str, ANY_TEXT]


def boundary(fn: Callable[P, T]) -> Callable[P, T]:
    """Refuse arguments that do not have the annotated type, with a `ValidationError`."""
    checks: dict[str, tuple[Check, str]] | None = None

    @functools.wraps(fn)
    def checked(*args: P.args, **kwargs: P.kwargs) -> T:
        nonlocal checks
        if checks is None:
            checks = _checks_of(fn)
        for name, value in kwargs.items():
            found = checks.get(name)
            if found is not None and not found[0](value):
                raise ValidationError(
                    _("{field}: {given} is not accepted here ({expected} is expected).").format(
                        field=name.replace("_", " ").capitalize(),
                        given=_given(value),
                        expected=found[1],
                    )
                )
        return fn(*args, **kwargs)

    return checked


def _storable(text: str) -> bool:
    """Text the database can hold: a lone surrogate (half of a UTF-16 pair, which a broken
    paste or a script can produce) has no UTF-8 form and would fail deep in the driver."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _path_like(value: object) -> bool:
    """A path the system can open: not empty, no NUL byte (which `open` refuses with ValueError)."""
    text = os.fspath(value)  # type: ignore[call-overload]
    if not isinstance(text, str) or not text.strip() or "\x00" in text:
        return False
    try:
        os.fsencode(text)  # a lone surrogate has no form on disk
    except UnicodeEncodeError:
        return False
    return True


def _given(value: object) -> str:
    if value is None:
        return _("nothing")
    if isinstance(value, str) and not _storable(value):
        return _("text with a broken character")
    if isinstance(value, Decimal) and not value.is_finite():
        return _("a value that is not a number")
    if isinstance(value, float) and not math.isfinite(value):
        return _("a value that is not a number")
    if isinstance(value, int) and not isinstance(value, bool):
        return _("a number out of range") if not _INT_MIN <= value <= _INT_MAX else _("a number")
    return _KINDS.get(type(value), type(value).__name__)


def _checks_of(fn: Callable[..., Any]) -> dict[str, tuple[Check, str]]:
    module = sys.modules.get(fn.__module__)
    namespace = dict(vars(module)) if module is not None else {}
    checks: dict[str, tuple[Check, str]] = {}
    for name, param in inspect.signature(fn).parameters.items():
        if name in _NOT_INSPECTED or param.annotation is inspect.Parameter.empty:
            continue
        hint = param.annotation
        if isinstance(hint, str):
            try:
                hint = eval(hint, namespace, vars(typing))  # noqa: S307 - our own annotation
            except NameError:  # a name imported for type checking only: not checked here
                continue
        check = _check(hint)
        if check is not None:
            checks[name] = (check, _expected(hint))
    return checks


def _expected(hint: object) -> str:
    parts = typing.get_args(hint) if _is_union(hint) else (hint,)
    parts = tuple(a.__origin__ if typing.get_origin(a) is Annotated else a for a in parts)
    kinds = [typing.get_origin(a) or a for a in parts if a is not type(None)]
    words = [_KINDS.get(k, getattr(k, "__name__", str(k))) for k in kinds]
    text = _(" or ").join(dict.fromkeys(str(w) for w in words))
    return text + (_(" or nothing") if type(None) in parts else "")


def _is_union(hint: object) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)


def _check(hint: Any) -> Check | None:
    """A test for values of `hint`, or None when anything is accepted (not checked here)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any or hint is object:
        return None
    if origin is Annotated:
        if ANY_TEXT in hint.__metadata__:
            return lambda v: isinstance(v, str)
        return _check(hint.__origin__)
    if _is_union(hint):
        subs = [_check(a) for a in args]
        if any(s is None for s in subs):
            return None
        tests = [s for s in subs if s is not None]
        return lambda v: any(t(v) for t in tests)
    if hint is type(None) or hint is None:
        return lambda v: v is None
    if origin is typing.Literal:
        return lambda v: v in args
    if hint is bool:
        return lambda v: isinstance(v, bool)
    if hint is str:
        return lambda v: isinstance(v, str) and _storable(v)
    if hint is int:
        return lambda v: (
            isinstance(v, int) and not isinstance(v, bool) and _INT_MIN <= v <= _INT_MAX
        )
    if hint is float:
        return lambda v: isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
    if hint is Decimal:
        return lambda v: isinstance(v, Decimal) and v.is_finite()
    if hint is datetime:
        return lambda v: isinstance(v, datetime)
    if hint is date:
        return lambda v: isinstance(v, date)
    if isinstance(hint, type) and issubclass(hint, Enum):
        values = {m.value for m in hint}
        return lambda v: (
            isinstance(v, hint)
            or (isinstance(v, str | int) and not isinstance(v, bool) and v in values)
        )
    if isinstance(hint, type) and issubclass(hint, PurePath):
        # A Path, not text: the service joins it with `/` (text where `str | Path` is annotated).
        return lambda v: isinstance(v, os.PathLike) and _path_like(v)
    if origin is not None and isinstance(origin, type):
        return _container_check(origin, args)
    if isinstance(hint, type):
        if getattr(hint, "_is_protocol", False):
            return None
        return lambda v: isinstance(v, hint)
    return None


def _container_check(origin: type, args: tuple[Any, ...]) -> Check | None:
    if issubclass(origin, Mapping):
        key, value = (_check(a) for a in args) if len(args) == 2 else (None, None)
        return lambda v: (
            isinstance(v, Mapping)
            and all((key is None or key(k)) and (value is None or value(x)) for k, x in v.items())
        )
    if origin is typing.get_origin(Callable[[], None]):  # collections.abc.Callable
        return callable
    if issubclass(origin, Iterable):
        each = _check(args[0]) if args and (len(args) == 1 or args[-1] is Ellipsis) else None
        concrete = (list, tuple, set, frozenset)

        def test(v: object) -> bool:
            if isinstance(v, str | bytes) and not issubclass(origin, str | bytes):
                return False  # a string is not a list of things
            if isinstance(v, concrete):
                return issubclass(type(v), origin) and (each is None or all(each(x) for x in v))
            # Another iterable (a generator) is accepted unread: reading it would use it up.
            return isinstance(v, origin)

        return test
    return lambda v: isinstance(v, origin)
