"""Steps the demo scripts share: register a subject, plan and start a procedure, inject.

Each step calls the public services as the person at the bedside would, on the demo's
stepping clock (time moves only where a step says so), so the demo stays an honest record.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from slidesk.domain.users import Actor, Role
from slidesk.domain.values import Limb
from slidesk.persistence.uow import UnitOfWork
from slidesk.services.dto import ProcedureView, SubjectView
from slidesk.services.procedure import checklist, planning, site_entries, subjects

DEMO_PASSWORD = "demo-password-1"  # noqa: S105 - the published demo password (README, cli)
# The demo accounts' passwords of the year before (passwords expire after a year).
EARLIER_PASSWORD = "demo-password-0"  # noqa: S105 - demo only, replaced by DEMO_PASSWORD
CENTRE = "UMC Utrecht"


def register(
    uow: UnitOfWork, clock: Any, operator: Actor, study_id: str, limb: Limb
) -> SubjectView:
    return subjects.register_subject(
        uow=uow, clock=clock, actor=operator, study_id=study_id, index_limb=limb, centre=CENTRE
    )


def time_out(uow: UnitOfWork, clock: Any, people: tuple[Actor, Actor], procedure_id: int) -> None:
    """The operator and the sedation nurse confirm the time-out, each item by the roles the
    protocol names for it (start refuses until it is complete). `people` is (operator, nurse)."""
    operator, nurse = people
    state = checklist.get_checklist(uow=uow, actor=nurse, procedure_id=procedure_id)
    for item in state.open_items:
        for role in item.missing:
            clock.advance(seconds=10)
            checklist.tick_item(
                uow=uow,
                clock=clock,
                actor=operator if role is Role.OPERATOR else nurse,
                procedure_id=procedure_id,
                item_key=item.key,
                role=role,
            )


def plan_and_start(
    uow: UnitOfWork,
    clock: Any,
    people: tuple[Actor, Actor],
    subject_id: int,
    *,
    kit_number: str,
    location: str,
    released_minutes_ago: float,
    time_out_after_minutes: float = 0,
) -> ProcedureView:
    """The operator plans the procedure (product released that long ago); after a while the
    nurse does the time-out and the operator starts. `people` is (operator, nurse)."""
    operator, nurse = people
    view = planning.plan_procedure(
        uow=uow,
        clock=clock,
        actor=operator,
        subject_id=subject_id,
        kit_number=kit_number,
        operator_id=operator.user_id,
        nurse_id=nurse.user_id,
        location=location,
        product_release_at=clock.now() - timedelta(minutes=released_minutes_ago),
    )
    clock.advance(minutes=time_out_after_minutes)
    time_out(uow, clock, people, view.id)
    return planning.start_procedure(uow=uow, clock=clock, actor=operator, procedure_id=view.id)


def inject(
    uow: UnitOfWork,
    clock: Any,
    operator: Actor,
    view: ProcedureView,
    site_nos: Iterable[int],
    *,
    every_seconds: float = 50,
) -> ProcedureView:
    """Routine injections (12.5 mm, 1.0 mL), one site every `every_seconds`, syringes 1, 2, …"""
    for syringe, site_no in enumerate(site_nos, start=1):
        clock.advance(seconds=every_seconds)
        view = site_entries.record_injection(
            uow=uow,
            clock=clock,
            actor=operator,
            procedure_id=view.id,
            site_no=site_no,
            depth_mm=Decimal("12.5"),
            volume_ml=Decimal("1.0"),
            syringe=str(syringe),
        )
    return view
