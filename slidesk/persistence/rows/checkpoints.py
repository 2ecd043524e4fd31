"""The database's identity and its signed checkpoints (append-only; migration wit1).

Neither table is audited: a checkpoint vouches for the audit chain's head, so writing one must
not move that head. Both are append-only (triggers) and a checkpoint carries its own signature.
"""

from __future__ import annotations

from sqlalchemy import Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from slidesk.persistence.rows.core import Base


class DatabaseIdentityRow(Base):
    __tablename__ = "database_identity"

    n: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    identity: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[str] = mapped_column(String(40), server_default=func.now())
    origin: Mapped[str | None] = mapped_column(Text, default=None)


class CheckpointRow(Base):
    __tablename__ = "checkpoints"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    head: Mapped[str] = mapped_column(String(64))
    at_utc: Mapped[str] = mapped_column(String(40))
    line: Mapped[str] = mapped_column(Text)
