"""Trial protocols: everything trial-specific — sites and their diagram positions, ranges, drugs
and limits, the checklist, the follow-up schedule — lives in a TOML file, so a new protocol
needs no code change. A bad file fails with a message naming the file, the key and the problem.

No Qt, no database. The modules, each imported by its own path:
- `model`: the frozen dataclasses (`Protocol`, `Site`, `Medication` …) and `ProtocolError`;
- `reader`: reading a TOML file and typed values from its tables, errors with their place;
- `bedside`, `care`: one parse function per TOML section;
- `parse`: `parse_protocol` (the [protocol] head and the sections in order), `load_protocol`;
- `catalog`: `ProtocolCatalog`, the installed versions by (id, version).
"""
