"""ECT (and NQT) rows as the pages see them: school, tutor, mentor, schedule, attendance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import AttendanceStatus, InductionProgramme, InductionRegime, NqtStatus
from tsa_desktop.domain.induction import AssessmentData, AssessmentState, AttendanceRate
from tsa_desktop.domain.induction_records import NqtData, role_warnings
from tsa_desktop.domain.induction_schedule import InductionPlan
from tsa_desktop.domain.school_terms import term_of
from tsa_desktop.services.induction.assessments import NqtBrief, assessment_rows_for
from tsa_desktop.services.induction.programme import attendance_rates


@dataclass(frozen=True)
class NqtRow:
    """An ECT (or NQT) with what the induction page shows about them.

    ``tutor`` and ``tutor_email`` are the induction tutor as shown: the mentor's name when one of
    the pool is chosen, else the tutor named on the record. ``mentor`` is the ECT's mentor (from
    the pool). ``due_this_term`` and ``overdue_items`` name the reviews and assessments due in
    the current school term and overdue; ``timetable_reduction`` is today's, in percent.
    """

    id: int
    version: int
    email: str
    trn: str | None
    first_names: str
    last_name: str
    cohort_id: int
    academic_year: str
    employing_school_id: int
    school_name: str
    school_urn: str
    local_authority: str
    induction_tutor_id: int | None
    induction_tutor_name: str
    induction_tutor_email: str
    tutor: str
    tutor_email: str
    appropriate_body: str
    start_date: dt.date | None
    fte: float
    terms_counted: float
    extension_terms: float
    status: NqtStatus
    trainee_id: int | None
    next_due: dt.date | None = None
    next_assessment: str = ""
    overdue: int = 0
    attendance: AttendanceRate = AttendanceRate()
    regime: InductionRegime = InductionRegime.ECT
    date_of_birth: dt.date | None = None
    mentor_id: int | None = None
    mentor: str = ""
    mentor_email: str = ""
    programme: InductionProgramme | None = None
    reduced_terms: float = 0.0
    left_date: dt.date | None = None
    plan: InductionPlan | None = None
    timetable_reduction: int = 0
    due_this_term: tuple[str, ...] = ()
    overdue_items: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        """"ECT", or "NQT" for a record under the old regime."""
        return "NQT" if self.regime is InductionRegime.NQT else "ECT"

    @property
    def expected_end_date(self) -> dt.date | None:
        """The last day of the school term in which induction is expected to end."""
        return self.plan.expected_end_date if self.plan is not None else None

    @property
    def programme_label(self) -> str:
        return self.programme.label if self.programme is not None else ""

    @property
    def warnings(self) -> list[str]:
        """Warnings about the record's roles (one person as tutor and mentor)."""
        return role_warnings(self.induction_tutor_id, self.mentor_id, self.name)

    @property
    def name(self) -> str:
        return f"{self.first_names} {self.last_name}"

    @property
    def sort_name(self) -> str:
        return f"{self.last_name} {self.first_names}"

    @property
    def part_time(self) -> bool:
        return self.fte < 1.0

    @property
    def terms_required(self) -> float:
        """Six for an ECT (three for an NQT), less a reduction, plus an extension."""
        return self.plan.terms_required if self.plan is not None else 0.0

    @property
    def terms_remaining(self) -> float:
        return max(0.0, round(self.terms_required - self.terms_counted, 1))

    @property
    def terms_text(self) -> str:
        """E.g. "1.5 of 6", "2 of 7" with an extension."""
        return f"{self.terms_counted:g} of {self.terms_required:g}"

    def data(self) -> NqtData:
        """The editable fields, e.g. to undo an edit."""
        return NqtData(
            email=self.email, first_names=self.first_names, last_name=self.last_name,
            academic_year=self.academic_year, employing_school_id=self.employing_school_id, trn=self.trn,
            induction_tutor_id=self.induction_tutor_id, induction_tutor_name=self.induction_tutor_name,
            induction_tutor_email=self.induction_tutor_email, appropriate_body=self.appropriate_body,
            start_date=self.start_date, fte=self.fte, terms_counted=self.terms_counted,
            extension_terms=self.extension_terms, status=self.status, trainee_id=self.trainee_id,
            date_of_birth=self.date_of_birth, mentor_id=self.mentor_id, programme=self.programme,
            reduced_terms=self.reduced_terms, left_date=self.left_date,
        )


@dataclass(frozen=True)
class NqtSnapshot:
    """A deleted NQT with their stored assessments and attendance marks, for undo."""

    data: NqtData
    assessments: tuple[tuple[int, AssessmentData], ...] = ()
    attendance: tuple[tuple[int, AttendanceStatus], ...] = ()


def nqt_name(nqt: m.Nqt) -> str:
    """An ECT's (or NQT's) name and email, for messages."""
    return f"{nqt.first_names} {nqt.last_name} ({nqt.email})"


def load_nqt_rows(s: Session, today: dt.date, cohort_id: int | None = None,
                  nqt_id: int | None = None) -> list[NqtRow]:
    """Read ECTs and NQTs (of a cohort, or one) with school, tutor, mentor, schedule, by name."""
    ect_mentor = aliased(m.Mentor)
    stmt = (select(m.Nqt, m.School, m.AcademicYear.name, m.Mentor, ect_mentor)
            .join(m.School, m.School.id == m.Nqt.employing_school_id)
            .join(m.InductionCohort, m.InductionCohort.id == m.Nqt.cohort_id)
            .join(m.AcademicYear, m.AcademicYear.id == m.InductionCohort.academic_year_id)
            .outerjoin(m.Mentor, m.Mentor.id == m.Nqt.induction_tutor_id)
            .outerjoin(ect_mentor, ect_mentor.id == m.Nqt.mentor_id)
            .order_by(m.Nqt.last_name, m.Nqt.first_names, m.Nqt.id))
    if cohort_id is not None:
        stmt = stmt.where(m.Nqt.cohort_id == cohort_id)
    if nqt_id is not None:
        stmt = stmt.where(m.Nqt.id == nqt_id)
    found = s.execute(stmt).all()
    briefs = {nqt.id: NqtBrief.of(nqt, school.name) for nqt, school, *_rest in found}
    assessments = assessment_rows_for(s, briefs.values(), today)
    rates = attendance_rates(s, list(briefs))
    term = term_of(today)
    rows = []
    for nqt, school, year, mentor, own_mentor in found:
        plan = briefs[nqt.id].plan
        pending = [a for a in assessments.get(nqt.id, ())
                   if a.state in (AssessmentState.OVERDUE, AssessmentState.DUE_SOON, AssessmentState.UPCOMING)]
        following = pending[0] if pending else None
        if mentor is not None:
            tutor, tutor_email = f"{mentor.first_name} {mentor.last_name}", mentor.email
        else:
            tutor, tutor_email = nqt.induction_tutor_name or "", nqt.induction_tutor_email or ""
        rows.append(NqtRow(
            id=nqt.id, version=nqt.version, email=nqt.email, trn=nqt.trn, first_names=nqt.first_names,
            last_name=nqt.last_name, cohort_id=nqt.cohort_id, academic_year=year,
            employing_school_id=school.id, school_name=school.name, school_urn=school.urn,
            local_authority=school.local_authority or "", induction_tutor_id=nqt.induction_tutor_id,
            induction_tutor_name=nqt.induction_tutor_name or "",
            induction_tutor_email=nqt.induction_tutor_email or "", tutor=tutor, tutor_email=tutor_email,
            appropriate_body=nqt.appropriate_body or "", start_date=nqt.start_date, fte=float(nqt.fte),
            terms_counted=float(nqt.terms_counted or 0), extension_terms=float(nqt.extension_terms or 0),
            status=NqtStatus.parse(nqt.status), trainee_id=nqt.trainee_id,
            next_due=following.due_date if following else None,
            next_assessment=following.label if following else "",
            overdue=sum(1 for a in assessments.get(nqt.id, ()) if a.state == AssessmentState.OVERDUE),
            attendance=rates.get(nqt.id, AttendanceRate()),
            regime=plan.regime, date_of_birth=nqt.date_of_birth, mentor_id=nqt.mentor_id,
            mentor=f"{own_mentor.first_name} {own_mentor.last_name}" if own_mentor is not None else "",
            mentor_email=own_mentor.email if own_mentor is not None else "",
            programme=InductionProgramme.parse(nqt.programme) if nqt.programme else None,
            reduced_terms=float(nqt.reduced_terms or 0), left_date=nqt.left_date, plan=plan,
            timetable_reduction=plan.timetable_reduction(today) if _active(nqt) else 0,
            due_this_term=tuple(a.label for a in assessments.get(nqt.id, ())
                                if a.completed_date is None and a.due_date is not None
                                and term.start <= a.due_date <= term.end and a.state != AssessmentState.CLOSED),
            overdue_items=tuple(a.label for a in assessments.get(nqt.id, ()) if a.state == AssessmentState.OVERDUE),
        ))
    return rows


def _active(nqt: m.Nqt) -> bool:
    return NqtStatus.parse(nqt.status) in (NqtStatus.IN_PROGRESS, NqtStatus.EXTENDED)

