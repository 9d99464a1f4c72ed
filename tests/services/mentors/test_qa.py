"""Lead mentors' QA visits: the log, next-due dates, and the list of overdue visits."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from tsa_desktop.domain.enums import QaOutcome
from tsa_desktop.domain.errors import NotFoundError, ValidationError
from tsa_desktop.domain.mentors import QaState

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def team(small_demo):
    """A lead mentor with three mentors: one visited lately, one visited long ago, one never."""
    ws = small_demo
    school = ws.schools.list()[0]

    def make(email, **more):
        return ws.mentors.create({"email": email, "first_name": "QA", "last_name": email.split("@")[0].title(),
                                  "school_id": school.id, "phase": school.phase.code,
                                  "initial_training_date": "2025-01-01", **more})

    lead = make("lead@qa.sch.uk", is_lead_mentor=True)
    recent, old, never = (make(f"{n}@qa.sch.uk", lead_mentor_id=lead.id) for n in ("recent", "old", "never"))
    ws.qa.record({"lead_mentor_id": lead.id, "mentor_id": recent.id, "visit_date": "2026-10-01",
                  "outcome": "secure", "focus": "Feedback"}, TODAY)
    ws.qa.record({"lead_mentor_id": lead.id, "mentor_id": old.id, "visit_date": "2025-06-01",
                  "outcome": "developing"}, TODAY)
    return ws, lead, recent, old, never


def test_next_due_is_worked_out_from_the_interval_when_not_given(team):
    ws, lead, recent, *_ = team
    visit = ws.qa.visits(mentor_id=recent.id)[0]
    assert visit.next_due == dt.date(2026, 10, 1) + dt.timedelta(days=365)
    assert visit.lead_mentor_name == lead.name and visit.focus == "Feedback"
    concern = ws.qa.record({"lead_mentor_id": lead.id, "mentor_id": recent.id, "visit_date": "2026-11-20",
                            "outcome": "Cause for concern"}, TODAY)
    assert concern.next_due == dt.date(2026, 11, 20) + dt.timedelta(days=90)
    agreed = ws.qa.record({"lead_mentor_id": lead.id, "mentor_id": recent.id, "visit_date": "2026-11-21",
                           "outcome": "secure", "next_due": "01/02/2027"}, TODAY)
    assert agreed.next_due == dt.date(2027, 2, 1)


def test_overdue_lists_the_late_and_the_never_visited_only(team):
    ws, lead, recent, old, never = team
    overdue = {r.mentor_id: r for r in ws.qa.overdue(TODAY, lead_mentor_id=lead.id)}
    assert set(overdue) == {old.id, never.id}
    assert overdue[never.id].state is QaState.NEVER_VISITED and overdue[never.id].last_visit is None
    late = overdue[old.id]
    assert late.state is QaState.OVERDUE and late.next_due == dt.date(2026, 6, 1)
    assert late.days_overdue == (TODAY - dt.date(2026, 6, 1)).days
    assert late.last_outcome is QaOutcome.DEVELOPING and late.lead_mentor_name == lead.name
    statuses = {r.mentor_id: r.state for r in ws.qa.statuses(TODAY, lead.id)}
    assert statuses[recent.id] is QaState.UP_TO_DATE
    # A shorter interval applies to visits logged from now on; logged due dates stay as agreed.
    ws.alliance.save_settings({"qa_visit_interval_days": 60})
    assert {r.mentor_id: r.state for r in ws.qa.statuses(TODAY, lead.id)}[recent.id] is QaState.UP_TO_DATE
    # Most overdue first: never visited, then late.
    assert [r.mentor_id for r in ws.qa.statuses(TODAY, lead.id)] == [never.id, old.id, recent.id]
    fresh = ws.qa.record({"lead_mentor_id": lead.id, "mentor_id": never.id, "visit_date": "2026-11-01",
                          "outcome": "secure"}, TODAY)
    assert fresh.next_due == dt.date(2026, 12, 31)
    assert never.id not in {r.mentor_id for r in ws.qa.overdue(TODAY, lead.id)}


def test_inactive_mentors_are_not_listed_as_overdue(team):
    ws, lead, _recent, old, _never = team
    row = ws.mentors.get(old.id)
    ws.mentors.update(old.id, replace(row.data(), active=False), row.version)
    assert old.id not in {r.mentor_id for r in ws.qa.overdue(TODAY, lead.id)}


def test_visit_refused_from_a_mentor_who_is_not_a_lead(team):
    ws, _lead, recent, old, _never = team
    before = ws.qa.visits()
    with pytest.raises(ValidationError, match=f"Lead mentor: {recent.name} is not a lead mentor"):
        ws.qa.record({"lead_mentor_id": recent.id, "mentor_id": old.id, "visit_date": "2026-11-01",
                      "outcome": "secure"}, TODAY)
    with pytest.raises(ValidationError, match="Mentor visited: no such mentor"):
        ws.qa.record({"lead_mentor_id": _lead.id, "mentor_id": 99999, "visit_date": "2026-11-01",
                      "outcome": "secure"}, TODAY)
    assert ws.qa.visits() == before


def test_edit_and_delete_a_visit(team):
    ws, lead, recent, *_ = team
    visit = ws.qa.visits(mentor_id=recent.id)[0]
    edited = ws.qa.update(visit.id, replace(visit.data(), notes="Follow-up agreed"), visit.version)
    assert edited.notes == "Follow-up agreed" and edited.version == visit.version + 1
    gone = ws.qa.delete(visit.id)
    with pytest.raises(NotFoundError):
        ws.qa.get(visit.id)
    assert ws.qa.record(gone.data()).notes == "Follow-up agreed"  # what undo does


def test_lead_mentor_rows_count_overdue_mentees(team):
    ws, lead, *_ = team
    row = next(r for r in ws.mentors.lead_mentors(today=TODAY) if r.id == lead.id)
    assert (row.mentees, row.active_mentees, row.overdue) == (3, 3, 2)
    assert row.last_visit == dt.date(2026, 10, 1)
    pool = ws.mentors.list(today=TODAY)
    assert ws.mentors.lead_mentors(today=TODAY, rows=pool) == ws.mentors.lead_mentors(today=TODAY)


def test_demo_alliance_has_visits_in_every_state(alliance_demo):
    states = {r.state for r in alliance_demo.qa.statuses(TODAY)}
    assert {QaState.UP_TO_DATE, QaState.OVERDUE, QaState.NEVER_VISITED} <= states
    visits = alliance_demo.qa.visits()
    assert visits and all(v.next_due is not None and v.next_due > v.visit_date for v in visits)
