"""Induction rules: part-time terms, due dates, overdue, attendance rates and the cohort summary."""

import datetime as dt

import pytest

from tsa_desktop.domain.enums import AssessmentKind, AssessmentOutcome, AttendanceStatus, InductionRegime, NqtStatus
from tsa_desktop.domain.errors import ValidationError
from tsa_desktop.domain.induction import (
    AssessmentState,
    AttendanceRate,
    CohortMember,
    assessment_state,
    attendance_rate,
    count_a_term,
    floor_tenth,
    is_overdue,
    parse_fte,
    parse_terms,
    status_after_final,
    summarise_cohort,
    term_credit,
    terms_remaining,
    validate_assessment,
)
from tsa_desktop.domain.induction_records import validate_nqt, validate_session
from tsa_desktop.domain.induction_schedule import plan_induction
from tsa_desktop.domain.school_terms import SchoolTerm, easter_sunday, term_of

D = dt.date


# --- part-time terms ------------------------------------------------------------------------------


@pytest.mark.parametrize(("fte", "credit"), [
    (1.0, 1.0), (0.5, 0.5), (0.6, 0.6), (0.8, 0.8), (0.55, 0.5), (0.79, 0.7), (0.33, 0.3), (0.1, 0.1),
])
def test_a_term_part_time_counts_the_fte_rounded_down_to_one_place(fte, credit):
    assert term_credit(fte) == credit


def test_part_of_a_term_is_pro_rated_too():
    assert term_credit(1.0, 0.5) == 0.5
    assert term_credit(0.6, 0.5) == 0.3
    assert term_credit(0.5, 0.5) == 0.2  # 0.25 rounds down


def test_floor_tenth_is_not_fooled_by_binary_floats():
    assert 0.6 * 3 < 1.8  # the trap: 1.7999999999999998
    assert floor_tenth(0.6 * 3) == 1.8
    assert floor_tenth(0.7 * 3) == 2.1
    assert floor_tenth(1.99) == 1.9


def test_counting_a_term_adds_the_credit_and_stops_at_the_required_terms():
    assert count_a_term(0.0, 0.5) == 0.5
    assert count_a_term(2.8, 0.6) == 3.0  # capped, not 3.4
    assert count_a_term(3.0, 1.0, extension_terms=1.0) == 4.0
    with pytest.raises(ValueError, match="all 3 terms are already counted"):
        count_a_term(3.0, 1.0)


def test_terms_remaining_includes_extensions():
    assert terms_remaining(1.5) == 1.5
    assert terms_remaining(3.0, 1.5) == 1.5
    assert terms_remaining(3.0) == 0.0


@pytest.mark.parametrize("good", ["0", "1.5", "3", 2.5, "9.9"])
def test_terms_with_one_decimal_place_are_accepted(good):
    assert parse_terms(good) == float(good)


@pytest.mark.parametrize(("bad", "message"), [
    ("1.55", "one decimal place"), ("-1", "between 0 and 9.9"), ("10", "between 0 and 9.9"),
    ("two", "number of terms"), ("nan", "number of terms"),
])
def test_terms_refused_with_the_reason(bad, message):
    with pytest.raises(ValueError, match=message):
        parse_terms(bad)


def test_fte_accepts_decimals_and_percentages_in_range():
    assert parse_fte("0.6") == 0.6 and parse_fte("60%") == 0.6 and parse_fte("1") == 1.0
    for bad in ("0", "1.2", "0.05", "full"):
        with pytest.raises(ValueError):
            parse_fte(bad)


# --- school terms and due dates ----------------------------------------------------------------------


def test_easter_dates():
    assert easter_sunday(2027) == D(2027, 3, 28)
    assert easter_sunday(2026) == D(2026, 4, 5)
    assert easter_sunday(2028) == D(2028, 4, 16)


def test_term_ends_are_weekdays_before_christmas_easter_and_the_summer():
    autumn, spring, summer = SchoolTerm(2026, 0), SchoolTerm(2026, 1), SchoolTerm(2026, 2)
    assert autumn.end == D(2026, 12, 18)  # 19 December 2026 is a Saturday
    assert spring.end == D(2027, 3, 25)  # the Thursday before Good Friday
    assert summer.end == D(2027, 7, 21)
    assert [t.name for t in (autumn, spring, summer, summer.next())] == [
        "Autumn 2026", "Spring 2027", "Summer 2027", "Autumn 2027"]
    assert autumn.advance(4) == SchoolTerm(2027, 1)


def test_a_day_in_a_holiday_belongs_to_the_next_term():
    assert term_of(D(2026, 9, 1)) == SchoolTerm(2026, 0)
    assert term_of(D(2026, 12, 23)) == SchoolTerm(2026, 1)
    assert term_of(D(2027, 3, 29)) == SchoolTerm(2026, 2)
    assert term_of(D(2027, 8, 20)) == SchoolTerm(2027, 0)


# The NQT regime's schedule, as it always was (the plan reproduces it; forced here on 2026 dates).

def _nqt(start, **kw):
    return plan_induction(start, regime=InductionRegime.NQT, **kw).checkpoints


def test_full_time_assessments_are_due_at_the_end_of_each_term():
    schedule = _nqt(D(2026, 9, 1))
    assert [(a.term, a.kind, a.due_date) for a in schedule] == [
        (1, AssessmentKind.PROGRESS_REVIEW, D(2026, 12, 18)),
        (2, AssessmentKind.PROGRESS_REVIEW, D(2027, 3, 25)),
        (3, AssessmentKind.FINAL_ASSESSMENT, D(2027, 7, 21)),
    ]


def test_half_time_assessments_are_due_every_other_term():
    dues = [a.due_date for a in _nqt(D(2026, 9, 1), fte=0.5)]
    assert dues == [SchoolTerm(2026, 1).end, SchoolTerm(2027, 0).end, SchoolTerm(2027, 2).end]


@pytest.mark.parametrize(("fte", "terms"), [(1.0, 3), (0.5, 6), (0.6, 5), (0.8, 4), (0.55, 6), (0.33, 10)])
def test_school_terms_needed_for_three_induction_terms(fte, terms):
    assert plan_induction(D(2026, 9, 1), fte, InductionRegime.NQT).school_terms == terms


def test_an_extension_moves_only_the_final_assessment():
    plain = _nqt(D(2026, 9, 1))
    extended = _nqt(D(2026, 9, 1), extension_terms=1)
    assert [a.due_date for a in extended[:2]] == [a.due_date for a in plain[:2]]
    assert extended[2].due_date == SchoolTerm(2027, 0).end


def test_a_january_start_is_counted_from_the_spring_term():
    dues = [a.due_date for a in _nqt(D(2027, 1, 4))]
    assert dues == [SchoolTerm(2026, 1).end, SchoolTerm(2026, 2).end, SchoolTerm(2027, 0).end]


def test_no_start_date_no_due_dates():
    assert _nqt(None) == ()


def test_terms_counted_from_the_terms_finished():
    plan = plan_induction(D(2026, 9, 1), 0.6, InductionRegime.NQT)
    assert plan.counted_by(D(2026, 12, 18)) == 0
    assert plan.counted_by(D(2026, 12, 19)) == 0.6
    assert plan.counted_by(D(2027, 7, 22)) == 1.8
    assert plan_induction(D(2026, 9, 1), 1.0, InductionRegime.NQT).counted_by(D(2028, 7, 30)) == 3.0


# --- overdue ---------------------------------------------------------------------------------------


def test_overdue_means_due_before_today_and_not_completed():
    today = D(2027, 1, 10)
    assert is_overdue(D(2026, 12, 18), None, today)
    assert not is_overdue(D(2026, 12, 18), D(2026, 12, 15), today)
    assert not is_overdue(D(2027, 1, 10), None, today)  # due today is not late yet
    assert not is_overdue(None, None, today)
    assert not is_overdue(D(2026, 12, 18), None, today, NqtStatus.LEFT)


def test_assessment_states():
    today = D(2027, 3, 15)
    assert assessment_state(D(2027, 3, 25), None, today) == AssessmentState.DUE_SOON
    assert assessment_state(D(2027, 7, 21), None, today) == AssessmentState.UPCOMING
    assert assessment_state(D(2026, 12, 18), None, today) == AssessmentState.OVERDUE
    assert assessment_state(D(2026, 12, 18), D(2026, 12, 1), today) == AssessmentState.DONE
    assert assessment_state(D(2026, 12, 18), None, today, NqtStatus.PASSED) == AssessmentState.CLOSED
    assert assessment_state(None, None, today) == AssessmentState.UNSCHEDULED


# --- outcomes --------------------------------------------------------------------------------------


def test_a_progress_review_is_on_track_or_not_and_the_final_pass_or_fail():
    today = D(2027, 8, 1)
    ok = validate_assessment({"completed_date": "21/07/2027", "outcome": "pass"},
                             AssessmentKind.FINAL_ASSESSMENT, today)
    assert ok.outcome is AssessmentOutcome.PASS and ok.completed_date == D(2027, 7, 21)
    with pytest.raises(ValidationError, match="a progress review is on track or not on track"):
        validate_assessment({"completed_date": "01/12/2026", "outcome": "pass"},
                            AssessmentKind.PROGRESS_REVIEW, today)


def test_outcome_and_completion_go_together_and_every_problem_is_named():
    today = D(2027, 1, 1)
    with pytest.raises(ValidationError) as info:
        validate_assessment({"outcome": "on track", "due_date": "31/02/2027"},
                            AssessmentKind.PROGRESS_REVIEW, today)
    fields = {p.field for p in info.value.problems}
    assert fields == {"completed_date", "due_date"}
    with pytest.raises(ValidationError, match="Outcome: give the outcome"):
        validate_assessment({"completed_date": "01/12/2026"}, AssessmentKind.PROGRESS_REVIEW, today)


def test_completion_not_in_the_future_nor_before_induction():
    today = D(2026, 12, 1)
    with pytest.raises(ValidationError, match="Completed: is in the future"):
        validate_assessment({"completed_date": "02/12/2026", "outcome": "on track"},
                            AssessmentKind.PROGRESS_REVIEW, today)
    with pytest.raises(ValidationError, match="before induction started"):
        validate_assessment({"completed_date": "02/08/2026", "outcome": "on track"},
                            AssessmentKind.PROGRESS_REVIEW, today, start_date=D(2026, 9, 1))


def test_the_final_outcome_decides_the_status_and_clearing_it_goes_back():
    assert status_after_final(NqtStatus.IN_PROGRESS, AssessmentOutcome.PASS) is NqtStatus.PASSED
    assert status_after_final(NqtStatus.EXTENDED, AssessmentOutcome.FAIL) is NqtStatus.FAILED
    assert status_after_final(NqtStatus.PASSED, None) is NqtStatus.IN_PROGRESS
    assert status_after_final(NqtStatus.FAILED, None, extension_terms=1) is NqtStatus.EXTENDED
    assert status_after_final(NqtStatus.LEFT, None) is NqtStatus.LEFT


# --- attendance ------------------------------------------------------------------------------------


def test_attendance_rate_counts_recorded_sessions_only():
    rate = attendance_rate(["present", "present", AttendanceStatus.ABSENT, "apologies", None, None])
    assert (rate.present, rate.absent, rate.apologies, rate.recorded) == (2, 1, 1, 4)
    assert rate.rate == 0.5 and rate.percent == 50 and rate.text() == "50% (2 of 4)"


def test_attendance_rate_with_nothing_recorded_is_none_not_zero():
    rate = attendance_rate([None, None])
    assert rate.rate is None and rate.percent is None and rate.text() == "none recorded"


def test_attendance_rates_add_up():
    total = AttendanceRate(3, 1, 0) + AttendanceRate(1, 0, 1)
    assert total == AttendanceRate(4, 1, 1) and total.percent == 67


# --- the cohort summary ------------------------------------------------------------------------------


def _members(n_nqts, n_schools, las):
    return [CohortMember(f"School {i % n_schools}", las[(i % n_schools) % len(las)], 1.0, NqtStatus.IN_PROGRESS)
            for i in range(n_nqts)]


def test_summary_in_words_and_figures_like_the_alliance_that_ran_induction_for_38():
    members = _members(38, 16, ["Surrey", "Hampshire", "Waverley", "Rushmoor"])
    members[0] = CohortMember("School 0", "Surrey", 0.5, NqtStatus.IN_PROGRESS, overdue=2,
                              attendance=AttendanceRate(3, 1, 0))
    summary = summarise_cohort("2026/27", members)
    assert (summary.nqts, summary.schools, len(summary.local_authorities)) == (38, 16, 4)
    assert summary.part_time == 1 and summary.overdue == 2 and summary.attendance.percent == 75
    assert summary.sentence() == (
        "Induction 2026/27: 38 early career teachers from 16 schools across 4 local authorities "
        "(Hampshire, Rushmoor, Surrey, Waverley); 1 part time. 38 in induction. "
        "2 assessments overdue. Attendance at the induction programme: 75%.")


def test_summary_singulars_and_an_empty_cohort():
    one = summarise_cohort("2026/27", [CohortMember("A School", "Surrey", 1.0, NqtStatus.PASSED)])
    assert one.sentence() == ("Induction 2026/27: 1 early career teacher from 1 school across 1 local authority. "
                              "1 passed.")
    old = summarise_cohort("2020/21", [CohortMember("A School", "Surrey", 1.0, NqtStatus.PASSED, old_regime=True)])
    assert old.sentence().startswith("Induction 2020/21: 1 NQT from 1 school")
    mixed = summarise_cohort("2021/22", [CohortMember("A", "", 1.0, NqtStatus.PASSED, old_regime=True),
                                         CohortMember("B", "", 1.0, NqtStatus.PASSED)])
    assert mixed.sentence().startswith("Induction 2021/22: 2 early career teachers (1 of them an NQT under the "
                                       "old rules) from 2 schools")
    assert summarise_cohort("2027/28", []).sentence() == (
        "Induction 2027/28: no early career teachers in this cohort yet.")


def test_summary_lists_statuses_in_order():
    members = [CohortMember("A", "", 1.0, s) for s in
               (NqtStatus.PASSED, NqtStatus.IN_PROGRESS, NqtStatus.IN_PROGRESS, NqtStatus.LEFT)]
    summary = summarise_cohort("2026/27", members)
    assert summary.local_authorities == () and summary.count(NqtStatus.IN_PROGRESS) == 2
    assert "2 in induction, 1 passed and 1 left the alliance." in summary.sentence()


# --- validating records -------------------------------------------------------------------------------


NQT = {"email": "Ada.Example@School.example", "first_names": "Ada", "last_name": "Example",
       "academic_year": "2026-27", "employing_school_id": 3, "start_date": "01/09/2026", "fte": "0.6",
       "terms_counted": "1.2"}


def test_valid_nqt():
    data = validate_nqt(NQT)
    assert data.email == "ada.example@school.example" and data.academic_year == "2026/27"
    assert data.fte == 0.6 and data.terms_counted == 1.2 and data.status is NqtStatus.IN_PROGRESS


def test_every_problem_of_an_nqt_is_named():
    with pytest.raises(ValidationError) as info:
        validate_nqt({**NQT, "email": "nope", "trn": "12345", "fte": "1.5", "terms_counted": "2.25",
                      "start_date": "01/09/2025", "employing_school_id": None})
    fields = {p.field for p in info.value.problems}
    assert fields == {"email", "trn", "fte", "terms_counted", "start_date", "employing_school_id"}


def test_tutor_from_the_pool_or_named_not_both():
    with pytest.raises(ValidationError, match="not both"):
        validate_nqt({**NQT, "induction_tutor_id": 4, "induction_tutor_name": "A Tutor"})
    with pytest.raises(ValidationError, match="tutor's name"):
        validate_nqt({**NQT, "induction_tutor_email": "tutor@school.example"})
    named = validate_nqt({**NQT, "induction_tutor_name": "A Tutor", "induction_tutor_email": "t@s.example"})
    assert named.induction_tutor_id is None and named.induction_tutor_name == "A Tutor"


def test_terms_counted_cannot_pass_the_required_and_extended_needs_an_extension():
    with pytest.raises(ValidationError, match="more than the 6 terms required"):
        validate_nqt({**NQT, "terms_counted": "6.5"})
    assert validate_nqt({**NQT, "terms_counted": "6.5", "extension_terms": "1"}).terms_counted == 6.5
    old = {**NQT, "academic_year": "2020/21", "start_date": "01/09/2020"}
    with pytest.raises(ValidationError, match="more than the 3 terms required"):
        validate_nqt({**old, "terms_counted": "3.5"})
    with pytest.raises(ValidationError, match=r"Extension \(terms\): an extended induction"):
        validate_nqt({**NQT, "status": "extended"})


def test_session_needs_a_date_in_the_year_and_a_topic():
    ok = validate_session({"cohort_id": 1, "session_date": "07/10/2026", "topic": "Behaviour"}, "2026/27")
    assert ok.session_date == D(2026, 10, 7)
    with pytest.raises(ValidationError) as info:
        validate_session({"cohort_id": 1, "session_date": "07/10/2025", "topic": " "}, "2026/27")
    assert {p.field for p in info.value.problems} == {"session_date", "topic"}


def test_ect_fields_regime_and_year_from_the_start_date():
    data = validate_nqt({**NQT, "academic_year": "", "start_date": "22/02/2027", "date_of_birth": "03/04/1999",
                         "programme": "Provider-led", "reduced_terms": "2", "mentor_id": 7})
    assert data.academic_year == "2026/27" and data.regime.code == "ect"
    assert data.programme.code == "provider_led" and data.reduced_terms == 2 and data.mentor_id == 7
    assert data.date_of_birth == D(1999, 4, 3) and data.plan().terms_required == 4
    assert validate_nqt({**NQT, "academic_year": "2020/21", "start_date": "2020-09-01"}).regime.code == "nqt"


def test_ect_field_problems_are_named():
    with pytest.raises(ValidationError) as info:
        validate_nqt({**NQT, "reduced_terms": "6", "date_of_birth": "01/01/2015", "programme": "online",
                      "left_date": "01/01/2027"})
    fields = {p.field for p in info.value.problems}
    assert fields == {"reduced_terms", "date_of_birth", "programme", "left_date"}
    assert "at least one term" in str(info.value)
    left = validate_nqt({**NQT, "status": "left", "left_date": "12/02/2027"})
    assert left.plan().checkpoints[-1].kind.code == "interim_assessment"


def test_one_person_as_tutor_and_mentor_is_a_warning():
    from tsa_desktop.domain.induction_records import role_warnings

    assert role_warnings(3, 4) == [] and role_warnings(None, None) == []
    assert "two different people" in role_warnings(3, 3, "Ada Example")[0]


def test_appropriate_bodies_are_offered_hubs_first_each_once():
    from tsa_desktop.domain.induction_records import order_appropriate_bodies

    assert order_appropriate_bodies(["Surrey Appropriate Body", "", "Kent Teaching School Hub",
                                     " kent teaching school hub ", "Alban Teaching School Hub", None]) == [
        "Alban Teaching School Hub", "Kent Teaching School Hub", "Surrey Appropriate Body"]
