"""Reading a protocol file: TOML in, typed values out, every error naming file, key and problem.

`read_toml` loads the file; `TableReader` reads one table of it (texts, whole numbers, decimals,
choices, patterns, nested tables) and builds the `ProtocolError` that says where. It knows
nothing of what a protocol contains (that is the section parsers) and imports only `model`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from slidesk.protocol.model import ProtocolError


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed contents of a TOML file; unreadable, non-UTF-8 or invalid TOML fails here."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProtocolError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProtocolError(f"{path}: is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(f"{path}: is not valid TOML ({exc})") from None


class TableReader:
    """Reads typed values from a TOML table, naming file and key in every error."""

    def __init__(self, source: str, data: Mapping[str, Any], prefix: str = "") -> None:
        self.source = source
        self.data = data
        self.prefix = prefix

    def fail(self, key: str, problem: str) -> ProtocolError:
        return ProtocolError(f"{self.source}: {self.prefix}{key}: {problem}")

    def get(self, key: str, required: bool) -> Any:
        if key not in self.data:
            if required:
                raise self.fail(key, "is missing")
            return None
        return self.data[key]

    def string(self, key: str, default: str | None = None) -> str:
        value = self.get(key, default is None)
        if value is None:
            return default or ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be a non-empty text, got {value!r}")
        return value.strip()

    def integer(self, key: str, low: int, high: int, default: int | None = None) -> int:
        value = self.get(key, default is None)
        if value is None:
            assert default is not None
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be a whole number, got {value!r}")
        if not low <= value <= high:
            raise self.fail(key, f"must be between {low} and {high}, got {value}")
        return value

    def decimal(
        self, key: str, low: Decimal, high: Decimal, *, required: bool = True
    ) -> Decimal | None:
        value = self.get(key, required)
        if value is None:
            return None
        return self._to_decimal(key, value, low, high)

    def _to_decimal(self, key: str, value: Any, low: Decimal, high: Decimal) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self.fail(key, f"must be a number, got {value!r}")
        try:
            # str() of a TOML float is its shortest repr, so "0.5" stays exactly 0.5
            number = Decimal(str(value))
        except InvalidOperation:
            raise self.fail(key, f"must be a number, got {value!r}") from None
        if not number.is_finite() or not low <= number <= high:
            raise self.fail(key, f"must be between {low} and {high}, got {value}")
        return number

    def decimals(self, key: str, low: Decimal, high: Decimal) -> tuple[Decimal, ...]:
        value = self.get(key, False)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list of numbers, got {value!r}")
        return tuple(self._to_decimal(f"{key}[{i}]", v, low, high) for i, v in enumerate(value))

    def choice(self, key: str, options: tuple[str, ...], default: str | None = None) -> str:
        value = self.string(key, default)
        if value not in options:
            raise self.fail(key, f"must be one of {', '.join(options)}, got {value!r}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {value!r}")
        return value

    def pattern(self, key: str) -> str:
        value = self.string(key)
        try:
            re.compile(value)
        except re.error as exc:
            raise self.fail(key, f"is not a valid regular expression ({exc})") from None
        return value

    def table(self, key: str) -> TableReader:
        value = self.get(key, True)
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        return TableReader(self.source, value, f"{self.prefix}{key}.")

    def tables(self, key: str, required: bool = True) -> Iterator[TableReader]:
        value = self.get(key, required)
        if value is None:
            return
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, "must be an array of tables ([[...]])")
        if required and not value:
            raise self.fail(key, "must not be empty")
        for i, item in enumerate(value):
            yield TableReader(self.source, item, f"{self.prefix}{key}[{i}].")


def required(value: Decimal | None) -> Decimal:
    """A decimal read with `required=True` (never None; narrows the type)."""
    assert value is not None
    return value


def texts(r: TableReader, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """A non-empty list of distinct texts, or `default` when the key is absent."""
    value = r.get(key, False)
    if value is None:
        return default
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise r.fail(key, "must be a non-empty list of texts")
    items = tuple(v.strip() for v in value)
    if len(set(items)) != len(items):
        raise r.fail(key, "must not repeat an entry")
    return items


def text_list(r: TableReader, key: str) -> tuple[str, ...]:
    """A list of texts, possibly empty or absent."""
    value = r.get(key, False) or []
    if not isinstance(value, list) or not all(isinstance(f, str) for f in value):
        raise r.fail(key, "must be a list of texts")
    return tuple(value)
