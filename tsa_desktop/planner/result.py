"""Turn a finished school plan into a :class:`Plan`: mentors, pairs, reasons, figures."""

from __future__ import annotations

import time

from tsa_desktop.planner.diagnosis import diagnose
from tsa_desktop.planner.mentors import assign_mentors
from tsa_desktop.planner.prepared import Prepared
from tsa_desktop.planner.problem import (
    Assignment,
    Plan,
    PlanStatus,
    Unplaced,
)
from tsa_desktop.planner.state import PlanState


def make_plan(prep: Prepared, state: PlanState, *, status: PlanStatus, method: str,
              bound: float, started: float) -> Plan:
    """Name mentors and pairs, diagnose what is unplaced, and measure the plan.

    Args:
        prep: The indexed problem.
        state: The schools chosen.
        status: How good the solver says the plan is.
        method: Which planner made it, for the record.
        bound: The best lower bound known for the plan's cost.
        started: ``time.perf_counter()`` at the start of the run.
    """
    mentors = assign_mentors(prep, state)
    order = {b.id: i for i, b in enumerate(prep.blocks)}
    assignments = []
    for index, school_id in state.choice.items():
        slot = prep.slots[index]
        mentor_id, partner = mentors.get(index, (None, None))
        assignments.append(Assignment(slot.trainee.id, slot.block.id, school_id, mentor_id,
                                      partner, slot.placement_id,
                                      prep.km.get((slot.trainee.id, school_id))))
    assignments.sort(key=lambda a: (order[a.block_id], prep.trainees[a.trainee_id].name, a.trainee_id))
    unplaced = tuple(Unplaced(s.trainee.id, s.block.id, diagnose(prep, state, s), s.placement_id)
                     for s in prep.slots if s.index not in state.choice)
    objective = state.score()
    bound = min(bound, objective)
    if status in (PlanStatus.FEASIBLE, PlanStatus.NO_SOLUTION) and bound >= objective:
        status = PlanStatus.OPTIMAL  # the bound proves it, whichever planner found it
    elif status is PlanStatus.OPTIMAL and bound < objective:
        status = PlanStatus.FEASIBLE  # optimal only for a pruned model: not proven for all
    gap = (objective - bound) / objective if objective > 0 else 0.0
    pairs = sum(1 for a in assignments if a.paired_trainee_id is not None)
    return Plan(tuple(assignments), unplaced, status, float(objective), float(bound), gap,
                time.perf_counter() - started, method, round(state.travel_km(), 1), pairs)
