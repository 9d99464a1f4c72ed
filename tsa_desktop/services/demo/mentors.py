"""The demo alliance's quality-assurance visits: lead mentors' visits to the mentors they assure.

Most mentors had a visit in the year before the demo year starts; some are overdue and some
have never been visited, so the Mentors page has something to show in every state.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import insert

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import QaOutcome
from tsa_desktop.domain.mentors import default_next_due
from tsa_desktop.domain.settings import SETTINGS_BY_KEY
from tsa_desktop.domain.values import academic_year_start

FOCUSES = (
    "Weekly mentor meeting and target setting",
    "Joint lesson observation and feedback",
    "Use of the ITT core content framework",
    "Progress review paperwork",
    "Supporting a trainee causing concern",
    "Planning with a trainee: adaptive teaching",
)

NOTES = {
    QaOutcome.SECURE: ("Clear, specific targets linked to the standards.",
                       "Feedback well paced; trainee leads the reflection."),
    QaOutcome.DEVELOPING: ("Targets too broad; agreed to make them weekly and specific.",
                           "Meeting time often lost to cover; protected slot agreed with the head."),
    QaOutcome.CONCERN: ("Weekly meetings not taking place; follow-up visit booked.",),
}


def add_qa_visits(s, mentors: list[dict], rng: random.Random, year: str) -> int:
    """Insert QA visits for the demo mentors.

    Args:
        s: The demo's session.
        mentors: The mentor rows as inserted (dicts with id, lead_mentor_id, active).
        rng: The demo's random generator; call this last so earlier data does not change.
        year: The demo's academic year.

    Returns:
        How many visits were added.
    """
    start = dt.date(academic_year_start(year), 9, 1)
    interval = int(SETTINGS_BY_KEY["qa_visit_interval_days"].default)  # type: ignore[arg-type]
    rows = []
    for mentor in mentors:
        lead = mentor["lead_mentor_id"]
        if lead is None:
            continue
        roll = rng.random()
        if roll < 0.12:
            continue  # never visited
        # Overdue ones were last seen more than a year before today; the rest within the year.
        days_before = rng.randint(380, 520) if roll < 0.22 else rng.randint(5, 250)
        visit = start - dt.timedelta(days=days_before)
        pick = rng.random()
        outcome = (QaOutcome.SECURE if pick < 0.7 else QaOutcome.DEVELOPING if pick < 0.93
                   else QaOutcome.CONCERN)
        rows.append(dict(
            lead_mentor_id=lead, mentor_id=mentor["id"], visit_date=visit,
            focus=rng.choice(FOCUSES), outcome=outcome.code, notes=rng.choice(NOTES[outcome]),
            next_due=default_next_due(visit, outcome, interval), version=1,
        ))
        if rng.random() < 0.25:
            # An earlier visit, so that the log shows a history.
            earlier = visit - dt.timedelta(days=rng.randint(300, 400))
            rows.append(dict(
                lead_mentor_id=lead, mentor_id=mentor["id"], visit_date=earlier,
                focus=rng.choice(FOCUSES), outcome=QaOutcome.SECURE.code,
                notes=rng.choice(NOTES[QaOutcome.SECURE]),
                next_due=default_next_due(earlier, QaOutcome.SECURE, interval), version=1,
            ))
    if rows:
        s.execute(insert(m.QaVisit), rows)
    return len(rows)
