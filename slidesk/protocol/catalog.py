"""The protocol versions an installation knows, by (id, version), read from a folder of TOML
files (by default the app's resources/protocols).

Imports `model` and `parse`; never `slidesk.protocol` itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from slidesk.paths import resource_dir
from slidesk.protocol.model import Protocol, ProtocolError
from slidesk.protocol.parse import load_protocol


def default_protocol_dir() -> Path:
    return resource_dir() / "protocols"


class ProtocolCatalog:
    """All protocol versions the installation knows, by (id, version)."""

    def __init__(self, protocols: list[Protocol]) -> None:
        if not protocols:
            raise ProtocolError("no protocol files found")
        self._by_key: dict[tuple[str, str], Protocol] = {}
        for p in protocols:
            if (p.key, p.version) in self._by_key:
                raise ProtocolError(f"{p.source}: protocol {p.key} {p.version} is defined twice")
            self._by_key[(p.key, p.version)] = p
        self.default = protocols[0]

    @classmethod
    def from_dir(cls, folder: Path | None = None, default_key: str = "SAIL") -> ProtocolCatalog:
        folder = folder or default_protocol_dir()
        protocols = [load_protocol(p) for p in sorted(folder.glob("*.toml"))]
        protocols.sort(key=lambda p: (p.key != default_key, p.key, p.version))
        return cls(protocols)

    def get(self, key: str, version: str) -> Protocol:
        try:
            return self._by_key[(key, version)]
        except KeyError:
            raise ProtocolError(
                f"protocol {key} version {version} is not installed; the record was made under it"
            ) from None

    def __iter__(self) -> Iterator[Protocol]:
        return iter(self._by_key.values())
