"""Bedside workspace tables: quick flags on a site, and the syringe disposition record.

Injected syringes are known from the site entries; this table records what happened to the
others (returned unused, wasted) so that the kit reconciles. Neither row is ever deleted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from slidesk.persistence.rows.core import Audited, Base
from slidesk.persistence.types import UTCDateTime


class SiteFlagRow(Audited, Base):
    """A local finding at a site (pain reaction, bleeding …), tapped at the bedside."""

    __tablename__ = "site_flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"), index=True)
    site_no: Mapped[int] = mapped_column(Integer)
    flag: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text, default=None)
    observed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorder_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str | None] = mapped_column(Text, default=None)


class SyringeDispositionRow(Audited, Base):
    """What happened to a syringe that was not (fully) injected: returned or wasted."""

    __tablename__ = "syringe_dispositions"
    __table_args__ = (
        Index(
            "uq_syringe_dispositions_live",
            "procedure_id",
            "syringe_label",
            unique=True,
            sqlite_where=text("voided = 0"),
            postgresql_where=text("voided = false"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"), index=True)
    syringe_label: Mapped[str] = mapped_column(String(60))
    disposition: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text, default=None)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorder_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str | None] = mapped_column(Text, default=None)
