"""The automatic planner: greedy, block flows, a lower bound, then CP-SAT, within a time limit."""

from __future__ import annotations

import math
import threading
import time

from tsa_desktop.domain.progress import SILENT, Progress
from tsa_desktop.planner.bounds import lower_bound
from tsa_desktop.planner.flow import improve_by_blocks
from tsa_desktop.planner.greedy import greedy_state
from tsa_desktop.planner.prepared import Prepared
from tsa_desktop.planner.problem import Plan, PlanningProblem, PlanStatus
from tsa_desktop.planner.result import make_plan
from tsa_desktop.planner.state import PlanState, fill_remaining

#: Above this many (trainee, school) pairs each trainee keeps only its nearest schools.
PRUNE_ABOVE_PAIRS = 6_000
#: How many of its nearest candidate schools a trainee keeps when the problem is pruned.
PRUNE_TO = 12
#: At most this share of the time limit goes to the block-flow improvement before CP-SAT.
FLOW_SHARE = 0.3


def _watch_cancel(progress: Progress, solver, done: threading.Event) -> None:
    # CP-SAT only calls back when it finds a better plan; a cancel between plans (or during
    # presolve, where stop_search is not yet heard) must be repeated until the solve returns.
    while not done.wait(0.05):
        if progress.cancelled:
            solver.stop_search()


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
                   prune_to: int | None = None, gap_limit: float = 0.0) -> Plan:
    """Plan every empty trainee-block of the year.

    Locked, confirmed and completed placements stay as they are (proposed ones too when the
    problem says keep_proposed); every other trainee-block of a trainee who needs placements is
    planned so that no error-level rotation rule is broken, travel is short and mentor load is
    spread. Trainee-blocks that cannot be filled come back as unplaced, with the reason.

    The run: a nearest-first greedy plan; exact block-by-block flows that improve it; a lower
    bound from two flow relaxations (if the plan meets it, it is optimal and CP-SAT is skipped);
    then CP-SAT from that plan until optimal or out of time.

    Args:
        problem: The year to plan.
        time_limit: Seconds for the whole run, preparation included.
        progress: Receives reports as better plans are found; cancelling it stops the search.
        workers: CP-SAT search workers; more than the machine's cores makes it slower.
        prune_to: Give CP-SAT only each trainee's nearest N candidate schools; None decides by
            size (all up to 6,000 trainee-school pairs, else the nearest 12); 0 never prunes.
            The flows and the final filling pass always see every school.
        gap_limit: Stop once the plan is proven within this fraction of the best possible.

    Returns:
        The plan. "optimal" always means proven optimal for the whole problem. When CP-SAT
        finds nothing in time, the improved greedy plan comes back as "no solution in time".

    Raises:
        CancelledError: when the progress was cancelled; nothing is returned or changed.
    """
    from ortools.sat.python import cp_model  # 0.3 s to import: only when a plan is asked for

    from tsa_desktop.planner.model import build_model

    started = time.perf_counter()
    progress.report(0, 100, "Preparing the plan")
    prep = Prepared(problem)
    progress.check()
    greedy = greedy_state(prep)
    progress.report(2, 100, f"Greedy plan: cost {greedy.score():,}")
    progress.check()
    start = improve_by_blocks(prep, greedy, deadline=started + FLOW_SHARE * time_limit)
    bound = lower_bound(prep)
    start_cost = start.score()
    progress.report(5, 100, f"Improved plan: cost {start_cost:,}, bound {bound:,}")
    progress.check()
    if start_cost <= bound:
        plan = make_plan(prep, start, status=PlanStatus.OPTIMAL, method="greedy + flows",
                         bound=bound, started=started)
        progress.report(100, 100, plan.summary())
        return plan
    pairs = sum(len(c) for c in prep.candidates.values())
    keep = prune_to if prune_to is not None else (PRUNE_TO if pairs > PRUNE_ABOVE_PAIRS else 0)
    candidates = prune(prep, start, keep) if keep else prep.candidates
    built = build_model(prep, candidates, start, lower_bound=bound)
    progress.check()
    solver = cp_model.CpSolver()
    # Keep a moment at the end for the final pass, the mentor matching and the diagnosis.
    reserve = 0.1 + 0.0003 * len(prep.slots)
    solver.parameters.max_time_in_seconds = max(0.2, time_limit - (time.perf_counter() - started)
                                                - reserve)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.relative_gap_limit = gap_limit
    code = _solve(solver, built.model, progress, started, time_limit)
    progress.check()
    status = _status(cp_model, code)
    state, method = start, "greedy + flows (cp-sat found nothing in time)"
    if status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE):
        if not keep:
            bound = max(bound, math.ceil(solver.best_objective_bound - 1e-6))
        solved = _read_solution(prep, solver, built)
        if solved.score() <= start_cost:
            state, method = solved, "cp-sat"
        else:
            method = "greedy + flows (cp-sat found nothing better)"
    elif status is PlanStatus.INFEASIBLE:
        method = "greedy + flows (cp-sat called the model infeasible, which is a bug)"
    if keep or status is not PlanStatus.OPTIMAL:
        # A pruned model or a stopped search may leave room that the full candidate lists see.
        fill_remaining(state)
        state = improve_by_blocks(prep, state, max_rounds=2)
    if keep:
        method += f", nearest {keep} schools"
    if status is PlanStatus.OPTIMAL:
        status = PlanStatus.FEASIBLE  # make_plan calls it optimal only if the bound proves it
    plan = make_plan(prep, state, status=status, method=method, bound=bound, started=started)
    progress.report(100, 100, plan.summary())
    return plan


def _solve(solver, model, progress: Progress, started: float, time_limit: float) -> int:
    from ortools.sat.python import cp_model

    class Reporter(cp_model.CpSolverSolutionCallback):
        """Reports each better plan and stops the search once the user cancels."""

        def __init__(self) -> None:
            super().__init__()
            self.solutions = 0

        def on_solution_callback(self) -> None:
            self.solutions += 1
            if progress.cancelled:
                self.stop_search()
                return
            elapsed = time.perf_counter() - started
            done = min(99, 5 + int(95 * elapsed / time_limit)) if time_limit > 0 else 50
            progress.report(done, 100, f"Plan {self.solutions} found: cost "
                                       f"{self.objective_value:,.0f}, bound "
                                       f"{self.best_objective_bound:,.0f}")

    done = threading.Event()
    watcher = threading.Thread(target=_watch_cancel, args=(progress, solver, done), daemon=True)
    watcher.start()
    try:
        return solver.solve(model, Reporter())
    finally:
        done.set()
        watcher.join()


def _status(cp_model, code: int) -> PlanStatus:
    table = {cp_model.OPTIMAL: PlanStatus.OPTIMAL, cp_model.FEASIBLE: PlanStatus.FEASIBLE,
             cp_model.INFEASIBLE: PlanStatus.INFEASIBLE, cp_model.UNKNOWN: PlanStatus.NO_SOLUTION}
    if code not in table:
        raise RuntimeError(f"CP-SAT rejected the planning model (status {code})")
    return table[code]


def _read_solution(prep: Prepared, solver, built) -> PlanState:
    values = solver.response_proto.solution
    state = PlanState(prep)
    order = {b.id: i for i, b in enumerate(prep.blocks)}
    picked = [(prep.slots[i], s) for x, i, s in zip(built.xs, built.x_slot, built.x_school)
              if values[x.index]]
    picked.sort(key=lambda p: (order[p[0].block.id], p[0].index))
    for slot, school_id in picked:
        # The model counts mentor places exactly, so every pick fits; a pick that did not would
        # be left unplaced and diagnosed rather than break a rule.
        state.place(slot, school_id)
    return state
