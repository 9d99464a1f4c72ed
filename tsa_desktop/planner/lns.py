"""Large problems: CP-SAT on one neighbourhood at a time (large neighbourhood search).

On 1,000 trainees CP-SAT over the whole year spends its time on presolve and the LP and finds
little in 30 s on two cores (MEASURED.md saw the same). Here it gets one neighbourhood at a time:
a few dozen trainees, freed in all their blocks, around an unplaced trainee-block or around a
random trainee's home, with everybody else held where they are. Such a model is solved to
optimality in a fraction of a second and may move several trainees across blocks at once, which
the block-by-block flows cannot. A neighbourhood's answer is kept only if the whole plan costs
less.
"""

from __future__ import annotations

import logging

import math
import random
import time

from tsa_desktop.domain.progress import Progress
from tsa_desktop.planner.flow import rebuild
from tsa_desktop.planner.prepared import Prepared, Slot
from tsa_desktop.planner.problem import PlanStatus
from tsa_desktop.planner.search import picked, run_solver, status_of
from tsa_desktop.planner.state import PlanState, score_choice

#: Trainees freed at once; their slots, and everybody's places at their candidate schools, form
#: the model.
NEIGHBOURHOOD = 50
#: Seconds CP-SAT gets for one neighbourhood.
STEP_LIMIT = 1.5

log = logging.getLogger(__name__)


def _near(prep: Prepared, centre: int, pool: list[int], count: int) -> list[int]:
    home = prep.trainees[centre].home
    if home is None:
        return pool[:count]

    def km(tid: int) -> float:
        other = prep.trainees[tid].home
        return math.inf if other is None else home.km_to(other)

    return sorted(pool, key=km)[:count]


def _neighbourhood(prep: Prepared, state: PlanState, rng: random.Random, size: int) -> list[int]:
    """Trainees to free: competitors of an unplaced trainee-block, or a random one's neighbours."""
    stuck = [s for s in prep.slots if s.index not in state.choice
             and any(state.schools_of[s.trainee.id][x] == 0 for x in prep.open[s.index])]
    if stuck and rng.random() < 0.6:
        slot = rng.choice(stuck)
        centre = slot.trainee.id
        rivals = {other.trainee.id for school_id in prep.open[slot.index]
                  for b in prep.blocks for other in state.at.get((school_id, b.id), ())}
        rivals.discard(centre)
        pool = sorted(rivals)
    else:
        centre = rng.choice(sorted(prep.slots_of))
        pool = [t for t in prep.slots_of if t != centre]
    return [centre] + _near(prep, centre, pool, size - 1)


def _step(prep: Prepared, state: PlanState, freed: list[int], time_limit: float,
          workers: int, progress: Progress) -> dict[int, int] | None:
    """The best choices for the freed trainees' slots with everybody else held."""
    from tsa_desktop.planner.model import build_model

    free_ids = set(freed)
    free_slots: list[Slot] = [s for t in freed for s in prep.slots_of[t]]
    touched = {(school_id, s.block.id) for s in free_slots for school_id in prep.open[s.index]}
    forced: dict[int, int] = {}
    held: list[Slot] = []
    for key in touched:
        for other in state.at.get(key, ()):
            if other.trainee.id not in free_ids:
                forced[other.index] = key[0]
                held.append(other)
    built = build_model(prep, prep.candidates, state, slots=free_slots + held, forced=forced)
    code, solver = run_solver(built, time_limit=time_limit, workers=workers, progress=progress)
    if status_of(code) not in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE):
        return None
    choice = {i: s for i, s in state.choice.items() if prep.slots[i].trainee.id not in free_ids}
    choice.update(picked(built, solver))
    return choice


def improve_by_neighbourhoods(prep: Prepared, state: PlanState, *, deadline: float,
                              progress: Progress, workers: int = 2, seed: int = 0,
                              size: int = NEIGHBOURHOOD, target: float = -math.inf
                              ) -> tuple[PlanState, int]:
    """Re-plan neighbourhood after neighbourhood with CP-SAT until the deadline.

    Args:
        prep: The indexed problem.
        state: The plan to start from; it is not changed.
        deadline: ``time.perf_counter()`` value to stop by.
        progress: Told of each better plan; cancelling it stops the search.
        workers: CP-SAT workers per neighbourhood.
        seed: Seeds the choice of neighbourhoods, so that a run can be repeated.
        size: Trainees freed per neighbourhood.
        target: Stop once the plan costs this little (a proven lower bound).

    Returns:
        A plan costing no more than ``state``, and how many neighbourhoods CP-SAT solved.
    """
    rng = random.Random(seed)
    solved = 0
    best, best_score = state, state.score()
    started = time.perf_counter()
    span = max(deadline - started, 1e-9)
    while not progress.cancelled and best_score > target:
        left = deadline - time.perf_counter()
        if left < 0.3:
            break
        freed = _neighbourhood(prep, best, rng, min(size, len(prep.slots_of)))
        choice = _step(prep, best, freed, min(STEP_LIMIT, left), workers, progress)
        if choice is None:
            continue
        solved += 1
        score = score_choice(prep, choice)
        if score < best_score:
            best, best_score = rebuild(prep, choice), score
            done = 5 + int(90 * (time.perf_counter() - started) / span)
            log.debug("neighbourhood search: better plan, cost %s", best_score)
            progress.report(min(99, done), 100, prep.placed_words(len(best.choice)))
    return best, solved
