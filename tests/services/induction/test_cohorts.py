"""Induction cohorts and NQT records through the service, and a trainee becoming an NQT."""

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import NqtStatus
from tsa_desktop.domain.errors import ConflictError, NotFoundError, StaleRecordError, ValidationError

from tests.services.induction.support import clear_induction_records

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _bare_cohort(request):
    """Start from the demo cohort without its dated records (see induction_support)."""
    for name in ("small_demo", "alliance_demo"):
        if name in request.fixturenames:
            clear_induction_records(request.getfixturevalue(name))


def _cohort(ws):
    return next(c for c in ws.induction.cohorts() if c.year == "2026/27")


def _new(ws, **changes):
    school = ws.schools.list()[0]
    raw = {"email": "new.nqt@nqt.example", "first_names": "Nia", "last_name": "Example", "trn": "0123456",
           "academic_year": "2026/27", "employing_school_id": school.id, "start_date": "01/09/2026",
           "fte": "1", "appropriate_body": "Surrey Appropriate Body"}
    raw.update(changes)
    return raw


def _qualify(ws, trainee_id, employing_school_id=None):
    """Give a trainee QTS (as the trainees page would) without going through its service."""
    with ws.db.transaction() as s:
        trainee = s.get(m.Trainee, trainee_id)
        trainee.status = "qts_awarded"
        if employing_school_id is not None:
            trainee.employing_school_id = employing_school_id


def _trainee(ws, salaried=True):
    """An enrolled trainee's details (a plain copy: the reading session's objects expire)."""
    with ws.db.reading() as s:
        t = s.scalar(select(m.Trainee).where(
            m.Trainee.route == "school_direct_salaried" if salaried else m.Trainee.route != "school_direct_salaried",
            m.Trainee.status == "enrolled").order_by(m.Trainee.id))
        return SimpleNamespace(**{c: getattr(t, c) for c in (
            "id", "trainee_id", "first_names", "last_name", "email", "trn", "employing_school_id")})


# --- cohorts ------------------------------------------------------------------------------------------


def test_the_demo_cohort_and_its_summary(alliance_demo):
    cohort = _cohort(alliance_demo)
    assert cohort.nqt_count == 38
    summary = alliance_demo.induction.summary(cohort.id, TODAY)
    assert (summary.nqts, summary.schools, len(summary.local_authorities)) == (38, 16, 4)
    assert summary.sentence().startswith("Induction 2026/27: 38 early career teachers from 16 schools across 4 local authorities")


def test_create_cohort_once_per_year(small_demo):
    row = small_demo.induction.create_cohort("2027-28")
    assert row.year == "2027/28" and row.title == "ECT induction 2027/28"
    with pytest.raises(ConflictError, match="already an induction cohort for 2027/28"):
        small_demo.induction.create_cohort("2027/28")
    with pytest.raises(ValidationError, match="Academic year: must be an academic year"):
        small_demo.induction.create_cohort("next year")
    assert [c.year for c in small_demo.induction.cohorts()] == ["2027/28", "2026/27"]


def test_a_cohort_with_nqts_cannot_be_deleted_an_empty_one_can(small_demo):
    with pytest.raises(ConflictError, match="it has 6 early career teachers"):
        small_demo.induction.delete_cohort(_cohort(small_demo).id)
    empty = small_demo.induction.create_cohort("2028/29")
    small_demo.induction.delete_cohort(empty.id)
    assert "2028/29" not in [c.year for c in small_demo.induction.cohorts()]


# --- NQT records -----------------------------------------------------------------------------------


def test_add_an_nqt_from_outside_the_alliance_s_training(small_demo):
    row = small_demo.induction.create(_new(small_demo, fte="0.5", induction_tutor_name="Sam Tutor",
                                           induction_tutor_email="sam.tutor@school.example"))
    assert row.email == "new.nqt@nqt.example" and row.trn == "0123456" and row.trainee_id is None
    assert row.part_time and row.terms_text == "0 of 6" and row.tutor == "Sam Tutor"
    assert row.local_authority == small_demo.schools.get(row.employing_school_id).local_authority
    assert row.next_assessment == "Progress review (Autumn 2026)"
    assert row.next_due == dt.date(2026, 12, 18)  # an ECT is reviewed every school term, part time or not
    assert row.expected_end_date == dt.date(2030, 7, 19)  # 0.5 FTE: twelve school terms
    assert _cohort(small_demo).nqt_count == 7


def test_an_nqt_for_a_new_year_starts_that_year_s_cohort(small_demo):
    row = small_demo.induction.create(_new(small_demo, academic_year="2027/28", start_date="06/09/2027"))
    assert row.academic_year == "2027/28"
    assert [c.nqt_count for c in small_demo.induction.cohorts() if c.year == "2027/28"] == [1]


def test_tutor_from_the_mentor_pool_is_shown_by_name(small_demo):
    tutor = small_demo.induction.tutor_choices()[0]
    row = small_demo.induction.create(_new(small_demo, induction_tutor_id=tutor.id))
    assert row.tutor == tutor.name and row.tutor_email == tutor.email and row.induction_tutor_name == ""


def test_bad_nqt_changes_nothing_and_names_each_field(small_demo):
    before = small_demo.induction.nqts()
    with pytest.raises(ValidationError) as info:
        small_demo.induction.create(_new(small_demo, email="", fte="0", terms_counted="1.25"))
    assert {p.field for p in info.value.problems} == {"email", "fte", "terms_counted"}
    assert small_demo.induction.nqts() == before


def test_unknown_school_or_tutor_refused(small_demo):
    with pytest.raises(ValidationError) as info:
        small_demo.induction.create(_new(small_demo, employing_school_id=9999, induction_tutor_id=9999))
    assert {p.field for p in info.value.problems} == {"employing_school_id", "induction_tutor_id"}


def test_duplicate_email_or_trn_refused(small_demo):
    existing = small_demo.induction.nqts()[0]
    with pytest.raises(ConflictError, match=f"{existing.email} is already the email of .*, in induction"):
        small_demo.induction.create(_new(small_demo, email=existing.email.upper()))
    with pytest.raises(ConflictError, match=f"TRN: {existing.trn} is already the TRN"):
        small_demo.induction.create(_new(small_demo, trn=existing.trn))


def test_update_records_part_time_terms_and_refuses_a_stale_edit(small_demo):
    row = small_demo.induction.create(_new(small_demo, fte="0.6"))
    data = {**_new(small_demo, fte="0.6"), "terms_counted": "1.2", "extension_terms": "1", "status": "extended"}
    updated = small_demo.induction.update(row.id, data, row.version)
    assert updated.terms_counted == 1.2 and updated.terms_text == "1.2 of 7" and updated.status is NqtStatus.EXTENDED
    with pytest.raises(StaleRecordError):
        small_demo.induction.update(row.id, {**data, "last_name": "Lost"}, row.version)
    assert small_demo.induction.get(row.id).last_name == "Example"


def test_delete_and_restore_brings_back_assessments_and_attendance(small_demo):
    ws = small_demo
    nqt = ws.induction.nqts()[0]
    ws.induction.assessments.record(nqt.id, 1, {"completed_date": "10/12/2026", "outcome": "on track"},
                                    today=dt.date(2026, 12, 20))
    session = ws.induction.programme.create_session(
        {"cohort_id": nqt.cohort_id, "session_date": "07/10/2026", "topic": "Behaviour"})
    ws.induction.programme.set_attendance(session.id, {nqt.id: "present"}, today=TODAY)
    snapshot = ws.induction.delete(nqt.id)
    with pytest.raises(NotFoundError):
        ws.induction.get(nqt.id)
    back = ws.induction.restore(snapshot)
    assert back.email == nqt.email and back.attendance.present == 1
    assert ws.induction.assessments.get(back.id, 1).completed_date == dt.date(2026, 12, 10)


# --- a trainee with QTS becomes an NQT --------------------------------------------------------------


def test_trainee_with_qts_becomes_an_nqt_in_one_step_keeping_their_details(small_demo):
    ws = small_demo
    trainee = _trainee(ws)
    _qualify(ws, trainee.id)
    assert [q.id for q in ws.induction.qualified_trainees()] == [trainee.id]
    row = ws.induction.from_trainee(trainee.id)
    assert (row.first_names, row.last_name, row.email, row.trn) == (
        trainee.first_names, trainee.last_name, trainee.email, trainee.trn)
    assert row.employing_school_id == trainee.employing_school_id and row.trainee_id == trainee.id
    assert row.academic_year == "2027/28" and row.start_date == dt.date(2027, 9, 1)
    assert ws.induction.qualified_trainees() == []


def test_trainee_step_refused_without_qts(small_demo):
    trainee = _trainee(small_demo)
    with pytest.raises(ValidationError, match="their status is Enrolled, and only a trainee with QTS awarded"):
        small_demo.induction.from_trainee(trainee.id)
    assert small_demo.induction.by_email(trainee.email) is None


def test_trainee_step_refused_twice(small_demo):
    trainee = _trainee(small_demo)
    _qualify(small_demo, trainee.id)
    small_demo.induction.from_trainee(trainee.id)
    with pytest.raises(ConflictError, match="is already an early career teacher"):
        small_demo.induction.from_trainee(trainee.id)


def test_trainee_step_needs_an_employing_school(small_demo):
    trainee = _trainee(small_demo, salaried=False)
    _qualify(small_demo, trainee.id)
    with pytest.raises(ValidationError, match="Employing school: is required") as info:
        small_demo.induction.from_trainee(trainee.id)
    assert trainee.trainee_id in str(info.value)
    school = small_demo.schools.list()[1]
    row = small_demo.induction.from_trainee(trainee.id, employing_school_id=school.id, fte=0.8)
    assert row.school_name == school.name and row.fte == 0.8


def test_trainee_becomes_an_ect_by_trn_with_the_employing_school_and_mentor(small_demo):
    ws = small_demo
    trainee = _trainee(ws, salaried=False)
    _qualify(ws, trainee.id)
    school = ws.schools.list()[2]
    mentor = ws.induction.tutor_choices()[0]
    row = ws.induction.from_trn(trainee.trn, school.urn, start_date="2027-09-06", mentor_email=mentor.email.upper(),
                                programme="school-led")
    assert row.trainee_id == trainee.id and row.school_name == school.name and row.kind_label == "ECT"
    assert row.mentor == mentor.name and row.programme_label == "School-led"
    assert row.academic_year == "2027/28" and row.expected_end_date == dt.date(2029, 7, 20)
    with pytest.raises(ValidationError, match="TRN: no trainee has this TRN"):
        ws.induction.from_trn("7654321")
    with pytest.raises(ValidationError, match="Employing school URN: no school has this URN"):
        ws.induction.from_trn(trainee.trn, "999999")
    with pytest.raises(ConflictError, match="already an early career teacher"):
        ws.induction.from_trn(trainee.trn)


def test_one_person_as_induction_tutor_and_mentor_is_warned_not_refused(small_demo):
    ws = small_demo
    ect = ws.induction.nqts()[0]
    tutor = ws.induction.tutor_choices()[0]
    row = ws.induction.update(ect.id, {**ect.data().__dict__, "status": ect.status.code, "induction_tutor_id": tutor.id,
                                       "induction_tutor_name": "", "induction_tutor_email": "",
                                       "mentor_id": tutor.id})
    assert row.mentor_id == row.induction_tutor_id == tutor.id
    assert "two different people" in row.warnings[0]


def test_trainee_step_refused_for_an_unknown_trainee(small_demo):
    with pytest.raises(NotFoundError):
        small_demo.induction.from_trainee(99999)


# --- the demo's induction year ---------------------------------------------------------------------


def test_demo_records_the_induction_year_up_to_today(alliance_demo):
    from tsa_desktop.services.demo.induction import add_induction_demo

    ws, february = alliance_demo, dt.date(2027, 2, 1)
    with ws.db.transaction() as s:
        assert add_induction_demo(s, "2026/27", today=february) == 11
    cohort = _cohort(ws)
    sessions = ws.induction.programme.sessions(cohort.id)
    held = [x for x in sessions if x.session_date <= february]
    assert len(sessions) == 11 and len(held) == 5
    assert all(x.recorded == 38 for x in held) and all(x.recorded == 0 for x in sessions if x not in held)
    summary = ws.induction.summary(cohort.id, february)
    assert 0.75 < summary.attendance.rate < 0.98
    rows = ws.induction.nqts(cohort.id, february)
    assert {r.terms_counted for r in rows if r.fte == 1.0} == {1.0}
    first_reviews = [a for a in ws.induction.assessments.list(cohort.id, february) if a.term == 1
                     and a.due_date < february]
    done = sum(a.completed_date is not None for a in first_reviews)
    assert 0 < len(first_reviews) - done < len(first_reviews) / 4  # a few left overdue, most recorded
