"""The term arithmetic of induction under both regimes (tsa_desktop.domain.induction_schedule)."""

import datetime as dt

import pytest

from tsa_desktop.domain.enums import AssessmentKind as K
from tsa_desktop.domain.enums import InductionRegime
from tsa_desktop.domain.induction_schedule import (
    INTERIM_TERM,
    plan_induction,
    reduction_problem,
    regime_for,
    share_of_term,
    terms_required,
)
from tsa_desktop.domain.school_terms import HalfTerm, SchoolTerm, half_term_of, term_of

D = dt.date
R, M, F, I = K.PROGRESS_REVIEW, K.MIDPOINT_ASSESSMENT, K.FINAL_ASSESSMENT, K.INTERIM_ASSESSMENT


def kinds(plan):
    return [(c.term, c.kind, c.due_date) for c in plan.checkpoints]


def test_the_regime_follows_the_start_date():
    assert regime_for(D(2021, 8, 31)) is InductionRegime.NQT
    assert regime_for(D(2021, 9, 1)) is InductionRegime.ECT
    assert regime_for(None) is InductionRegime.ECT


def test_terms_required_under_each_regime():
    assert terms_required(InductionRegime.ECT) == 6
    assert terms_required(InductionRegime.NQT) == 3
    assert terms_required(InductionRegime.ECT, reduced_terms=2, extension_terms=1.5) == 5.5


def test_a_reduction_leaves_at_least_one_term():
    assert reduction_problem(InductionRegime.ECT, 5) is None
    assert "at most 5 terms" in reduction_problem(InductionRegime.ECT, 5.5)
    assert "at most 2 terms" in reduction_problem(InductionRegime.NQT, 3)


def test_full_time_ect_two_years_six_school_terms():
    plan = plan_induction(D(2026, 9, 1))
    assert plan.regime is InductionRegime.ECT and plan.terms_required == 6
    assert kinds(plan) == [
        (1, R, D(2026, 12, 18)), (2, R, D(2027, 3, 25)), (3, M, D(2027, 7, 21)),
        (4, R, D(2027, 12, 17)), (5, R, D(2028, 4, 13)), (6, F, D(2028, 7, 21)),
    ]
    assert plan.expected_end_date == D(2028, 7, 21)
    assert [t.year for t in plan.terms] == [1, 1, 1, 2, 2, 2]


def test_half_time_ect_takes_twelve_school_terms_with_a_review_each_term():
    plan = plan_induction(D(2026, 9, 1), fte=0.5)
    assert plan.school_terms == 12
    assert [c.kind for c in plan.checkpoints] == [R] * 5 + [M] + [R] * 5 + [F]
    assert plan.checkpoint(6).due_date == D(2028, 7, 21)  # end of year one: three terms counted
    assert plan.expected_end_date == D(2030, 7, 19)  # 21 July 2030 is a Sunday
    assert plan.counted_by(D(2027, 7, 22)) == 1.5


@pytest.mark.parametrize("fte, school_terms", [(1.0, 6), (0.9, 7), (0.8, 8), (0.6, 10), (0.55, 12), (0.2, 30)])
def test_part_time_ects_serve_more_school_terms(fte, school_terms):
    assert plan_induction(D(2026, 9, 1), fte=fte).school_terms == school_terms


def test_reduced_induction_is_shorter_and_its_midpoint_moves():
    plan = plan_induction(D(2026, 9, 1), reduced_terms=2)
    assert plan.terms_required == 4
    assert kinds(plan) == [(1, R, D(2026, 12, 18)), (2, M, D(2027, 3, 25)),
                           (3, R, D(2027, 7, 21)), (4, F, D(2027, 12, 17))]
    one_term = plan_induction(D(2026, 9, 1), reduced_terms=5)
    assert kinds(one_term) == [(1, F, D(2026, 12, 18))]  # midpoint and final fall together


def test_an_extension_adds_terms_after_the_end_of_year_one():
    plan = plan_induction(D(2026, 9, 1), extension_terms=1)
    assert plan.terms_required == 7 and plan.school_terms == 7
    assert plan.checkpoint(3).kind is M and plan.checkpoint(6).kind is R
    assert plan.checkpoint(7).kind is F and plan.expected_end_date == D(2028, 12, 19)
    half = plan_induction(D(2026, 9, 1), extension_terms=0.5)
    assert half.expected_end_date == D(2028, 12, 19)  # the term in which it ends


def test_leaving_part_way_gives_an_interim_assessment_and_stops_the_schedule():
    plan = plan_induction(D(2026, 9, 1), left_date=D(2027, 2, 12))
    assert kinds(plan) == [(1, R, D(2026, 12, 18)), (INTERIM_TERM, I, D(2027, 2, 12))]
    assert plan.expected_end_date is None and not plan.completes
    assert plan.terms[-1].share == 0.5 and plan.counted_by(D(2027, 2, 13)) == 1.5
    assert plan.counted_by(D(2027, 2, 12)) == 1
    # leaving on the last day of induction is no leaving part way
    done = plan_induction(D(2026, 9, 1), left_date=D(2028, 7, 21))
    assert done.checkpoints[-1].kind is F and done.checkpoint(INTERIM_TERM) is None


def test_a_start_in_the_middle_of_a_term_counts_the_part_served():
    plan = plan_induction(D(2027, 2, 22))  # after the February half-term
    first = plan.terms[0]
    assert first.school_term == SchoolTerm(2026, 1) and first.share == 0.4 and first.credit == 0.4
    assert plan.school_terms == 7 and plan.expected_end_date == D(2029, 3, 29)
    assert plan.checkpoint(4).kind is M  # 3.4 terms counted by the end of the fourth term
    assert plan.checkpoints[-1].counted == 6


def test_a_start_in_the_first_fortnight_or_the_holiday_counts_the_whole_term():
    assert plan_induction(D(2026, 9, 7)).school_terms == 6
    assert plan_induction(D(2026, 8, 20)).terms[0].share == 1.0
    assert share_of_term(term_of(D(2026, 10, 1)), D(2026, 10, 1)) == 0.7


def test_part_time_start_in_the_middle_of_a_term():
    plan = plan_induction(D(2027, 2, 22), fte=0.5)
    assert plan.terms[0].credit == 0.2  # 0.4 of a term at 0.5 FTE, rounded down
    assert plan.school_terms == 13


def test_nqt_regime_keeps_three_terms_and_its_keys():
    plan = plan_induction(D(2020, 9, 1))
    assert plan.regime is InductionRegime.NQT
    assert kinds(plan) == [(1, R, D(2020, 12, 18)), (2, R, D(2021, 4, 1)), (3, F, D(2021, 7, 21))]
    part = plan_induction(D(2020, 9, 1), fte=0.5)
    assert [c.due_date for c in part.checkpoints] == [D(2021, 4, 1), D(2021, 12, 17), D(2022, 7, 21)]
    left = plan_induction(D(2020, 9, 1), left_date=D(2021, 2, 1))
    assert [c.kind for c in left.checkpoints] == [R, I]


def test_timetable_reduction_by_year_of_induction():
    plan = plan_induction(D(2026, 9, 1))
    assert plan.timetable_reduction(D(2026, 8, 31)) == 0
    assert plan.timetable_reduction(D(2026, 10, 1)) == 10
    assert plan.timetable_reduction(D(2027, 7, 25)) == 5  # the summer holiday before year two
    assert plan.timetable_reduction(D(2028, 5, 1)) == 5
    assert plan.timetable_reduction(D(2028, 9, 10)) == 0
    assert plan_induction(D(2020, 9, 1)).timetable_reduction(D(2021, 5, 1)) == 10


def test_undated_induction_has_no_schedule():
    plan = plan_induction(None)
    assert plan.checkpoints == () and plan.expected_end_date is None and plan.counted_by(D(2030, 1, 1)) == 0


def test_half_terms():
    assert half_term_of(D(2026, 10, 5)) == HalfTerm(SchoolTerm(2026, 0), 1)
    assert half_term_of(D(2026, 11, 2)).start == D(2026, 11, 1)
    assert half_term_of(D(2027, 3, 1)).name == "Spring 2027, second half"
    assert half_term_of(D(2027, 6, 10)).end == D(2027, 7, 21)
