"""Placement blocks and placements."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tsa_desktop.db.models.base import Base, Versioned


class PlacementBlock(Base):
    """A window of the training year in which trainees are in school (Autumn block A...)."""

    __tablename__ = "placement_blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    academic_year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    days_in_school: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint("academic_year_id", "name"),
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
    )


class Placement(Versioned, Base):
    """One trainee, one block, one school and (once the school names them) one mentor."""

    __tablename__ = "placements"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"))
    block_id: Mapped[int] = mapped_column(ForeignKey("placement_blocks.id", ondelete="RESTRICT"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"), index=True)
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentors.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    paired_trainee_id: Mapped[int | None] = mapped_column(ForeignKey("trainees.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")
    letter_produced_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    letter_fingerprint: Mapped[str | None] = mapped_column(String(64))
    school_letter_produced_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    school_letter_fingerprint: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("trainee_id", "block_id"),)


class SchoolHosting(Base):
    """A school's answer on hosting trainees in an academic year, or in one block of it.

    No row: the school has not been asked yet. ``block_id`` None: the answer holds for the whole
    year (a block's own answer, where there is one, comes first).
    """

    __tablename__ = "school_hosting"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    academic_year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id", ondelete="CASCADE"))
    block_id: Mapped[int | None] = mapped_column(ForeignKey("placement_blocks.id", ondelete="CASCADE"))
    hosting: Mapped[bool] = mapped_column(Boolean, default=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    confirmed_on: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("school_id", "academic_year_id", "block_id"),)
