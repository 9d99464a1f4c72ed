"""Mentors named for a finished school plan: a small min-cost matching per school and block.

The school plan already guarantees a matching exists (the CP-SAT model and :class:`PlanState`
both count mentor places exactly), so this step only chooses well among the matchings: a mentor's
first place before their pair-and-share place, mentors with fewer trainees over the year first,
and mentors whose refresher training is overdue last.
"""

from __future__ import annotations

from collections import Counter

from tsa_desktop.planner.prepared import Prepared, Slot
from tsa_desktop.planner.problem import PAIR_COST
from tsa_desktop.planner.state import PlanState

#: Cost of each trainee a mentor already has over the year: spreads load across mentors.
LOAD_COST = 10
#: Cost of a mentor whose refresher training is overdue.
OVERDUE_COST = 25
#: In a repair, naming another mentor than the placement has now costs this: keep what works.
MENTOR_CHANGE_COST = 1_000


def assign_mentors(prep: Prepared, state: PlanState) -> dict[int, tuple[int | None, int | None]]:
    """Name a mentor (and a pair-and-share partner) for every planned slot.

    Args:
        prep: The indexed problem.
        state: The schools chosen for the slots.

    Returns:
        Slot index to (mentor id, paired trainee id); the mentor is None only if no matching
        exists, which the planner's own checks rule out.
    """
    load: Counter[int] = Counter()
    for (mentor_id, _block), trainees in prep.mentor_kept.items():
        load[mentor_id] += len(trainees)
    result: dict[int, tuple[int | None, int | None]] = {}
    order = {b.id: i for i, b in enumerate(prep.blocks)}
    for (school_id, block_id) in sorted(state.at, key=lambda k: (order[k[1]], k[0])):
        slots = state.at[(school_id, block_id)]
        if not slots:
            continue
        chosen = _match(prep, school_id, block_id, slots, load)
        by_mentor: dict[int, list[int]] = {}
        for slot, mentor_id in zip(slots, chosen):
            if mentor_id is not None:
                load[mentor_id] += 1
                by_mentor.setdefault(mentor_id, list(prep.mentor_kept.get((mentor_id, block_id), ())))
                by_mentor[mentor_id].append(slot.trainee.id)
        for slot, mentor_id in zip(slots, chosen):
            partner = None
            if mentor_id is not None:
                others = [t for t in by_mentor[mentor_id] if t != slot.trainee.id]
                partner = others[0] if others else None
            result[slot.index] = (mentor_id, partner)
    return result


def _match(prep: Prepared, school_id: int, block_id: int, slots: list[Slot],
           load: Counter[int]) -> list[int | None]:
    from ortools.graph.python import min_cost_flow  # loaded on first use: start-up stays quick

    mentors = [m for m in prep.mentors_at.get(school_id, ()) if prep.mentor_rem[(m.id, block_id)] > 0]
    n, k = len(slots), len(mentors)
    source, sink = 0, n + k + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs: list[tuple[int, int, int]] = []  # (arc, slot position, mentor position)
    suits = {slot.kind_no: {m.id for m in prep.suitable(school_id, block_id, slot.kind_no)}
             for slot in slots}
    for i in range(n):
        flow.add_arc_with_capacity_and_unit_cost(source, 1 + i, 1, 0)
    for j, m in enumerate(mentors):
        cost = LOAD_COST * load[m.id] + (OVERDUE_COST if prep.overdue(m) else 0)
        for i, slot in enumerate(slots):
            if m.id in suits[slot.kind_no]:
                now = prep.current_mentor(slot)
                change = MENTOR_CHANGE_COST if now is not None and now != m.id else 0
                arcs.append((flow.add_arc_with_capacity_and_unit_cost(1 + i, 1 + n + j, 1, cost + change),
                             i, j))
        taken = bool(prep.mentor_kept.get((m.id, block_id))) or (m.id, block_id) in prep.reserved
        for place in range(prep.mentor_rem[(m.id, block_id)]):
            # A mentor's first place is free; every further trainee makes a pair and share.
            extra = PAIR_COST if (place > 0 or taken) else 0
            flow.add_arc_with_capacity_and_unit_cost(1 + n + j, sink, 1, extra)
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    chosen: list[int | None] = [None] * n
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        return chosen
    for arc, i, j in arcs:
        if flow.flow(arc) > 0:
            chosen[i] = mentors[j].id
    return chosen
