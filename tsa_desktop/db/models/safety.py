"""The audit trail and user accounts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from tsa_desktop.db.models.base import Base, Versioned, _utcnow


# --- Audit, users ---------------------------------------------------------------------------------


class AuditEntry(Base):
    """Who changed what, when: one row per changed record, with before and after values (JSON)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow, index=True)
    user: Mapped[str] = mapped_column(String(120))
    computer: Mapped[str] = mapped_column(String(120), default="")
    table_name: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    changes: Mapped[str] = mapped_column(Text, default="{}")
    summary: Mapped[str] = mapped_column(Text, default="")
    # The record this row is a part of (a mentor's subject, a trainee's placement), so that the
    # part's changes show in the whole record's history (db/audit.py PARENTS).
    parent_table: Mapped[str | None] = mapped_column(String(60))
    parent_id: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_audit_log_record", "table_name", "record_id"),
        Index("ix_audit_log_parent", "parent_table", "parent_id"),
    )


class User(Versioned, Base):
    """A person who may sign in, when sign-in is turned on for the file."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentors.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
