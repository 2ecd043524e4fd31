"""A protocol file, whole: `load_protocol` reads it, `parse_protocol` validates its TOML data
into a `Protocol`, section by section (the [protocol] head here, the others in `bedside` and
`care`), so that a bad file fails with the file, the key and the problem.

Imports `model`, `reader` and the section parsers; never `catalog` nor `slidesk.protocol`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from slidesk.protocol.bedside import (
    parse_checklist,
    parse_injection,
    parse_order,
    parse_product,
    parse_sites,
)
from slidesk.protocol.care import (
    parse_adverse_events,
    parse_follow_up,
    parse_medications,
    parse_outcomes,
    parse_sedation,
    parse_signatures,
)
from slidesk.protocol.model import Protocol
from slidesk.protocol.reader import TableReader, read_toml, text_list


def parse_protocol(data: Mapping[str, Any], source: str) -> Protocol:
    """Validate parsed TOML data; `source` names the file in error messages."""
    root = TableReader(source, data)
    head = root.table("protocol")
    injection = parse_injection(root)
    product = parse_product(root)
    sites = parse_sites(root)
    order = parse_order(head, sites)
    checklist = parse_checklist(root)
    medications = parse_medications(root)
    sedation = parse_sedation(root)
    follow_up = parse_follow_up(root)
    signatures = parse_signatures(root)
    site_flags = text_list(head, "site_flags")
    registry = text_list(head, "registry_ids")
    protocol = Protocol(
        key=head.string("id"),
        version=head.string("version"),
        title=head.string("title"),
        registry_ids=registry,
        provisional_note=head.string("provisional_note", ""),
        subject_id_pattern=head.pattern("subject_id_pattern"),
        subject_id_example=head.string("subject_id_example"),
        product=product,
        injection=injection,
        sites=sites,
        order=order,
        checklist=checklist,
        site_flags=site_flags,
        medications=medications,
        sedation=sedation,
        follow_up=follow_up,
        signatures=signatures,
        source=source,
        adverse_events=parse_adverse_events(root),
        outcomes=parse_outcomes(root, {v.month for v in follow_up}),
    )
    if re.fullmatch(protocol.subject_id_pattern, protocol.subject_id_example) is None:
        raise head.fail("subject_id_example", "does not match subject_id_pattern")
    return protocol


def load_protocol(path: Path) -> Protocol:
    """Read and validate one protocol file."""
    return parse_protocol(read_toml(path), str(path))
