"""The first screen's look at a database: standard library only, never changes the file."""

from __future__ import annotations

from pathlib import Path

from slidesk.services.workstation.startup import probe_database
from tests.conftest import Team


def test_a_missing_file_is_a_new_database_and_is_not_created(tmp_path: Path) -> None:
    target = tmp_path / "folder" / "new.sqlite3"
    probe = probe_database(target)
    assert (probe.location, probe.has_users) == (str(target), False)
    assert not target.exists()


def test_an_open_database_without_accounts_is_told_from_one_with(make_db, clock) -> None:
    empty = make_db("empty.sqlite3")
    assert probe_database(empty.location).has_users is False
    Team(make_db("team.sqlite3"), clock)
    assert probe_database(Path(empty.location).with_name("team.sqlite3")).has_users is True


def test_a_file_that_is_not_a_database_is_left_to_the_real_open(tmp_path: Path) -> None:
    target = tmp_path / "letter.sqlite3"
    text = b"Dear colleague, " * 100
    target.write_bytes(text)
    assert probe_database(target).has_users is None
    assert target.read_bytes() == text


def test_an_empty_file_counts_as_a_new_database(tmp_path: Path) -> None:
    target = tmp_path / "empty.sqlite3"
    target.touch()
    assert probe_database(target).has_users is False


def test_a_sqlite_url_is_probed_and_a_server_url_shows_without_its_password(make_db, clock) -> None:
    Team(make_db("team.sqlite3"), clock)
    opened = make_db("team.sqlite3")
    assert probe_database(f"sqlite:///{opened.location}").has_users is True

    server = probe_database("postgresql+psycopg://sail:s3cret@db.example:5432/sail")
    assert server.has_users is None
    assert server.location == "postgresql+psycopg://sail:***@db.example:5432/sail"
    assert "s3cret" not in server.location
