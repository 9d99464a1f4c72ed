"""The demo cohort's induction year so far: a programme of sessions, attendance and assessments.

Everything up to ``today`` looks lived in: sessions held have attendance (a few ECTs attend
less than the rest), reviews and assessments whose due date has passed are mostly recorded
and a few are left overdue, and terms counted follow the terms finished, under each record's
regime (an ECT's review every school term, the formal assessments at the end of year one and
of induction). Sessions still to come are listed
without attendance. The random choices are seeded from the cohort itself, so that this draws
nothing from the demo's own random stream and the rest of the demo stays as it was.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import (
    AssessmentKind,
    AssessmentOutcome,
    AttendanceStatus,
    InductionRegime,
    NqtStatus,
)
from tsa_desktop.domain.induction_schedule import plan_induction
from tsa_desktop.domain.values import academic_year_start

#: (month, topic, who leads it): one twilight session a month, September to July.
PROGRAMME = (
    (9, "Welcome: the induction year and your entitlement", "Alliance ITT lead"),
    (10, "Behaviour for learning", "Lead mentor, secondary"),
    (11, "Assessment, feedback and marking", "Lead mentor, primary"),
    (12, "SEND and inclusion in every classroom", "Alliance SENCo"),
    (1, "Safeguarding in practice", "Designated safeguarding lead"),
    (2, "Working with parents and carers", "Lead mentor, primary"),
    (3, "Subject knowledge and the curriculum", "Lead mentor, secondary"),
    (4, "Workload and wellbeing", "Alliance ITT lead"),
    (5, "Using data to plan for progress", "Lead mentor, secondary"),
    (6, "Preparing for the final assessment", "Appropriate body adviser"),
    (7, "Celebration and next steps", "Alliance ITT lead"),
)


def _second_wednesday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(2 - first.weekday()) % 7 + 7)


def add_induction_demo(s: Session, year: str, today: dt.date | None = None) -> int:
    """Add the programme, attendance and assessments for the cohort of ``year``.

    Args:
        s: The demo's session (its ECTs are inserted already).
        year: The academic year of the cohort.
        today: How far into the year the records go; defaults to today.

    Returns:
        The number of sessions added.
    """
    today = today or dt.date.today()
    cohort = s.scalar(select(m.InductionCohort).join(
        m.AcademicYear, m.AcademicYear.id == m.InductionCohort.academic_year_id).where(m.AcademicYear.name == year))
    if cohort is None:
        return 0
    nqts = list(s.scalars(select(m.Nqt).where(m.Nqt.cohort_id == cohort.id).order_by(m.Nqt.id)))
    rng = random.Random("induction " + year + " " + ",".join(n.email for n in nqts))
    venues = list(s.scalars(select(m.School.name).order_by(m.School.is_lead_school.desc(), m.School.id).limit(3)))
    start = academic_year_start(year)

    sessions = []
    for i, (month, topic, leader) in enumerate(PROGRAMME):
        day = _second_wednesday(start if month >= 9 else start + 1, month)
        sessions.append(dict(cohort_id=cohort.id, session_date=day, topic=topic,
                             venue=venues[i % len(venues)] if venues else "", leader=leader, version=1))
    ids = [s.execute(insert(m.InductionSession).values(**row)).inserted_primary_key[0] for row in sessions]

    # Most ECTs come to nearly everything; a few, often those part time, miss more.
    reliability = {n.id: rng.uniform(0.55, 0.8) if rng.random() < 0.12 else rng.uniform(0.85, 1.0) for n in nqts}
    marks = []
    for session_id, row in zip(ids, sessions):
        for nqt in nqts:
            roll = rng.random()
            if row["session_date"] > today or (nqt.start_date and nqt.start_date > row["session_date"]):
                continue
            if roll < reliability[nqt.id]:
                status = AttendanceStatus.PRESENT
            else:
                status = AttendanceStatus.APOLOGIES if rng.random() < 0.6 else AttendanceStatus.ABSENT
            marks.append(dict(session_id=session_id, nqt_id=nqt.id, status=status.code))
    if marks:
        s.execute(insert(m.SessionAttendance), marks)

    assessments = []
    for nqt in nqts:
        if nqt.start_date is None:
            continue
        plan = plan_induction(nqt.start_date, float(nqt.fte), InductionRegime.parse(nqt.induction_regime or "ect"),
                              float(nqt.reduced_terms or 0), float(nqt.extension_terms or 0), nqt.left_date)
        nqt.terms_counted = plan.counted_by(today)
        for planned in plan.checkpoints:
            roll = rng.random()
            if planned.due_date >= today or roll < 0.08:
                continue  # not due yet, or (one in twelve) not returned: overdue
            final = planned.kind is AssessmentKind.FINAL_ASSESSMENT
            if final:
                outcome = AssessmentOutcome.PASS
                nqt.status = NqtStatus.PASSED.code
            else:
                outcome = AssessmentOutcome.NOT_ON_TRACK if rng.random() < 0.08 else AssessmentOutcome.ON_TRACK
            assessments.append(dict(
                nqt_id=nqt.id, term=planned.term, kind=planned.kind.code, due_date=planned.due_date,
                completed_date=planned.due_date - dt.timedelta(days=rng.randint(0, 9)),
                outcome=outcome.code, notes="", version=1))
    if assessments:
        s.execute(insert(m.NqtAssessment), assessments)
    s.flush()
    return len(sessions)
