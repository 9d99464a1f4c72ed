"""How few trainee-blocks any plan must leave empty: the linear relaxation of the counting problem.

The flow relaxations of :mod:`bounds` each drop one of the rules that bind together: blocks
apart forgets the distinct-schools rule, blocks together pools places over the year. On the large
demo they prove that 42 trainee-blocks can never be placed, while the best plans leave 44. The
linear relaxation of "place as many trainee-blocks as possible" keeps every rule at once
(per-block places of schools and mentors, and at most one block per school for a trainee who must
see three different schools), and on that demo its value is exactly 44: an exact proof, which a
MIP solver confirms in two minutes and GLOP gives in about ten seconds.

Its solution also shows where the plan should leave its gaps: placing the trainee-blocks the
relaxation places whole, then filling and improving by block flows (:func:`rounded_state`), gives
a plan leaving the least number unplaced where the greedy plan and the block flows left two or
three more, which neighbourhood search did not recover.
"""

from __future__ import annotations

import itertools
import logging
import math
import threading
from collections import defaultdict
from dataclasses import dataclass

from tsa_desktop.domain.progress import SILENT, Progress
from tsa_desktop.domain.rules import mentor_suits
from tsa_desktop.planner.flow import rebuild
from tsa_desktop.planner.prepared import Prepared
from tsa_desktop.planner.state import PlanState, fill_remaining

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class CountRelaxation:
    """The relaxation's answer.

    Attributes:
        least_unplaced: No plan leaves fewer trainee-blocks empty than this.
        values: (slot index, school id) to the share of the slot the relaxation places there
            (only the shares above zero).
    """

    least_unplaced: int
    values: dict[tuple[int, int], float]


def count_relaxation(prep: Prepared, *, time_limit: float = 60.0,
                     progress: Progress = SILENT) -> CountRelaxation | None:
    """Solve the linear relaxation of "leave as few trainee-blocks empty as possible".

    Args:
        prep: The indexed problem.
        time_limit: Seconds GLOP may take.
        progress: Cancelling it stops GLOP (then None is returned).

    Returns:
        The proven least number of empty trainee-blocks and the relaxation's solution, or None
        when GLOP did not finish in time (then nothing is proven).
    """
    from ortools.linear_solver.python import model_builder as mb  # loaded on first use

    if not prep.slots:
        return CountRelaxation(0, {})
    model = mb.Model()
    total = mb.LinearExpr.sum
    xs: list = []
    keys: list[tuple[int, int]] = []
    by_slot: dict[int, list] = defaultdict(list)
    by_pair: dict[tuple[int, int], list] = defaultdict(list)
    by_place: dict[tuple[int, int], dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for slot in prep.slots:
        tid = slot.trainee.id
        distinct = prep.repeat_allowance[tid] == 0
        kept = set(prep.kept_schools.get(tid, ()))
        for school_id in prep.open[slot.index]:
            if distinct and school_id in kept:
                continue
            x = model.new_num_var(0.0, 1.0, "")
            xs.append(x)
            keys.append((slot.index, school_id))
            by_slot[slot.index].append(x)
            if distinct:
                # With repeats allowed the rule is not "one block per school": left out, which
                # keeps this a relaxation.
                by_pair[(tid, school_id)].append(x)
            by_place[(school_id, slot.block.id)][slot.kind_no].append(x)
    for group in itertools.chain(by_slot.values(), by_pair.values()):
        if len(group) > 1:
            model.add(total(group) <= 1)
    for (school_id, block_id), kinds in by_place.items():
        everyone = [x for group in kinds.values() for x in group]
        if len(everyone) > prep.school_rem[(school_id, block_id)]:
            model.add(total(everyone) <= prep.school_rem[(school_id, block_id)])
        _mentor_places(model, prep, school_id, block_id, kinds)
    model.maximize(total(xs))
    solver = mb.Solver("glop")
    solver.set_time_limit_in_seconds(max(0.1, time_limit))
    done = threading.Event()
    watcher = threading.Thread(target=_watch_cancel, args=(progress, solver, done), daemon=True)
    watcher.start()
    try:
        status = solver.solve(model)
    finally:
        done.set()
        watcher.join()
    if status != mb.SolveStatus.OPTIMAL:
        log.info("counting relaxation: %s", status)
        return None
    placed = solver.objective_value
    # GLOP's tolerances may put the value a hair off: rounding up by a thousandth can only prove
    # less, never more than is true.
    least = max(0, len(prep.slots) - math.floor(placed + 1e-3))
    values = {key: float(v) for key, v in zip(keys, solver.values(xs)) if v > 1e-6}
    log.info("counting relaxation: at least %s of %s trainee-blocks stay empty", least, len(prep.slots))
    return CountRelaxation(least, values)


def _watch_cancel(progress: Progress, solver, done: threading.Event) -> None:
    while not done.wait(0.05):
        if progress.cancelled:
            solver.stop_search()
            return


def _mentor_places(model, prep: Prepared, school_id: int, block_id: int,
                   kinds: dict[int, list]) -> None:
    """Rows saying the school's mentors can take its trainees of each kind in the block.

    Mentors are grouped by the kinds present that they suit; a group suiting one kind adds its
    places to that kind, and a group suiting several shares its places between them through
    variables of their own (a transport problem: exact, as in :mod:`model`).
    """
    from ortools.linear_solver.python import model_builder as mb

    groups: dict[frozenset[int], int] = defaultdict(int)
    for mentor in prep.mentors_at.get(school_id, ()):
        places = prep.mentor_rem[(mentor.id, block_id)]
        served = frozenset(k for k in kinds if mentor_suits(mentor, *prep.kinds[k]))
        if places > 0 and served:
            groups[served] += places
    own: dict[int, int] = defaultdict(int)
    shares: dict[int, list] = defaultdict(list)
    for served, places in groups.items():
        if len(served) == 1:
            own[next(iter(served))] += places
            continue
        parts = [model.new_num_var(0.0, float(places), "") for _ in served]
        for k, part in zip(served, parts):
            shares[k].append(part)
        model.add(mb.LinearExpr.sum(parts) <= places)
    for k, group in kinds.items():
        if shares[k] or len(group) > own[k]:
            model.add(mb.LinearExpr.sum(group) - mb.LinearExpr.sum(shares[k]) <= own[k])


def rounded_state(prep: Prepared, relaxation: CountRelaxation) -> PlanState:
    """A plan following the relaxation: each slot it places mostly at one school goes there (if it
    still fits), then every slot that fits anywhere is added, nearest school first.

    The relaxation ignores travel: improve the result with the block flows.
    """
    choice = {index: school_id for (index, school_id), share in relaxation.values.items()
              if share > 0.5}
    state = rebuild(prep, choice)
    fill_remaining(state)
    return state
