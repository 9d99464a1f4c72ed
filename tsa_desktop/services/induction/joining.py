"""Who can join induction: a trainee with QTS becomes an ECT in one step; the dialogs' choices.

:class:`JoiningMixin` is part of :class:`~tsa_desktop.services.induction.cohorts.InductionService`
(``Workspace.induction``); it lives here to keep each module to one job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import TraineeStatus
from tsa_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from tsa_desktop.domain.induction_records import order_appropriate_bodies, validate_nqt
from tsa_desktop.domain.values import academic_year_start, parse_trn, parse_urn

if TYPE_CHECKING:
    from tsa_desktop.services.induction.nqts import NqtRow


@dataclass(frozen=True)
class QualifiedTrainee:
    """A trainee with QTS awarded who is not an ECT yet: who can take the trainee-to-ECT step."""

    id: int
    trainee_id: str
    name: str
    email: str
    trn: str | None
    academic_year: str
    employing_school_id: int | None
    employing_school: str

    @property
    def label(self) -> str:
        school = f", {self.employing_school}" if self.employing_school else ""
        return f"{self.name} ({self.trainee_id}, {self.academic_year}{school})"


@dataclass(frozen=True)
class TutorChoice:
    """A mentor of the pool who can be an induction tutor or an ECT's mentor."""

    id: int
    name: str
    email: str
    school_id: int
    school: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.school})"


@dataclass(frozen=True)
class SchoolChoice:
    """A school that can employ an ECT."""

    id: int
    name: str
    urn: str
    local_authority: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.local_authority})" if self.local_authority else self.name


def next_academic_year(year: str) -> str:
    """The academic year after ``year``: 2025/26 gives 2026/27."""
    start = academic_year_start(year) + 1
    return f"{start}/{(start + 1) % 100:02d}"


class JoiningMixin:
    """A trainee becomes an ECT; the schools, tutors and mentors to choose from."""

    def qualified_trainees(self) -> list[QualifiedTrainee]:
        """Trainees with QTS awarded who are not ECTs yet, by name."""
        linked = select(m.Nqt.trainee_id).where(m.Nqt.trainee_id.is_not(None))
        stmt = (select(m.Trainee, m.AcademicYear.name, m.School.name)
                .join(m.AcademicYear, m.AcademicYear.id == m.Trainee.academic_year_id)
                .outerjoin(m.School, m.School.id == m.Trainee.employing_school_id)
                .where(m.Trainee.status == TraineeStatus.QTS_AWARDED.code, m.Trainee.id.not_in(linked),
                       m.Trainee.anonymised_at.is_(None))
                .order_by(m.Trainee.last_name, m.Trainee.first_names))
        with self._read() as s:
            return [QualifiedTrainee(t.id, t.trainee_id, f"{t.first_names} {t.last_name}", t.email, t.trn,
                                     year, t.employing_school_id, school or "")
                    for t, year, school in s.execute(stmt)]

    def from_trainee(self, trainee_id: int, employing_school_id: int | None = None,
                     induction_tutor_id: int | None = None, start_date: dt.date | str | None = None,
                     fte: float | str = 1.0, mentor_id: int | None = None,
                     programme: str | None = None) -> "NqtRow":
        """Make a trainee with QTS awarded an ECT in one step, keeping their details.

        The ECT joins the cohort of the academic year after the trainee's (started if need be),
        with the trainee's names, email and TRN, linked to the trainee record.

        Args:
            trainee_id: The trainee's database id.
            employing_school_id: The school employing them as an ECT; defaults to the trainee's
                employing school. One of the two is required.
            induction_tutor_id: A mentor of the pool as induction tutor, if chosen already.
            start_date: The first day of induction (a date, or as typed); defaults to 1 September
                of the new year.
            fte: Full-time equivalent (a number, or as typed: 0.8, 80%).
            mentor_id: The ECT's mentor, from the pool (not the induction tutor).
            programme: provider_led or school_led, if known.

        Raises:
            NotFoundError: no such trainee. ValidationError: QTS is not awarded, or there is no
            employing school or email. ConflictError: the trainee (or their email or TRN) is an
            ECT already.
        """
        with self._read() as s:
            trainee = s.get(m.Trainee, trainee_id)
            if trainee is None:
                raise NotFoundError("That trainee no longer exists; somebody may have deleted them.")
            name = f"{trainee.first_names} {trainee.last_name} ({trainee.trainee_id})"
            status = TraineeStatus.parse(trainee.status)
            if status is not TraineeStatus.QTS_AWARDED:
                raise ValidationError.single(
                    "status", f"{name} cannot become an ECT: their status is {status.label}, "
                              "and only a trainee with QTS awarded can", status.label, kind="trainees")
            existing = s.scalar(select(m.Nqt).where(m.Nqt.trainee_id == trainee_id))
            if existing is not None:
                raise ConflictError(f"{name} is already an early career teacher ({existing.email}).")
            year = next_academic_year(s.get(m.AcademicYear, trainee.academic_year_id).name)
            raw = {
                "email": trainee.email, "trn": trainee.trn, "first_names": trainee.first_names,
                "last_name": trainee.last_name, "academic_year": "" if start_date else year,
                "employing_school_id": employing_school_id or trainee.employing_school_id,
                "induction_tutor_id": induction_tutor_id, "mentor_id": mentor_id, "programme": programme,
                "start_date": start_date or dt.date(academic_year_start(year), 9, 1),
                "fte": fte, "trainee_id": trainee.id,
            }
        try:
            data = validate_nqt(raw)
        except ValidationError as exc:
            raise ValidationError(exc.problems, source=f"{name} cannot become an ECT") from None
        return self.create(data)

    def from_trn(self, trn: str, employing_school_urn: str | None = None,
                 start_date: dt.date | str | None = None, fte: float | str = 1.0,
                 mentor_email: str | None = None, programme: str | None = None) -> "NqtRow":
        """The trainee-to-ECT step keyed on the TRN, with the employing school's URN.

        Args:
            trn: The trainee's teacher reference number (7 digits).
            employing_school_urn: The school employing them as an ECT; defaults to the trainee's
                employing school.
            start_date, fte, programme: As :meth:`from_trainee`.
            mentor_email: The ECT's mentor, by their email in the mentor pool.

        Raises:
            ValidationError: the TRN, URN or mentor is unknown or not written as they are.
            As :meth:`from_trainee` otherwise.
        """
        try:
            trn = parse_trn(trn)
        except ValueError as exc:
            raise ValidationError.single("trn", str(exc), trn, kind="nqts") from None
        with self._read() as s:
            trainee_id = s.scalar(select(m.Trainee.id).where(m.Trainee.trn == trn,
                                                             m.Trainee.anonymised_at.is_(None)))
            if trainee_id is None:
                raise ValidationError.single("trn", "no trainee has this TRN", trn, kind="nqts")
            school_id = None
            if employing_school_urn:
                try:
                    urn = parse_urn(employing_school_urn)
                except ValueError as exc:
                    raise ValidationError.single("employing_school_urn", str(exc), employing_school_urn,
                                                 kind="nqts") from None
                school_id = s.scalar(select(m.School.id).where(m.School.urn == urn))
                if school_id is None:
                    raise ValidationError.single("employing_school_urn", "no school has this URN", urn, kind="nqts")
            mentor_id = None
            if mentor_email:
                mentor_id = s.scalar(select(m.Mentor.id).where(m.Mentor.email == mentor_email.strip().lower()))
                if mentor_id is None:
                    raise ValidationError.single("mentor_email", "no mentor of the pool has this email",
                                                 mentor_email, kind="nqts")
        return self.from_trainee(trainee_id, school_id, start_date=start_date, fte=fte, mentor_id=mentor_id,
                                 programme=programme)

    # --- choices for the dialogs --------------------------------------------------------------------

    def school_choices(self) -> list[SchoolChoice]:
        """Schools that can employ an ECT, by name (not those GIAS lists as Closed)."""
        with self._read() as s:
            return [SchoolChoice(sc.id, sc.name, sc.urn, sc.local_authority)
                    for sc in s.scalars(select(m.School).order_by(m.School.name))
                    if (sc.establishment_status or "").strip().casefold() != "closed"]

    def appropriate_bodies(self) -> list[str]:
        """The appropriate bodies named on any record, teaching school hubs first: the list the
        dialog offers as you type (a new name typed on a record joins it)."""
        with self._read() as s:
            return order_appropriate_bodies(s.scalars(select(m.Nqt.appropriate_body).distinct()))

    def tutor_choices(self) -> list[TutorChoice]:
        """Active mentors of the pool, by school and name: the induction tutors and ECT mentors."""
        stmt = (select(m.Mentor, m.School.name).join(m.School, m.School.id == m.Mentor.school_id)
                .where(m.Mentor.active.is_(True))
                .order_by(m.School.name, m.Mentor.last_name, m.Mentor.first_name))
        with self._read() as s:
            return [TutorChoice(mt.id, f"{mt.first_name} {mt.last_name}", mt.email, mt.school_id, school)
                    for mt, school in s.execute(stmt)]
