"""What the first screen needs to know about a database, without SQLAlchemy (stdlib only).

Start-up shows sign-in (or, on a new database, "create the first administrator") before the
ORM is imported; which of the two comes first is decided here with one read-only query.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

_SQLITE_PREFIX = "sqlite:///"


def database_url(target: str | Path) -> str:
    """Accept a SQLite file path or an SQLAlchemy URL."""
    text = str(target)
    if "://" in text:
        return text
    return f"{_SQLITE_PREFIX}{Path(text).expanduser().resolve()}"


def sqlite_file(target: str | Path) -> Path | None:
    """The file of a SQLite target; None for another database (or an in-memory one)."""
    url = database_url(target)
    if not url.startswith(_SQLITE_PREFIX):
        return None
    name = url[len(_SQLITE_PREFIX) :].split("?", 1)[0]
    return Path(name) if name and name != ":memory:" else None


@dataclass(frozen=True, slots=True)
class Probe:
    location: str
    """Where the record is, for the screen: the file, or the URL without its password."""

    has_users: bool | None
    """Whether any account exists; None when that can't be told cheaply (a server database,
    or a file this quick look could not read: opening it properly will tell)."""


def probe(target: str | Path) -> Probe:
    path = sqlite_file(target)
    if path is None:
        return Probe(_without_password(database_url(target)), None)
    if not path.exists():
        return Probe(str(path), False)
    return Probe(str(path), _sqlite_has_users(path))


def _sqlite_has_users(path: Path) -> bool | None:
    try:
        # Read-only, and a short timeout: a busy or odd file is left to the real open.
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1)) as db:
            known = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users'"
            ).fetchone()
            if known is None:
                return False
            found = db.execute("SELECT EXISTS (SELECT 1 FROM users)").fetchone()
            return bool(found[0])
    except sqlite3.Error:
        return None


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))
