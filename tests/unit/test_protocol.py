"""The protocol file: the shipped one loads, bad ones fail naming file, key and problem."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from slidesk.paths import resource_dir
from slidesk.protocol.catalog import ProtocolCatalog
from slidesk.protocol.model import ProtocolError
from slidesk.protocol.parse import load_protocol, parse_protocol

SAIL = resource_dir() / "protocols" / "sail.toml"
GRID40 = Path(__file__).parent.parent / "fixtures" / "protocols" / "grid40.toml"


def sail_data() -> dict:
    return tomllib.loads(SAIL.read_text(encoding="utf-8"))


def test_shipped_protocol_describes_thirty_sites_and_the_trial() -> None:
    p = load_protocol(SAIL)
    assert (p.key, p.version) == ("SAIL", "1.0-provisional")
    assert p.site_count == 30
    assert sorted(p.order) == list(range(1, 31))
    assert {s.view for s in p.sites} == {"front", "back"}
    assert p.injection.depth_min_mm == Decimal("10")
    assert p.injection.depth_max_mm == Decimal("15")
    assert p.injection.volume_ml == Decimal("1.0")
    assert p.product.cells_per_site == 5_000_000
    assert p.product.name == "investigational product (blinded)"
    assert p.sedation.score_interval_minutes == 5  # provisional: the vitals interval
    assert [v.month for v in p.follow_up] == [2, 6, 12, 24, 60]
    midazolam = p.medication("midazolam")
    assert midazolam is not None
    assert (midazolam.cumulative_warning, midazolam.cumulative_max) == (
        Decimal("3.5"),
        Decimal("7.5"),
    )
    assert "provisional" in p.provisional_note.lower()


def test_site_positions_are_fractions_of_the_diagram() -> None:
    p = load_protocol(SAIL)
    assert all(0 <= s.x <= 1 and 0 <= s.y <= 1 for s in p.sites)
    assert all(isinstance(s.x, Decimal) for s in p.sites)


def test_a_second_protocol_with_forty_sites_loads_without_code_changes() -> None:
    p = load_protocol(GRID40)
    assert p.site_count == 40
    assert p.order[:3] == (40, 39, 38)


@pytest.mark.parametrize(
    ("mutate", "key", "problem"),
    [
        (lambda d: d["protocol"].pop("id"), "protocol.id", "is missing"),
        (
            lambda d: d["sites"][3].update(view="side"),
            "sites[3].view",
            "must be one of front, back",
        ),
        (lambda d: d["sites"][2].update(x=1.4), "sites[2].x", "between 0 and 1"),
        (lambda d: d["sites"][5].update(number=1), "sites[5].number", "site 1 appears twice"),
        (lambda d: d["protocol"]["order"].remove(5), "protocol.order", "missing [5]"),
        (
            lambda d: d["injection"].update(depth_default_mm="20"),
            "injection.depth_default_mm",
            "between depth_min_mm and depth_max_mm",
        ),
        (
            lambda d: d["product"].update(kit_example="K17"),
            "product.kit_example",
            "does not match kit_pattern",
        ),
        (
            lambda d: d["medications"][0].update(unit="grains"),
            "medications[0].unit",
            "must be one of",
        ),
        (
            lambda d: d["medications"][1].update(cumulative_warning="9"),
            "medications[1].cumulative_warning",
            "must not exceed cumulative_max",
        ),
        (
            lambda d: d["sedation"].update(vitals_interval_minutes="5"),
            "sedation.vitals_interval_minutes",
            "whole number",
        ),
        (
            lambda d: d["sedation"].pop("score_interval_minutes"),
            "sedation.score_interval_minutes",
            "is missing",
        ),
        (
            lambda d: d["sedation"].update(score_interval_minutes=0),
            "sedation.score_interval_minutes",
            "between 1 and 120",
        ),
        (
            lambda d: d["protocol"].update(subject_id_pattern="(["),
            "protocol.subject_id_pattern",
            "not a valid regular expression",
        ),
    ],
)
def test_a_bad_protocol_names_the_file_the_key_and_the_problem(mutate, key, problem) -> None:
    data = sail_data()
    mutate(data)
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(data, "broken.toml")
    message = str(caught.value)
    assert message.startswith("broken.toml: ")
    assert key in message
    assert problem in message


def test_invalid_toml_is_reported_with_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[protocol\nid = 1", encoding="utf-8")
    with pytest.raises(ProtocolError, match=r"bad\.toml: is not valid TOML"):
        load_protocol(path)


def test_the_catalog_refuses_a_protocol_version_it_does_not_know() -> None:
    catalog = ProtocolCatalog.from_dir()
    assert catalog.default.key == "SAIL"
    with pytest.raises(ProtocolError, match="not installed"):
        catalog.get("SAIL", "9.9")


def test_every_checklist_item_names_who_confirms_it() -> None:
    from slidesk.domain.users import Role

    both = (Role.OPERATOR, Role.NURSE)
    for path in (SAIL, GRID40):
        p = load_protocol(path)
        confirm_by = {item.key: item.confirm_by for item in p.checklist}
        assert [key for key, roles in confirm_by.items() if roles == both] == [
            "identity",
            "limb",
            "consent",
            "imp",
        ]
        assert all(len(roles) == 1 for key, roles in confirm_by.items() if roles != both)


@pytest.mark.parametrize(
    ("confirm_by", "key", "problem"),
    [
        (["operator", "surgeon"], "checklist[2].confirm_by[1]", "'surgeon' is not a role that"),
        (["monitor"], "checklist[2].confirm_by[0]", "(operator, nurse)"),
        (["nurse", "nurse"], "checklist[2].confirm_by[1]", "'nurse' is named twice"),
        ([], "checklist[2].confirm_by", "must be a list of roles (operator, nurse)"),
        ("nurse", "checklist[2].confirm_by", "must be a list of roles"),
        (None, "checklist[2].confirm_by", "is missing"),
    ],
)
def test_a_bad_confirm_by_names_the_file_the_item_and_the_problem(confirm_by, key, problem) -> None:
    data = sail_data()
    if confirm_by is None:
        data["checklist"][2].pop("confirm_by")
    else:
        data["checklist"][2]["confirm_by"] = confirm_by
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(data, "broken.toml")
    message = str(caught.value)
    assert message.startswith(f"broken.toml: {key}: ")
    assert problem in message
