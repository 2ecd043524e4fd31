"""The hash chain (pure): any edit, deletion, reordering or insertion breaks it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from slidesk.integrity.chain import (
    GENESIS_HASH,
    HASHED_FIELDS,
    canonical_json,
    chain_hash,
    replay,
    verify_chain,
)


def make_chain(n: int) -> list[dict]:
    entries, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        entry = dict.fromkeys(HASHED_FIELDS)
        entry.update(
            seq=seq,
            at_utc=f"2026-11-25T08:{seq:02d}:00.000000Z",
            utc_offset_min=60,
            host="h",
            action="create",
            event_type="site.injected",
            changes=canonical_json({"depth_um": [None, 12_500 + seq]}),
            prev_hash=prev,
        )
        entry["hash"] = prev = chain_hash(prev, {k: entry[k] for k in HASHED_FIELDS})
        entries.append(entry)
    return entries


def test_an_untouched_chain_verifies() -> None:
    assert verify_chain(make_chain(5)) is None


def test_editing_an_entry_breaks_the_chain_at_that_entry() -> None:
    chain = make_chain(5)
    chain[2]["changes"] = chain[2]["changes"].replace("12503", "12000")
    found = verify_chain(chain)
    assert found is not None
    assert found.seq == 3


def test_deleting_an_entry_is_found() -> None:
    chain = make_chain(5)
    del chain[1]
    found = verify_chain(chain)
    assert found is not None
    assert found.seq == 3


def test_swapping_two_entries_is_found() -> None:
    chain = make_chain(5)
    chain[1], chain[2] = chain[2], chain[1]
    assert verify_chain(chain) is not None


def test_canonical_json_is_stable_and_refuses_floats() -> None:
    assert canonical_json({"b": Decimal("1.50"), "a": None}) == '{"a":null,"b":"1.50"}'
    assert canonical_json({"d": date(2024, 2, 29)}) == '{"d":"2024-02-29"}'
    with pytest.raises(TypeError):
        canonical_json({"x": 1.5})


@pytest.mark.parametrize(
    ("field", "value"),
    [("seq", "xx"), ("seq", None), ("changes", 1.5), ("reason", b"\x00"), ("at_utc", 2.5)],
)
def test_a_value_the_app_never_writes_breaks_the_chain_instead_of_raising(
    field: str, value: object
) -> None:
    chain = make_chain(5)
    chain[2][field] = value
    found = verify_chain(chain)
    assert found is not None
    assert found.seq == 3


@pytest.mark.parametrize("changes", ["[1,", "1.5", '{"depth_um": 5}', '["a", "b"]'])
def test_replay_passes_over_changes_it_cannot_read(changes: str) -> None:
    chain = make_chain(3)
    chain[1]["changes"] = changes
    chain[1]["entity"], chain[1]["entity_id"] = "site_entries", "2"
    state = replay(chain)
    assert ("site_entries", "2") not in state
