"""The time-out checklist: ticks per protocol item, by named people, each with its role and time.

A tick is never deleted; a mistaken one is voided with a reason, and the item can be ticked
again. An item confirmed by two roles gets two ticks by two people; the partial unique
indexes keep one live tick per item and role, and per item and person, even if two writers
race.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from slidesk.persistence.rows.core import Audited, Base
from slidesk.persistence.types import UTCDateTime


class ChecklistTickRow(Audited, Base):
    """One item of the time-out checklist confirmed for one procedure."""

    __tablename__ = "checklist_ticks"
    __table_args__ = (
        Index(
            "uq_checklist_ticks_live_item_role",
            "procedure_id",
            "item_key",
            "ticked_role",
            unique=True,
            sqlite_where=text("voided = 0"),
            postgresql_where=text("voided = false"),
        ),
        Index(
            "uq_checklist_ticks_live_item_person",
            "procedure_id",
            "item_key",
            "ticked_by",
            unique=True,
            sqlite_where=text("voided = 0"),
            postgresql_where=text("voided = false"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"), index=True)
    item_key: Mapped[str] = mapped_column(String(60))
    # The text as shown when ticked: the protocol file may change its wording in a later version.
    item_text: Mapped[str] = mapped_column(Text)
    ticked_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The role the person confirmed as (the protocol's `confirm_by`); on ticks made before
    # roles were confirmed separately, the role they were signed in with.
    ticked_role: Mapped[str | None] = mapped_column(String(20), default=None)
    ticked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str | None] = mapped_column(Text, default=None)


class ChecklistRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def for_procedure(self, procedure_id: int) -> Sequence[ChecklistTickRow]:
        """Every tick, voided ones too, in the order they were made."""
        return self.session.scalars(
            select(ChecklistTickRow)
            .where(ChecklistTickRow.procedure_id == procedure_id)
            .order_by(ChecklistTickRow.id)
        ).all()

    def live_keys(self, procedure_id: int) -> set[str]:
        return set(
            self.session.scalars(
                select(ChecklistTickRow.item_key).where(
                    ChecklistTickRow.procedure_id == procedure_id,
                    ChecklistTickRow.voided.is_(False),
                )
            ).all()
        )

    def get(self, tick_id: int) -> ChecklistTickRow | None:
        return self.session.get(ChecklistTickRow, tick_id)
