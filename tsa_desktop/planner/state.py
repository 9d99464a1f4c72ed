"""A plan being built: which school each slot got, and proof that the mentors can cover it.

Each school-block keeps a matching of its trainees to mentor places (a mentor with pair and
share has two places), grown by augmenting paths. So "does this trainee still fit here?" is
answered exactly, trainees already there may switch mentors to make room, and the greedy
planner, the repair pass and the diagnosis all use the same test.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from tsa_desktop.planner.prepared import Prepared, Slot
from tsa_desktop.planner.problem import EMPLOYER_MISS_COST, PAIR_COST, UNPLACED_COST

Unit = tuple[int, int]  # (mentor id, which of the mentor's places)


class PlanState:
    """Schools chosen so far for the slots of a :class:`Prepared` problem."""

    def __init__(self, prep: Prepared) -> None:
        self.prep = prep
        self.choice: dict[int, int] = {}
        self.at: dict[tuple[int, int], list[Slot]] = defaultdict(list)
        self.owner: dict[tuple[int, int], dict[Unit, Slot]] = defaultdict(dict)
        self.schools_of: dict[int, Counter[int]] = {
            tid: Counter(prep.kept_schools.get(tid, ())) for tid in prep.slots_of}

    # -- what fits --------------------------------------------------------------------------

    def school_full(self, school_id: int, block_id: int) -> bool:
        return len(self.at[(school_id, block_id)]) >= self.prep.school_rem[(school_id, block_id)]

    def repeat_ok(self, trainee_id: int, school_id: int) -> bool:
        """True when one more block at the school keeps within the distinct-schools rule."""
        used = self.schools_of[trainee_id]
        if used[school_id] == 0:
            return True
        repeats = sum(used.values()) - len(used)
        return repeats + 1 <= self.prep.repeat_allowance[trainee_id]

    def fits(self, slot: Slot, school_id: int) -> bool:
        """True when the slot's trainee could be added at the school without breaking a rule."""
        if slot.index in self.choice or self.school_full(school_id, slot.block.id):
            return False
        if not self.repeat_ok(slot.trainee.id, school_id):
            return False
        key = (school_id, slot.block.id)
        trial = dict(self.owner[key])
        return self._augment(key, trial, slot, set())

    def place(self, slot: Slot, school_id: int) -> bool:
        """Add the slot at the school if it fits; False (and no change) when it does not."""
        if not self.fits(slot, school_id):
            return False
        key = (school_id, slot.block.id)
        self._augment(key, self.owner[key], slot, set())
        self.choice[slot.index] = school_id
        self.at[key].append(slot)
        self.schools_of[slot.trainee.id][school_id] += 1
        return True

    def would_pair(self, school_id: int, block_id: int) -> bool:
        """True when one more trainee there would have to share a mentor."""
        return len(self.at[(school_id, block_id)]) + 1 > self.prep.singles[(school_id, block_id)]

    def at_employer(self, trainee_id: int) -> bool:
        employer = self.prep.employer(self.prep.trainees[trainee_id])
        return employer is None or self.schools_of[trainee_id][employer] > 0

    def _augment(self, key: tuple[int, int], owner: dict[Unit, Slot], slot: Slot,
                 seen: set[Unit]) -> bool:
        school_id, block_id = key
        for mentor in self.prep.suitable(school_id, block_id, slot.kind_no):
            for k in range(self.prep.mentor_rem[(mentor.id, block_id)]):
                unit = (mentor.id, k)
                if unit in seen:
                    continue
                seen.add(unit)
                other = owner.get(unit)
                if other is None or self._augment(key, owner, other, seen):
                    owner[unit] = slot
                    return True
        return False

    # -- scoring ------------------------------------------------------------------------------

    def score(self) -> int:
        """The plan's cost, counted exactly as the CP-SAT model counts it."""
        return score_choice(self.prep, self.choice)

    def travel_km(self) -> float:
        return sum(self.prep.km.get((self.prep.slots[i].trainee.id, s)) or 0.0
                   for i, s in self.choice.items())


def score_choice(prep: Prepared, choice: dict[int, int]) -> int:
    """The cost of a plan given as slot index to school id (see :mod:`problem` for the units)."""
    total = UNPLACED_COST * (len(prep.slots) - len(choice))
    per_school: Counter[tuple[int, int]] = Counter()
    at_employer: set[int] = set()
    for index, school_id in choice.items():
        slot = prep.slots[index]
        total += prep.cost[(slot.trainee.id, school_id)]
        per_school[(school_id, slot.block.id)] += 1
        if school_id == prep.employer(slot.trainee):
            at_employer.add(slot.trainee.id)
    for key, count in per_school.items():
        total += PAIR_COST * max(0, count - prep.singles[key])
    for tid in prep.slots_of:
        if prep.employer(prep.trainees[tid]) is not None and tid not in at_employer:
            total += EMPLOYER_MISS_COST
    if prep.current:
        for slot in prep.slots:
            here, stay = prep.stay(slot)
            if stay and choice.get(slot.index) != here:
                total += stay
    return total


def fill_remaining(state: PlanState) -> int:
    """Place every unplaced slot that still fits anywhere, nearest school first.

    CP-SAT only sees each trainee's nearest schools when the problem is large, and may stop
    early; this pass makes sure nothing is left unplaced that could simply be added.

    Returns:
        How many slots it placed.
    """
    prep = state.prep
    placed = 0
    waiting = [s for s in prep.slots if s.index not in state.choice]
    waiting.sort(key=lambda s: (len(prep.candidates[s.trainee.id]), s.trainee.id, s.block.position))
    for slot in waiting:
        for school_id in prep.open[slot.index]:
            if state.place(slot, school_id):
                placed += 1
                break
    return placed
