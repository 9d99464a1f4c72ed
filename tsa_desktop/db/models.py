"""The alliance database: every table, typed with ``Mapped[...]``.

Enumerations are stored as their codes (plain strings) so that the file stays readable by other
tools and new codes never need a migration; the domain layer parses them. Most tables carry a
``version`` column used for optimistic locking: two people saving the same record at once, the
second save is refused instead of silently overwriting the first.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Versioned:
    """Mixin: an integer the ORM bumps on every UPDATE and checks in its WHERE clause."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}


# --- Alliance, settings ---------------------------------------------------------------------------


class AllianceProfile(Base):
    """The alliance itself: one row, id 1. Its letterhead and sign-off go on every letter."""

    __tablename__ = "alliance_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    lead_school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="SET NULL"))
    address: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_role: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    letter_sign_off: Mapped[str] = mapped_column(Text, default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_filename: Mapped[str | None] = mapped_column(String(260))
    trainee_letter_template: Mapped[str | None] = mapped_column(Text)
    school_letter_template: Mapped[str | None] = mapped_column(Text)


class Setting(Base):
    """A business setting (see domain.settings for keys and defaults), stored as text."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# --- Schools and providers ------------------------------------------------------------------------


class School(Versioned, Base):
    """A school of the alliance (lead school or partner)."""

    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    urn: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(20))
    establishment_type: Mapped[str] = mapped_column(String(120), default="")
    local_authority: Mapped[str] = mapped_column(String(120), default="")
    address_line_1: Mapped[str] = mapped_column(String(200), default="")
    address_line_2: Mapped[str] = mapped_column(String(200), default="")
    town: Mapped[str] = mapped_column(String(120), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    easting: Mapped[int | None] = mapped_column(Integer)
    northing: Mapped[int | None] = mapped_column(Integer)
    is_lead_school: Mapped[bool] = mapped_column(Boolean, default=False)
    capacity_per_block: Mapped[int] = mapped_column(Integer, default=4)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    establishment_status: Mapped[str] = mapped_column(String(60), default="Open")

    __table_args__ = (CheckConstraint("capacity_per_block >= 0", name="capacity_non_negative"),)


class Provider(Versioned, Base):
    """An accredited provider: a university or the alliance's own SCITT."""

    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    code: Mapped[str] = mapped_column(String(20), default="")
    kind: Mapped[str] = mapped_column(String(20))


# --- Years, allocations, trainees -----------------------------------------------------------------


class AcademicYear(Base):
    """An academic year, written ``2025/26``."""

    __tablename__ = "academic_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(7), unique=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)


class Allocation(Versioned, Base):
    """Places granted for a year on a route, phase and subject, held by a lead school."""

    __tablename__ = "allocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    academic_year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id", ondelete="RESTRICT"))
    route: Mapped[str] = mapped_column(String(40))
    phase: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(4))
    lead_school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id", ondelete="RESTRICT"))
    places: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("academic_year_id", "route", "phase", "subject", "lead_school_id"),
        CheckConstraint("places >= 0", name="places_non_negative"),
    )


class Trainee(Versioned, Base):
    """A trainee recruited onto an allocation."""

    __tablename__ = "trainees"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[str] = mapped_column(String(40), unique=True)
    trn: Mapped[str | None] = mapped_column(String(7))
    first_names: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    route: Mapped[str] = mapped_column(String(40))
    phase: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(4))
    academic_year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id", ondelete="RESTRICT"))
    allocation_id: Mapped[int | None] = mapped_column(ForeignKey("allocations.id", ondelete="SET NULL"))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="offered")
    employing_school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"))
    home_postcode: Mapped[str] = mapped_column(String(10), default="")
    home_easting: Mapped[int | None] = mapped_column(Integer)
    home_northing: Mapped[int | None] = mapped_column(Integer)
    over_allocation_reason: Mapped[str | None] = mapped_column(Text)
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    status_changes: Mapped[list[TraineeStatusChange]] = relationship(
        back_populates="trainee", cascade="all, delete-orphan", order_by="TraineeStatusChange.id"
    )


class TraineeStatusChange(Base):
    """One step of a trainee's status lifecycle, with its date."""

    __tablename__ = "trainee_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    changed_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    trainee: Mapped[Trainee] = relationship(back_populates="status_changes")


# --- Blocks, mentors, placements ------------------------------------------------------------------


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
    """A newly qualified teacher in induction, employed by a partner school."""

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
