"""Induction: cohorts by academic year and the records of early career teachers (and NQTs).

An induction started since 1 September 2021 is an ECT's; one started before, an NQT's (the
regime is stored with the record, set from its start date). A trainee becoming an ECT and the
dialogs' choices are in :mod:`tsa_desktop.services.induction.joining`.

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
from tsa_desktop.domain.enums import (
    AssessmentKind,
    AssessmentOutcome,
    AttendanceStatus,
    InductionProgramme,
    NqtStatus,
)
from tsa_desktop.domain.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from tsa_desktop.domain.labels import field_label
from tsa_desktop.domain.induction import (
    AssessmentData,
    CohortMember,
    CohortSummary,
    summarise_cohort,
)
from tsa_desktop.domain.induction_records import NqtData, validate_nqt
from tsa_desktop.domain.induction_schedule import ECT_REGIME_STARTS
from tsa_desktop.domain.values import academic_year_start, parse_academic_year
from tsa_desktop.services.base import Service, check_version
from tsa_desktop.services.induction.assessments import (
    AssessmentService,
    plan_of,
    refresh_due_dates,
    stored_assessments,
)
from tsa_desktop.services.induction.joining import (
    JoiningMixin,
    QualifiedTrainee,
    SchoolChoice,
    TutorChoice,
    next_academic_year,
)
from tsa_desktop.services.induction.nqts import (
    NqtRow,
    NqtSnapshot,
    load_nqt_rows,
    nqt_name,
)
from tsa_desktop.services.induction.outcomes import OutcomeFileService
from tsa_desktop.services.induction.programme import ProgrammeService
from tsa_desktop.services.induction.schedule import ScheduleService
from tsa_desktop.services.reference.years import ensure_year

__all__ = [
    "CohortRow", "InductionService", "NqtRow", "NqtSnapshot", "QualifiedTrainee", "TutorChoice",
    "SchoolChoice", "cohort_title", "ensure_cohort", "next_academic_year",
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
        return self.name or cohort_title(self.year)


def cohort_title(year: str) -> str:
    """A cohort's default name: "ECT induction 2026/27" ("NQT induction" before 2021/22)."""
    ect = dt.date(academic_year_start(year), 9, 1) >= ECT_REGIME_STARTS
    return f"{'ECT' if ect else 'NQT'} induction {year}"


def ensure_cohort(s: Session, year: str) -> m.InductionCohort:
    """The cohort of an academic year, created (with the year) if it does not exist yet."""
    academic_year = ensure_year(s, year)
    cohort = s.scalar(select(m.InductionCohort).where(m.InductionCohort.academic_year_id == academic_year.id))
    if cohort is None:
        cohort = m.InductionCohort(academic_year_id=academic_year.id, name=cohort_title(academic_year.name))
        s.add(cohort)
        s.flush()
    return cohort


class InductionService(JoiningMixin, Service):
    """Use cases for induction cohorts and the records of ECTs and NQTs.

    Attributes:
        assessments: The termly assessments.
        programme: Induction sessions and attendance.
        outcomes: The assessment outcomes file (export and import).
        schedule: Each ECT's schedule by school term; who is due what this half-term.
    """

    def __init__(self, db) -> None:  # noqa: ANN001 - the Database, as every Service takes
        super().__init__(db)
        self.assessments = AssessmentService(db)
        self.programme = ProgrammeService(db)
        self.outcomes = OutcomeFileService(db)
        self.schedule = ScheduleService(db)

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
                                       name=name.strip() or cohort_title(year))
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
                raise ConflictError(f"The {year} cohort cannot be deleted: it has {n} early career "
                                    f"teacher{'s' if n != 1 else ''}.")
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
        members = [CohortMember(r.school_name, r.local_authority, r.fte, r.status, r.overdue, r.attendance,
                                r.kind_label == "NQT") for r in rows]
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
            raise NotFoundError("That early career teacher no longer exists; somebody may have deleted them.")
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
            reschedule = (nqt.start_date, nqt.fte, nqt.extension_terms, nqt.reduced_terms, nqt.left_date) != (
                data.start_date, data.fte, data.extension_terms, data.reduced_terms, data.left_date)
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
            plan = plan_of(nqt)
            for term, data in snapshot.assessments:
                planned = plan.checkpoint(term)
                kind = planned.kind if planned is not None else AssessmentKind.PROGRESS_REVIEW
                s.add(m.NqtAssessment(nqt_id=nqt.id, term=term, kind=kind.code,
                                      due_date=data.due_date, completed_date=data.completed_date,
                                      outcome=data.outcome.code if data.outcome else None, notes=data.notes))
            sessions = set(s.scalars(select(m.InductionSession.id).where(
                m.InductionSession.cohort_id == nqt.cohort_id)))
            for session_id, status in snapshot.attendance:
                if session_id in sessions:  # a session deleted meanwhile stays deleted
                    s.add(m.SessionAttendance(session_id=session_id, nqt_id=nqt.id, status=status.code))
            nqt_id = nqt.id
        return self.get(nqt_id)


# --- helpers ----------------------------------------------------------------------------------------


def _load_cohort(s: Session, cohort_id: int) -> m.InductionCohort:
    cohort = s.get(m.InductionCohort, cohort_id)
    if cohort is None:
        raise NotFoundError("That induction cohort no longer exists; somebody may have deleted it.")
    return cohort


def _load_nqt(s: Session, nqt_id: int) -> m.Nqt:
    nqt = s.get(m.Nqt, nqt_id)
    if nqt is None:
        raise NotFoundError("That early career teacher no longer exists; somebody may have deleted them.")
    return nqt


def _outcome(code: str | None) -> AssessmentOutcome | None:
    return AssessmentOutcome.parse(code) if code else None


def _check_references(s: Session, data: NqtData) -> None:
    problems = []
    if s.get(m.School, data.employing_school_id) is None:
        problems.append(("employing_school_id", "there is no such school; choose the employing school"))
    if data.induction_tutor_id is not None and s.get(m.Mentor, data.induction_tutor_id) is None:
        problems.append(("induction_tutor_id", "that mentor no longer exists; choose another tutor"))
    if data.mentor_id is not None and s.get(m.Mentor, data.mentor_id) is None:
        problems.append(("mentor_id", "that mentor no longer exists; choose another from the mentor pool"))
    if data.trainee_id is not None and s.get(m.Trainee, data.trainee_id) is None:
        problems.append(("trainee_id", "that trainee no longer exists"))
    if problems:
        raise ValidationError([FieldProblem(f, msg) for f, msg in problems], kind="nqts")


def _refuse_duplicates(s: Session, data: NqtData, own_id: int | None) -> None:
    others = select(m.Nqt).where(m.Nqt.id != (own_id or -1))
    clash = s.scalar(others.where(m.Nqt.email == data.email))
    if clash is not None:
        raise ConflictError(f"{field_label('nqts', 'email')}: {data.email} is already the email of "
                            f"{nqt_name(clash)}, in induction.")
    if data.trn:
        clash = s.scalar(others.where(m.Nqt.trn == data.trn))
        if clash is not None:
            raise ConflictError(f"{field_label('nqts', 'trn')}: {data.trn} is already the TRN of "
                                f"{nqt_name(clash)}, in induction.")
    if data.trainee_id is not None:
        clash = s.scalar(others.where(m.Nqt.trainee_id == data.trainee_id))
        if clash is not None:
            raise ConflictError(f"That trainee is already an early career teacher: {nqt_name(clash)}.")


def _apply(s: Session, nqt: m.Nqt, data: NqtData) -> None:
    nqt.cohort_id = ensure_cohort(s, data.academic_year).id
    for name in ("email", "trn", "first_names", "last_name", "employing_school_id", "induction_tutor_id",
                 "induction_tutor_name", "induction_tutor_email", "appropriate_body", "start_date",
                 "fte", "terms_counted", "extension_terms", "trainee_id", "date_of_birth", "mentor_id",
                 "reduced_terms", "left_date"):
        setattr(nqt, name, getattr(data, name))
    nqt.status = data.status.code
    nqt.programme = data.programme.code if data.programme is not None else ""
    nqt.induction_regime = data.regime.code


def _data_of(nqt: m.Nqt, year: str) -> NqtData:
    return NqtData(
        email=nqt.email, first_names=nqt.first_names, last_name=nqt.last_name, academic_year=year,
        employing_school_id=nqt.employing_school_id, trn=nqt.trn, induction_tutor_id=nqt.induction_tutor_id,
        induction_tutor_name=nqt.induction_tutor_name or "", induction_tutor_email=nqt.induction_tutor_email or "",
        appropriate_body=nqt.appropriate_body or "", start_date=nqt.start_date, fte=float(nqt.fte),
        terms_counted=float(nqt.terms_counted or 0), extension_terms=float(nqt.extension_terms or 0),
        status=NqtStatus.parse(nqt.status), trainee_id=nqt.trainee_id, date_of_birth=nqt.date_of_birth,
        mentor_id=nqt.mentor_id, programme=InductionProgramme.parse(nqt.programme) if nqt.programme else None,
        reduced_terms=float(nqt.reduced_terms or 0), left_date=nqt.left_date,
    )

