"""Lower bounds on any plan's cost, from two min-cost flow relaxations.

CP-SAT's own bound covers only the model it was given, which leaves out far schools when the
problem is pruned, and on 1,000 trainees it barely moves in 30 s. Two relaxations that a flow
solves exactly in well under a second give a true bound for the whole problem instead:

* blocks apart: each block planned on its own, forgetting the distinct-schools rule;
* blocks together: the distinct-schools rule kept, but each school's and mentor's places pooled
  over the year, as if a place free in Spring could serve in Autumn.

Every real plan is a solution of both, at no higher cost, so the larger of the two is a bound.

When another proof says that every plan leaves at least so many trainee-blocks empty (the counting
relaxation of :mod:`counting`), both flows are made to leave that many empty too: still true of
every plan, and on the large demo two empty trainee-blocks more, about 4% of the cost.
"""

from __future__ import annotations

from tsa_desktop.planner.flow import Network, add_block, solve_block
from tsa_desktop.planner.prepared import Prepared
from tsa_desktop.planner.problem import EMPLOYER_MISS_COST


def _employer_offset(prep: Prepared) -> int:
    # The flows pay the employer bonus as a discount; plans pay a penalty for a miss instead.
    return EMPLOYER_MISS_COST * sum(1 for t in prep.slots_of
                                    if prep.employer(prep.trainees[t]) is not None)


def blocks_apart(prep: Prepared, least_empty: int = 0) -> int:
    """Each block on its own: capacity exact, the distinct-schools rule forgotten."""
    if not least_empty:
        return sum(solve_block(prep, {}, b.id, free=True)[1] for b in prep.blocks) + _employer_offset(prep)
    # The least number empty is for the year: the blocks share one network to share it out.
    net = Network(least_empty)
    for b in prep.blocks:
        net.scope = b.id
        add_block(net, prep, {}, b.id, free=True)
    solved = net.solve([])
    return (solved[0] if solved else 0) + _employer_offset(prep)


def blocks_together(prep: Prepared, least_empty: int = 0) -> int:
    """The year at once: the distinct-schools rule kept, places pooled over the blocks."""
    net = Network(least_empty)
    kinds_at: dict[int, set[int]] = {}
    for slot in prep.slots:
        tid = slot.trainee.id
        here = net.source(("slot", slot.index))
        allowance = prep.repeat_allowance[tid]
        kept = prep.kept_schools.get(tid, ())
        employer = prep.employer(slot.trainee)
        for school_id in prep.open[slot.index]:
            if allowance == 0 and school_id in kept:
                continue
            pair = ("pair", tid, school_id)
            fresh = pair not in net.nodes
            there = net.node(pair)
            if fresh:
                net.arc(there, net.node(("kind", school_id, slot.kind_no)), 1 + allowance, 0)
                kinds_at.setdefault(school_id, set()).add(slot.kind_no)
            cost = prep.cost[(tid, school_id)]
            if school_id == employer:
                cost -= EMPLOYER_MISS_COST
            net.arc(here, there, 1, cost)
    net.mentors_and_schools(prep, kinds_at, [b.id for b in prep.blocks])
    solved = net.solve([])
    return (solved[0] if solved else 0) + _employer_offset(prep)


def lower_bound(prep: Prepared, least_empty: int = 0) -> int:
    """A cost no plan of the whole problem can beat.

    Args:
        prep: The indexed problem.
        least_empty: A proven least number of trainee-blocks that every plan leaves empty.
    """
    if not prep.slots:
        return 0
    least_empty = min(least_empty, len(prep.slots))
    return max(blocks_apart(prep, least_empty), blocks_together(prep, least_empty))
