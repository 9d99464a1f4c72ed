"""Repair the plan after a change: move the fewest placements so that every rotation keeps the rules.

:meth:`RepairService.propose` finds the placements with rule errors (at a school not hosting or
closed, with a mentor who left or is away, with too many trainees, a trainee whose subject no
longer suits the mentor...), asks the planner's repair (:mod:`tsa_desktop.planner.repair`) for the
smallest set of moves, and describes them as :class:`Move` lines ``Trainee name: Block: from
School A to School B``. Nothing is written until :meth:`RepairService.apply`, one transaction and
one undo step. A placement that moves school becomes proposed again (the new school has not agreed
yet); the letters of everyone concerned go out of date by their fingerprints (services/letters).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from tsa_desktop.db.engine import Database
from tsa_desktop.domain.enums import PlacementStatus
from tsa_desktop.domain.progress import SILENT, Progress
from tsa_desktop.domain.rules import RotationSnapshot, Severity, check_rotations
from tsa_desktop.services.base import Service
from tsa_desktop.services.reference.alliance import AllianceService
from tsa_desktop.services.rotations.edits import academic_year, load_year_states, write_steps
from tsa_desktop.services.rotations.grid import PlacementChange, PlacementState, Step
from tsa_desktop.services.rotations.planning import _Names
from tsa_desktop.services.rotations.snapshot import load_snapshot

#: Problems that a whole school-block shares: every placement there may have to move.
_GROUP_CODES = ("mentor_over_capacity", "school_over_capacity")
#: Problems of a whole rotation: any of the trainee's placements may have to move.
_ROTATION_CODES = ("distinct_schools", "duplicate_block")


@dataclass(frozen=True)
class Move:
    """A placement the repair changes.

    Attributes:
        to_school: The new school; the same as ``from_school`` when only the mentor changes.
        was_confirmed: It was confirmed (or completed): the school and trainee had been told.
    """

    placement_id: int
    trainee_id: int
    trainee: str
    block: str
    from_school: str
    to_school: str
    from_mentor: str
    to_mentor: str
    was_confirmed: bool

    @property
    def changes_school(self) -> bool:
        return self.from_school != self.to_school

    def __str__(self) -> str:
        if self.changes_school:
            return f"{self.trainee}: {self.block}: from {self.from_school} to {self.to_school}"
        return (f"{self.trainee}: {self.block}: at {self.to_school}, mentor {self.from_mentor or 'none'} "
                f"to {self.to_mentor or 'none'}")


@dataclass(frozen=True)
class Repair:
    """A repair, not yet written.

    Attributes:
        broken: Placements that broke a rule before the repair.
        moves: Placements that change school (or only mentor), in block then trainee order.
        placed: Empty trainee-blocks the repair fills ("Trainee: Block: at School").
        stuck: Broken placements the repair cannot put right, with the reason.
        unplaced: Trainee-blocks still empty, with the reason.
        change: What applying writes.
    """

    year: str
    broken: int
    moves: tuple[Move, ...]
    placed: tuple[str, ...]
    stuck: tuple[str, ...]
    unplaced: tuple[str, ...]
    change: PlacementChange
    wall_time: float

    @property
    def school_moves(self) -> int:
        return sum(1 for m in self.moves if m.changes_school)

    def summary(self) -> str:
        """"2026/27: 3 placements broke the rules; 4 moves (1 confirmed), 1 new mentor, ..."."""
        confirmed = sum(1 for m in self.moves if m.changes_school and m.was_confirmed)
        mentors = len(self.moves) - self.school_moves
        parts = [f"{self.broken} placement{'s' if self.broken != 1 else ''} broke the rules",
                 f"{self.school_moves} move{'s' if self.school_moves != 1 else ''} ({confirmed} confirmed)"]
        if mentors:
            parts.append(f"{mentors} new mentor{'s' if mentors != 1 else ''} at the same school")
        if self.placed:
            parts.append(f"{len(self.placed)} newly placed")
        if self.stuck:
            parts.append(f"{len(self.stuck)} cannot be moved")
        parts.append(f"{len(self.unplaced)} trainee-blocks unplaced")
        return f"{self.year}: " + ", ".join(parts)


class RepairService(Service):
    """Use cases of the repair: propose the fewest moves, apply them, take them back.

    Args:
        db: The open database.
        alliance: The workspace's alliance service (the travel limits are its settings).
    """

    def __init__(self, db: Database, alliance: AllianceService) -> None:
        super().__init__(db)
        self._alliance = alliance

    def propose(self, year: str, *, time_limit: float = 10.0, progress: Progress = SILENT,
                today: dt.date | None = None) -> Repair:
        """Find the fewest moves that make every rotation keep the rules; write nothing.

        Raises:
            NotFoundError: an unknown year. CancelledError: the user cancelled.
        """
        from tsa_desktop.planner.repair import repair_plan  # OR-Tools loads only when asked for

        year = academic_year(year)
        today = today or dt.date.today()
        settings = self._alliance.settings()
        with self._read() as s:
            snapshot = load_snapshot(s, year, settings)
            states = {p.id: p for p in load_year_states(s, [b.id for b in snapshot.blocks])}
        broken, locked = broken_placements(snapshot, today)
        plan = repair_plan(snapshot, broken - locked, today=today, time_limit=time_limit, progress=progress)
        return _describe(year, snapshot, states, broken, locked, plan)

    def apply(self, repair: Repair) -> PlacementChange:
        """Write a repair in one transaction (one undo step).

        Raises:
            StaleRecordError: a placement it moves was changed meanwhile; nothing was written.
        """
        with self._write() as s:
            names = _Names(s)
            return replace(repair.change, steps=write_steps(s, repair.change.steps, names.describe,
                                                            repair.change.text))

    def revert(self, applied: PlacementChange) -> PlacementChange:
        """Take an applied repair back."""
        with self._write() as s:
            names = _Names(s)
            back = applied.reversed()
            return replace(back, steps=write_steps(s, back.steps, names.describe, back.text))


def broken_placements(snapshot: RotationSnapshot, today: dt.date) -> tuple[frozenset[int], frozenset[int]]:
    """The placements an error-level rule problem asks to move, and those of them that are locked.

    A problem of one placement names it; an over-full mentor or school names every placement in
    that school's block; a rotation problem (too few different schools) names the trainee's
    placements at a school repeated in the rotation.
    """
    index = snapshot.index()
    out: set[int] = set()
    for problem in check_rotations(snapshot, today):
        if problem.severity is not Severity.ERROR:
            continue
        if problem.code in _GROUP_CODES and problem.placement_id is not None:
            one = next((p for p in index.active if p.id == problem.placement_id), None)
            if one is not None:
                out.update(p.id for p in index.by_school_block.get((one.school_id, one.block_id), ())
                           if p.id is not None)
        elif problem.code in _ROTATION_CODES and problem.trainee_id is not None:
            # Only a school repeated in the rotation is to move; blocks not yet placed are filled anyway.
            rotation = index.by_trainee.get(problem.trainee_id, ())
            schools = [p.school_id for p in rotation]
            blocks = [p.block_id for p in rotation]
            out.update(p.id for p in rotation if p.id is not None
                       and (schools.count(p.school_id) > 1 or blocks.count(p.block_id) > 1))
        elif problem.placement_id is not None:
            out.add(problem.placement_id)
    locked = {p.id for p in index.active if p.id in out and p.locked}
    return frozenset(out), frozenset(locked)  # type: ignore[arg-type]


def _describe(year: str, snapshot: RotationSnapshot, states: dict[int, PlacementState],
              broken: frozenset[int], locked: frozenset[int], plan) -> Repair:
    trainees = {t.id: t.name for t in snapshot.trainees}
    blocks = {b.id: b.name for b in snapshot.blocks}
    order = {b.id: i for i, b in enumerate(sorted(snapshot.blocks, key=lambda b: (b.position, b.start)))}
    schools = {s.id: s.name for s in snapshot.schools}
    mentors = {m.id: m.name for m in snapshot.mentors}
    steps: list[Step] = []
    moves: list[Move] = []
    placed: list[str] = []
    for a in plan.assignments:
        before = states.get(a.placement_id) if a.placement_id is not None else None
        if before is None:
            steps.append(Step(None, PlacementState(None, a.trainee_id, a.block_id, a.school_id, a.mentor_id,
                                                   PlacementStatus.PROPOSED, False, a.paired_trainee_id)))
            placed.append(f"{trainees.get(a.trainee_id, '')}: {blocks.get(a.block_id, '')}: at "
                          f"{schools.get(a.school_id, '')}")
            continue
        if (before.school_id, before.mentor_id) == (a.school_id, a.mentor_id):
            continue  # it stays as it is, partner and all
        new_school = before.school_id != a.school_id
        status = PlacementStatus.PROPOSED if new_school and before.status.fixed else before.status
        steps.append(Step(before, replace(before, school_id=a.school_id, mentor_id=a.mentor_id,
                                          paired_trainee_id=a.paired_trainee_id, status=status)))
        moves.append(Move(before.id, before.trainee_id, trainees.get(before.trainee_id, ""),  # type: ignore[arg-type]
                          blocks.get(before.block_id, ""), schools.get(before.school_id, ""),
                          schools.get(a.school_id, ""), mentors.get(before.mentor_id, "") if before.mentor_id else "",
                          mentors.get(a.mentor_id, "") if a.mentor_id else "", before.status.fixed))
    stuck = [f"{trainees.get(states[pid].trainee_id, '')}: {blocks.get(states[pid].block_id, '')}: at "
             f"{schools.get(states[pid].school_id, '')} is locked: unlock it to let the repair move it"
             for pid in sorted(locked) if pid in states]
    unplaced = []
    for u in plan.unplaced:
        where = f"{trainees.get(u.trainee_id, '')}: {blocks.get(u.block_id, '')}"
        if u.placement_id is not None and u.placement_id in broken:
            stuck.append(f"{where}: no school can take them instead ({u.reason})")
        elif u.placement_id is None:
            unplaced.append(f"{where}: {u.reason}")
    moves.sort(key=lambda m: (not m.changes_school, order.get(states[m.placement_id].block_id, 0), m.trainee))
    text = f"Repair the plan of {year} ({sum(1 for m in moves if m.changes_school)} moves)"
    return Repair(year, len(broken), tuple(moves), tuple(placed), tuple(stuck), tuple(unplaced),
                  PlacementChange(year, text, tuple(steps)), plan.wall_time)
