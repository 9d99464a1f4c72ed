"""The nearest-first greedy planner: the benchmark baseline, CP-SAT's hint and its fallback."""

from __future__ import annotations

import time

from tsa_desktop.domain.progress import SILENT, Progress
from tsa_desktop.planner.prepared import Prepared
from tsa_desktop.planner.problem import EMPLOYER_MISS_COST, PAIR_COST, Plan, PlanningProblem, PlanStatus
from tsa_desktop.planner.bounds import lower_bound
from tsa_desktop.planner.result import make_plan
from tsa_desktop.planner.state import PlanState


def greedy_state(prep: Prepared) -> PlanState:
    """Place trainees one at a time, fewest candidate schools first, each block at the cheapest
    school that still fits (nearest, preferring a mentor to themselves and their employer)."""
    state = PlanState(prep)
    for tid in sorted(prep.slots_of, key=lambda t: (len(prep.candidates[t]), t)):
        employer = prep.employer(prep.trainees[tid])
        for slot in prep.slots_of[tid]:
            best, best_cost = None, 0
            for school_id in prep.open[slot.index]:
                base = prep.cost[(tid, school_id)]
                if best is not None and base - EMPLOYER_MISS_COST >= best_cost:
                    break  # candidates come nearest first: nothing further on can be cheaper
                bonus = EMPLOYER_MISS_COST if school_id == employer and not state.at_employer(tid) else 0
                if best is not None and base - bonus >= best_cost:
                    continue
                if not state.fits(slot, school_id):
                    continue
                cost = base - bonus + (PAIR_COST if state.would_pair(school_id, slot.block.id) else 0)
                if best is None or cost < best_cost:
                    best, best_cost = school_id, cost
            if best is not None:
                state.place(slot, best)
    return state


def greedy_plan(problem: PlanningProblem, progress: Progress = SILENT) -> Plan:
    """Plan with the nearest-first greedy heuristic alone (fast, not optimal).

    Args:
        problem: The year to plan.
        progress: Receives a report at the start and the end; checked for cancelling.

    Returns:
        A plan with status feasible, its cost, and a simple lower bound.

    Raises:
        CancelledError: if the progress was cancelled.
    """
    started = time.perf_counter()
    progress.report(0, 100, "Preparing the plan")
    prep = Prepared(problem)
    progress.check()
    state = greedy_state(prep)
    progress.check()
    plan = make_plan(prep, state, status=PlanStatus.FEASIBLE, method="greedy",
                     bound=lower_bound(prep), started=started)
    progress.report(100, 100, plan.summary())
    return plan
