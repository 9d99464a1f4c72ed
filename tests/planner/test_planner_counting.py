"""The counting relaxation: how many trainee-blocks every plan must leave empty, proven."""

from __future__ import annotations

import pytest

from tsa_desktop.domain.enums import Subject
from tsa_desktop.planner import PlanningProblem, PlanStatus, plan_rotations
from tsa_desktop.planner.bounds import blocks_apart, blocks_together, lower_bound
from tsa_desktop.planner.counting import count_relaxation, rounded_state
from tsa_desktop.planner.prepared import Prepared
from tsa_desktop.planner.problem import UNPLACED_COST
from tsa_desktop.planner.synthetic import synthetic_snapshot

from tests.planner.world import TODAY, World, rule_errors


def two_traps() -> World:
    """Two blocks, two different schools each. Two trainee-blocks can never be placed, yet each
    flow relaxation sees only one of them:

    * Pat (physics) has one school, Alder, so can have only one of the two blocks: the flows with
      blocks apart miss this, the flow with blocks together sees it;
    * Quinn and Rory (chemistry) have Birch and Cedar, four places in the first block but only
      one (at Cedar) in the second: the flow with blocks together pools the places over both
      blocks and misses it.
    """
    w = World(blocks=2)
    alder = w.school("Alder", 1)
    birch = w.school("Birch", 2)
    cedar = w.school("Cedar", 3)
    w.mentor(alder, subjects=(Subject.PHYSICS,))
    for school in (birch, birch, cedar):
        w.mentor(school, subjects=(Subject.CHEMISTRY,), unavailable=(2,))
    w.mentor(cedar, subjects=(Subject.CHEMISTRY,))
    w.trainee("Pat", km=0, subject=Subject.PHYSICS)
    w.trainee("Quinn", km=0, subject=Subject.CHEMISTRY)
    w.trainee("Rory", km=0, subject=Subject.CHEMISTRY)
    return w


def test_the_counting_relaxation_proves_what_neither_flow_does():
    prep = Prepared(two_traps().problem())
    relaxation = count_relaxation(prep)
    assert relaxation is not None and relaxation.least_unplaced == 2
    # Each flow alone (travel aside) proves one fewer.
    assert blocks_apart(prep) // UNPLACED_COST == 1
    assert blocks_together(prep) // UNPLACED_COST == 1
    assert lower_bound(prep) < lower_bound(prep, 2)


def test_the_plan_leaves_only_the_impossible_empty_and_is_proven_optimal():
    w = two_traps()
    plan = plan_rotations(w.problem(), time_limit=10)
    assert len(plan.unplaced) == 2 and len(plan.assignments) == 4
    assert plan.status is PlanStatus.OPTIMAL and plan.gap == 0
    assert plan.best_bound == lower_bound(Prepared(w.problem()), 2) == plan.objective
    assert rule_errors(w.snapshot(), plan) == []


def test_the_bound_with_a_least_number_empty_stays_below_every_plan():
    # A count lower than the truth only weakens the bound; the true count meets the optimum.
    w = two_traps()
    prep = Prepared(w.problem())
    plan = plan_rotations(w.problem(), time_limit=10)
    bounds = [lower_bound(prep, least) for least in range(3)]
    assert bounds == sorted(bounds) and bounds[-1] <= plan.objective


def test_a_plan_rounded_from_the_relaxation_keeps_the_rules():
    w = two_traps()
    prep = Prepared(w.problem())
    state = rounded_state(prep, count_relaxation(prep))
    assert len(prep.slots) - len(state.choice) == 2
    schools = {}
    for index, school_id in state.choice.items():
        schools.setdefault(prep.slots[index].trainee.id, []).append(school_id)
    assert all(len(set(v)) == len(v) for v in schools.values())  # a different school each block


def test_nothing_to_place_needs_no_proof():
    w = World(blocks=1)
    w.school("Alder", 1)
    prep = Prepared(w.problem())
    relaxation = count_relaxation(prep)
    assert relaxation is not None and relaxation.least_unplaced == 0


@pytest.mark.parametrize("size, seed", [("small", 0), ("small", 1), ("small", 2), ("alliance", 2)])
def test_the_least_number_empty_is_what_a_proven_optimal_plan_leaves(size, seed):
    # The optimum is proven by CP-SAT alone (without the counting stage), so the two proofs are
    # independent: the relaxation must never claim more, and on these alliances it is exact.
    problem = PlanningProblem(synthetic_snapshot(size, seed), today=TODAY)
    plan = plan_rotations(problem, time_limit=30, counting=False)
    assert plan.status is PlanStatus.OPTIMAL and plan.unplaced
    relaxation = count_relaxation(Prepared(problem))
    assert relaxation is not None and relaxation.least_unplaced == len(plan.unplaced)
    assert lower_bound(Prepared(problem), relaxation.least_unplaced) <= plan.objective
