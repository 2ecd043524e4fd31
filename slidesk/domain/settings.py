"""Settings declared once: key, type, default, bounds, label and scope. Standard library only.

A *site* setting holds for every workstation of the installation (stored in the database,
changed by an administrator, audited); a *workstation* setting is this computer's own (a folder
path), stored in the database under the workstation's name and audited too. Window geometry and
other screen state are not settings: they stay in the GUI's QSettings.

Each setting turns typed text into its value (`parse`, raising `ValidationError` with a message
an administrator understands) and back (`text`), so the screen, the command line and the
database share one definition.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePosixPath, PureWindowsPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from slidesk.domain.errors import ValidationError
from slidesk.i18n import N_, _

log = logging.getLogger(__name__)


class Scope(StrEnum):
    SITE = "site"
    WORKSTATION = "workstation"


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: `parse` checks typed text and gives the canonical stored text."""

    key: str
    label: str  # marked with N_; translate where shown
    default: str
    scope: Scope
    parse: Callable[[str], str] = field(compare=False)
    help: str = ""


def _time_zone(text: str) -> str:
    name = text.strip()
    if not name:
        raise ValidationError(_("Give a time zone such as Europe/Amsterdam."))
    # Checked against the list first: ZoneInfo() would also try odd names as file paths.
    if name not in available_timezones():
        raise ValidationError(
            _("'{name}' is not a known time zone (e.g. Europe/Amsterdam).").format(name=name)
        )
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValidationError(
            _("'{name}' is not a known time zone (e.g. Europe/Amsterdam).").format(name=name)
        ) from exc
    return name


def zone(name: str) -> ZoneInfo:
    """The zone of a stored `site.time_zone` value (the default, logged, when unreadable)."""
    try:
        return ZoneInfo(_time_zone(name))
    except ValidationError:
        log.warning("stored time zone %r is not known here; using %s", name, TIME_ZONE.default)
        return ZoneInfo(TIME_ZONE.default)


TIME_ZONE = Setting(
    key="site.time_zone",
    label=N_("Time zone of the site"),
    default="Europe/Amsterdam",
    scope=Scope.SITE,
    parse=_time_zone,
    help=N_(
        "Every time on screen and on paper is shown in this zone, whatever the computer's own "
        "zone is. A document keeps the zone it was issued in."
    ),
)


def _folders(text: str) -> str:
    """Folders separated by ';', each an absolute path; empty means the default folder."""
    parts = [part.strip() for part in text.split(";") if part.strip()]
    for part in parts:
        if not (PurePosixPath(part).is_absolute() or PureWindowsPath(part).is_absolute()):
            raise ValidationError(
                _("'{folder}' is not a full path (such as /media/witness or E:\\witness).").format(
                    folder=part
                )
            )
    return ";".join(parts)


def folders(value: str) -> tuple[str, ...]:
    """The folders of a stored folder-list setting, in order."""
    return tuple(part for part in value.split(";") if part)


WITNESS_FOLDERS = Setting(
    key="workstation.witness_folders",
    label=N_("Witness folders for checkpoints"),
    default="",
    scope=Scope.WORKSTATION,
    parse=_folders,
    help=N_(
        "Folders outside the database's, separated by ';' (a network share, a USB stick), where "
        "each signed checkpoint of the audit trail is appended. Empty: the 'witnesses' folder in "
        "the data folder, which is on the same disk as the database and so survives neither that "
        "disk nor someone who can change the database file."
    ),
)


def _folder(text: str) -> str:
    """One absolute folder path; empty means the default folder."""
    value = _folders(text)
    if ";" in value:
        raise ValidationError(_("Give one folder here, not several."))
    return value


BACKUP_FOLDER = Setting(
    key="workstation.backup_folder",
    label=N_("Folder for automatic backups"),
    default="",
    scope=Scope.WORKSTATION,
    parse=_folder,
    help=N_(
        "A full path outside the database's disk (a network share, a USB stick): a verified "
        "copy of the database is made there after every completed or signed procedure and once "
        "a day. Empty: the 'backups' folder in the data folder, which is on the database's own "
        "disk and so does not survive that disk."
    ),
)

KEEP_MIN, KEEP_MAX = 1, 1000


def _keep(text: str) -> str:
    try:
        number = int(text.strip())
    except ValueError:
        number = 0
    if not KEEP_MIN <= number <= KEEP_MAX:
        raise ValidationError(
            _("Give a whole number of backups from {low} to {high}.").format(
                low=KEEP_MIN, high=KEEP_MAX
            )
        )
    return str(number)


def keep_count(value: str) -> int:
    """The stored `site.backup_keep` as a number (the default, logged, when unreadable)."""
    try:
        return int(_keep(value))
    except ValidationError:
        log.warning("stored backup count %r is not valid; keeping %s", value, BACKUP_KEEP.default)
        return int(BACKUP_KEEP.default)


BACKUP_KEEP = Setting(
    key="site.backup_keep",
    label=N_("Automatic backups kept"),
    default="30",
    scope=Scope.SITE,
    parse=_keep,
    help=N_(
        "How many automatic backups each workstation keeps in its backup folder; the oldest "
        "beyond this number is deleted after each new one."
    ),
)

REGISTRY: dict[str, Setting] = {
    s.key: s for s in (TIME_ZONE, WITNESS_FOLDERS, BACKUP_FOLDER, BACKUP_KEEP)
}


def setting(key: str) -> Setting:
    """The declared setting `key`; a clear refusal for an unknown one."""
    found = REGISTRY.get(key)
    if found is None:
        raise ValidationError(_("There is no setting '{key}'.").format(key=key))
    return found
