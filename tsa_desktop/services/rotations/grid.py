"""The rotation grid of a year in memory: placements by cell, and their rule problems.

No database and no Qt: :class:`RotationGrid` is built by ``RotationService.grid`` from one
snapshot, judged once by the rules, and then kept up to date edit by edit: :meth:`RotationGrid.apply`
takes what a service call changed, rebuilds the rules' index and re-checks only the placements the
change can affect (the trainees touched, the mentors and schools whose load changed, pair partners).
The window's table model reads it and never queries anything itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Iterable

from tsa_desktop.domain.enums import Phase, PlacementStatus, Route, Subject, TraineeStatus
from tsa_desktop.domain.journeys import describe_journey
from tsa_desktop.domain.rules import (
    BlockInfo,
    MentorInfo,
    PlacementInfo,
    Problem,
    RotationIndex,
    RotationSnapshot,
    SchoolInfo,
    Severity,
    check_placement,
)


@dataclass(frozen=True)
class PlacementState:
    """What a placement row holds: the values undo and redo put back.

    ``id`` is None for a placement not yet saved. ``letters`` carries the letter columns
    (produced dates and fingerprints) so that undoing a cleared cell gives back the very record.
    """

    id: int | None
    trainee_id: int
    block_id: int
    school_id: int
    mentor_id: int | None = None
    status: PlacementStatus = PlacementStatus.PROPOSED
    locked: bool = False
    paired_trainee_id: int | None = None
    notes: str = ""
    letters: tuple = field(default=(), compare=False)

    def content(self) -> tuple:
        """The values an edit can change, to tell whether somebody else changed the record."""
        return (self.trainee_id, self.block_id, self.school_id, self.mentor_id, self.status,
                self.locked, self.paired_trainee_id, self.notes)

    def info(self) -> PlacementInfo:
        """The placement as the rules see it."""
        return PlacementInfo(self.id, self.trainee_id, self.block_id, self.school_id, self.mentor_id,
                             self.status, self.locked, self.paired_trainee_id)


@dataclass(frozen=True)
class Step:
    """One placement going from ``before`` to ``after``; None means no placement."""

    before: PlacementState | None
    after: PlacementState | None

    def reversed(self) -> "Step":
        return Step(self.after, self.before)


UNDO = "Undo: "


@dataclass(frozen=True)
class PlacementChange:
    """What one edit (or one applied plan) did to a year's placements, for the grid and undo.

    Attributes:
        year: The academic year.
        text: The edit in words, for the undo menu ("Amy Baker, Autumn block A: Hill Academy").
        steps: Each placement's before and after, in the order they were written.
    """

    year: str
    text: str
    steps: tuple[Step, ...]

    def reversed(self) -> "PlacementChange":
        """The change that undoes this one ("Undo: ..."; undoing that gives this one back)."""
        text = self.text[len(UNDO):] if self.text.startswith(UNDO) else UNDO + self.text
        return PlacementChange(self.year, text, tuple(s.reversed() for s in reversed(self.steps)))

    @property
    def trainee_ids(self) -> set[int]:
        return {st.trainee_id for step in self.steps for st in (step.before, step.after) if st}


@dataclass(frozen=True)
class GridTrainee:
    """A row of the grid."""

    id: int
    reference: str
    name: str
    sort_name: str
    phase: Phase
    subject: Subject
    route: Route
    status: TraineeStatus
    employing_school_id: int | None = None


@dataclass(frozen=True)
class GridSummary:
    """The year at a glance, for the page's headline."""

    trainees: int
    training: int
    slots: int
    placed: int
    with_errors: int
    with_warnings: int

    def __str__(self) -> str:
        return (f"{self.trainees:,} trainees · {self.placed:,} of {self.slots:,} trainee-blocks placed · "
                f"{self.with_errors:,} with rule errors, {self.with_warnings:,} with warnings only")


def worst(problems: Iterable[Problem]) -> Severity | None:
    """ERROR if any problem is an error, WARNING if any is a warning, else None."""
    found = None
    for p in problems:
        if p.severity is Severity.ERROR:
            return Severity.ERROR
        found = Severity.WARNING
    return found


class RotationGrid:
    """A year's rotations and their problems, kept current edit by edit.

    Args:
        year: The academic year.
        snapshot: The rules' view of the year (its placements are replaced by ``placements``).
        trainees: The rows, in the order first shown.
        placements: Every placement of the year's blocks.
        today: The date refresher training is judged against.
    """

    def __init__(self, year: str, snapshot: RotationSnapshot, trainees: list[GridTrainee],
                 placements: list[PlacementState], today: dt.date) -> None:
        self.year = year
        self.today = today
        self.settings = snapshot.settings
        self.blocks: list[BlockInfo] = sorted(snapshot.blocks, key=lambda b: (b.position, b.start, b.id))
        self.trainees = trainees
        self.trainee_by_id = {t.id: t for t in trainees}
        self.schools: dict[int, SchoolInfo] = {s.id: s for s in snapshot.schools}
        self.mentors: dict[int, MentorInfo] = {m.id: m for m in snapshot.mentors}
        self._mentors_at: dict[int, list[MentorInfo]] = {}
        for m in sorted(snapshot.mentors, key=lambda m: m.name.casefold()):
            self._mentors_at.setdefault(m.school_id, []).append(m)
        self._base = snapshot
        self._placements: dict[int, PlacementState] = {p.id: p for p in placements if p.id is not None}
        self._cells: dict[tuple[int, int], int] = {}
        for p in self._placements.values():
            self._cells[(p.trainee_id, p.block_id)] = p.id  # type: ignore[assignment]
        self._cell_problems: dict[int, list[Problem]] = {}
        self._trainee_problems: dict[int, list[Problem]] = {}
        self._rebuild_index()
        self._check(self._placements.keys(), self.trainee_by_id.keys())

    # -- reading ------------------------------------------------------------------------------

    @property
    def index(self) -> RotationIndex:
        """The rules' lookup tables over the year as it stands now."""
        return self._index

    def cell(self, trainee_id: int, block_id: int) -> PlacementState | None:
        """The placement in a cell, or None when the cell is empty."""
        pid = self._cells.get((trainee_id, block_id))
        return None if pid is None else self._placements[pid]

    def mentors_at(self, school_id: int) -> list[MentorInfo]:
        """The mentors who work at a school, by name."""
        return self._mentors_at.get(school_id, [])

    def placement(self, placement_id: int) -> PlacementState | None:
        return self._placements.get(placement_id)

    def placements(self) -> list[PlacementState]:
        return list(self._placements.values())

    def problems(self, trainee_id: int, block_id: int) -> list[Problem]:
        """The rule problems of the placement in a cell (none for an empty cell)."""
        pid = self._cells.get((trainee_id, block_id))
        return [] if pid is None else self._cell_problems.get(pid, [])

    def trainee_problems(self, trainee_id: int) -> list[Problem]:
        """Problems of a trainee's whole rotation: distinct schools, employer, days in school."""
        return self._trainee_problems.get(trainee_id, [])

    def row_severity(self, trainee_id: int) -> Severity | None:
        """The worst problem anywhere in a trainee's row."""
        problems = list(self.trainee_problems(trainee_id))
        for b in self.blocks:
            problems.extend(self.problems(trainee_id, b.id))
        return worst(problems)

    def distinct_schools(self, trainee_id: int) -> int:
        """How many different schools the trainee is placed in so far (cancelled ones aside)."""
        return len({p.school_id for p in self.index.by_trainee.get(trainee_id, ())})

    def school_name(self, school_id: int | None) -> str:
        s = self.schools.get(school_id)  # type: ignore[arg-type]
        return s.name if s else ("" if school_id is None else f"school #{school_id}")

    def mentor_name(self, mentor_id: int | None) -> str:
        m = self.mentors.get(mentor_id)  # type: ignore[arg-type]
        return m.name if m else ("" if mentor_id is None else f"mentor #{mentor_id}")

    def trainee_name(self, trainee_id: int | None) -> str:
        t = self.trainee_by_id.get(trainee_id)  # type: ignore[arg-type]
        return t.name if t else ("" if trainee_id is None else f"trainee #{trainee_id}")

    def home_known(self, trainee_id: int) -> bool:
        """Whether the trainee's home is located (a journey can be estimated)."""
        t = self.index.trainees.get(trainee_id)
        return t is not None and t.home is not None

    def journey(self, trainee_id: int, school_id: int) -> str:
        """"about 35 min by car (estimate), 12.3 km", or "journey unknown" when either place is
        not located."""
        t = self.index.trainees.get(trainee_id)
        school = self.schools.get(school_id)
        if t is None or t.home is None or school is None or school.location is None:
            return "journey unknown"
        return describe_journey(t.home.km_to(school.location), t.travel_mode, with_km=True)

    def block(self, block_id: int) -> BlockInfo | None:
        return next((b for b in self.blocks if b.id == block_id), None)

    def describe(self, trainee_id: int, block_id: int) -> str:
        """"Amy Baker, Autumn block A": a cell in words."""
        block = self.block(block_id)
        return f"{self.trainee_name(trainee_id)}, {block.name if block else f'block #{block_id}'}"

    def preview(self, candidate: PlacementState) -> list[Problem]:
        """The problems a cell would have with this placement, before it is saved."""
        out = check_placement(self._index, candidate.info(), self.today)
        if candidate.paired_trainee_id is not None:
            out.extend(self._index.pair_problems(candidate.info()))
        return out

    def summary(self) -> GridSummary:
        """Counts for the headline: placed trainee-blocks and trainees with problems."""
        training = [t for t in self.trainees if t.status.needs_placements]
        placed = sum(1 for t in training for b in self.blocks if self._active(self.cell(t.id, b.id)))
        errors = warnings = 0
        for t in self.trainees:
            sev = self.row_severity(t.id)
            errors += sev is Severity.ERROR
            warnings += sev is Severity.WARNING
        return GridSummary(len(self.trainees), len(training), len(training) * len(self.blocks), placed,
                           errors, warnings)

    @staticmethod
    def _active(p: PlacementState | None) -> bool:
        return p is not None and p.status is not PlacementStatus.CANCELLED

    # -- changing -----------------------------------------------------------------------------

    def apply(self, change: PlacementChange) -> set[int]:
        """Take in a saved change and re-check what it can affect.

        Returns:
            The trainees whose rows may look different now.
        """
        touched_groups: set[tuple[str, int, int]] = set()
        trainees: set[int] = set()
        for step in change.steps:
            for st in (step.before, step.after):
                if st is not None:
                    touched_groups |= self._groups(st)
                    trainees.add(st.trainee_id)
                    if st.paired_trainee_id is not None:
                        trainees.add(st.paired_trainee_id)
            if step.before is not None and step.before.id in self._placements:
                old = self._placements.pop(step.before.id)  # type: ignore[arg-type]
                self._cells.pop((old.trainee_id, old.block_id), None)
                self._cell_problems.pop(old.id, None)  # type: ignore[arg-type]
        for step in change.steps:
            if step.after is not None and step.after.id is not None:
                self._placements[step.after.id] = step.after
                self._cells[(step.after.trainee_id, step.after.block_id)] = step.after.id
        self._rebuild_index()
        affected = {p.id for p in self._placements.values()
                    if p.trainee_id in trainees or p.paired_trainee_id in trainees
                    or self._groups(p) & touched_groups}
        self._check(affected, trainees)  # type: ignore[arg-type]
        return trainees | {self._placements[pid].trainee_id for pid in affected}  # type: ignore[index]

    @staticmethod
    def _groups(p: PlacementState) -> set[tuple[str, int, int]]:
        groups = {("school", p.school_id, p.block_id)}
        if p.mentor_id is not None:
            groups.add(("mentor", p.mentor_id, p.block_id))
        return groups

    def _rebuild_index(self) -> None:
        # RotationIndex is built from a snapshot; a fresh one over the current placements costs a
        # few milliseconds even at 3,000 placements, and keeps every rule exactly as the rules say.
        snapshot = replace(self._base, placements=tuple(p.info() for p in self._placements.values()))
        self._index = snapshot.index()

    def _check(self, placement_ids: Iterable[int], trainee_ids: Iterable[int]) -> None:
        index = self._index
        for pid in placement_ids:
            p = self._placements[pid]
            info = p.info()
            # check_placement counts the placement against all the others, so every member of an
            # over-full mentor or school is marked, and a rotation that can no longer reach the
            # distinct-schools rule shows on the cells that cause it.
            problems = index.check_candidate(info, self.today)
            problems.extend(index.pair_problems(info) if p.status is not PlacementStatus.CANCELLED else ())
            self._cell_problems[pid] = self._for_cell(p, problems)
        self._trainee_check(trainee_ids)

    def _for_cell(self, p: PlacementState, problems: list[Problem]) -> list[Problem]:
        """The problems a cell shows: its own, not the rotation's repeated on every cell.

        The Schools column shows the rotation's problems. A cell keeps "too few different schools"
        only when its school is repeated in the rotation (those are the cells to change), and
        never the salaried-employer warning, which belongs to no one cell.
        """
        if not any(q.code in ("distinct_schools", "employing_school") for q in problems):
            return problems
        schools = [q.school_id for q in self._index.by_trainee.get(p.trainee_id, ())]
        repeated = schools.count(p.school_id) > 1
        return [q for q in problems if q.code != "employing_school"
                and (q.code != "distinct_schools" or repeated)]

    def _trainee_check(self, trainee_ids: Iterable[int]) -> None:
        index = self._index
        order = {b.id: i for i, b in enumerate(self.blocks)}
        for tid in trainee_ids:
            trainee = index.trainees.get(tid)
            if trainee is None:
                continue
            rotation = sorted(index.by_trainee.get(tid, []), key=lambda p: order.get(p.block_id, 99))
            self._trainee_problems[tid] = index.trainee_problems(trainee, rotation)
