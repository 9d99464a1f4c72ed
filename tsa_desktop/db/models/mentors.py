"""Mentors, their subjects, absences and quality-assurance visits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tsa_desktop.db.models.base import Base, Versioned


class Mentor(Versioned, Base):
    """A teacher who supports trainees in school; a lead mentor quality-assures others."""

    __tablename__ = "mentors"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    first_name: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(200))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"), index=True)
    phase: Mapped[str] = mapped_column(String(20))
    is_lead_mentor: Mapped[bool] = mapped_column(Boolean, default=False)
    lead_mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentors.id", ondelete="SET NULL"))
    initial_training_date: Mapped[dt.date | None] = mapped_column(Date)
    initial_training_hours: Mapped[float | None] = mapped_column(Float)
    refresher_date: Mapped[dt.date | None] = mapped_column(Date)
    max_trainees: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    phone: Mapped[str] = mapped_column(String(40), default="")

    subjects: Mapped[list[MentorSubject]] = relationship(
        cascade="all, delete-orphan", order_by="MentorSubject.subject"
    )

    __table_args__ = (CheckConstraint("max_trainees IN (1, 2)", name="max_trainees_one_or_two"),)


class MentorSubject(Base):
    """A subject a mentor teaches (DfE code)."""

    __tablename__ = "mentor_subjects"

    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id", ondelete="CASCADE"), primary_key=True)
    subject: Mapped[str] = mapped_column(String(4), primary_key=True)


class MentorUnavailability(Base):
    """A block in which a mentor cannot take a trainee (mentors are available unless listed)."""

    __tablename__ = "mentor_unavailability"

    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id", ondelete="CASCADE"), primary_key=True)
    block_id: Mapped[int] = mapped_column(
        ForeignKey("placement_blocks.id", ondelete="CASCADE"), primary_key=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")


class QaVisit(Versioned, Base):
    """A lead mentor's quality-assurance visit to a mentor."""

    __tablename__ = "qa_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentors.id", ondelete="CASCADE"), index=True)
    visit_date: Mapped[dt.date] = mapped_column(Date)
    focus: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")
    next_due: Mapped[dt.date | None] = mapped_column(Date)
