"""Stored record snapshots as text: canonical JSON out, typed dataclasses back in.

Shared by every snapshot schema (`record_v1`, `record_snapshot`): the hash of a signed version
is SHA-256 over exactly the text this writes, and `decode` reads that text back into the
schema's dataclasses, strictly (a missing or mistyped field is an error, never a default).
No Qt, no SQL.
"""

from __future__ import annotations

import hashlib
import json
import types
import typing
from dataclasses import asdict, fields, is_dataclass
from datetime import datetime
from typing import Any

from slidesk.integrity.chain import canonical_json


def to_json(snapshot: Any) -> str:
    """The canonical JSON of a snapshot dataclass (what a signature's hash is taken over)."""
    return canonical_json(asdict(snapshot))


def hash_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stored_schema(text: str) -> int:
    """The schema number of a stored snapshot (1 for the first format, which has it too)."""
    value = json.loads(text).get("schema")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"stored snapshot: no schema number ({value!r})")
    return value


def decode(tp: Any, value: Any) -> Any:
    """Turn canonical JSON back into the typed dataclass `tp` (a small, strict decoder)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return decode(inner, value)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], v) for v in value)
        return tuple(decode(a, v) for a, v in zip(args, value, strict=True))
    if is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        build: Any = tp
        return build(**{f.name: decode(hints[f.name], value[f.name]) for f in fields(tp)})
    if tp is datetime:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    if tp in (int, str, bool):
        if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
            raise ValueError(f"stored snapshot: expected {tp.__name__}, got {value!r}")
        return value
    raise TypeError(f"cannot decode {tp!r}")
