"""The time-out checklist (WHO-style, items from the protocol): tick, untick with a reason, read.

Each item names the roles that confirm it (`confirm_by`); each role is confirmed by its own
tick from a signed-in person with that role, and an item with two roles needs two different
people (`slidesk.domain.procedure.checklist`). The procedure cannot start until every item is
complete
(`require_checklist_complete`, called by `procedures.start_procedure`). Each tick names the
person who confirmed it, the role they confirmed as, and when.
"""

from __future__ import annotations

from slidesk.clock import Clock
from slidesk.domain.errors import NotFoundError, StateError, ValidationError
from slidesk.domain.events import AuditEvent
from slidesk.domain.free_text import free_text
from slidesk.domain.procedure.checklist import (
    Confirmation,
    is_complete,
    missing_roles,
    role_to_confirm,
)
from slidesk.domain.procedure.checklist import roles_text as _roles_text
from slidesk.domain.procedure.model import ProcedureStatus, require_status
from slidesk.domain.users import Actor, Permission, Role
from slidesk.i18n import _
from slidesk.persistence.rows.checklist import ChecklistRepository, ChecklistTickRow
from slidesk.persistence.rows.core import ProcedureRow
from slidesk.persistence.transaction import Transaction
from slidesk.persistence.uow import UnitOfWork
from slidesk.protocol.model import ChecklistItem
from slidesk.services.boundary import boundary
from slidesk.services.dto import PersonRef
from slidesk.services.procedure.dto_workspace import ChecklistItemView, ChecklistView, TickView
from slidesk.services.procedure.views import load_procedure, procedure_protocol


@boundary
def get_checklist(*, uow: UnitOfWork, actor: Actor, procedure_id: int) -> ChecklistView:
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        return _view(tx, load_procedure(tx, procedure_id))


@boundary
def tick_item(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    procedure_id: int,
    item_key: str,
    role: Role | str | None = None,
) -> ChecklistView:
    """The acting (signed-in) person confirms one item as `role` — by default the first role
    the item still needs that they hold. Time-stamped and audited; refused with a message
    naming who must confirm when it is not theirs to confirm (or they already did)."""
    actor.require(Permission.PLAN_PROCEDURE)
    wanted = _role(role)
    with uow.begin(actor=actor, clock=clock) as tx:
        tx.chain_head()  # the write lock first (PostgreSQL): two ticks read each other
        row = load_procedure(tx, procedure_id)
        require_status(
            ProcedureStatus(row.status), [ProcedureStatus.PLANNED], "tick the time-out checklist"
        )
        item = _item(tx, row, item_key)
        ticks = _live(tx, row, item.key)
        names = tx.users.names()
        confirmed_as = role_to_confirm(
            item_text=item.text,
            confirm_by=item.confirm_by,
            ticks=[_confirmation(t, names) for t in ticks],
            person_id=actor.user_id,
            person_name=actor.full_name,
            person_roles=actor.roles,
            wanted=wanted,
        )
        tx.role = confirmed_as  # the trail records the role confirmed as
        tick = ChecklistTickRow(
            procedure_id=row.id,
            item_key=item.key,
            item_text=item.text,
            ticked_by=actor.user_id,
            ticked_role=confirmed_as.value,
            ticked_at=tx.now,
            voided=False,
            void_reason=None,
        )
        tx.add(tick, event_type=AuditEvent.CHECKLIST_TICKED, subject_id=row.subject_id)
        tx.commit()
        return _view(tx, row)


@boundary
def untick_item(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    procedure_id: int,
    item_key: str,
    reason: str,
    role: Role | str | None = None,
) -> ChecklistView:
    """Withdraw a confirmation given by mistake (voided with the reason, never deleted): the
    one given as `role`; without a role, the acting person's own, or the item's only one."""
    actor.require(Permission.PLAN_PROCEDURE)
    why = free_text(reason, "Reason", required=True) or ""
    wanted = _role(role)
    with uow.begin(actor=actor, clock=clock) as tx:
        tx.chain_head()
        row = load_procedure(tx, procedure_id)
        require_status(
            ProcedureStatus(row.status), [ProcedureStatus.PLANNED], "change the time-out checklist"
        )
        live = _live(tx, row, item_key)
        if not live:
            raise StateError("This checklist item is not ticked.")
        tick = _withdrawn(live, actor, wanted)
        tx.change(
            tick,
            event_type=AuditEvent.CHECKLIST_UNTICKED,
            reason=why,
            subject_id=row.subject_id,
            voided=True,
            void_reason=why,
        )
        tx.commit()
        return _view(tx, row)


def require_checklist_complete(tx: Transaction, row: ProcedureRow) -> None:
    """Refuse (StateError naming the open items and who must confirm them) unless every
    checklist item is confirmed by each of its roles."""
    view = _view(tx, row)
    open_items = view.open_items
    if open_items:
        shown = "; ".join(
            _("“{item}” ({roles})").format(item=item.text, roles=_roles_text(item.missing))
            for item in open_items[:4]
        )
        more = _(" and {n} more").format(n=len(open_items) - 4) if len(open_items) > 4 else ""
        raise StateError(
            _(
                "The time-out checklist is not complete: {count} item(s) open — {shown}{more}. "
                "Tick every item before the first injection."
            ).format(count=len(open_items), shown=shown, more=more)
        )


# --- helpers ---------------------------------------------------------------------------------


def _role(value: Role | str | None) -> Role | None:
    if value is None or isinstance(value, Role):
        return value
    for role in Role:
        if value == role.value:
            return role
    raise ValidationError(_("'{value}' is not a role.").format(value=value))


def _item(tx: Transaction, row: ProcedureRow, item_key: str) -> ChecklistItem:
    item = next((i for i in procedure_protocol(tx, row).checklist if i.key == item_key), None)
    if item is None:
        raise NotFoundError(f"The checklist has no item '{item_key}'.")
    return item


def _live(tx: Transaction, row: ProcedureRow, item_key: str) -> list[ChecklistTickRow]:
    return [
        t
        for t in tx.repo(ChecklistRepository).for_procedure(row.id)
        if t.item_key == item_key and not t.voided
    ]


def _tick_role(tick: ChecklistTickRow) -> Role | None:
    return next((r for r in Role if r.value == tick.ticked_role), None)


def _confirmation(tick: ChecklistTickRow, names: dict[int, str]) -> Confirmation:
    return Confirmation(tick.ticked_by, names.get(tick.ticked_by, "?"), _tick_role(tick))


def _withdrawn(live: list[ChecklistTickRow], actor: Actor, role: Role | None) -> ChecklistTickRow:
    """The live tick an untick means (see `untick_item`)."""
    if role is not None:
        found = next((t for t in live if _tick_role(t) is role), None)
        if found is None:
            raise StateError(
                _("This item is not confirmed as {role}.").format(role=_roles_text((role,)))
            )
        return found
    own = next((t for t in live if t.ticked_by == actor.user_id), None)
    if own is not None:
        return own
    if len(live) == 1:
        return live[0]
    raise ValidationError(_("Say which confirmation to withdraw (the role it was given as)."))


def _view(tx: Transaction, row: ProcedureRow) -> ChecklistView:
    protocol = procedure_protocol(tx, row)
    names = tx.users.names()
    planned = row.status == ProcedureStatus.PLANNED.value
    live: dict[str, list[ChecklistTickRow]] = {}
    for tick in tx.repo(ChecklistRepository).for_procedure(row.id):
        if not tick.voided:
            live.setdefault(tick.item_key, []).append(tick)
    items = []
    for item in protocol.checklist:
        ticks = live.get(item.key, [])
        confirmations = [_confirmation(t, names) for t in ticks]
        if not planned:
            # Started: the time-out stands as it was when the procedure started (older
            # records were complete with one tick per item).
            missing: tuple[Role, ...] = () if ticks else item.confirm_by
        elif is_complete(item.confirm_by, confirmations):
            missing = ()
        else:
            missing = missing_roles(item.confirm_by, confirmations) or item.confirm_by
        items.append(
            ChecklistItemView(
                key=item.key,
                text=item.text,
                confirm_by=item.confirm_by,
                ticks=tuple(
                    TickView(
                        id=t.id,
                        ticked_by=PersonRef(t.ticked_by, names.get(t.ticked_by, "?")),
                        role=t.ticked_role,
                        ticked_at=t.ticked_at,
                    )
                    for t in ticks
                ),
                missing=missing,
            )
        )
    return ChecklistView(procedure_id=row.id, items=tuple(items), editable=planned)
