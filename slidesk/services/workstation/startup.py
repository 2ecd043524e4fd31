"""Start-up in two steps, so the first screen does not wait for the ORM.

`probe_database` (standard library only, a few milliseconds) says where the record is and
whether it has accounts: enough to show sign-in or "create the first administrator".
`open_for_sign_in` then imports SQLAlchemy, opens the database (migrating it if needed) and
loads what the first sign-in uses; the GUI runs it on a worker thread while the person types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from slidesk.persistence.probe import Probe, probe

if TYPE_CHECKING:
    from slidesk.services.workstation.database import OpenedDatabase

__all__ = ["Opened", "Probe", "open_for_sign_in", "probe_database"]


def probe_database(target: str | Path) -> Probe:
    """Location and "has accounts?" of the database at `target`, without opening it for real."""
    return probe(target)


@dataclass(frozen=True, slots=True)
class Opened:
    database: OpenedDatabase
    has_users: bool
    zone: tzinfo  # the site's time zone setting: the clock shows and prints times in it


def open_for_sign_in(target: str | Path) -> Opened:
    """Open (create, upgrade) the database and warm up sign-in; safe off the GUI thread."""
    from slidesk.services.accounts import service as accounts
    from slidesk.services.audit.checkpoints import enable_automatic
    from slidesk.services.settings import site_zone
    from slidesk.services.workstation.backup_auto import enable_automatic_backups
    from slidesk.services.workstation.database import open_database

    opened = open_database(target)
    try:
        # Signatures, reports, exports and completions are checkpointed and witnessed, and
        # entries at least hourly; the key is loaded now, not in the first Confirm that needs it.
        enable_automatic(opened.uow).warm_up()
        # ... and completions and signatures (and each new day) backed up, verified.
        enable_automatic_backups(opened.uow)
        has_users = accounts.has_users(uow=opened.uow)
        zone = site_zone(uow=opened.uow)
        accounts.default_hasher()  # argon2's import, paid now rather than on "Sign in"
    except BaseException:
        opened.close()
        raise
    return Opened(opened, has_users, zone)
