"""Running CP-SAT: time limit, workers, progress reports and cancelling from another thread."""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from ortools.sat.python import cp_model

from tsa_desktop.domain.progress import Progress
from tsa_desktop.planner.model import BuiltModel
from tsa_desktop.planner.problem import PlanStatus

log = logging.getLogger(__name__)

#: CP-SAT workers used on two cores: both LP-guided (the default pair includes a search
#: without the LP, which rarely helps these models).
SMALL_PORTFOLIO = ("max_lp", "default_lp")


def _watch_cancel(progress: Progress, solver, done: threading.Event) -> None:
    # CP-SAT only calls back when it finds a better plan; a cancel between plans (or during
    # presolve, where stop_search is not yet heard) must be repeated until the solve returns.
    while not done.wait(0.05):
        if progress.cancelled:
            solver.stop_search()


def run_solver(built: BuiltModel, *, time_limit: float, workers: int, progress: Progress,
               gap_limit: float = 0.0,
               on_solution: Callable[[float, float], None] | None = None):
    """Solve a model; stop early when the progress is cancelled.

    Args:
        built: The model.
        time_limit: Seconds for the search.
        workers: CP-SAT search workers (this machine has two cores; more makes it slower).
        progress: Checked for cancelling, from a solution callback and from a watcher thread.
        gap_limit: Stop once proven within this fraction of the optimum.
        on_solution: Called with (cost, bound) for each better solution.

    Returns:
        The CP-SAT status code and the solver, to read the answer from.
    """
    class Reporter(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            if progress.cancelled:
                self.stop_search()
            elif on_solution is not None:
                on_solution(self.objective_value, self.best_objective_bound)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.relative_gap_limit = gap_limit
    # The full LP relaxation (linearization level 2) is what closes these assignment models: on
    # the demo alliances the default portfolio was still 0.1-1% from the bound after 30 s,
    # while an LP-guided worker proves the optimum in about a second (bench/planner.py).
    solver.parameters.linearization_level = 2
    if workers <= len(SMALL_PORTFOLIO):
        solver.parameters.subsolvers.extend(SMALL_PORTFOLIO[:max(1, workers)])
    done = threading.Event()
    watcher = threading.Thread(target=_watch_cancel, args=(progress, solver, done), daemon=True)
    watcher.start()
    try:
        code = solver.solve(built.model, Reporter())
    finally:
        done.set()
        watcher.join()
    return code, solver


def status_of(code: int) -> PlanStatus:
    """The plan status for a CP-SAT status code."""
    table = {cp_model.OPTIMAL: PlanStatus.OPTIMAL, cp_model.FEASIBLE: PlanStatus.FEASIBLE,
             cp_model.INFEASIBLE: PlanStatus.INFEASIBLE, cp_model.UNKNOWN: PlanStatus.NO_SOLUTION}
    if code not in table:
        raise RuntimeError(f"CP-SAT rejected the planning model (status {code})")
    return table[code]


def picked(built: BuiltModel, solver) -> list[tuple[int, int]]:
    """(slot index, school id) of every candidate the solution takes."""
    values = solver.response_proto.solution
    return [(i, s) for x, i, s in zip(built.xs, built.x_slot, built.x_school) if values[x.index]]


def progress_reporter(progress: Progress, started: float, time_limit: float,
                      words: str) -> Callable[[float, float], None]:
    """An on_solution callback: the bar follows the time, the words say what is placed so far
    ("Placed 2,410 of 2,463 - still improving"); cost and bound go to the log only."""
    count = [0]

    def report(cost: float, bound: float) -> None:
        count[0] += 1
        elapsed = time.perf_counter() - started
        done = min(99, 5 + int(94 * elapsed / time_limit)) if time_limit > 0 else 50
        log.debug("CP-SAT solution %d: cost %.0f, bound %.0f", count[0], cost, bound)
        progress.report(done, 100, words)

    return report
