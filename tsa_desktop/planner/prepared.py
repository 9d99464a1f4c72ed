"""The planning problem indexed once: slots to fill, capacities left, candidate schools, costs.

Greedy, the CP-SAT model, mentor matching and the diagnosis all read this one structure, so they
agree on what is allowed. Kept placements (locked, confirmed, completed; proposed ones too when
asked) use up school and mentor capacity before anything is planned.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass

from tsa_desktop.domain.enums import Phase, PlacementStatus, Subject
from tsa_desktop.domain.journeys import journey_minutes
from tsa_desktop.domain.rules import (
    BlockInfo,
    MentorInfo,
    PlacementInfo,
    TraineeInfo,
    mentor_capacity,
    mentor_suits,
    mentor_usable,
    needs_subject_mentor,
    refresher_due,
    school_hosts,
    school_takes,
)
from tsa_desktop.planner.problem import STAY_CONFIRMED, STAY_PROPOSED, UNITS_PER_MINUTE, PlanningProblem

#: What a mentor must suit: the trainee's phase, and subject when a subject mentor is needed.
TypeKey = tuple[Phase, Subject | None]


@dataclass(frozen=True)
class Slot:
    """One trainee-block to fill; ``placement_id`` is the proposed placement it replaces."""

    index: int
    trainee: TraineeInfo
    block: BlockInfo
    kind: TypeKey
    placement_id: int | None
    kind_no: int = 0  # the kind as a small number: enum tuples hash slowly in hot loops


def type_of(trainee: TraineeInfo) -> TypeKey:
    """The kind of mentor a trainee needs."""
    return (trainee.phase, trainee.subject if needs_subject_mentor(trainee) else None)


class Prepared:
    """Indexes a :class:`PlanningProblem` for the planners. Built once per run."""

    def __init__(self, problem: PlanningProblem) -> None:
        snap = problem.snapshot
        self.problem = problem
        self.settings = snap.settings
        self.today = problem.today or dt.date.today()
        self.blocks = sorted(snap.blocks, key=lambda b: (b.position, b.start, b.id))
        self.trainees = {t.id: t for t in snap.trainees}
        self.schools = {s.id: s for s in snap.schools}
        self.mentors = {m.id: m for m in snap.mentors}
        self.mentors_at: dict[int, list[MentorInfo]] = defaultdict(list)
        for m in snap.mentors:
            self.mentors_at[m.school_id].append(m)
        self._suitable: dict[tuple[int, int, int], list[MentorInfo]] = {}
        self._split_placements(snap.placements, problem.keep_proposed)
        self._capacities()
        self._make_slots()
        self.kinds = {n: k for k, n in self.kind_no.items()}
        self._candidates()

    # -- placements kept and slots to fill ------------------------------------------------------

    def _split_placements(self, placements: tuple[PlacementInfo, ...], keep_proposed: bool) -> None:
        self.kept: list[PlacementInfo] = []
        self.replaced: dict[tuple[int, int], int | None] = {}
        replan = self.problem.replan
        #: A repair's movable placements by id: each slot is drawn to stay where it is.
        self.current: dict[int, PlacementInfo] = {}
        for p in placements:
            if p.status is PlacementStatus.CANCELLED:
                continue
            trainee = self.trainees.get(p.trainee_id)
            if replan is not None:
                movable = p.id in replan
            else:
                movable = not (p.locked or p.status.fixed or keep_proposed)
            if movable and trainee is not None and trainee.status.needs_placements:
                self.replaced[(p.trainee_id, p.block_id)] = p.id
                if replan is not None:
                    self.current[p.id] = p  # type: ignore[index]
            else:
                self.kept.append(p)
        self.kept_schools: dict[int, list[int]] = defaultdict(list)
        kept_blocks: dict[int, set[int]] = defaultdict(set)
        for p in self.kept:
            self.kept_schools[p.trainee_id].append(p.school_id)
            kept_blocks[p.trainee_id].add(p.block_id)
        self.kept_blocks = kept_blocks

    def _capacities(self) -> None:
        s = self.settings
        self.mentor_rem: dict[tuple[int, int], int] = {}
        for m in self.mentors.values():
            for b in self.blocks:
                self.mentor_rem[(m.id, b.id)] = mentor_capacity(m, s) if mentor_usable(m, b.id) else 0
        big = len(self.trainees) + len(self.kept) + 1
        self.school_rem: dict[tuple[int, int], int] = {}
        for school in self.schools.values():
            cap = big if school.capacity_per_block is None else school.capacity_per_block
            for b in self.blocks:
                self.school_rem[(school.id, b.id)] = cap
        self.mentor_kept: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.reserved: set[tuple[int, int]] = set()
        unmentored: list[PlacementInfo] = []
        for p in self.kept:
            key = (p.school_id, p.block_id)
            if key in self.school_rem:
                self.school_rem[key] = max(0, self.school_rem[key] - 1)
            if p.mentor_id in self.mentors and (p.mentor_id, p.block_id) in self.mentor_rem:
                mkey = (p.mentor_id, p.block_id)
                self.mentor_rem[mkey] = max(0, self.mentor_rem[mkey] - 1)
                self.mentor_kept[mkey].append(p.trainee_id)
            else:
                unmentored.append(p)
        # A kept placement with no mentor yet will need one: hold a suitable mentor's place for it
        # so that the plan does not give that place away.
        for p in unmentored:
            trainee = self.trainees.get(p.trainee_id)
            if trainee is None:
                continue
            kind = type_of(trainee)
            free = [m for m in self.mentors_at.get(p.school_id, ())
                    if self.mentor_rem.get((m.id, p.block_id), 0) > 0 and mentor_suits(m, *kind)]
            if free:
                m = max(free, key=lambda m: (self.mentor_rem[(m.id, p.block_id)], -m.id))
                self.mentor_rem[(m.id, p.block_id)] -= 1
                self.reserved.add((m.id, p.block_id))
        # A mentor whose first place is free: a trainee there is not (yet) a pair and share.
        self.singles = {key: 0 for key in self.school_rem}
        for (mid, bid), rem in self.mentor_rem.items():
            if rem > 0 and not self.mentor_kept.get((mid, bid)) and (mid, bid) not in self.reserved:
                self.singles[(self.mentors[mid].school_id, bid)] = (
                    self.singles.get((self.mentors[mid].school_id, bid), 0) + 1)

    def _make_slots(self) -> None:
        self.kind_no: dict[TypeKey, int] = {}
        self.slots: list[Slot] = []
        self.slots_of: dict[int, list[Slot]] = defaultdict(list)
        for t in sorted(self.trainees.values(), key=lambda t: t.id):
            if not t.status.needs_placements:
                continue
            for b in self.blocks:
                if b.id in self.kept_blocks.get(t.id, ()):
                    continue
                kind = type_of(t)
                number = self.kind_no.setdefault(kind, len(self.kind_no))
                slot = Slot(len(self.slots), t, b, kind, self.replaced.get((t.id, b.id)), number)
                self.slots.append(slot)
                self.slots_of[t.id].append(slot)
        need = self.settings.min_distinct_schools
        self.repeat_allowance: dict[int, int] = {}
        for tid in self.slots_of:
            kept = self.kept_schools.get(tid, [])
            already = len(kept) - len(set(kept))
            self.repeat_allowance[tid] = max(len(self.blocks) - need, 0, already)

    # -- mentors and candidate schools --------------------------------------------------------

    def suitable(self, school_id: int, block_id: int, kind_no: int) -> list[MentorInfo]:
        """Mentors at the school with a place left in the block who suit the kind of trainee."""
        key = (school_id, block_id, kind_no)
        found = self._suitable.get(key)
        if found is None:
            kind = self.kinds[kind_no]
            found = [m for m in self.mentors_at.get(school_id, ())
                     if self.mentor_rem[(m.id, block_id)] > 0 and mentor_suits(m, *kind)]
            self._suitable[key] = found
        return found

    def _candidates(self) -> None:
        settings = self.settings
        self.km: dict[tuple[int, int], float | None] = {}
        #: Estimated journey minutes by the trainee's way of travelling: the cost of travel.
        self.minutes: dict[tuple[int, int], int] = {}
        too_far: set[tuple[int, int]] = set()
        for tid in self.slots_of:
            t = self.trainees[tid]
            mode = t.travel_mode
            for s in self.schools.values():
                if t.home is not None and s.location is not None:
                    d = t.home.km_to(s.location)
                    self.km[(tid, s.id)] = d
                    self.minutes[(tid, s.id)] = journey_minutes(d, mode)
                    if settings.too_far(d, mode):
                        too_far.add((tid, s.id))
        # A school or home with no coordinates costs the typical journey: neither favoured nor
        # avoided.
        self.neutral_minutes = statistics.median(self.minutes.values()) if self.minutes else 0.0
        hosts: dict[TypeKey, list[int]] = {}
        self.candidates: dict[int, list[int]] = {}
        self.cost: dict[tuple[int, int], int] = {}
        for tid, slots in self.slots_of.items():
            t = self.trainees[tid]
            kind = slots[0].kind
            if kind not in hosts:
                hosts[kind] = [s.id for s in self.schools.values()
                               if any(mentor_suits(m, *kind) and m.active and m.trained
                                      for m in self.mentors_at.get(s.id, ()))]
            chosen = []
            for sid in hosts[kind]:
                if self.schools[sid].closed or not school_takes(self.schools[sid], t):
                    continue
                if (tid, sid) in too_far:
                    continue
                minutes = self.minutes.get((tid, sid))
                cost = round((self.neutral_minutes if minutes is None else minutes) * UNITS_PER_MINUTE)
                self.cost[(tid, sid)] = cost
                chosen.append(sid)
            chosen.sort(key=lambda sid: (self.cost[(tid, sid)], sid))
            self.candidates[tid] = chosen
        #: Per slot: the candidate schools with a place left for it once kept placements are
        #: counted, nearest first. Planning only ever narrows this list.
        self.open: list[list[int]] = [
            [sid for sid in self.candidates[slot.trainee.id] if self.open_for(slot, sid)]
            for slot in self.slots]

    def open_for(self, slot: Slot, school_id: int) -> bool:
        """True when the school could take the slot's trainee in its block before any planning."""
        return (self.school_rem[(school_id, slot.block.id)] > 0
                and school_hosts(self.schools[school_id], slot.block.id)
                and bool(self.suitable(school_id, slot.block.id, slot.kind_no)))

    def placed_words(self, placed_slots: int, *, finished: bool = False) -> str:
        """"Placed 2,410 of 2,463 - still improving": the progress as the window shows it.

        Args:
            placed_slots: Slots the plan so far fills (kept placements are counted as placed).
            finished: The search is over (then no "still improving").
        """
        kept = sum(1 for p in self.kept if (t := self.trainees.get(p.trainee_id)) is not None
                   and t.status.needs_placements)
        words = f"Placed {placed_slots + kept:,} of {len(self.slots) + kept:,}"
        return words if finished else words + " - still improving"

    def stay(self, slot: Slot) -> tuple[int | None, int]:
        """In a repair, the school the slot's placement is at now and what leaving it costs."""
        p = self.current.get(slot.placement_id) if slot.placement_id is not None else None
        if p is None:
            return None, 0
        return p.school_id, STAY_CONFIRMED if p.status.fixed else STAY_PROPOSED

    def current_mentor(self, slot: Slot) -> int | None:
        """In a repair, the mentor the slot's placement has now (kept if the school is)."""
        p = self.current.get(slot.placement_id) if slot.placement_id is not None else None
        return p.mentor_id if p is not None else None

    def overdue(self, mentor: MentorInfo) -> bool:
        """True when the mentor's refresher training is overdue (used last, not refused)."""
        due = refresher_due(mentor, self.settings.refresher_years)
        return due is not None and due < self.today

    def employer(self, trainee: TraineeInfo) -> int | None:
        """The employing school a salaried trainee should spend a block at, if still to plan."""
        e = trainee.employing_school_id
        if not trainee.route.salaried or e is None or e in self.kept_schools.get(trainee.id, ()):
            return None
        return e
