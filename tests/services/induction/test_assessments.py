"""Reviews and assessments: scheduled by regime from the start date, recorded, overdue, the final decides."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import AssessmentOutcome, NqtStatus
from tsa_desktop.domain.errors import StaleRecordError, ValidationError
from tsa_desktop.domain.induction import AssessmentState

from tests.services.induction.support import clear_induction_records

D = dt.date


@pytest.fixture(autouse=True)
def _bare_cohort(request):
    """Start from the demo cohort without its dated records (see induction_support)."""
    for name in ("small_demo", "alliance_demo"):
        if name in request.fixturenames:
            clear_induction_records(request.getfixturevalue(name))


def _first(ws):
    return ws.induction.nqts()[0]


def _stored(ws):
    with ws.db.reading() as s:
        return s.scalar(select(func.count()).select_from(m.NqtAssessment))


def test_every_ect_has_a_review_each_school_term_without_stored_rows(small_demo):
    rows = small_demo.induction.assessments.list(today=D(2026, 11, 23))
    people = small_demo.induction.nqts()
    assert len(rows) == sum(p.plan.school_terms for p in people) and _stored(small_demo) == 0
    full_time = next(r for r in people if r.fte == 1.0)
    own = [r for r in rows if r.nqt_id == full_time.id]
    assert [(r.term, r.kind.code, r.due_date) for r in own] == [
        (1, "progress_review", D(2026, 12, 18)), (2, "progress_review", D(2027, 3, 25)),
        (3, "midpoint_assessment", D(2027, 7, 21)), (4, "progress_review", D(2027, 12, 17)),
        (5, "progress_review", D(2028, 4, 13)), (6, "final_assessment", D(2028, 7, 21))]
    assert own[0].label == "Progress review (Autumn 2026)"


def test_an_nqt_under_the_old_regime_keeps_three_assessments(small_demo):
    ws = small_demo
    nqt = _first(ws)
    ws.induction.update(nqt.id, {**_raw(nqt), "academic_year": "2020/21", "start_date": "01/09/2020",
                                 "fte": "1"})
    row = ws.induction.get(nqt.id, today=D(2020, 11, 1))
    assert row.kind_label == "NQT" and row.terms_text == "0 of 3"
    own = [a for a in ws.induction.assessments.list(today=D(2020, 11, 1)) if a.nqt_id == nqt.id]
    assert [(a.term, a.kind.code, a.label) for a in own] == [
        (1, "progress_review", "Progress review (term 1)"), (2, "progress_review", "Progress review (term 2)"),
        (3, "final_assessment", "Final assessment (term 3)")]


def test_a_leaver_has_an_interim_assessment_on_their_last_day(small_demo):
    ws = small_demo
    nqt = next(r for r in ws.induction.nqts() if r.fte == 1.0)
    ws.induction.update(nqt.id, {**_raw(nqt), "status": "left", "left_date": "12/02/2027"})
    own = [a for a in ws.induction.assessments.list(today=D(2027, 3, 1)) if a.nqt_id == nqt.id]
    assert [(a.term, a.kind.code, a.due_date, a.state) for a in own] == [
        (1, "progress_review", D(2026, 12, 18), AssessmentState.CLOSED),
        (0, "interim_assessment", D(2027, 2, 12), AssessmentState.OVERDUE)]
    ws.induction.assessments.record(nqt.id, 0, {"completed_date": "12/02/2027", "outcome": "on track"},
                                    today=D(2027, 3, 1))
    assert ws.induction.assessments.get(nqt.id, 0, today=D(2027, 3, 1)).state == AssessmentState.DONE


def test_who_is_overdue(small_demo):
    ws = small_demo
    assert ws.induction.assessments.overdue(today=D(2026, 12, 18)) == []
    late = ws.induction.assessments.overdue(today=D(2027, 1, 5))
    full_time = {r.id for r in ws.induction.nqts() if r.fte == 1.0}
    assert {a.nqt_id for a in late} == full_time and all(a.term == 1 for a in late)
    done = late[0]
    ws.induction.assessments.record(done.nqt_id, 1, {"completed_date": "16/12/2026", "outcome": "on track"},
                                    today=D(2027, 1, 5))
    still_late = ws.induction.assessments.overdue(today=D(2027, 1, 5))
    assert done.nqt_id not in {a.nqt_id for a in still_late} and len(still_late) == len(late) - 1
    row = ws.induction.get(done.nqt_id, today=D(2027, 1, 5))
    assert row.overdue == 0 and row.next_assessment == "Progress review (Spring 2027)"


def test_an_nqt_who_left_is_not_overdue(small_demo):
    ws = small_demo
    nqt = next(r for r in ws.induction.nqts() if r.fte == 1.0)
    ws.induction.update(nqt.id, {**_raw(nqt), "status": "left"})
    states = {a.state for a in ws.induction.assessments.list(today=D(2027, 8, 1)) if a.nqt_id == nqt.id}
    assert states == {AssessmentState.CLOSED}


def _raw(row):
    data = row.data()
    return {**data.__dict__, "status": data.status.code}


def test_a_part_time_ect_has_a_review_each_term_and_its_formal_assessments_later(small_demo):
    ws = small_demo
    nqt = _first(ws)
    ws.induction.update(nqt.id, {**_raw(nqt), "fte": "0.5", "start_date": "01/09/2026"})
    late = {a.nqt_id for a in ws.induction.assessments.overdue(today=D(2027, 1, 5))}
    assert nqt.id in late  # a review at the end of every school term, part time or not
    assert ws.induction.assessments.get(nqt.id, 1).due_date == D(2026, 12, 18)
    assert ws.induction.assessments.get(nqt.id, 6).kind.code == "midpoint_assessment"
    assert ws.induction.assessments.get(nqt.id, 12).due_date == D(2030, 7, 19)  # the twelfth term
    assert ws.induction.get(nqt.id).expected_end_date == D(2030, 7, 19)


def test_record_validates_and_changes_nothing_when_wrong(small_demo):
    nqt = _first(small_demo)
    with pytest.raises(ValidationError) as info:
        small_demo.induction.assessments.record(nqt.id, 1, {"outcome": "pass"}, today=D(2027, 1, 5))
    assert {p.field for p in info.value.problems} == {"outcome", "completed_date"}
    assert _stored(small_demo) == 0
    with pytest.raises(ValidationError, match="Term: no review or assessment is scheduled for term 40"):
        small_demo.induction.assessments.record(nqt.id, 40, {}, today=D(2027, 1, 5))


def test_the_final_assessment_decides_the_status_and_clearing_undoes_it(small_demo):
    ws = small_demo
    nqt = _first(ws)
    final = ws.induction.get(nqt.id).plan.checkpoints[-1].term
    with pytest.raises(ValidationError, match="on track or not on track"):
        ws.induction.assessments.record(nqt.id, 3, {"completed_date": "19/07/2027", "outcome": "Pass"},
                                        today=D(2027, 8, 1))
    row = ws.induction.assessments.record(nqt.id, final, {"completed_date": "19/07/2028", "outcome": "Pass"},
                                          today=D(2028, 8, 1))
    assert row.outcome is AssessmentOutcome.PASS and row.state == AssessmentState.DONE
    assert ws.induction.get(nqt.id).status is NqtStatus.PASSED
    ws.induction.assessments.record(nqt.id, final, None)
    assert ws.induction.get(nqt.id).status is NqtStatus.IN_PROGRESS
    assert ws.induction.assessments.get(nqt.id, final).id is None and _stored(ws) == 0


def test_a_due_date_can_be_set_by_hand_and_follows_a_new_start_date_until_done(small_demo):
    ws = small_demo
    nqt = _first(ws)
    ws.induction.assessments.record(nqt.id, 2, {"due_date": "19/03/2027"}, today=D(2026, 11, 23))
    assert ws.induction.assessments.get(nqt.id, 2).due_date == D(2027, 3, 19)
    ws.induction.update(nqt.id, {**_raw(nqt), "start_date": "04/01/2027"})
    assert ws.induction.assessments.get(nqt.id, 2).due_date == D(2027, 7, 21)


def test_stale_assessment_edit_refused(small_demo):
    ws = small_demo
    nqt = _first(ws)
    first = ws.induction.assessments.record(nqt.id, 1, {"due_date": "11/12/2026"}, today=D(2026, 11, 23))
    ws.induction.assessments.record(nqt.id, 1, {"due_date": "12/12/2026"}, first.version, today=D(2026, 11, 23))
    with pytest.raises(StaleRecordError):
        ws.induction.assessments.record(nqt.id, 1, {"due_date": "13/12/2026"}, first.version, today=D(2026, 11, 23))
    assert ws.induction.assessments.get(nqt.id, 1).due_date == D(2026, 12, 12)
