"""The induction programme: sessions, attendance marks and each NQT's attendance rate."""

import datetime as dt

import pytest

from tsa_desktop.domain.enums import AttendanceStatus
from tsa_desktop.domain.errors import ValidationError

from tests.services.induction.support import clear_induction_records

D = dt.date
TODAY = D(2026, 11, 23)


@pytest.fixture(autouse=True)
def _bare_cohort(request):
    """Start from the demo cohort without its dated records (see induction_support)."""
    for name in ("small_demo", "alliance_demo"):
        if name in request.fixturenames:
            clear_induction_records(request.getfixturevalue(name))


def _cohort_id(ws):
    return ws.induction.cohorts()[0].id


def _session(ws, day="07/10/2026", topic="Behaviour for learning"):
    return ws.induction.programme.create_session({"cohort_id": _cohort_id(ws), "session_date": day,
                                                  "topic": topic, "venue": "Lead school hall",
                                                  "leader": "ITT lead"})


def test_sessions_are_listed_by_date_with_attendance_counts(small_demo):
    ws = small_demo
    late, early = _session(ws, "04/11/2026", "Assessment"), _session(ws, "07/10/2026")
    nqts = ws.induction.nqts()
    ws.induction.programme.set_attendance(early.id, {nqts[0].id: "present", nqts[1].id: "absent"}, TODAY)
    rows = ws.induction.programme.sessions(_cohort_id(ws))
    assert [r.id for r in rows] == [early.id, late.id]
    assert (rows[0].present, rows[0].recorded, rows[0].attendance_text) == (1, 2, "1 of 2")
    assert rows[1].attendance_text == ""


def test_attendance_rate_per_nqt(small_demo):
    ws = small_demo
    a, b, c = _session(ws, "07/10/2026"), _session(ws, "04/11/2026"), _session(ws, "18/11/2026")
    nqt, other = ws.induction.nqts()[:2]
    ws.induction.programme.set_attendance(a.id, {nqt.id: "present", other.id: "apologies"}, TODAY)
    ws.induction.programme.set_attendance(b.id, {nqt.id: AttendanceStatus.PRESENT}, TODAY)
    ws.induction.programme.set_attendance(c.id, {nqt.id: "absent"}, TODAY)
    rates = ws.induction.programme.rates(_cohort_id(ws))
    assert rates[nqt.id].percent == 67 and rates[nqt.id].recorded == 3
    assert rates[other.id].percent == 0 and rates[other.id].apologies == 1
    assert ws.induction.get(nqt.id).attendance.text() == "67% (2 of 3)"
    untouched = ws.induction.nqts()[2]
    assert untouched.id not in rates and ws.induction.get(untouched.id).attendance.rate is None


def test_changing_and_clearing_marks_returns_the_previous_ones(small_demo):
    ws = small_demo
    session = _session(ws)
    nqt = ws.induction.nqts()[0]
    assert ws.induction.programme.set_attendance(session.id, {nqt.id: "present"}, TODAY) == {nqt.id: None}
    before = ws.induction.programme.set_attendance(session.id, {nqt.id: "absent"}, TODAY)
    assert before == {nqt.id: AttendanceStatus.PRESENT}
    ws.induction.programme.set_attendance(session.id, {nqt.id: None}, TODAY)
    marks = {r.nqt_id: r.status for r in ws.induction.programme.attendance(session.id)}
    assert marks[nqt.id] is None and len(marks) == 6


def test_attendance_refused_for_a_future_session_or_a_stranger_and_nothing_changes(small_demo):
    ws = small_demo
    future = _session(ws, "10/03/2027")
    nqt = ws.induction.nqts()[0]
    with pytest.raises(ValidationError, match="has not happened yet"):
        ws.induction.programme.set_attendance(future.id, {nqt.id: "present"}, TODAY)
    past = _session(ws)
    with pytest.raises(ValidationError) as info:
        ws.induction.programme.set_attendance(past.id, {nqt.id: "present", 9999: "present"}, TODAY)
    assert "nqt: is not in this session's cohort" in str(info.value)
    with pytest.raises(ValidationError, match="unknown attendance status"):
        ws.induction.programme.set_attendance(past.id, {nqt.id: "late"}, TODAY)
    assert all(r.status is None for r in ws.induction.programme.attendance(past.id))


def test_session_validation_and_edit(small_demo):
    ws = small_demo
    with pytest.raises(ValidationError) as info:
        ws.induction.programme.create_session({"cohort_id": _cohort_id(ws), "session_date": "01/10/2030", "topic": ""})
    assert {p.field for p in info.value.problems} == {"session_date", "topic"}
    row = _session(ws)
    changed = ws.induction.programme.update_session(row.id, {**row.data().__dict__, "topic": "Workload"}, row.version)
    assert changed.topic == "Workload" and changed.venue == "Lead school hall"


def test_delete_and_restore_a_session_with_its_attendance(small_demo):
    ws = small_demo
    session = _session(ws)
    nqt = ws.induction.nqts()[0]
    ws.induction.programme.set_attendance(session.id, {nqt.id: "present"}, TODAY)
    snapshot = ws.induction.programme.delete_session(session.id)
    assert ws.induction.programme.sessions(_cohort_id(ws)) == []
    assert ws.induction.get(nqt.id).attendance.recorded == 0
    back = ws.induction.programme.restore_session(snapshot)
    assert back.present == 1 and ws.induction.get(nqt.id).attendance.present == 1
