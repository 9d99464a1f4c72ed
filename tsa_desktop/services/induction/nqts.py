"""NQT rows as the pages see them, read with their school, tutor, assessments and attendance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import AttendanceStatus, NqtStatus
from tsa_desktop.domain.induction import (
    AssessmentData,
    AssessmentState,
    AttendanceRate,
    terms_remaining,
    terms_required,
)
from tsa_desktop.domain.induction_records import NqtData
from tsa_desktop.services.induction.assessments import NqtBrief, assessment_rows_for
from tsa_desktop.services.induction.programme import attendance_rates


@dataclass(frozen=True)
class NqtRow:
    """An NQT with what the induction page shows about them.

    ``tutor`` and ``tutor_email`` are the induction tutor as shown: the mentor's name when one of
    the pool is chosen, else the tutor named on the record.
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
        return terms_required(self.extension_terms)

    @property
    def terms_remaining(self) -> float:
        return terms_remaining(self.terms_counted, self.extension_terms)

    @property
    def terms_text(self) -> str:
        """E.g. "1.5 of 3", "2 of 4.5" with an extension."""
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
        )


@dataclass(frozen=True)
class NqtSnapshot:
    """A deleted NQT with their stored assessments and attendance marks, for undo."""

    data: NqtData
    assessments: tuple[tuple[int, AssessmentData], ...] = ()
    attendance: tuple[tuple[int, AttendanceStatus], ...] = ()


def nqt_name(nqt: m.Nqt) -> str:
    """An NQT's name and email, for messages."""
    return f"{nqt.first_names} {nqt.last_name} ({nqt.email})"


def load_nqt_rows(s: Session, today: dt.date, cohort_id: int | None = None,
                  nqt_id: int | None = None) -> list[NqtRow]:
    """Read NQTs (of a cohort, or one) with school, tutor, assessments and attendance, by name."""
    stmt = (select(m.Nqt, m.School, m.AcademicYear.name, m.Mentor)
            .join(m.School, m.School.id == m.Nqt.employing_school_id)
            .join(m.InductionCohort, m.InductionCohort.id == m.Nqt.cohort_id)
            .join(m.AcademicYear, m.AcademicYear.id == m.InductionCohort.academic_year_id)
            .outerjoin(m.Mentor, m.Mentor.id == m.Nqt.induction_tutor_id)
            .order_by(m.Nqt.last_name, m.Nqt.first_names, m.Nqt.id))
    if cohort_id is not None:
        stmt = stmt.where(m.Nqt.cohort_id == cohort_id)
    if nqt_id is not None:
        stmt = stmt.where(m.Nqt.id == nqt_id)
    found = s.execute(stmt).all()
    briefs = [NqtBrief.of(nqt, school.name) for nqt, school, _year, _mentor in found]
    assessments = assessment_rows_for(s, briefs, today)
    rates = attendance_rates(s, [b.id for b in briefs])
    rows = []
    for nqt, school, year, mentor in found:
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
        ))
    return rows
