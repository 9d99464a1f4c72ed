"""The automatic planner: greedy, block flows, a lower bound, then CP-SAT, within a time limit.

The stages, each starting from the best plan so far:

1. greedy: nearest school first, most constrained trainees first (:mod:`greedy`);
2. flows: each block re-planned exactly with the others held, until nothing improves (:mod:`flow`);
3. the bound: two flow relaxations (:mod:`bounds`); a plan that meets it is optimal, done;
3a. while trainee-blocks are left empty: the linear relaxation of "leave as few empty as
   possible" (:mod:`counting`), which proves how many must stay empty (tightening the bound) and
   shows where: a plan rounded from it and improved by the block flows replaces the plan so far
   when it costs less;
4. CP-SAT on the whole year (problems up to a few thousand trainee-school pairs, such as an
   alliance of 121 trainees), hinted with the plan so far, which usually proves optimality;
5. CP-SAT on one neighbourhood at a time for the rest of the time (:mod:`lns`): large problems go
   straight here, since the whole-year model does not get anywhere in 30 s on two cores.
"""

from __future__ import annotations

import logging
import math
import time

from tsa_desktop.domain.progress import SILENT, Progress
from tsa_desktop.planner.bounds import lower_bound
from tsa_desktop.planner.counting import count_relaxation, rounded_state
from tsa_desktop.planner.flow import improve_by_blocks, rebuild
from tsa_desktop.planner.greedy import greedy_state
from tsa_desktop.planner.lns import improve_by_neighbourhoods
from tsa_desktop.planner.model import build_model
from tsa_desktop.planner.prepared import Prepared
from tsa_desktop.planner.problem import Plan, PlanningProblem, PlanStatus
from tsa_desktop.planner.result import make_plan
from tsa_desktop.planner.search import picked, progress_reporter, run_solver, status_of
from tsa_desktop.planner.state import PlanState, fill_remaining

log = logging.getLogger(__name__)

#: Up to this many (trainee, school) pairs CP-SAT gets the whole year as one model.
WHOLE_MODEL_PAIRS = 6_000
#: How many of its nearest candidate schools a trainee keeps in a pruned whole-year model.
PRUNE_TO = 12
#: At most this share of the time limit goes to the block flows.
FLOW_SHARE = 0.3
#: The whole-year model's share of the time left; neighbourhoods get the rest if it stops early.
WHOLE_SHARE = 0.6
#: At most this share of the time left goes to the counting relaxation (about 4 s of 25 on the
#: large demo; when it does not finish nothing is lost but the time).
COUNT_SHARE = 0.5


def prune(prep: Prepared, start: PlanState, keep: int) -> dict[int, list[int]]:
    """Each trainee's nearest ``keep`` candidate schools, plus their employer and the schools
    the starting plan used (so that it stays a complete hint)."""
    result = {}
    for tid, schools in prep.candidates.items():
        chosen = set(schools[:keep])
        employer = prep.employer(prep.trainees[tid])
        if employer in schools:
            chosen.add(employer)
        for slot in prep.slots_of[tid]:
            if slot.index in start.choice:
                chosen.add(start.choice[slot.index])
        result[tid] = [s for s in schools if s in chosen]
    return result


def plan_rotations(problem: PlanningProblem, *, time_limit: float = 30.0,
                   progress: Progress = SILENT, workers: int = 2,
                   whole_model: bool | None = None, prune_to: int | None = None,
                   gap_limit: float = 0.0, seed: int = 0, counting: bool = True) -> Plan:
    """Plan every empty trainee-block of the year.

    Locked, confirmed and completed placements stay as they are (proposed ones too when the
    problem says keep_proposed); every other trainee-block of a trainee who needs placements is
    planned so that no error-level rotation rule is broken, travel is short and mentor load is
    spread. Trainee-blocks that cannot be filled come back as unplaced, with the reason.

    Args:
        problem: The year to plan.
        time_limit: Seconds for the whole run, preparation included.
        progress: Receives reports as better plans are found; cancelling it stops the search.
        workers: CP-SAT search workers; more than the machine's cores makes it slower.
        whole_model: Give CP-SAT the whole year as one model first; None decides by size (up
            to 6,000 trainee-school pairs).
        prune_to: Keep only each trainee's nearest N schools in the whole-year model; None
            prunes to 12 above 6,000 pairs; 0 never prunes. Other stages see every school.
        gap_limit: Stop the whole-year search once within this fraction of the optimum.
        seed: Seeds the choice of neighbourhoods: the same seed repeats a run's choices.
        counting: While trainee-blocks are left empty, prove how many must be and follow the
            proof (:mod:`counting`); off only to compare with the planner without it.

    Returns:
        The plan. "optimal" always means proven optimal for the whole problem; "no solution
        in time" means CP-SAT found nothing and the plan is the greedy one improved by flows.

    Raises:
        CancelledError: when the progress was cancelled; nothing is returned or changed.
    """
    started = time.perf_counter()
    deadline = started + time_limit
    progress.report(0, 100, "Preparing the plan")
    prep = Prepared(problem)
    progress.check()
    greedy = greedy_state(prep)
    log.info("greedy plan: cost %s", greedy.score())
    progress.report(2, 100, prep.placed_words(len(greedy.choice)))
    progress.check()
    state = improve_by_blocks(prep, greedy, deadline=started + FLOW_SHARE * time_limit)
    bound = lower_bound(prep)
    stages = ["greedy", "flows"] if state.score() < greedy.score() else ["greedy"]
    log.info("after the block flows: cost %s, bound %s", state.score(), bound)
    progress.report(5, 100, prep.placed_words(len(state.choice)))
    progress.check()
    if state.score() <= bound:
        return _finish(prep, state, PlanStatus.OPTIMAL, stages, bound, started, progress)
    # Keep a moment at the end for the final pass, the mentor matching and the diagnosis.
    # (about 2 s at 2,500 trainee-blocks on a loaded two-core machine: measured by bench/planner.py)
    deadline -= 0.1 + 0.0008 * len(prep.slots)
    if counting and len(state.choice) < len(prep.slots):
        state, bound = _fewest_empty(prep, state, bound, stages, deadline, progress)
        progress.report(8, 100, prep.placed_words(len(state.choice)))
        progress.check()
        if state.score() <= bound:
            return _finish(prep, state, PlanStatus.OPTIMAL, stages, bound, started, progress)
    pairs = sum(len(c) for c in prep.candidates.values())
    searched = False
    if whole_model if whole_model is not None else pairs <= WHOLE_MODEL_PAIRS:
        keep = prune_to if prune_to is not None else (0 if pairs <= WHOLE_MODEL_PAIRS else PRUNE_TO)
        built = build_model(prep, prune(prep, state, keep) if keep else prep.candidates, state,
                            lower_bound=bound)
        share = 1.0 if pairs <= WHOLE_MODEL_PAIRS // 4 else WHOLE_SHARE
        code, solver = run_solver(
            built, time_limit=(deadline - time.perf_counter()) * share, workers=workers,
            progress=progress, gap_limit=gap_limit,
            on_solution=progress_reporter(progress, started, time_limit, prep.placed_words(len(state.choice))))
        progress.check()
        status = status_of(code)
        if status is PlanStatus.INFEASIBLE:
            # The model always allows leaving slots empty: this is a bug, not the user's data.
            return _finish(prep, state, status, stages, bound, started, progress)
        if status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE):
            searched = True
            if not keep:
                bound = max(bound, math.ceil(solver.best_objective_bound - 1e-6))
            solved = rebuild(prep, dict(picked(built, solver)))
            if solved.score() < state.score():
                state = solved
                stages.append("cp-sat")
    if state.score() > bound and deadline - time.perf_counter() > 0.5:
        better, solved = improve_by_neighbourhoods(prep, state, deadline=deadline,
                                                   progress=progress, workers=workers, seed=seed,
                                                   target=bound)
        progress.check()
        searched = searched or solved > 0
        if better.score() < state.score():
            state = better
            stages.append("cp-sat neighbourhoods")
    if state.score() > bound:
        # The last word goes to every school: a pruned model or a stopped search may have
        # left room that a simple pass sees.
        fill_remaining(state)
        state = improve_by_blocks(prep, state, max_rounds=2)
    status = PlanStatus.FEASIBLE if searched else PlanStatus.NO_SOLUTION
    return _finish(prep, state, status, stages, bound, started, progress)


def _fewest_empty(prep: Prepared, state: PlanState, bound: int, stages: list[str],
                  deadline: float, progress: Progress) -> tuple[PlanState, int]:
    """Prove how many trainee-blocks must stay empty, and follow the proof to a plan that
    leaves no more empty than that where it can."""
    relaxation = count_relaxation(prep, time_limit=COUNT_SHARE * (deadline - time.perf_counter()),
                                  progress=progress)
    if relaxation is None:
        return state, bound
    least = relaxation.least_unplaced
    if least > 0:
        bound = max(bound, lower_bound(prep, least))
    if len(prep.slots) - len(state.choice) > least:
        rounded = improve_by_blocks(prep, rounded_state(prep, relaxation),
                                    deadline=deadline - 0.5 * (deadline - time.perf_counter()))
        log.info("plan from the counting relaxation: %s empty (at least %s), cost %s against %s",
                 len(prep.slots) - len(rounded.choice), least, rounded.score(), state.score())
        if rounded.score() < state.score():
            state = rounded
            stages.append("counting")
    return state, bound


def _finish(prep: Prepared, state: PlanState, status: PlanStatus, stages: list[str], bound: int,
            started: float, progress: Progress) -> Plan:
    plan = make_plan(prep, state, status=status, method=" + ".join(stages), bound=bound,
                     started=started)
    log.info("plan: %s", plan.summary())
    progress.report(100, 100, prep.placed_words(len(state.choice), finished=True))
    return plan
