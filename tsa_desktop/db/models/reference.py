"""Schools, providers, years, allocations, trainees and the alliance's own details."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tsa_desktop.db.models.base import Base, Versioned


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


class SchoolPreviousUrn(Base):
    """A URN a school had before GIAS gave it a new one (academy conversion, merger).

    Later files that still use the old URN are matched to the school; exports for a date
    before ``linked_on`` use the URN the school had then.
    """

    __tablename__ = "school_previous_urns"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    urn: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    link_type: Mapped[str] = mapped_column(String(60), default="Successor")
    linked_on: Mapped[dt.date | None] = mapped_column(Date)


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
    #: car, public_transport or walk_or_cycle: how journeys to placement schools are judged.
    travel_mode: Mapped[str] = mapped_column(String(20), default="car", server_default="car")
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
