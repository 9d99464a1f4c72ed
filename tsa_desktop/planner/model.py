"""The CP-SAT model: one boolean per (slot, candidate school), mentor places counted per school.

As MEASURED.md found, a boolean per (trainee, block, mentor) is far too slow; instead each
school-block says "trainees of a kind here <= places of mentors of that kind". Where a mentor
suits more than one kind present (an all-through mentor, a teacher of two subjects) a small
integer flow shares that mentor's places between kinds, so the count is exact: any solution has a
mentor matching, which :mod:`mentors` then finds.

Cost: travel (tenths of a km) + 100,000 per empty slot + 50 per pair and share + 200 per
salaried trainee with no block at their employer. Empty slots are allowed, so the model is never
infeasible as a whole.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from tsa_desktop.domain.rules import mentor_suits
from tsa_desktop.planner.prepared import Prepared, Slot, TypeKey
from tsa_desktop.planner.problem import EMPLOYER_MISS_COST, PAIR_COST, UNPLACED_COST
from tsa_desktop.planner.state import PlanState


def _sum(xs: list) -> cp_model.LinearExpr:
    return cp_model.LinearExpr.sum(xs)


@dataclass
class BuiltModel:
    """A CP-SAT model and how to read a plan back from it."""

    model: cp_model.CpModel
    xs: list[cp_model.IntVar]
    x_slot: list[int]
    x_school: list[int]


class _Builder:
    def __init__(self, prep: Prepared, candidates: dict[int, list[int]], hint: PlanState | None,
                 slots: list[Slot] | None, forced: dict[int, int] | None):
        self.prep = prep
        self.m = cp_model.CpModel()
        self.hint = hint
        self.slots = prep.slots if slots is None else slots
        self.forced = forced or {}
        self.free_trainees = sorted({s.trainee.id for s in self.slots
                                     if s.index not in self.forced})
        self.terms: list[cp_model.IntVar] = []
        self.coeffs: list[int] = []
        self.offset = UNPLACED_COST * sum(1 for s in self.slots if s.index not in self.forced)
        self.xs: list[cp_model.IntVar] = []
        self.x_slot: list[int] = []
        self.x_school: list[int] = []
        self.by_sb: dict[tuple[int, int], dict[TypeKey, list[cp_model.IntVar]]] = defaultdict(
            lambda: defaultdict(list))
        self.by_ts: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
        self.by_t: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        self._variables(candidates)

    def _set_hint(self, var: cp_model.IntVar, value: int) -> None:
        if self.hint is not None:
            self.m.add_hint(var, value)

    def _objective(self, var: cp_model.IntVar, coeff: int) -> None:
        self.terms.append(var)
        self.coeffs.append(coeff)

    def _variables(self, candidates: dict[int, list[int]]) -> None:
        prep, chosen = self.prep, (self.hint.choice if self.hint else {})
        for slot in self.slots:
            tid, bid = slot.trainee.id, slot.block.id
            if slot.index in self.forced:
                # Another trainee's place, held fixed: it only uses up places here.
                self.by_sb[(self.forced[slot.index], bid)][slot.kind].append(self.m.new_constant(1))
                continue
            kept = set(prep.kept_schools.get(tid, ()))
            no_repeat = prep.repeat_allowance[tid] == 0
            mine = []
            allowed = set(candidates[tid])
            employer = prep.employer(slot.trainee)
            here, stay = prep.stay(slot)
            # A repair pays for every placement that leaves its school, unless it stays.
            self.offset += stay
            for sid in prep.open[slot.index]:
                if (no_repeat and sid in kept) or sid not in allowed:
                    continue
                x = self.m.new_bool_var("")
                self._set_hint(x, int(chosen.get(slot.index) == sid))
                cost = prep.cost[(tid, sid)] - UNPLACED_COST
                if sid == here:
                    cost -= stay
                if no_repeat and sid == employer:
                    # At most one block at a school: the bonus sits on the variable itself (an
                    # extra "is at employer" variable made proofs over ten times slower).
                    cost -= EMPLOYER_MISS_COST
                self._objective(x, cost)
                self.xs.append(x)
                self.x_slot.append(slot.index)
                self.x_school.append(sid)
                self.by_sb[(sid, bid)][slot.kind].append(x)
                self.by_ts[(tid, sid)].append(x)
                self.by_t[tid].append(x)
                mine.append(x)
            if len(mine) > 1:
                self.m.add_at_most_one(mine)

    def school_blocks(self) -> None:
        prep = self.prep
        for (sid, bid), kinds in self.by_sb.items():
            everyone = [x for xs in kinds.values() for x in xs]
            if len(everyone) > prep.school_rem[(sid, bid)]:
                self.m.add(_sum(everyone) <= prep.school_rem[(sid, bid)])
            self._mentor_places(sid, bid, kinds)
            singles = prep.singles[(sid, bid)]
            if prep.settings.allow_pair_and_share and len(everyone) > singles:
                pairs = self.m.new_int_var(0, len(everyone) - singles, "")
                self.m.add(pairs >= _sum(everyone) - singles)
                self._objective(pairs, PAIR_COST)
                if self.hint is not None:
                    self._set_hint(pairs, max(0, len(self.hint.at.get((sid, bid), ())) - singles))

    def _mentor_places(self, sid: int, bid: int, kinds: dict[TypeKey, list[cp_model.IntVar]]) -> None:
        prep = self.prep
        groups: dict[frozenset[TypeKey], int] = defaultdict(int)
        group_of: dict[int, frozenset[TypeKey]] = {}
        for mentor in prep.mentors_at.get(sid, ()):
            rem = prep.mentor_rem[(mentor.id, bid)]
            served = frozenset(k for k in kinds if mentor_suits(mentor, *k))
            if rem > 0 and served:
                groups[served] += rem
                group_of[mentor.id] = served
        fixed: dict[TypeKey, int] = defaultdict(int)
        for served, cap in groups.items():
            if len(served) == 1:
                fixed[next(iter(served))] += cap
        # A kind its own mentors can always cover needs no constraint and no share of others.
        tight = {k for k, xs in kinds.items() if len(xs) > fixed[k]}
        shares: dict[TypeKey, list[cp_model.IntVar]] = defaultdict(list)
        share_hint = self._share_hint(sid, bid, group_of) if self.hint is not None else {}
        for served, cap in groups.items():
            if len(served) == 1:
                continue
            useful = served & tight
            if len(useful) == 1:
                fixed[next(iter(useful))] += cap
            elif len(useful) > 1:
                parts = []
                for k in useful:
                    f = self.m.new_int_var(0, min(cap, len(kinds[k])), "")
                    self._set_hint(f, share_hint.get((served, k), 0))
                    shares[k].append(f)
                    parts.append(f)
                self.m.add(_sum(parts) <= cap)
        for k in tight:
            self.m.add(_sum(kinds[k]) <= fixed[k] + _sum(shares[k]))

    def _share_hint(self, sid: int, bid: int, group_of: dict[int, frozenset[TypeKey]]
                    ) -> dict[tuple[frozenset[TypeKey], TypeKey], int]:
        counts: dict[tuple[frozenset[TypeKey], TypeKey], int] = defaultdict(int)
        for (mentor_id, _place), slot in self.hint.owner.get((sid, bid), {}).items():  # type: ignore[union-attr]
            served = group_of.get(mentor_id)
            if served is not None:
                counts[(served, slot.kind)] += 1
        return counts

    def rotations(self) -> None:
        prep = self.prep
        for tid in self.free_trainees:
            allowance = prep.repeat_allowance[tid]
            if allowance == 0:
                for sid in prep.candidates[tid]:
                    xs = self.by_ts.get((tid, sid), ())
                    if len(xs) > 1:
                        self.m.add_at_most_one(xs)
            else:
                self._distinct_with_repeats(tid, allowance)
            self._employer(tid)

    def _distinct_with_repeats(self, tid: int, allowance: int) -> None:
        prep = self.prep
        kept = prep.kept_schools.get(tid, [])
        used = []
        for sid in prep.candidates[tid]:
            xs = self.by_ts.get((tid, sid))
            if not xs or sid in kept:
                continue
            y = self.m.new_bool_var("")
            self.m.add(y <= _sum(xs))
            if self.hint is not None:
                self._set_hint(y, int(self.hint.schools_of[tid][sid] > 0))
            used.append(y)
        placed = _sum(self.by_t.get(tid, [])) + len(kept)
        self.m.add(placed - _sum(used) - len(set(kept)) <= allowance)

    def _employer(self, tid: int) -> None:
        employer = self.prep.employer(self.prep.trainees[tid])
        if employer is None:
            return
        self.offset += EMPLOYER_MISS_COST
        xs = self.by_ts.get((tid, employer))
        if not xs or self.prep.repeat_allowance[tid] == 0:
            return
        there = self.m.new_bool_var("")
        self.m.add(there <= _sum(xs))
        self._objective(there, -EMPLOYER_MISS_COST)
        if self.hint is not None:
            self._set_hint(there, int(self.hint.schools_of[tid][employer] > 0))

    def build(self, lower_bound: int | None) -> BuiltModel:
        self.school_blocks()
        self.rotations()
        cost = cp_model.LinearExpr.weighted_sum(self.terms, self.coeffs) + self.offset
        if lower_bound is not None:
            # A bound proven elsewhere (flow relaxations) spares CP-SAT from proving it again.
            self.m.add(cost >= lower_bound)
        self.m.minimize(cost)
        return BuiltModel(self.m, self.xs, self.x_slot, self.x_school)


def build_model(prep: Prepared, candidates: dict[int, list[int]],
                hint: PlanState | None = None, lower_bound: int | None = None, *,
                slots: list[Slot] | None = None, forced: dict[int, int] | None = None
                ) -> BuiltModel:
    """Build the CP-SAT model over each trainee's candidate schools.

    Args:
        prep: The indexed problem.
        candidates: Trainee id to the schools the model may use (all, or the nearest few).
        hint: A plan to start from; every variable gets a hint from it.
        lower_bound: A cost no plan can beat, added as a constraint.
        slots: Only these slots (a neighbourhood); all of the problem's if None. A trainee's
            slots are either all free or all forced.
        forced: Slot index to the school it is held at: counted at that school, not planned.
    """
    return _Builder(prep, candidates, hint, slots, forced).build(lower_bound)
