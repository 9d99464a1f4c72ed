"""Termly assessments: scheduled from the start date, recorded, overdue, and the final decides."""

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


def test_every_nqt_has_three_assessments_scheduled_without_stored_rows(small_demo):
    rows = small_demo.induction.assessments.list(today=D(2026, 11, 23))
    assert len(rows) == 3 * 6 and _stored(small_demo) == 0
    full_time = next(r for r in small_demo.induction.nqts() if r.fte == 1.0)
    own = [r for r in rows if r.nqt_id == full_time.id]
    assert [(r.term, r.kind.code, r.due_date) for r in own] == [
        (1, "progress_review", D(2026, 12, 18)), (2, "progress_review", D(2027, 3, 25)),
        (3, "final_assessment", D(2027, 7, 21))]


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
    assert row.overdue == 0 and row.next_assessment == "Progress review (term 2)"


def test_an_nqt_who_left_is_not_overdue(small_demo):
    ws = small_demo
    nqt = next(r for r in ws.induction.nqts() if r.fte == 1.0)
    ws.induction.update(nqt.id, {**_raw(nqt), "status": "left"})
    states = {a.state for a in ws.induction.assessments.list(today=D(2027, 8, 1)) if a.nqt_id == nqt.id}
    assert states == {AssessmentState.CLOSED}


def _raw(row):
    data = row.data()
    return {**data.__dict__, "status": data.status.code}


def test_a_part_time_nqt_is_due_later(small_demo):
    ws = small_demo
    nqt = _first(ws)
    ws.induction.update(nqt.id, {**_raw(nqt), "fte": "0.5", "start_date": "01/09/2026"})
    late = {a.nqt_id for a in ws.induction.assessments.overdue(today=D(2027, 1, 5))}
    assert nqt.id not in late  # the first review of a half-time NQT is after two terms
    assert ws.induction.assessments.get(nqt.id, 1).due_date == D(2027, 3, 25)
    assert ws.induction.assessments.get(nqt.id, 3).due_date == D(2028, 7, 21)  # the sixth term


def test_record_validates_and_changes_nothing_when_wrong(small_demo):
    nqt = _first(small_demo)
    with pytest.raises(ValidationError) as info:
        small_demo.induction.assessments.record(nqt.id, 1, {"outcome": "pass"}, today=D(2027, 1, 5))
    assert {p.field for p in info.value.problems} == {"outcome", "completed_date"}
    assert _stored(small_demo) == 0
    with pytest.raises(ValidationError, match="Term: must be 1, 2 or 3"):
        small_demo.induction.assessments.record(nqt.id, 4, {}, today=D(2027, 1, 5))


def test_the_final_assessment_decides_the_status_and_clearing_undoes_it(small_demo):
    ws = small_demo
    nqt = _first(ws)
    row = ws.induction.assessments.record(nqt.id, 3, {"completed_date": "19/07/2027", "outcome": "Pass"},
                                          today=D(2027, 8, 1))
    assert row.outcome is AssessmentOutcome.PASS and row.state == AssessmentState.DONE
    assert ws.induction.get(nqt.id).status is NqtStatus.PASSED
    ws.induction.assessments.record(nqt.id, 3, None)
    assert ws.induction.get(nqt.id).status is NqtStatus.IN_PROGRESS
    assert ws.induction.assessments.get(nqt.id, 3).id is None and _stored(ws) == 0


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
