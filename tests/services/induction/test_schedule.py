"""The schedule of one ECT by school term, and the cohort's half-term view of who is due what."""

import datetime as dt

import pytest

from tsa_desktop.domain.induction import AssessmentState

from tests.services.induction.support import clear_induction_records

D = dt.date


@pytest.fixture(autouse=True)
def _bare_cohort(small_demo):
    clear_induction_records(small_demo)


def _raw(row, **changes):
    data = row.data()
    return {**data.__dict__, "status": data.status.code, **changes}


def test_an_ects_schedule_term_by_term(small_demo):
    ws = small_demo
    ect = next(r for r in ws.induction.nqts() if r.fte == 1.0)
    ws.induction.update(ect.id, _raw(ect, start_date="01/09/2026"))
    schedule = ws.induction.schedule.of(ect.id, today=D(2027, 1, 10))
    assert [(line.term, line.counted, line.timetable_reduction) for line in schedule.lines] == [
        ("Autumn 2026", 1, 10), ("Spring 2027", 2, 10), ("Summer 2027", 3, 10),
        ("Autumn 2027", 4, 5), ("Spring 2028", 5, 5), ("Summer 2028", 6, 5)]
    assert [line.assessment.kind.code for line in schedule.lines] == [
        "progress_review", "progress_review", "midpoint_assessment",
        "progress_review", "progress_review", "final_assessment"]
    assert [a.label for a in schedule.overdue] == ["Progress review (Autumn 2026)"]
    assert schedule.due_this_term == ("Progress review (Spring 2027)",)
    assert schedule.person.timetable_reduction == 10


def test_a_leaver_mid_term_ends_with_the_interim_assessment(small_demo):
    ws = small_demo
    ect = next(r for r in ws.induction.nqts() if r.fte == 1.0)
    ws.induction.update(ect.id, _raw(ect, start_date="01/09/2026", status="left", left_date="12/02/2027"))
    schedule = ws.induction.schedule.of(ect.id, today=D(2027, 2, 1))
    assert [(line.term, line.end, line.share) for line in schedule.lines] == [
        ("Autumn 2026", D(2026, 12, 18), 1.0), ("Spring 2027", D(2027, 2, 12), 0.5)]
    assert schedule.lines[-1].assessment.kind.code == "interim_assessment"
    assert schedule.person.expected_end_date is None


def test_who_is_due_what_this_half_term(small_demo):
    ws = small_demo
    people = ws.induction.nqts()
    view = ws.induction.schedule.due_this_half_term(today=D(2026, 11, 23))
    assert view.half_term == "Autumn 2026, second half"
    assert (view.start, view.end) == (D(2026, 11, 1), D(2026, 12, 18))
    assert {i.nqt_id for i in view.due} == {p.id for p in people if p.start_date <= D(2026, 12, 1)}
    assert {(i.what, i.due_date, i.state) for i in view.due} == {
        ("Progress review (Autumn 2026)", D(2026, 12, 18), AssessmentState.UPCOMING)}
    assert view.overdue == () and "due" in view.sentence()
    first_half = ws.induction.schedule.due_this_half_term(today=D(2027, 1, 10))
    assert first_half.due == () and len(first_half.overdue) == len(view.due)
    assert first_half.sentence().endswith(f"; {len(view.due)} overdue.")
