"""The schedule: each ECT's school terms with their reviews and assessments, and who is due what.

``Workspace.induction.schedule``. An ECT's schedule lists every school term of their induction
with the terms it counts, the timetable reduction and the review or assessment due at its end
(with what is recorded). The half-term view lists, over every cohort (an ECT in year two belongs
to last year's cohort), what falls due in the current half-term and what is overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tsa_desktop.domain.enums import InductionRegime
from tsa_desktop.domain.errors import NotFoundError
from tsa_desktop.domain.induction import AssessmentState
from tsa_desktop.domain.induction_schedule import ECT_TIMETABLE_REDUCTION, NQT_TIMETABLE_REDUCTION
from tsa_desktop.domain.school_terms import half_term_of
from tsa_desktop.services.base import Service
from tsa_desktop.services.induction.assessments import AssessmentRow, assessment_rows_for, load_briefs
from tsa_desktop.services.induction.nqts import NqtRow, load_nqt_rows


@dataclass(frozen=True)
class ScheduleLine:
    """One school term of an induction, with the review or assessment at its end.

    Attributes:
        number: The school term of induction, 1, 2, ...
        term: E.g. "Autumn 2026".
        start, end: The days served in it (the start or leaving day where they fall inside).
        share: The part of the term served (1.0 for a whole term).
        counted: Induction terms counted by its end.
        year: The year of induction (1 or 2).
        timetable_reduction: In percent.
        assessment: The review or assessment due at its end (or the interim one), if any.
    """

    number: int
    term: str
    start: dt.date
    end: dt.date
    share: float
    counted: float
    year: int
    timetable_reduction: int
    assessment: AssessmentRow | None


@dataclass(frozen=True)
class EctSchedule:
    """One ECT's (or NQT's) induction term by term."""

    person: NqtRow
    lines: tuple[ScheduleLine, ...]
    assessments: tuple[AssessmentRow, ...]

    @property
    def due_this_term(self) -> tuple[str, ...]:
        return self.person.due_this_term

    @property
    def overdue(self) -> tuple[AssessmentRow, ...]:
        return tuple(a for a in self.assessments if a.state == AssessmentState.OVERDUE)


@dataclass(frozen=True)
class DueItem:
    """A review or assessment someone is due (or overdue) for, with who does it."""

    nqt_id: int
    name: str
    sort_name: str
    kind_label: str
    school: str
    what: str
    due_date: dt.date | None
    state: str
    tutor: str
    mentor: str


@dataclass(frozen=True)
class HalfTermDue:
    """Who is due what in a half-term, and what is overdue from before it."""

    half_term: str
    start: dt.date
    end: dt.date
    due: tuple[DueItem, ...]
    overdue: tuple[DueItem, ...]

    def sentence(self) -> str:
        """E.g. "Autumn 2026, second half: 12 reviews or assessments due; 2 overdue."."""
        n, late = len(self.due), len(self.overdue)
        text = (f"{self.half_term} ({self.start:%d/%m/%Y} to {self.end:%d/%m/%Y}): "
                f"{n} review{'s' if n != 1 else ''} or assessment{'s' if n != 1 else ''} due")
        return text + (f"; {late} overdue." if late else ".")


class ScheduleService(Service):
    """Use cases for the schedule of reviews and assessments."""

    def of(self, nqt_id: int, today: dt.date | None = None) -> EctSchedule:
        """One person's schedule, term by term.

        Raises:
            NotFoundError: they were deleted meanwhile.
        """
        today = today or dt.date.today()
        with self._read() as s:
            rows = load_nqt_rows(s, today, nqt_id=nqt_id)
            if not rows:
                raise NotFoundError("That early career teacher no longer exists; somebody may have deleted them.")
            assessments = assessment_rows_for(s, load_briefs(s, nqt_id=nqt_id), today)[nqt_id]
        person = rows[0]
        plan = person.plan
        by_term = {a.term: a for a in assessments}
        interim = next((a for a in assessments if a.kind.code == "interim_assessment"), None)
        lines = []
        for t in plan.terms if plan is not None else ():
            checkpoint = next((c for c in plan.checkpoints if c.school_term == t.school_term and c.term), None)
            row = by_term.get(checkpoint.term) if checkpoint is not None else None
            if row is None and interim is not None and t is plan.terms[-1]:
                row = interim
            reduction = (NQT_TIMETABLE_REDUCTION if plan.regime is InductionRegime.NQT
                         else ECT_TIMETABLE_REDUCTION[t.year])
            first_day = max(t.school_term.start, plan.start_date) if t.number == 1 else t.school_term.start
            lines.append(ScheduleLine(t.number, t.school_term.name, first_day, t.last_day, t.share, t.counted,
                                      t.year, reduction, row))
        return EctSchedule(person, tuple(lines), tuple(assessments))

    def due_this_half_term(self, today: dt.date | None = None, cohort_id: int | None = None) -> HalfTermDue:
        """What falls due in today's half-term over every cohort (or one), and what is overdue.

        Args:
            today: The day whose half-term is shown; defaults to today.
            cohort_id: One cohort only; every cohort when None.
        """
        today = today or dt.date.today()
        half = half_term_of(today)
        with self._read() as s:
            people = {r.id: r for r in load_nqt_rows(s, today, cohort_id=cohort_id)}
            assessments = assessment_rows_for(s, load_briefs(s, cohort_id), today)
        due, overdue = [], []
        for nqt_id, rows in assessments.items():
            person = people.get(nqt_id)
            if person is None:
                continue
            for a in rows:
                if a.completed_date is not None or a.state == AssessmentState.CLOSED or a.due_date is None:
                    continue
                item = DueItem(nqt_id, person.name, person.sort_name, person.kind_label, person.school_name,
                               a.label, a.due_date, a.state, person.tutor, person.mentor)
                if half.start <= a.due_date <= half.end:
                    due.append(item)
                elif a.state == AssessmentState.OVERDUE:
                    overdue.append(item)
        order = (lambda i: (i.due_date, i.sort_name))
        return HalfTermDue(half.name, half.start, half.end, tuple(sorted(due, key=order)),
                           tuple(sorted(overdue, key=order)))
