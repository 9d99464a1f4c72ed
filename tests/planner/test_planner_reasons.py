"""Trainee-blocks that cannot be placed come back with the real reason, in words."""

from __future__ import annotations

import pytest

from tsa_desktop.domain.enums import Phase, PlacementStatus, Subject
from tsa_desktop.planner import greedy_plan, plan_rotations

from tests.planner.world import World, rule_errors

PLANNERS = [pytest.param(greedy_plan, id="greedy"),
            pytest.param(lambda p: plan_rotations(p, time_limit=10), id="cp-sat")]


def reasons(plan) -> dict[tuple[int, int], str]:
    return {(u.trainee_id, u.block_id): u.reason for u in plan.unplaced}


@pytest.mark.parametrize("plan_with", PLANNERS)
def test_no_mentor_of_the_subject(plan_with):
    w = World(blocks=1)
    w.mentor(w.school("Hill Academy", 2), subjects=(Subject.CHEMISTRY,))
    zoe = w.trainee("Zoe", subject=Subject.PHYSICS)
    plan = plan_with(w.problem())
    assert plan.assignments == ()
    assert reasons(plan) == {(zoe, 1): "no secondary physics mentor at any school"}


def test_no_school_of_the_phase():
    w = World(blocks=1)
    w.mentor(w.school("Hill Academy", 2))
    pia = w.trainee("Pia", phase=Phase.PRIMARY, subject=Subject.PRIMARY)
    plan = plan_rotations(w.problem(), time_limit=10)
    assert reasons(plan) == {(pia, 1): "no school in the alliance takes primary trainees"}


def test_the_travel_limit():
    w = World(blocks=1, settings={"max_travel_km": 25})
    w.mentor(w.school("Far Academy", 40))
    zoe = w.trainee("Zoe", km=0)
    plan = plan_rotations(w.problem(), time_limit=10)
    assert reasons(plan) == {(zoe, 1): "no school that takes secondary trainees is within 25 km "
                                       "of home"}


def test_the_travel_limit_with_a_mentor_only_far_away():
    w = World(blocks=1, settings={"max_travel_km": 25})
    w.mentor(w.school("Near Academy", 5), subjects=(Subject.CHEMISTRY,))
    w.mentor(w.school("Far Academy", 40))
    zoe = w.trainee("Zoe", km=0)
    plan = plan_rotations(w.problem(), time_limit=10)
    assert reasons(plan) == {(zoe, 1): "no secondary physics mentor at any school within 25 km "
                                       "of home"}


def test_untrained_or_inactive_mentors():
    w = World(blocks=1)
    school = w.school("Hill Academy", 2)
    w.mentor(school, trained=None)
    w.mentor(school, active=False)
    zoe = w.trainee("Zoe")
    plan = plan_rotations(w.problem(), time_limit=10)
    assert reasons(plan) == {(zoe, 1): "every secondary physics mentor is inactive or has not had "
                                       "mentor training"}


@pytest.mark.parametrize("plan_with", PLANNERS)
def test_no_mentor_free_in_one_block(plan_with):
    w = World(blocks=2, settings={"min_distinct_schools": 1})
    w.mentor(w.school("Hill Academy", 2), unavailable=(2,))
    zoe = w.trainee("Zoe")
    plan = plan_with(w.problem())
    assert [(a.trainee_id, a.block_id) for a in plan.assignments] == [(zoe, 1)]
    assert reasons(plan) == {(zoe, 2): "no secondary physics mentor free in Spring"}


@pytest.mark.parametrize("plan_with", PLANNERS)
def test_the_distinct_schools_rule(plan_with):
    w = World(blocks=3)
    a, b = w.school("Hill Academy", 1), w.school("Vale Academy", 2)
    w.mentor(a)
    w.mentor(b)
    zoe = w.trainee("Zoe")
    plan = plan_with(w.problem())
    assert len(plan.assignments) == 2 and len(plan.unplaced) == 1
    [reason] = reasons(plan).values()
    assert reason == ("the only schools with a secondary physics mentor free in Summer (Hill "
                      "Academy, Vale Academy) already have Zoe in other blocks; the rule is at "
                      "least 3 different schools")
    # The two placements it did make are at different schools: no school twice.
    assert {x.school_id for x in plan.assignments} == {a, b}


def test_places_taken_by_other_trainees():
    w = World(blocks=1)
    school = w.school("Hill Academy", 1)
    w.mentor(school)
    ann, ben = w.trainee("Ann", km=0), w.trainee("Ben", km=-3)
    w.settings["allow_pair_and_share"] = False
    plan = plan_rotations(w.problem(), time_limit=10)
    assert len(plan.assignments) == 1 and len(plan.unplaced) == 1
    [reason] = reasons(plan).values()
    assert reason == ("every place with a secondary physics mentor free in Autumn is taken by "
                      "other trainees in Autumn (secondary physics mentors taken at Hill Academy)")
    # Ann lives 1 km from the school, Ben 4 km: Ann keeps it.
    assert plan.assignments[0].trainee_id == ann and plan.unplaced[0].trainee_id == ben


def test_a_full_school():
    w = World(blocks=1)
    school = w.school("Hill Academy", 1, capacity=1)
    w.mentor(school)
    w.mentor(school)
    w.trainee("Ann", km=0)
    w.trainee("Ben", km=0.5)
    plan = plan_rotations(w.problem(), time_limit=10)
    [reason] = reasons(plan).values()
    assert reason.endswith("(Hill Academy full)")


def test_places_taken_by_locked_placements():
    w = World(blocks=1)
    school = w.school("Hill Academy", 1)
    mentor = w.mentor(school)
    ann, ben = w.trainee("Ann"), w.trainee("Ben")
    w.place(ann, 1, school, mentor, status=PlacementStatus.CONFIRMED)
    w.settings["allow_pair_and_share"] = False
    plan = plan_rotations(w.problem(), time_limit=10)
    assert plan.assignments == ()
    assert reasons(plan) == {(ben, 1): "the schools with a secondary physics mentor free in "
                                       "Autumn (Hill Academy) are already full with locked or "
                                       "confirmed placements in Autumn"}


def test_an_unplaceable_problem_is_still_answered_and_breaks_no_rule():
    w = World(blocks=3)
    hill = w.school("Hill Academy", 1, capacity=1)
    w.mentor(hill, unavailable=(3,))
    w.mentor(w.school("Vale Academy", 3), subjects=(Subject.MATHEMATICS,))
    zoe = w.trainee("Zoe")
    maths = w.trainee("Max", subject=Subject.MATHEMATICS)
    plan = plan_rotations(w.problem(), time_limit=10)
    assert {(u.trainee_id, u.block_id) for u in plan.unplaced} == {(zoe, 2), (zoe, 3), (maths, 2),
                                                                   (maths, 3)}
    assert all(u.reason for u in plan.unplaced)
    assert rule_errors(w.snapshot(), plan) == []
