"""Induction cohorts, NQTs and ECTs, assessments, the programme's sessions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tsa_desktop.db.models.base import Base, Versioned


# --- NQT induction --------------------------------------------------------------------------------


class InductionCohort(Base):
    """The NQTs starting induction in an academic year."""

    __tablename__ = "induction_cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    academic_year_id: Mapped[int] = mapped_column(
        ForeignKey("academic_years.id", ondelete="RESTRICT"), unique=True
    )
    name: Mapped[str] = mapped_column(String(200), default="")


class Nqt(Versioned, Base):
    """A teacher in induction employed by a partner school: an ECT, or an NQT (before September 2021).

    The table keeps its first name: both regimes' records are rows of it.
    """

    __tablename__ = "nqts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    trn: Mapped[str | None] = mapped_column(String(7))
    first_names: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(200))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("induction_cohorts.id", ondelete="RESTRICT"), index=True)
    employing_school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"))
    induction_tutor_id: Mapped[int | None] = mapped_column(ForeignKey("mentors.id", ondelete="SET NULL"))
    induction_tutor_name: Mapped[str] = mapped_column(String(200), default="")
    induction_tutor_email: Mapped[str] = mapped_column(String(254), default="")
    appropriate_body: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    fte: Mapped[float] = mapped_column(Float, default=1.0)
    terms_counted: Mapped[float] = mapped_column(Numeric(3, 1, asdecimal=False), default=0.0)
    extension_terms: Mapped[float] = mapped_column(Numeric(3, 1, asdecimal=False), default=0.0)
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    trainee_id: Mapped[int | None] = mapped_column(ForeignKey("trainees.id", ondelete="SET NULL"))
    # Today's rules (revision 0002): the regime follows the start date (nqt before September 2021).
    induction_regime: Mapped[str] = mapped_column(String(3), default="ect", server_default="ect")
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentors.id", ondelete="SET NULL"), index=True)
    programme: Mapped[str] = mapped_column(String(20), default="", server_default="")
    reduced_terms: Mapped[float] = mapped_column(Numeric(3, 1, asdecimal=False), default=0.0, server_default="0")
    left_date: Mapped[dt.date | None] = mapped_column(Date)
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    __table_args__ = (CheckConstraint("fte > 0 AND fte <= 1", name="fte_range"),)


class NqtAssessment(Versioned, Base):
    """A termly induction assessment: a progress review, or the final assessment."""

    __tablename__ = "nqt_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    nqt_id: Mapped[int] = mapped_column(ForeignKey("nqts.id", ondelete="CASCADE"), index=True)
    term: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    completed_date: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("nqt_id", "term"),)


class InductionSession(Versioned, Base):
    """A session of the induction programme."""

    __tablename__ = "induction_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("induction_cohorts.id", ondelete="CASCADE"), index=True)
    session_date: Mapped[dt.date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(200))
    venue: Mapped[str] = mapped_column(String(200), default="")
    leader: Mapped[str] = mapped_column(String(200), default="")


class SessionAttendance(Base):
    """Whether an NQT attended an induction session."""

    __tablename__ = "session_attendance"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("induction_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    nqt_id: Mapped[int] = mapped_column(ForeignKey("nqts.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
