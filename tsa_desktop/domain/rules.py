"""Rotation rules: pure checks of trainees' placements over a training year.

The database layer builds a :class:`RotationSnapshot` of plain frozen dataclasses (the facts are
in :mod:`tsa_desktop.domain.rotation_facts`, re-exported here); the checks here (and the planner)
read nothing else. :func:`check_rotations` lists every problem of a year; :func:`check_placement`
checks one edit quickly against a :class:`RotationIndex` built once. Cancelled placements are
ignored everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from tsa_desktop.domain.enums import PLACEMENT_PHASES, PlacementStatus
from tsa_desktop.domain.rotation_facts import (  # noqa: F401  (re-exported: the rules' vocabulary)
    BlockInfo,
    MentorInfo,
    PlacementInfo,
    Problem,
    RuleSettings,
    SchoolInfo,
    Severity,
    TraineeInfo,
    mentor_capacity,
    mentor_suits,
    mentor_usable,
    needs_subject_mentor,
    refresher_due,
    school_hosts,
    school_takes,
    subject_words,
)


@dataclass(frozen=True, eq=False)
class RotationSnapshot:
    """Everything the rotation rules and the planner need for one academic year."""

    trainees: tuple[TraineeInfo, ...]
    blocks: tuple[BlockInfo, ...]
    schools: tuple[SchoolInfo, ...]
    mentors: tuple[MentorInfo, ...]
    placements: tuple[PlacementInfo, ...]
    settings: RuleSettings = RuleSettings()
    _index: "RotationIndex | None" = field(default=None, init=False, repr=False, compare=False)

    def index(self) -> "RotationIndex":
        """The snapshot's lookup tables, built on first use and then reused."""
        if self._index is None:
            # A frozen dataclass may still cache derived data that never changes its meaning.
            object.__setattr__(self, "_index", RotationIndex(self))
        return self._index  # type: ignore[return-value]


class RotationIndex:
    """Lookup tables over a snapshot, built once and queried per edit or per rule."""

    def __init__(self, snapshot: RotationSnapshot) -> None:
        self.snapshot = snapshot
        self.settings = snapshot.settings
        self.trainees = {t.id: t for t in snapshot.trainees}
        self.blocks = {b.id: b for b in snapshot.blocks}
        self.schools = {s.id: s for s in snapshot.schools}
        self.mentors = {m.id: m for m in snapshot.mentors}
        self.ordered_blocks = sorted(snapshot.blocks, key=lambda b: (b.position, b.start, b.id))
        self.active = [p for p in snapshot.placements if p.status is not PlacementStatus.CANCELLED]
        self.by_trainee: dict[int, list[PlacementInfo]] = defaultdict(list)
        self.by_mentor_block: dict[tuple[int, int], list[PlacementInfo]] = defaultdict(list)
        self.by_school_block: dict[tuple[int, int], list[PlacementInfo]] = defaultdict(list)
        for p in self.active:
            self.by_trainee[p.trainee_id].append(p)
            self.by_school_block[(p.school_id, p.block_id)].append(p)
            if p.mentor_id is not None:
                self.by_mentor_block[(p.mentor_id, p.block_id)].append(p)

    # -- names for messages ----------------------------------------------------------------

    def trainee_name(self, trainee_id: int | None) -> str:
        t = self.trainees.get(trainee_id)  # type: ignore[arg-type]
        return t.name if t else f"trainee #{trainee_id}"

    def block_name(self, block_id: int) -> str:
        b = self.blocks.get(block_id)
        return b.name if b else f"block #{block_id}"

    def school_name(self, school_id: int) -> str:
        s = self.schools.get(school_id)
        return s.name if s else f"school #{school_id}"

    # -- checks ----------------------------------------------------------------------------

    def placement_problems(self, p: PlacementInfo, today: dt.date) -> list[Problem]:
        """Problems of one placement on its own (no counting against other placements)."""
        out: list[Problem] = []

        def add(severity: Severity, code: str, message: str) -> None:
            out.append(Problem(severity, code, message, p.trainee_id, p.block_id, p.id))

        trainee = self.trainees.get(p.trainee_id)
        block = self.blocks.get(p.block_id)
        school = self.schools.get(p.school_id)
        for thing, what, key in ((trainee, "trainee", p.trainee_id), (block, "block", p.block_id),
                                 (school, "school", p.school_id)):
            if thing is None:
                add(Severity.ERROR, "unknown_reference", f"a placement refers to {what} #{key}, "
                    "which is not in this year's data")
        if trainee is None or block is None or school is None:
            return out
        who, when = trainee.name, block.name
        if not trainee.status.needs_placements:
            add(Severity.WARNING, "trainee_not_training",
                f"{who} is {trainee.status.label.lower()} but still placed at {school.name} in {when}")
        if school.closed:
            if block.end >= today:
                # A block that is over is history; one to come cannot happen at a closed school.
                add(Severity.ERROR, "school_closed", f"{who} is placed at {school.name} in {when}, "
                    "which is closed, according to GIAS")
        else:
            reason = school.not_hosting_reason(p.block_id)
            if reason is not None:
                add(Severity.ERROR, "school_not_hosting", f"{school.name} is not hosting in {when}"
                    + (f" ({reason})" if reason else "") + f": {who} is placed there")
        if not school_takes(school, trainee):
            add(Severity.ERROR, "phase_mismatch", f"{who} ({trainee.phase.label.lower()}) is placed "
                f"at {school.name}, a {school.phase.label.lower()} school, in {when}")
        if trainee.home is not None and school.location is not None:
            too_far = self.settings.too_far(trainee.home.km_to(school.location), trainee.travel_mode)
            if too_far:
                add(Severity.WARNING, "travel_too_far", f"{who}'s placement at {school.name} in "
                    f"{when} is {too_far}")
        if p.mentor_id is None:
            add(Severity.WARNING, "no_mentor", f"{who} has no mentor named yet at {school.name} in {when}")
            return out
        mentor = self.mentors.get(p.mentor_id)
        if mentor is None:
            add(Severity.ERROR, "unknown_reference",
                f"{who}'s placement in {when} names mentor #{p.mentor_id}, who is not on record")
            return out
        m = mentor.name
        if mentor.school_id != p.school_id:
            add(Severity.ERROR, "mentor_wrong_school", f"{who}'s mentor {m} in {when} works at "
                f"{self.school_name(mentor.school_id)}, not at {school.name}")
        if mentor.phase not in PLACEMENT_PHASES[trainee.phase]:
            add(Severity.ERROR, "phase_mismatch", f"{who} ({trainee.phase.label.lower()}) has mentor "
                f"{m}, a {mentor.phase.label.lower()} mentor, in {when}")
        if needs_subject_mentor(trainee) and trainee.subject not in mentor.subjects:
            add(Severity.ERROR, "subject_mismatch", f"{who}'s mentor {m} in {when} does not teach "
                f"{trainee.subject.label.lower()}")
        if not mentor.active:
            add(Severity.ERROR, "mentor_inactive", f"{who}'s mentor {m} in {when} is no longer active")
        if p.block_id in mentor.unavailable_block_ids:
            add(Severity.ERROR, "mentor_unavailable", f"{who}'s mentor {m} is not available in {when}")
        due = refresher_due(mentor, self.settings.refresher_years)
        if due is None:
            add(Severity.ERROR, "mentor_untrained", f"{who}'s mentor {m} in {when} has never had "
                "mentor training")
        elif due < today:
            add(Severity.WARNING, "refresher_overdue", f"{who}'s mentor {m} in {when} was due "
                f"refresher training on {due.isoformat()}")
        return out

    def capacity_problems(self) -> list[Problem]:
        """Mentors and schools with more trainees in a block than they may take."""
        out: list[Problem] = []
        for (mentor_id, block_id), group in self.by_mentor_block.items():
            mentor = self.mentors.get(mentor_id)
            if mentor is None:
                continue
            limit = mentor_capacity(mentor, self.settings)
            if len(group) > limit:
                out.append(self._mentor_over(mentor, block_id, group, limit))
        for (school_id, block_id), group in self.by_school_block.items():
            school = self.schools.get(school_id)
            if school is None or school.capacity_per_block is None:
                continue
            if len(group) > school.capacity_per_block:
                out.append(self._school_over(school, block_id, group))
        return out

    def _mentor_over(self, mentor: MentorInfo, block_id: int, group: list[PlacementInfo],
                     limit: int) -> Problem:
        names = ", ".join(self.trainee_name(p.trainee_id) for p in group)
        why = ("pair and share is turned off" if mentor.max_trainees >= 2
               else "not a pair-and-share mentor") if limit == 1 else "pair and share"
        last = group[-1]
        return Problem(Severity.ERROR, "mentor_over_capacity",
                       f"mentor {mentor.name} has {len(group)} trainees in {self.block_name(block_id)} "
                       f"({names}); the limit is {limit} ({why})", last.trainee_id, block_id, last.id)

    def _school_over(self, school: SchoolInfo, block_id: int, group: list[PlacementInfo]) -> Problem:
        last = group[-1]
        return Problem(Severity.ERROR, "school_over_capacity",
                       f"{school.name} has {len(group)} trainees in {self.block_name(block_id)}; "
                       f"its capacity is {school.capacity_per_block} a block",
                       last.trainee_id, block_id, last.id)

    def trainee_problems(self, trainee: TraineeInfo, rotation: list[PlacementInfo]) -> list[Problem]:
        """Problems of a whole rotation: duplicates, distinct schools, employer, days."""
        out: list[Problem] = []
        who, s = trainee.name, self.settings
        seen: dict[int, PlacementInfo] = {}
        for p in rotation:
            if p.block_id in seen:
                out.append(Problem(Severity.ERROR, "duplicate_block", f"{who} has more than one "
                                   f"placement in {self.block_name(p.block_id)}",
                                   trainee.id, p.block_id, p.id))
            else:
                seen[p.block_id] = p
        if not trainee.status.needs_placements:
            return out
        distinct = {p.school_id for p in rotation}
        if len(distinct) < s.min_distinct_schools:
            names = ", ".join(sorted(self.school_name(x) for x in distinct)) or "none"
            free = [b.name for b in self.ordered_blocks if b.id not in seen]
            tail = f"; not yet placed in {', '.join(free)}" if free else ""
            out.append(Problem(Severity.ERROR, "distinct_schools", f"{who} is placed in "
                               f"{len(distinct)} different school(s) ({names}); the rule is at least "
                               f"{s.min_distinct_schools}{tail}", trainee.id))
        employer = trainee.employing_school_id
        if trainee.route.salaried and employer is not None and employer not in distinct:
            out.append(Problem(Severity.WARNING, "employing_school", f"{who} is salaried but has no "
                               f"block at their employing school, {self.school_name(employer)}",
                               trainee.id))
        days = sum(self.blocks[b].days_in_school for b in seen if b in self.blocks)
        if days < s.min_days_in_school:
            out.append(Problem(Severity.WARNING, "too_few_days", f"{who} has {days} days in school "
                               f"over the year; the minimum is {s.min_days_in_school}", trainee.id))
        return out

    def pair_problems(self, p: PlacementInfo) -> list[Problem]:
        """A pair-and-share partner must be with the same mentor in the same block."""
        if p.paired_trainee_id is None:
            return []
        partners = [q for q in self.by_trainee.get(p.paired_trainee_id, ())
                    if q.block_id == p.block_id and q.mentor_id == p.mentor_id
                    and q.school_id == p.school_id]
        if partners and p.mentor_id is not None:
            return []
        return [Problem(Severity.WARNING, "pair_mismatch", f"{self.trainee_name(p.trainee_id)} is "
                        f"paired with {self.trainee_name(p.paired_trainee_id)} in "
                        f"{self.block_name(p.block_id)}, but they do not share a mentor there",
                        p.trainee_id, p.block_id, p.id)]

    def check_candidate(self, candidate: PlacementInfo, today: dt.date) -> list[Problem]:
        """Problems one edited or new placement would have, counted against all the others."""
        if candidate.status is PlacementStatus.CANCELLED:
            return []
        out = self.placement_problems(candidate, today)
        trainee = self.trainees.get(candidate.trainee_id)
        if trainee is None or candidate.block_id not in self.blocks:
            return out
        cid, bid = candidate.id, candidate.block_id

        def others(group: list[PlacementInfo]) -> list[PlacementInfo]:
            # The candidate replaces the placement it edits; a new one (no id) replaces nothing.
            return [q for q in group if cid is None or q.id != cid]

        rotation = others(self.by_trainee.get(trainee.id, []))
        if any(q.block_id == bid for q in rotation):
            out.append(Problem(Severity.ERROR, "duplicate_block", f"{trainee.name} already has a "
                               f"placement in {self.block_name(bid)}", trainee.id, bid, cid))
        mentor = self.mentors.get(candidate.mentor_id)  # type: ignore[arg-type]
        if mentor is not None:
            group = others(self.by_mentor_block.get((mentor.id, bid), [])) + [candidate]
            limit = mentor_capacity(mentor, self.settings)
            if len(group) > limit:
                out.append(self._mentor_over(mentor, bid, group, limit))
        school = self.schools.get(candidate.school_id)
        if school is not None and school.capacity_per_block is not None:
            group = others(self.by_school_block.get((school.id, bid), [])) + [candidate]
            if len(group) > school.capacity_per_block:
                out.append(self._school_over(school, bid, group))
        if trainee.status.needs_placements:
            out.extend(self._rotation_reach(trainee, rotation + [candidate], candidate))
        return out

    def _rotation_reach(self, trainee: TraineeInfo, rotation: list[PlacementInfo],
                        candidate: PlacementInfo) -> list[Problem]:
        """Whether the rotation can still meet the year rules once the edit is made."""
        out: list[Problem] = []
        distinct = {p.school_id for p in rotation}
        placed = {p.block_id for p in rotation}
        free = sum(1 for b in self.ordered_blocks if b.id not in placed)
        need = self.settings.min_distinct_schools
        if len(distinct) + free < need:
            out.append(Problem(Severity.ERROR, "distinct_schools", f"with this placement "
                               f"{trainee.name} can reach at most {len(distinct) + free} different "
                               f"schools; the rule is at least {need}",
                               trainee.id, candidate.block_id, candidate.id))
        employer = trainee.employing_school_id
        if trainee.route.salaried and employer is not None and free == 0 and employer not in distinct:
            out.append(Problem(Severity.WARNING, "employing_school", f"{trainee.name} is salaried but "
                               f"this leaves no block at their employing school, "
                               f"{self.school_name(employer)}", trainee.id, candidate.block_id,
                               candidate.id))
        return out


def check_rotations(snapshot: RotationSnapshot, today: dt.date) -> list[Problem]:
    """Every rule problem of the year's rotations, errors and warnings.

    Args:
        snapshot: The year's trainees, blocks, schools, mentors, placements and settings.
        today: The date refresher training is judged against.

    Returns:
        Problems grouped by trainee (in name order), then capacity problems.
    """
    index = snapshot.index()
    out: list[Problem] = []
    order = {b.id: i for i, b in enumerate(index.ordered_blocks)}
    for trainee in sorted(snapshot.trainees, key=lambda t: (t.name.casefold(), t.id)):
        rotation = sorted(index.by_trainee.get(trainee.id, []),
                          key=lambda p: (order.get(p.block_id, len(order)), p.id or 0))
        for p in rotation:
            out.extend(index.placement_problems(p, today))
            out.extend(index.pair_problems(p))
        out.extend(index.trainee_problems(trainee, rotation))
    for p in index.active:
        if p.trainee_id not in index.trainees:
            out.extend(index.placement_problems(p, today))
    out.extend(index.capacity_problems())
    return out


def check_placement(snapshot: RotationSnapshot | RotationIndex, candidate: PlacementInfo,
                    today: dt.date | None = None) -> list[Problem]:
    """Problems one edit would have, as the grid shows them while the user edits.

    Args:
        snapshot: The year as it stands (the candidate replaces the placement with its id),
            or a RotationIndex already built over it.
        candidate: The placement as the user wants it.
        today: The date refresher training is judged against; today if None.

    Returns:
        The candidate's own problems, and its clashes with the other placements.
    """
    index = snapshot if isinstance(snapshot, RotationIndex) else snapshot.index()
    return index.check_candidate(candidate, today or dt.date.today())


def has_errors(problems: list[Problem]) -> bool:
    """True when any problem is an error (the command line then exits with 1)."""
    return any(p.severity is Severity.ERROR for p in problems)
