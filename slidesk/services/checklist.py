"""The time-out checklist (WHO-style, items from the protocol): tick, untick with a reason, read.

The procedure cannot start until every item is ticked (`require_checklist_complete`, called by
`procedures.start_procedure`). Each tick names the signed-in person who confirmed it and when.
"""

from __future__ import annotations

from slidesk.clock import Clock
from slidesk.domain.errors import ConflictError, NotFoundError, StateError
from slidesk.domain.procedure import ProcedureStatus, require_status
from slidesk.domain.users import Actor, Permission
from slidesk.domain.values import clean_text
from slidesk.persistence.rows import ProcedureRow
from slidesk.persistence.rows_checklist import ChecklistRepository, ChecklistTickRow
from slidesk.persistence.uow import Transaction, UnitOfWork
from slidesk.services.dto import PersonRef
from slidesk.services.dto_workspace import ChecklistItemView, ChecklistView, TickView
from slidesk.services.views import load_procedure, procedure_protocol


def get_checklist(*, uow: UnitOfWork, actor: Actor, procedure_id: int) -> ChecklistView:
    actor.require(Permission.READ_RECORDS)
    with uow.read() as tx:
        return _view(tx, load_procedure(tx, procedure_id))


def tick_item(
    *, uow: UnitOfWork, clock: Clock, actor: Actor, procedure_id: int, item_key: str
) -> ChecklistView:
    """The acting (signed-in) person confirms one item; time-stamped and audited."""
    actor.require(Permission.PLAN_PROCEDURE)
    with uow.begin(actor=actor, clock=clock) as tx:
        row = load_procedure(tx, procedure_id)
        require_status(
            ProcedureStatus(row.status), [ProcedureStatus.PLANNED], "tick the time-out checklist"
        )
        protocol = procedure_protocol(tx, row)
        item = next((i for i in protocol.checklist if i.key == item_key), None)
        if item is None:
            raise NotFoundError(f"The checklist has no item '{item_key}'.")
        repo = tx.repo(ChecklistRepository)
        for tick in repo.for_procedure(row.id):
            if tick.item_key == item_key and not tick.voided:
                who = tx.users.get(tick.ticked_by)
                raise ConflictError(
                    f"'{item.text}' is already ticked "
                    f"({tick.ticked_at.astimezone(tx.zone).strftime('%H:%M')}, "
                    f"by {who.full_name if who else '?'})."
                )
        tick = ChecklistTickRow(
            procedure_id=row.id,
            item_key=item.key,
            item_text=item.text,
            ticked_by=actor.user_id,
            ticked_role=tx.role.value if tx.role else None,
            ticked_at=tx.now,
            voided=False,
            void_reason=None,
        )
        tx.add(tick, event_type="checklist.ticked", subject_id=row.subject_id)
        tx.commit()
        return _view(tx, row)


def untick_item(
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    procedure_id: int,
    item_key: str,
    reason: str,
) -> ChecklistView:
    """Withdraw a tick given by mistake (voided with the reason, never deleted)."""
    actor.require(Permission.PLAN_PROCEDURE)
    why = clean_text(reason, "Reason", required=True) or ""
    with uow.begin(actor=actor, clock=clock) as tx:
        row = load_procedure(tx, procedure_id)
        require_status(
            ProcedureStatus(row.status), [ProcedureStatus.PLANNED], "change the time-out checklist"
        )
        live = [
            t
            for t in tx.repo(ChecklistRepository).for_procedure(row.id)
            if t.item_key == item_key and not t.voided
        ]
        if not live:
            raise StateError("This checklist item is not ticked.")
        tx.change(
            live[0],
            event_type="checklist.unticked",
            reason=why,
            subject_id=row.subject_id,
            voided=True,
            void_reason=why,
        )
        tx.commit()
        return _view(tx, row)


def require_checklist_complete(tx: Transaction, row: ProcedureRow) -> None:
    """Refuse (StateError naming the open items) unless every checklist item is ticked."""
    protocol = procedure_protocol(tx, row)
    ticked = tx.repo(ChecklistRepository).live_keys(row.id)
    open_items = [item for item in protocol.checklist if item.key not in ticked]
    if open_items:
        shown = "; ".join(f"“{item.text}”" for item in open_items[:4])
        more = f" and {len(open_items) - 4} more" if len(open_items) > 4 else ""
        raise StateError(
            f"The time-out checklist is not complete: {len(open_items)} item(s) open — "
            f"{shown}{more}. Tick every item before the first injection."
        )


def _view(tx: Transaction, row: ProcedureRow) -> ChecklistView:
    protocol = procedure_protocol(tx, row)
    names = tx.users.names()
    live = {
        t.item_key: t for t in tx.repo(ChecklistRepository).for_procedure(row.id) if not t.voided
    }
    items = []
    for item in protocol.checklist:
        tick = live.get(item.key)
        items.append(
            ChecklistItemView(
                key=item.key,
                text=item.text,
                tick=(
                    TickView(
                        id=tick.id,
                        ticked_by=PersonRef(tick.ticked_by, names.get(tick.ticked_by, "?")),
                        role=tick.ticked_role,
                        ticked_at=tick.ticked_at,
                    )
                    if tick is not None
                    else None
                ),
            )
        )
    return ChecklistView(
        procedure_id=row.id,
        items=tuple(items),
        editable=row.status == ProcedureStatus.PLANNED.value,
    )
