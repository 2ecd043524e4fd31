"""Each TOML section of a protocol is parsed by its own function, alone, with errors in place;
the protocol's modules never import the package (or each other) in a circle."""

from __future__ import annotations

import ast
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from slidesk.paths import resource_dir
from slidesk.protocol.bedside import parse_injection, parse_order, parse_sites
from slidesk.protocol.care import parse_outcomes, parse_sedation
from slidesk.protocol.model import ProtocolError
from slidesk.protocol.reader import TableReader, read_toml

SAIL = resource_dir() / "protocols" / "sail.toml"
PACKAGE = Path(__file__).resolve().parents[2] / "slidesk" / "protocol"


def _root() -> TableReader:
    return TableReader("sail.toml", tomllib.loads(SAIL.read_text(encoding="utf-8")))


def test_a_section_parses_on_its_own() -> None:
    root = _root()
    assert parse_injection(root).depth_min_mm == Decimal("10")
    sites = parse_sites(root)
    assert len(sites) == 30
    assert sorted(parse_order(root.table("protocol"), sites)) == [s.number for s in sites]
    assert parse_sedation(root).alarms.spo2_below > 0


def test_a_section_error_names_the_file_and_the_key_in_its_table() -> None:
    bad = TableReader("x.toml", {"sedation": {"scale": "GCS"}})
    with pytest.raises(ProtocolError, match=r"^x\.toml: sedation\.scale: must be one of"):
        parse_sedation(bad)
    months = TableReader("x.toml", {"outcomes": {"primary_month": 7}})
    with pytest.raises(ProtocolError, match=r"outcomes\.primary_month: must be one of"):
        parse_outcomes(months, {6, 12})


def test_read_toml_names_the_file_that_is_not_toml(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[protocol\n", encoding="utf-8")
    with pytest.raises(ProtocolError, match=r"broken\.toml: is not valid TOML"):
        read_toml(broken)


def test_no_protocol_module_imports_the_package_itself() -> None:
    offenders = []
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "slidesk.protocol":
                offenders.append(path.name)
            if isinstance(node, ast.Import) and any(
                a.name == "slidesk.protocol" for a in node.names
            ):
                offenders.append(path.name)
    assert not offenders
