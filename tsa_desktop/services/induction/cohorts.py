"""NQT induction: cohorts by academic year, NQT records, and a trainee becoming an NQT.

:class:`InductionService` is ``Workspace.induction``. The termly assessments are in
``induction.assessments`` (:mod:`tsa_desktop.services.induction.assessments`), the programme of
sessions and attendance in ``induction.programme`` (:mod:`tsa_desktop.services.induction.programme`)
and the outcomes file in ``induction.outcomes`` (:mod:`tsa_desktop.services.induction.outcomes`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import AssessmentOutcome, AttendanceStatus, NqtStatus, TraineeStatus
from tsa_desktop.domain.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from tsa_desktop.domain.labels import field_label
from tsa_desktop.domain.induction import (
    AssessmentData,
    CohortMember,
    CohortSummary,
    assessment_kind,
    summarise_cohort,
)
from tsa_desktop.domain.induction_records import NqtData, validate_nqt
from tsa_desktop.domain.values import academic_year_start, parse_academic_year
from tsa_desktop.services.base import Service, check_version
from tsa_desktop.services.induction.assessments import (
    AssessmentService,
    refresh_due_dates,
    stored_assessments,
)
from tsa_desktop.services.induction.nqts import (
    NqtRow,
    NqtSnapshot,
    load_nqt_rows,
    nqt_name,
)
from tsa_desktop.services.induction.outcomes import OutcomeFileService
from tsa_desktop.services.induction.programme import ProgrammeService
from tsa_desktop.services.reference.years import ensure_year

__all__ = [
    "CohortRow", "InductionService", "NqtRow", "NqtSnapshot", "QualifiedTrainee", "TutorChoice",
    "SchoolChoice", "ensure_cohort",
]


@dataclass(frozen=True)
class CohortRow:
    """An induction cohort: the NQTs starting induction in an academic year."""

    id: int
    year: str
    name: str
    nqt_count: int = 0

    @property
    def title(self) -> str:
        return self.name or f"NQT induction {self.year}"


@dataclass(frozen=True)
class QualifiedTrainee:
    """A trainee with QTS awarded who is not an NQT yet: who can take the trainee-to-NQT step."""

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
    """A mentor of the pool who can be an induction tutor."""

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
    """A school that can employ an NQT."""

    id: int
    name: str
    urn: str
    local_authority: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.local_authority})" if self.local_authority else self.name


def ensure_cohort(s: Session, year: str) -> m.InductionCohort:
    """The cohort of an academic year, created (with the year) if it does not exist yet."""
    academic_year = ensure_year(s, year)
    cohort = s.scalar(select(m.InductionCohort).where(m.InductionCohort.academic_year_id == academic_year.id))
    if cohort is None:
        cohort = m.InductionCohort(academic_year_id=academic_year.id, name=f"NQT induction {academic_year.name}")
        s.add(cohort)
        s.flush()
    return cohort


def next_academic_year(year: str) -> str:
    """The academic year after ``year``: 2025/26 gives 2026/27."""
    start = academic_year_start(year) + 1
    return f"{start}/{(start + 1) % 100:02d}"


class InductionService(Service):
    """Use cases for NQT induction cohorts and NQT records.

    Attributes:
        assessments: The termly assessments.
        programme: Induction sessions and attendance.
        outcomes: The assessment outcomes file (export and import).
    """

    def __init__(self, db) -> None:  # noqa: ANN001 - the Database, as every Service takes
        super().__init__(db)
        self.assessments = AssessmentService(db)
        self.programme = ProgrammeService(db)
        self.outcomes = OutcomeFileService(db)

    # --- cohorts ------------------------------------------------------------------------------------

    def cohorts(self) -> list[CohortRow]:
        """Every cohort, newest year first, with its number of NQTs."""
        counts = select(m.Nqt.cohort_id, func.count().label("n")).group_by(m.Nqt.cohort_id).subquery()
        stmt = (select(m.InductionCohort, m.AcademicYear.name, func.coalesce(counts.c.n, 0))
                .join(m.AcademicYear, m.AcademicYear.id == m.InductionCohort.academic_year_id)
                .outerjoin(counts, counts.c.cohort_id == m.InductionCohort.id)
                .order_by(m.AcademicYear.name.desc()))
        with self._read() as s:
            return [CohortRow(c.id, year, c.name, n) for c, year, n in s.execute(stmt)]

    def create_cohort(self, year: str, name: str = "") -> CohortRow:
        """Start the cohort of an academic year.

        Raises:
            ValidationError: the year is not written like 2026/27. ConflictError: it has a cohort.
        """
        try:
            year = parse_academic_year(year)
        except ValueError as exc:
            raise ValidationError.single("academic_year", str(exc), year, kind="induction_cohorts") from None
        with self._write() as s:
            academic_year = ensure_year(s, year)
            if s.scalar(select(m.InductionCohort.id).where(m.InductionCohort.academic_year_id == academic_year.id)):
                raise ConflictError(f"There is already an induction cohort for {year}.")
            cohort = m.InductionCohort(academic_year_id=academic_year.id,
                                       name=name.strip() or f"NQT induction {year}")
            s.add(cohort)
            s.flush()
            return CohortRow(cohort.id, year, cohort.name, 0)

    def delete_cohort(self, cohort_id: int) -> CohortRow:
        """Delete an empty cohort (its sessions go with it).

        Raises:
            ConflictError: the cohort still has NQTs.
        """
        with self._write() as s:
            cohort = _load_cohort(s, cohort_id)
            year = s.get(m.AcademicYear, cohort.academic_year_id).name
            n = s.scalar(select(func.count()).select_from(m.Nqt).where(m.Nqt.cohort_id == cohort_id)) or 0
            if n:
                raise ConflictError(f"The {year} cohort cannot be deleted: it has {n} NQT{'s' if n != 1 else ''}.")
            row = CohortRow(cohort.id, year, cohort.name, 0)
            s.delete(cohort)
            return row

    def summary(self, cohort_id: int, today: dt.date | None = None,
                nqts: list[NqtRow] | None = None) -> CohortSummary:
        """The cohort in figures and words: NQTs, schools, local authorities, overdue, attendance.

        Args:
            cohort_id: The cohort.
            today: For what is overdue; defaults to today.
            nqts: The cohort's rows from :meth:`nqts`, when the caller has read them already.
        """
        today = today or dt.date.today()
        rows = nqts if nqts is not None else self.nqts(cohort_id, today)
        with self._read() as s:
            cohort = _load_cohort(s, cohort_id)
            year = s.get(m.AcademicYear, cohort.academic_year_id).name
        members = [CohortMember(r.school_name, r.local_authority, r.fte, r.status, r.overdue, r.attendance)
                   for r in rows]
        return summarise_cohort(year, members)

    # --- NQTs ---------------------------------------------------------------------------------------

    def nqts(self, cohort_id: int | None = None, today: dt.date | None = None) -> list[NqtRow]:
        """The NQTs of a cohort (or all), by name, with next assessment, overdue count and attendance."""
        with self._read() as s:
            return load_nqt_rows(s, today or dt.date.today(), cohort_id=cohort_id)

    def get(self, nqt_id: int, today: dt.date | None = None) -> NqtRow:
        """One NQT.

        Raises:
            NotFoundError: it was deleted meanwhile.
        """
        with self._read() as s:
            rows = load_nqt_rows(s, today or dt.date.today(), nqt_id=nqt_id)
        if not rows:
            raise NotFoundError("That NQT no longer exists; somebody may have deleted them.")
        return rows[0]

    def by_email(self, email: str) -> NqtRow | None:
        """The NQT with this email, if any."""
        with self._read() as s:
            found = s.scalar(select(m.Nqt.id).where(m.Nqt.email == email.strip().lower()))
        return self.get(found) if found is not None else None

    def create(self, raw: dict | NqtData) -> NqtRow:
        """Add an NQT to the cohort of their academic year (the cohort is started if need be).

        Raises:
            ValidationError: a field is wrong, or the school or tutor does not exist.
            ConflictError: the email, TRN or trainee is already an NQT's.
        """
        data = raw if isinstance(raw, NqtData) else validate_nqt(raw)
        with self._write() as s:
            _check_references(s, data)
            _refuse_duplicates(s, data, None)
            nqt = m.Nqt()
            _apply(s, nqt, data)
            s.add(nqt)
            s.flush()
            nqt_id = nqt.id
        return self.get(nqt_id)

    def update(self, nqt_id: int, raw: dict | NqtData, expected_version: int | None = None) -> NqtRow:
        """Change an NQT's record. Due dates of assessments not yet done follow a new start date,
        FTE or extension.

        Raises:
            ValidationError, ConflictError, NotFoundError; StaleRecordError when somebody else saved
            the NQT since ``expected_version``.
        """
        data = raw if isinstance(raw, NqtData) else validate_nqt(raw)
        with self._write() as s:
            nqt = _load_nqt(s, nqt_id)
            check_version(nqt.version, expected_version, nqt_name(nqt))
            _check_references(s, data)
            _refuse_duplicates(s, data, nqt_id)
            reschedule = (nqt.start_date, nqt.fte, nqt.extension_terms) != (
                data.start_date, data.fte, data.extension_terms)
            _apply(s, nqt, data)
            s.flush()
            if reschedule:
                refresh_due_dates(s, nqt)
        return self.get(nqt_id)

    def delete(self, nqt_id: int) -> NqtSnapshot:
        """Delete an NQT with their assessments and attendance.

        Returns:
            Everything deleted, so that :meth:`restore` can bring it back (undo).
        """
        with self._write() as s:
            nqt = _load_nqt(s, nqt_id)
            year = s.scalar(select(m.AcademicYear.name).join(
                m.InductionCohort, m.InductionCohort.academic_year_id == m.AcademicYear.id)
                .where(m.InductionCohort.id == nqt.cohort_id))
            data = _data_of(nqt, year)
            assessments = tuple(
                (a.term, AssessmentData(a.due_date, a.completed_date,
                                        _outcome(a.outcome), a.notes))
                for a in stored_assessments(s, [nqt.id]).get(nqt.id, {}).values())
            attendance = tuple(
                (a.session_id, AttendanceStatus.parse(a.status))
                for a in s.scalars(select(m.SessionAttendance).where(m.SessionAttendance.nqt_id == nqt_id)))
            s.delete(nqt)
            return NqtSnapshot(data, assessments, attendance)

    def restore(self, snapshot: NqtSnapshot) -> NqtRow:
        """Bring back a deleted NQT with the assessments and attendance they had."""
        with self._write() as s:
            _check_references(s, snapshot.data)
            _refuse_duplicates(s, snapshot.data, None)
            nqt = m.Nqt()
            _apply(s, nqt, snapshot.data)
            s.add(nqt)
            s.flush()
            for term, data in snapshot.assessments:
                s.add(m.NqtAssessment(nqt_id=nqt.id, term=term, kind=assessment_kind(term).code,
                                      due_date=data.due_date, completed_date=data.completed_date,
                                      outcome=data.outcome.code if data.outcome else None, notes=data.notes))
            sessions = set(s.scalars(select(m.InductionSession.id).where(
                m.InductionSession.cohort_id == nqt.cohort_id)))
            for session_id, status in snapshot.attendance:
                if session_id in sessions:  # a session deleted meanwhile stays deleted
                    s.add(m.SessionAttendance(session_id=session_id, nqt_id=nqt.id, status=status.code))
            nqt_id = nqt.id
        return self.get(nqt_id)

    # --- a trainee becomes an NQT ---------------------------------------------------------------------

    def qualified_trainees(self) -> list[QualifiedTrainee]:
        """Trainees with QTS awarded who are not NQTs yet, by name."""
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
                     fte: float | str = 1.0) -> NqtRow:
        """Make a trainee with QTS awarded an NQT in one step, keeping their details.

        The NQT joins the cohort of the academic year after the trainee's (started if need be),
        with the trainee's names, email and TRN, linked to the trainee record.

        Args:
            trainee_id: The trainee's database id.
            employing_school_id: The school employing them as an NQT; defaults to the trainee's
                employing school. One of the two is required.
            induction_tutor_id: A mentor of the pool as induction tutor, if chosen already.
            start_date: The first day of induction (a date, or as typed); defaults to 1 September
                of the new year.
            fte: Full-time equivalent (a number, or as typed: 0.8, 80%).

        Raises:
            NotFoundError: no such trainee. ValidationError: QTS is not awarded, or there is no
            employing school or email. ConflictError: the trainee (or their email) is an NQT already.
        """
        with self._read() as s:
            trainee = s.get(m.Trainee, trainee_id)
            if trainee is None:
                raise NotFoundError("That trainee no longer exists; somebody may have deleted them.")
            name = f"{trainee.first_names} {trainee.last_name} ({trainee.trainee_id})"
            status = TraineeStatus.parse(trainee.status)
            if status is not TraineeStatus.QTS_AWARDED:
                raise ValidationError.single(
                    "status", f"{name} cannot become an NQT: their status is {status.label}, "
                              "and only a trainee with QTS awarded can", status.label, kind="trainees")
            existing = s.scalar(select(m.Nqt).where(m.Nqt.trainee_id == trainee_id))
            if existing is not None:
                raise ConflictError(f"{name} is already an NQT ({existing.email}).")
            year = next_academic_year(s.get(m.AcademicYear, trainee.academic_year_id).name)
            raw = {
                "email": trainee.email, "trn": trainee.trn, "first_names": trainee.first_names,
                "last_name": trainee.last_name, "academic_year": year,
                "employing_school_id": employing_school_id or trainee.employing_school_id,
                "induction_tutor_id": induction_tutor_id,
                "start_date": start_date or dt.date(academic_year_start(year), 9, 1),
                "fte": fte, "trainee_id": trainee.id,
            }
        try:
            data = validate_nqt(raw)
        except ValidationError as exc:
            raise ValidationError(exc.problems, source=f"{name} cannot become an NQT") from None
        return self.create(data)

    # --- choices for the dialogs --------------------------------------------------------------------

    def school_choices(self) -> list[SchoolChoice]:
        """Schools that can employ an NQT, by name."""
        with self._read() as s:
            return [SchoolChoice(sc.id, sc.name, sc.urn, sc.local_authority)
                    for sc in s.scalars(select(m.School).order_by(m.School.name))]

    def tutor_choices(self) -> list[TutorChoice]:
        """Active mentors of the pool, by school and name: the induction tutors to choose from."""
        stmt = (select(m.Mentor, m.School.name).join(m.School, m.School.id == m.Mentor.school_id)
                .where(m.Mentor.active.is_(True))
                .order_by(m.School.name, m.Mentor.last_name, m.Mentor.first_name))
        with self._read() as s:
            return [TutorChoice(mt.id, f"{mt.first_name} {mt.last_name}", mt.email, mt.school_id, school)
                    for mt, school in s.execute(stmt)]


# --- helpers ----------------------------------------------------------------------------------------


def _load_cohort(s: Session, cohort_id: int) -> m.InductionCohort:
    cohort = s.get(m.InductionCohort, cohort_id)
    if cohort is None:
        raise NotFoundError("That induction cohort no longer exists; somebody may have deleted it.")
    return cohort


def _load_nqt(s: Session, nqt_id: int) -> m.Nqt:
    nqt = s.get(m.Nqt, nqt_id)
    if nqt is None:
        raise NotFoundError("That NQT no longer exists; somebody may have deleted them.")
    return nqt


def _outcome(code: str | None) -> AssessmentOutcome | None:
    return AssessmentOutcome.parse(code) if code else None


def _check_references(s: Session, data: NqtData) -> None:
    problems = []
    if s.get(m.School, data.employing_school_id) is None:
        problems.append(("employing_school_id", "there is no such school; choose the employing school"))
    if data.induction_tutor_id is not None and s.get(m.Mentor, data.induction_tutor_id) is None:
        problems.append(("induction_tutor_id", "that mentor no longer exists; choose another tutor"))
    if data.trainee_id is not None and s.get(m.Trainee, data.trainee_id) is None:
        problems.append(("trainee_id", "that trainee no longer exists"))
    if problems:
        raise ValidationError([FieldProblem(f, msg) for f, msg in problems], kind="nqts")


def _refuse_duplicates(s: Session, data: NqtData, own_id: int | None) -> None:
    others = select(m.Nqt).where(m.Nqt.id != (own_id or -1))
    clash = s.scalar(others.where(m.Nqt.email == data.email))
    if clash is not None:
        raise ConflictError(f"{field_label('nqts', 'email')}: {data.email} is already the email of NQT "
                            f"{nqt_name(clash)}.")
    if data.trn:
        clash = s.scalar(others.where(m.Nqt.trn == data.trn))
        if clash is not None:
            raise ConflictError(f"{field_label('nqts', 'trn')}: {data.trn} is already the TRN of NQT "
                                f"{nqt_name(clash)}.")
    if data.trainee_id is not None:
        clash = s.scalar(others.where(m.Nqt.trainee_id == data.trainee_id))
        if clash is not None:
            raise ConflictError(f"That trainee is already an NQT: {nqt_name(clash)}.")


def _apply(s: Session, nqt: m.Nqt, data: NqtData) -> None:
    nqt.cohort_id = ensure_cohort(s, data.academic_year).id
    for name in ("email", "trn", "first_names", "last_name", "employing_school_id", "induction_tutor_id",
                 "induction_tutor_name", "induction_tutor_email", "appropriate_body", "start_date",
                 "fte", "terms_counted", "extension_terms", "trainee_id"):
        setattr(nqt, name, getattr(data, name))
    nqt.status = data.status.code


def _data_of(nqt: m.Nqt, year: str) -> NqtData:
    return NqtData(
        email=nqt.email, first_names=nqt.first_names, last_name=nqt.last_name, academic_year=year,
        employing_school_id=nqt.employing_school_id, trn=nqt.trn, induction_tutor_id=nqt.induction_tutor_id,
        induction_tutor_name=nqt.induction_tutor_name or "", induction_tutor_email=nqt.induction_tutor_email or "",
        appropriate_body=nqt.appropriate_body or "", start_date=nqt.start_date, fte=float(nqt.fte),
        terms_counted=float(nqt.terms_counted or 0), extension_terms=float(nqt.extension_terms or 0),
        status=NqtStatus.parse(nqt.status), trainee_id=nqt.trainee_id,
    )

