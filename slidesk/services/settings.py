"""Site and workstation settings: read them, and change them as an administrator (audited).

The declarations (type, default, label, scope) are in `slidesk.domain.settings`; this module
stores values in the database through the unit of work, so every change is in the audit trail
with its reason, like a change to the record. A setting with no stored value has its default.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from slidesk.clock import Clock
from slidesk.domain.errors import ValidationError
from slidesk.domain.events import AuditEvent
from slidesk.domain.free_text import free_text
from slidesk.domain.settings import REGISTRY, TIME_ZONE, Scope, Setting, setting, zone
from slidesk.domain.users import Actor, Permission, Role
from slidesk.i18n import _
from slidesk.persistence.queries.settings import SettingsRepository
from slidesk.persistence.rows.settings import SettingRow
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.boundary import boundary


@dataclass(frozen=True, slots=True)
class SettingView:
    key: str
    label: str
    help: str
    scope: Scope
    workstation: str  # "" for a site setting
    value: str
    default: str
    changed_at: datetime | None
    changed_by: str | None

    @property
    def is_default(self) -> bool:
        return self.changed_at is None


def _workstation(tx: Transaction, declared: Setting) -> str:
    return tx.uow.host if declared.scope is Scope.WORKSTATION else ""


def value_in(tx: Transaction, declared: Setting) -> str:
    """The value of `declared` inside an open transaction (its default when never set)."""
    row = tx.repo(SettingsRepository).get(declared.key, _workstation(tx, declared))
    return row.value if row is not None else declared.default


def zone_in(tx: Transaction) -> ZoneInfo:
    """The site's time zone inside an open transaction."""
    return zone(value_in(tx, TIME_ZONE))


@boundary
def site_zone(*, uow: UnitOfWork) -> ZoneInfo:
    """The site's time zone (read before anyone signs in: the clock needs it from the start)."""
    with uow.read() as tx:
        return zone_in(tx)


@boundary
def list_settings(*, uow: UnitOfWork, actor: Actor) -> tuple[SettingView, ...]:
    """Every declared setting with its value here, for the administrator."""
    actor.require(Permission.MANAGE_SETTINGS)
    with uow.read() as tx:
        return tuple(_view(tx, declared) for declared in REGISTRY.values())


@boundary
def change_setting(
    *, uow: UnitOfWork, clock: Clock, actor: Actor, key: str, value: str, reason: str
) -> SettingView:
    """Set `key` to `value` (checked by its declaration); audited with the reason."""
    actor.require(Permission.MANAGE_SETTINGS)
    declared = setting(key)
    if not isinstance(value, str):
        raise ValidationError(_("{label}: type the value as text.").format(label=_(declared.label)))
    new = declared.parse(value)
    why = free_text(reason, _("Reason"), max_len=500, required=True) or ""
    with uow.begin(actor=actor, clock=clock, role=Role.ADMIN) as tx:
        repo = tx.repo(SettingsRepository)
        workstation = _workstation(tx, declared)
        row = repo.get(declared.key, workstation)
        if row is None:
            row = SettingRow(
                key=declared.key,
                workstation=workstation,
                value=new,
                changed_at=tx.now,
                changed_by=actor.user_id,
            )
            tx.add(row, event_type=AuditEvent.SETTING_CHANGED, reason=why)
        elif row.value == new:
            raise ValidationError(
                _("{label} is already {value}.").format(label=_(declared.label), value=new)
            )
        else:
            tx.change(
                row,
                event_type=AuditEvent.SETTING_CHANGED,
                reason=why,
                value=new,
                changed_at=tx.now,
                changed_by=actor.user_id,
            )
        tx.commit()
        return _view(tx, declared)


def _view(tx: Transaction, declared: Setting) -> SettingView:
    workstation = _workstation(tx, declared)
    row = tx.repo(SettingsRepository).get(declared.key, workstation)
    who = tx.users.get(row.changed_by) if row is not None else None
    return SettingView(
        key=declared.key,
        label=_(declared.label),
        help=_(declared.help) if declared.help else "",
        scope=declared.scope,
        workstation=workstation,
        value=row.value if row is not None else declared.default,
        default=declared.default,
        changed_at=row.changed_at if row is not None else None,
        changed_by=who.full_name if who is not None else None,
    )
