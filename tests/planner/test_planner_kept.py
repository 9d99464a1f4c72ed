"""Kept placements, re-planned proposals, and pair and share."""

from __future__ import annotations

import pytest

from tsa_desktop.domain.enums import PlacementStatus, TraineeStatus
from tsa_desktop.planner import PlanStatus, greedy_plan, plan_rotations

from tests.planner.world import World, rule_errors, schools_of

PLANNERS = [pytest.param(greedy_plan, id="greedy"),
            pytest.param(lambda p: plan_rotations(p, time_limit=10), id="cp-sat")]


def three_schools(w: World) -> list[int]:
    schools = [w.school(f"School {k}", k) for k in (1, 2, 3)]
    for s in schools:
        w.mentor(s)
    return schools


@pytest.mark.parametrize("status, locked", [(PlacementStatus.PROPOSED, True),
                                            (PlacementStatus.CONFIRMED, False),
                                            (PlacementStatus.COMPLETED, False)])
@pytest.mark.parametrize("plan_with", PLANNERS)
def test_locked_and_fixed_placements_are_kept_and_planned_around(plan_with, status, locked):
    w = World(blocks=3)
    near1, near2, near3 = three_schools(w)
    far = w.school("Far Academy", 40)
    far_mentor = w.mentor(far)
    zoe = w.trainee("Zoe")
    w.place(zoe, 2, far, far_mentor, status=status, locked=locked)
    plan = plan_with(w.problem())
    rotation = schools_of(plan, zoe)
    assert set(rotation) == {1, 3}  # Spring stays where it is: no assignment for it
    assert far not in rotation.values() and len(set(rotation.values())) == 2
    assert set(rotation.values()) <= {near1, near2}  # the two nearest, not the third
    assert rule_errors(w.snapshot(), plan) == []


def test_an_unlocked_proposal_is_planned_again_unless_kept():
    w = World(blocks=1)
    near = w.school("Near Academy", 1)
    far = w.school("Far Academy", 30)
    w.mentor(near)
    far_mentor = w.mentor(far)
    zoe = w.trainee("Zoe")
    old = w.place(zoe, 1, far, far_mentor)
    plan = plan_rotations(w.problem(), time_limit=10)
    [moved] = plan.assignments
    assert (moved.school_id, moved.placement_id) == (near, old)
    kept = plan_rotations(w.problem(keep_proposed=True), time_limit=10)
    assert kept.assignments == () and kept.unplaced == ()


def test_kept_placements_use_up_school_capacity():
    w = World(blocks=1)
    near = w.school("Near Academy", 1, capacity=1)
    far = w.school("Far Academy", 10)
    near_a, _near_b = w.mentor(near), w.mentor(near)
    w.mentor(far)
    ann, ben = w.trainee("Ann"), w.trainee("Ben")
    w.place(ann, 1, near, near_a, locked=True)
    plan = plan_rotations(w.problem(), time_limit=10)
    assert schools_of(plan, ben) == {1: far}


def test_a_kept_placement_without_a_mentor_keeps_a_mentor_free():
    w = World(blocks=1, settings={"allow_pair_and_share": False})
    near = w.school("Near Academy", 1)
    far = w.school("Far Academy", 10)
    w.mentor(near)
    w.mentor(far)
    ann, ben = w.trainee("Ann"), w.trainee("Ben")
    w.place(ann, 1, near, None, status=PlacementStatus.CONFIRMED)
    plan = plan_rotations(w.problem(), time_limit=10)
    assert schools_of(plan, ben) == {1: far}


def test_trainees_who_need_no_placements_are_left_alone():
    w = World(blocks=1)
    three_schools(w)
    gone = w.trainee("Gone", status=TraineeStatus.WITHDRAWN)
    done = w.trainee("Done", status=TraineeStatus.QTS_AWARDED)
    zoe = w.trainee("Zoe")
    plan = plan_rotations(w.problem(), time_limit=10)
    assert {a.trainee_id for a in plan.assignments} == {zoe}
    assert not {gone, done} & {u.trainee_id for u in plan.unplaced}


@pytest.mark.parametrize("plan_with", PLANNERS)
def test_pair_and_share_on_puts_two_trainees_with_one_mentor(plan_with):
    w = World(blocks=1)
    school = w.school("Hill Academy", 1)
    mentor = w.mentor(school, max_trainees=2)
    ann, ben = w.trainee("Ann"), w.trainee("Ben")
    plan = plan_with(w.problem())
    pairs = {a.trainee_id: (a.mentor_id, a.paired_trainee_id) for a in plan.assignments}
    assert pairs == {ann: (mentor, ben), ben: (mentor, ann)}
    assert plan.pairs == 2 and plan.unplaced == ()
    assert rule_errors(w.snapshot(), plan) == []


@pytest.mark.parametrize("plan_with", PLANNERS)
def test_pair_and_share_off_gives_each_mentor_one_trainee(plan_with):
    w = World(blocks=1, settings={"allow_pair_and_share": False})
    school = w.school("Hill Academy", 1)
    w.mentor(school, max_trainees=2)
    w.trainee("Ann")
    w.trainee("Ben", km=-2)
    plan = plan_with(w.problem())
    assert len(plan.assignments) == 1 and len(plan.unplaced) == 1
    assert plan.assignments[0].paired_trainee_id is None
    assert rule_errors(w.snapshot(), plan) == []


def test_a_mentor_who_takes_one_trainee_is_never_paired():
    w = World(blocks=1)
    school = w.school("Hill Academy", 1)
    w.mentor(school, max_trainees=1)
    w.trainee("Ann")
    w.trainee("Ben", km=-2)
    plan = plan_rotations(w.problem(), time_limit=10)
    assert len(plan.assignments) == 1 and len(plan.unplaced) == 1


def test_mentor_load_is_spread_before_pairing():
    # Two trainees, two mentors at one school, one of whom could take both: one each.
    w = World(blocks=1)
    school = w.school("Hill Academy", 1)
    w.mentor(school, max_trainees=2)
    w.mentor(school, max_trainees=1)
    w.trainee("Ann")
    w.trainee("Ben")
    plan = plan_rotations(w.problem(), time_limit=10)
    assert len({a.mentor_id for a in plan.assignments}) == 2
    assert plan.pairs == 0 and plan.status is PlanStatus.OPTIMAL


def test_a_pair_is_worth_a_little_travel_but_not_much():
    # Pairing costs as much as 5 km: Ben pairs up rather than travel 20 km more, but not 2 km.
    for extra_km, expect_pair in ((20, True), (2, False)):
        w = World(blocks=1)
        near = w.school("Near Academy", 1)
        far = w.school("Far Academy", 1 + extra_km)
        w.mentor(near, max_trainees=2)
        w.mentor(far)
        w.trainee("Ann")
        w.trainee("Ben")
        plan = plan_rotations(w.problem(), time_limit=10)
        assert (plan.pairs == 2) is expect_pair, extra_km
