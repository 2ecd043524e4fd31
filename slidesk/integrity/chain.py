"""Canonical serialisation and the audit hash chain (pure functions). No Qt, no database.

Each audit entry's hash is SHA-256 over the previous entry's hash and the entry's canonical
content, so editing, deleting, reordering or inserting an entry breaks the chain from there on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

GENESIS_HASH = "0" * 64


# Values already in canonical form, by exact type: returned as they are without a call (the
# bedside commit hashes a flat entry of these; benchmarks/bench_record.py).
_PLAIN = frozenset({type(None), bool, int, str})


def canonical_value(value: Any) -> Any:
    """A JSON-safe, unambiguous form of a stored value (no floats, UTC ISO times)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list or kind is tuple:  # before the Mapping check, which is an ABC's
        return [v if type(v) in _PLAIN else canonical_value(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return canonical_value(value.value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        raise TypeError("floats are not allowed in audited clinical data")
    if isinstance(value, Mapping):
        return {str(k): v if type(v) in _PLAIN else canonical_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [v if type(v) in _PLAIN else canonical_value(v) for v in value]
    raise TypeError(f"cannot serialise {type(value).__name__} for the audit trail")


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 characters kept."""
    return json.dumps(
        canonical_value(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def chain_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical_json(content).encode("utf-8"))
    return digest.hexdigest()


# The fields of an audit entry that its hash covers (everything but the hash itself).
HASHED_FIELDS = (
    "seq",
    "at_utc",
    "utc_offset_min",
    "user_id",
    "username",
    "role",
    "host",
    "action",
    "event_type",
    "entity",
    "entity_id",
    "procedure_id",
    "subject_id",
    "changes",
    "reason",
    "prev_hash",
)


@dataclass(frozen=True, slots=True)
class ChainBreak:
    seq: int
    problem: str


def verify_chain(entries: Iterable[Mapping[str, Any]]) -> ChainBreak | None:
    """Walk entries in stored order; return the first break, or None when the chain is intact."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    for entry in entries:
        try:
            seq = int(entry["seq"])
        except (TypeError, ValueError):
            return ChainBreak(expected_seq, f"its number {entry['seq']!r} is not a whole number")
        if seq != expected_seq:
            missing = "missing or reordered" if seq > expected_seq else "duplicated or reordered"
            return ChainBreak(seq, f"entry {expected_seq} is {missing} (found {seq} next)")
        if entry["prev_hash"] != prev_hash:
            return ChainBreak(seq, "does not link to the entry before it (deleted or reordered)")
        content = {k: entry[k] for k in HASHED_FIELDS}
        try:
            recomputed = chain_hash(prev_hash, content)
        except TypeError:  # a float or bytes written behind the app's back
            return ChainBreak(seq, "it holds a value the app never writes (edited or forged)")
        if recomputed != entry["hash"]:
            return ChainBreak(seq, "its content does not match its hash (edited or forged)")
        prev_hash = entry["hash"]
        expected_seq += 1
    return None


def replay(
    entries: Iterable[Mapping[str, Any]],
) -> dict[tuple[str, str], dict[str, Any] | None]:
    """Fold create/update/delete entries into each record's state as the trail tells it.

    Returns {(entity, entity_id): {field: canonical value}}, or None for a deleted record.
    An entry whose changes cannot be read is passed over: the chain names it as edited.
    """
    state: dict[tuple[str, str], dict[str, Any] | None] = {}
    for entry in entries:
        action = entry["action"]
        if action not in ("create", "update", "delete"):
            continue
        key = (entry["entity"], entry["entity_id"])
        changes = _changes(entry["changes"])
        if changes is None:
            continue
        if action == "create":
            state[key] = {field: pair[1] for field, pair in changes.items()}
        elif action == "update":
            current = state.get(key)
            if current is None:
                current = {}
                state[key] = current
            for field, pair in changes.items():
                current[field] = pair[1]
        else:
            state[key] = None
    return state


def _changes(text: Any) -> dict[str, list[Any]] | None:
    """The {field: [old, new]} of an entry; None when it is not that shape."""
    if not text:
        return {}
    try:
        changes = json.loads(text)
    except (TypeError, ValueError):
        return None
    if not isinstance(changes, dict):
        return None
    pairs = changes.values()
    if not all(isinstance(p, list) and len(p) == 2 for p in pairs):
        return None
    return changes
