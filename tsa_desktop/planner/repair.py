"""Repair a plan after a change with as few moves as possible.

When rules break after a change (a school stops hosting or closes, a mentor leaves or is away, a
trainee's subject changes), the placements that break them must be planned again. Around them,
placements in the same block at the schools they could go to may move too, so that a chain of
moves can make room; every movable placement is drawn to stay where it is (a confirmed one three
times as strongly as a proposed one). The objective, in order: nobody left unplaced who could be
placed, then fewest moves, then journeys (see :mod:`problem` for the weights).

The model is the planner's own CP-SAT model over that neighbourhood only, with every other
placement held where it is, so a repair of one school at 1,000 trainees takes seconds.
"""

from __future__ import annotations

import time
from collections import defaultdict

from tsa_desktop.domain.enums import PlacementStatus
from tsa_desktop.domain.progress import SILENT, Progress
from tsa_desktop.domain.rules import RotationSnapshot
from tsa_desktop.planner.flow import rebuild
from tsa_desktop.planner.model import build_model
from tsa_desktop.planner.prepared import Prepared
from tsa_desktop.planner.problem import Plan, PlanningProblem, PlanStatus
from tsa_desktop.planner.result import make_plan
from tsa_desktop.planner.search import picked, run_solver, status_of
from tsa_desktop.planner.state import PlanState, fill_remaining

#: How many of its nearest candidate schools a broken placement opens up for moves around it.
REACH = 20
#: The same for a trainee-block that was already empty.
EMPTY_REACH = 6
#: How many of its nearest schools each movable trainee may be moved to.
PRUNE_TO = 20


def repair_plan(snapshot: RotationSnapshot, broken: frozenset[int], *, today=None,
                time_limit: float = 10.0, progress: Progress = SILENT, workers: int = 2,
                reach: int = REACH) -> Plan:
    """Plan again the broken placements and the empty trainee-blocks, moving as few others as possible.

    Args:
        snapshot: The year as it is now.
        broken: Ids of the placements that break a rule and must be planned again (they stay at
            their school if another mentor there can take them).
        today: The date mentor refresher training is judged against.
        time_limit: Seconds for the whole repair.
        progress: Receives reports; cancelling it stops the search.
        workers: CP-SAT workers.
        reach: Nearest schools around each slot whose placements in that block may move.

    Returns:
        A plan whose assignments cover every movable placement (most of them where they are) and
        the empty trainee-blocks it could fill; ``unplaced`` are those it could not.
    """
    started = time.perf_counter()
    progress.report(0, 100, "Finding what the change broke")
    first = Prepared(PlanningProblem(snapshot, today=today, replan=broken))
    movable = set(broken) | _around(first, snapshot, reach)
    prep = Prepared(PlanningProblem(snapshot, today=today, replan=frozenset(movable)))
    progress.check()
    state = _stay_where_possible(prep)
    fill_remaining(state)
    progress.report(20, 100, f"Looking at {len(prep.slots):,} placements and empty trainee-blocks")
    candidates = _candidates(prep, state)
    built = build_model(prep, candidates, state)
    left = time_limit - (time.perf_counter() - started) - 0.1 - 0.0003 * len(prep.slots)
    code, solver = run_solver(built, time_limit=max(0.2, left), workers=workers, progress=progress)
    progress.check()
    status = status_of(code)
    if status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE):
        solved = rebuild(prep, dict(picked(built, solver)))
        if solved.score() <= state.score():
            state = solved
    fill_remaining(state)
    bound = state.score() if status is PlanStatus.OPTIMAL else 0
    plan = make_plan(prep, state, status=status if status is not PlanStatus.INFEASIBLE else PlanStatus.NO_SOLUTION,
                     method="repair (cp-sat over the neighbourhood)", bound=bound, started=started)
    progress.report(100, 100, "Done")
    return plan


def _around(prep: Prepared, snapshot: RotationSnapshot, reach: int) -> set[int]:
    """Placements in the same block at the nearest schools each slot to fill could use."""
    by_school_block: dict[tuple[int, int], list[int]] = defaultdict(list)
    for p in snapshot.placements:
        trainee = prep.trainees.get(p.trainee_id)
        if (p.id is not None and not p.locked and p.status is not PlacementStatus.CANCELLED
                and trainee is not None and trainee.status.needs_placements):
            by_school_block[(p.school_id, p.block_id)].append(p.id)
    out: set[int] = set()
    for slot in prep.slots:
        # Trainee-blocks that were empty before the change had their chance in earlier plans:
        # the placements the change broke look further afield.
        near = reach if slot.placement_id is not None else EMPTY_REACH
        for school_id in prep.candidates.get(slot.trainee.id, [])[:near]:
            out.update(by_school_block.get((school_id, slot.block.id), ()))
    return out


def _stay_where_possible(prep: Prepared) -> PlanState:
    """A starting plan: every movable placement where it is, if it still fits there (confirmed first)."""
    state = PlanState(prep)
    slots = [s for s in prep.slots if prep.stay(s)[0] is not None]
    slots.sort(key=lambda s: (-prep.stay(s)[1], s.block.position, s.trainee.id))
    for slot in slots:
        here, _ = prep.stay(slot)
        if here in prep.open[slot.index]:
            state.place(slot, here)  # type: ignore[arg-type]
    return state


def _candidates(prep: Prepared, state: PlanState) -> dict[int, list[int]]:
    """Each trainee's nearest schools, plus where they are now and where the start put them."""
    out: dict[int, list[int]] = {}
    for tid, schools in prep.candidates.items():
        chosen = set(schools[:PRUNE_TO])
        for slot in prep.slots_of[tid]:
            here, _ = prep.stay(slot)
            if here is not None:
                chosen.add(here)
            if slot.index in state.choice:
                chosen.add(state.choice[slot.index])
        employer = prep.employer(prep.trainees[tid])
        if employer is not None:
            chosen.add(employer)
        out[tid] = [s for s in schools if s in chosen]
    return out
