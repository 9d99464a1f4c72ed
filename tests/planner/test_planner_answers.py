"""Small plans whose best answer is known by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tsa_desktop.domain.enums import Phase, Route, Subject
from tsa_desktop.domain.journeys import TravelMode, journey_minutes
from tsa_desktop.planner import PlanStatus, greedy_plan, plan_rotations
from tsa_desktop.planner.bounds import lower_bound
from tsa_desktop.planner.prepared import Prepared

from tests.planner.world import World, rule_errors, schools_of

PLANNERS = [pytest.param(greedy_plan, id="greedy"),
            pytest.param(lambda p: plan_rotations(p, time_limit=10), id="cp-sat")]


def minutes(km: float) -> int:
    """The planner's travel cost: the estimated journey by car, in minutes."""
    return journey_minutes(km, TravelMode.CAR)


@pytest.mark.parametrize("plan_with", PLANNERS)
def test_the_nearer_of_two_schools_is_chosen(plan_with):
    w = World(blocks=1)
    far = w.school("Far Academy", 20)
    near = w.school("Near Academy", 4)
    w.mentor(far)
    mentor = w.mentor(near)
    zoe = w.trainee("Zoe", km=0)
    plan = plan_with(w.problem())
    [only] = plan.assignments
    assert (only.trainee_id, only.school_id, only.mentor_id) == (zoe, near, mentor)
    assert only.km == pytest.approx(4.0)
    assert plan.status is PlanStatus.OPTIMAL and plan.objective == minutes(4) and plan.unplaced == ()


@pytest.mark.parametrize("plan_with", PLANNERS)
def test_three_blocks_and_three_schools_give_the_distinct_schools_rotation(plan_with):
    w = World(blocks=3)
    schools = [w.school(f"School {k}", k) for k in (1, 2, 30)]
    for s in schools:
        w.mentor(s)
    zoe = w.trainee("Zoe", km=0)
    plan = plan_with(w.problem())
    rotation = schools_of(plan, zoe)
    # The nearest school for every block would break the rule: each school exactly once.
    assert sorted(rotation.values()) == sorted(schools) and len(rotation) == 3
    assert plan.objective == minutes(1) + minutes(2) + minutes(30)
    assert rule_errors(w.snapshot(), plan) == []


def test_the_planner_beats_greedy_where_greedy_is_short_sighted():
    # One place at Middle School (1 km from Ann, 7 from Ben). Greedy serves Ann first and
    # sends Ben 18 km east; the best plan sends Ann 10 km east and gives Middle to Ben
    # (48 minutes of journeys against 44).
    w = World(blocks=1)
    middle = w.school("Middle School", -1, capacity=1)
    east = w.school("East School", 10)
    west = w.school("West School", -60)
    for s in (middle, east, west):
        w.mentor(s)
    ann = w.trainee("Ann", km=0)
    ben = w.trainee("Ben", km=-8)
    greedy = greedy_plan(w.problem())
    assert schools_of(greedy, ann) == {1: middle} and greedy.objective == minutes(1) + minutes(18)
    best = plan_rotations(w.problem(), time_limit=10)
    assert schools_of(best, ann) == {1: east} and schools_of(best, ben) == {1: middle}
    assert best.objective == minutes(10) + minutes(7) and best.status is PlanStatus.OPTIMAL
    assert best.best_bound == best.objective and best.gap == 0


def test_a_subject_mentor_decides_the_school():
    w = World(blocks=1)
    near = w.school("Near Academy", 1)
    far = w.school("Far Academy", 9)
    w.mentor(near, subjects=(Subject.CHEMISTRY,))
    physics = w.mentor(far, subjects=(Subject.PHYSICS, Subject.MATHEMATICS))
    w.trainee("Zoe", km=0, subject=Subject.PHYSICS)
    plan = plan_rotations(w.problem(), time_limit=10)
    [only] = plan.assignments
    assert (only.school_id, only.mentor_id) == (far, physics)


def test_a_primary_trainee_takes_any_primary_mentor_but_not_a_secondary_school():
    w = World(blocks=1)
    secondary = w.school("Near Academy", 1)
    primary = w.school("Far Primary", 8, phase=Phase.PRIMARY)
    w.mentor(secondary)
    teacher = w.mentor(primary, phase=Phase.PRIMARY, subjects=(Subject.PRIMARY,))
    w.trainee("Pia", km=0, phase=Phase.PRIMARY, subject=Subject.PRIMARY_MATHEMATICS)
    [only] = plan_rotations(w.problem(), time_limit=10).assignments
    assert (only.school_id, only.mentor_id) == (primary, teacher)


def test_a_mentor_teaching_two_subjects_serves_either_but_not_both_at_once():
    # Mo teaches physics and chemistry; Pat only chemistry. Physics must go to Mo, so
    # chemistry goes to Pat: a count per subject alone would have allowed both to use Mo.
    w = World(blocks=1)
    school = w.school("Both Academy", 0)
    mo = w.mentor(school, subjects=(Subject.PHYSICS, Subject.CHEMISTRY), name="Mo")
    pat = w.mentor(school, subjects=(Subject.CHEMISTRY,), name="Pat")
    phy = w.trainee("Phy", km=0, subject=Subject.PHYSICS)
    chem = w.trainee("Chem", km=0, subject=Subject.CHEMISTRY)
    w.settings["allow_pair_and_share"] = False
    plan = plan_rotations(w.problem(), time_limit=10)
    mentors = {a.trainee_id: a.mentor_id for a in plan.assignments}
    assert mentors == {phy: mo, chem: pat}


def test_a_salaried_trainee_gets_a_block_at_their_employer():
    w = World(blocks=3)
    schools = [w.school(f"School {k}", k) for k in (1, 2, 3, 12)]
    for s in schools:
        w.mentor(s)
    employer = schools[3]  # 12 km: farther than the three others, 9 km more than the third
    sal = w.trainee("Sal", km=0, route=Route.SCHOOL_DIRECT_SALARIED, employer=employer)
    plan = plan_rotations(w.problem(), time_limit=10)
    assert employer in schools_of(plan, sal).values()
    # Without the employer the same rotation would be the three nearest schools.
    w.trainees[0] = replace(w.trainees[0], route=Route.SCITT)
    plain = plan_rotations(w.problem(), time_limit=10)
    assert employer not in schools_of(plain, sal).values()


def test_the_lower_bound_never_exceeds_a_proven_optimum():
    w = World(blocks=2)
    a, b, c = (w.school(n, k, capacity=1) for n, k in (("A", 0), ("B", 5), ("C", 9)))
    for s in (a, b, c):
        w.mentor(s)
    for k in (0, 1, 2):
        w.trainee(f"T{k}", km=k)
    plan = plan_rotations(w.problem(), time_limit=10)
    assert plan.status is PlanStatus.OPTIMAL
    assert lower_bound(Prepared(w.problem())) <= plan.objective
    assert rule_errors(w.snapshot(), plan) == []
