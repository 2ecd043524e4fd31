"""The bedside commit's shortcuts change no byte: the canonical form (and so every hash of the
audit chain) and the INSERT statements are those of the plain definitions."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum, IntEnum, StrEnum
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from slidesk.integrity.chain import canonical_json, canonical_value
from slidesk.persistence.fastsql import _insert_sql


def _reference(value: Any) -> Any:
    """canonical_value as first written: one isinstance chain, a call per value."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return _reference(value.value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _reference(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_reference(v) for v in value]
    raise TypeError(type(value).__name__)


class Kind(StrEnum):
    INJECTED = "injected"


class Level(IntEnum):
    TWO = 2


_EARLY, _LATE = datetime(1900, 1, 1), datetime(2100, 1, 1)
_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=8),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.datetimes(_EARLY, _LATE, timezones=st.just(timezone(timedelta(hours=1)))),
    st.datetimes(_EARLY, _LATE),
    st.dates(),
    st.sampled_from([Kind.INJECTED, Level.TWO]),
)
_values = st.recursive(
    _leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
    ),
    max_leaves=20,
)


@given(_values)
def test_the_canonical_form_is_the_reference_one(value: Any) -> None:
    assert canonical_value(value) == _reference(value)
    assert canonical_json(value) == json.dumps(
        _reference(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def test_insert_statements_in_each_paramstyle() -> None:
    assert _insert_sql("t", ("a", "b"), False, True) == "INSERT INTO t (a, b) VALUES (:a, :b)"
    assert (
        _insert_sql("t", ("a", "b"), True, False)
        == "INSERT INTO t (a, b) VALUES (%(a)s, %(b)s) RETURNING id"
    )
