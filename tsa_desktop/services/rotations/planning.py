"""The automatic planner as a use case: propose a plan, apply it in one go, take it back.

:meth:`PlanningService.propose` reads the year, runs the planner (time limit, progress, cancel)
and describes the answer as a :class:`Proposal`: the new placements, the ones that change, who
stays unplaced and why, and how good the plan is beside the greedy baseline. Nothing is written
until :meth:`PlanningService.apply_proposal`, which writes every placement in one transaction and
returns the :class:`~tsa_desktop.services.rotations.grid.PlacementChange` that
:meth:`PlanningService.revert_proposal` takes back.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import Counter
from dataclasses import dataclass, replace

from sqlalchemy import select

from tsa_desktop.db import models as m
from tsa_desktop.db.engine import Database
from tsa_desktop.domain.enums import PlacementStatus
from tsa_desktop.domain.errors import ValidationError
from tsa_desktop.domain.progress import SILENT, Progress
from tsa_desktop.domain.rules import RotationSnapshot
from tsa_desktop.planner import Plan, PlanningProblem, PlanStatus, greedy_plan
from tsa_desktop.services.reference.alliance import AllianceService
from tsa_desktop.services.base import Service
from tsa_desktop.services.rotations.grid import PlacementChange, PlacementState, Step
from tsa_desktop.services.rotations.edits import academic_year, load_year_states, write_steps
from tsa_desktop.services.rotations.snapshot import load_snapshot

#: Longest time limit accepted: an hour.
MAX_TIME_LIMIT = 3600.0


@dataclass(frozen=True)
class ProposedPlacement:
    """A placement the plan makes or changes.

    Attributes:
        before: "School — Mentor" of the placement it changes ("" for a new one).
        km: Home to school, None when either place has no coordinates.
    """

    trainee_id: int
    trainee: str
    block_id: int
    block: str
    school_id: int
    school: str
    mentor_id: int | None
    mentor: str
    paired_with: str = ""
    km: float | None = None
    placement_id: int | None = None
    before: str = ""


@dataclass(frozen=True)
class UnplacedRow:
    """A trainee-block the plan leaves empty, with the reason in words.

    Attributes:
        removed: "School — Mentor" of an unlocked proposed placement that applying removes ("" if none).
    """

    trainee_id: int
    trainee: str
    block_id: int
    block: str
    reason: str
    removed: str = ""


@dataclass(frozen=True)
class Proposal:
    """A plan for a year, not yet written.

    Attributes:
        new: Placements in cells that are empty now.
        changed: Unlocked proposed placements the plan moves (another school, mentor or partner).
        unchanged: Unlocked proposed placements the plan keeps as they are.
        unplaced: Trainee-blocks left empty, with reasons.
        status: optimal, feasible, or "no solution in time" (then the greedy plan is offered).
        gap: How far the plan may be from the best possible (0 when optimal).
        objective: The plan's cost (tenths of a km of travel plus penalties; lower is better).
        greedy_objective: The nearest-first greedy plan's cost on the same problem.
        change: What applying writes.
    """

    year: str
    new: tuple[ProposedPlacement, ...]
    changed: tuple[ProposedPlacement, ...]
    unchanged: int
    unplaced: tuple[UnplacedRow, ...]
    status: PlanStatus
    gap: float
    objective: float
    best_bound: float
    greedy_objective: float
    greedy_unplaced: int
    travel_km: float
    wall_time: float
    method: str
    change: PlacementChange

    @property
    def placed(self) -> int:
        """Trainee-blocks the plan fills (new, changed or kept as proposed)."""
        return len(self.new) + len(self.changed) + self.unchanged

    @property
    def complete(self) -> bool:
        return not self.unplaced

    @property
    def quality(self) -> str:
        """"optimal", or "feasible (gap 1.2%)"."""
        if self.status is PlanStatus.OPTIMAL:
            return "optimal"
        if self.status is PlanStatus.INFEASIBLE:
            return "infeasible"
        if self.status is PlanStatus.NO_SOLUTION:
            return f"feasible (gap {self.gap:.1%}; the solver found nothing better than greedy in time)"
        return f"feasible (gap {self.gap:.1%})"

    @property
    def plain_quality(self) -> str:
        """How good the plan is, in the window's words: "the best possible plan", or "journeys at
        most 4% longer than the best possible plan" (no solver terms: those stay in the log)."""
        if self.status is PlanStatus.OPTIMAL:
            return "the best possible plan"
        if self.status is PlanStatus.INFEASIBLE:
            return "not a workable plan"
        # The gap bounds how much the plan could still improve, against its own cost: reported
        # rounded up, so that "at most" stays true.
        percent = max(1, math.ceil(self.gap * 100 - 1e-9))
        words = f"journeys at most {percent}% longer than the best possible plan"
        if self.status is PlanStatus.NO_SOLUTION:
            words += "; a longer time limit may find a better one"
        return words

    def plain_details(self) -> str:
        """Journeys and time, in words: "2,418 placements, 19,750 km of journeys from home in all
        (8.2 km on average); found in 30 s"."""
        placed = self.placed
        known = [p.km for p in self.new + self.changed if p.km is not None]
        average = f" ({sum(known) / len(known):.1f} km on average for the new and changed ones)" if known else ""
        return (f"{placed:,} placements, {self.travel_km:,.0f} km of journeys from home in all{average}; "
                f"found in {self.wall_time:.0f} s")

    def reasons(self, most: int = 3) -> str:
        """The commonest reasons for the unplaced, with how many each: for the one-line summary."""
        counts = Counter(u.reason for u in self.unplaced)
        parts = [f"{n} × {reason}" if n > 1 else reason for reason, n in counts.most_common(most)]
        if len(counts) > most:
            parts.append(f"{len(counts) - most} other reason{'s' if len(counts) - most > 1 else ''}")
        return "; ".join(parts)

    def summary(self) -> str:
        """"placed 240, unplaced 2 (reasons), optimal": the line the command line prints."""
        unplaced = f"unplaced {len(self.unplaced)}"
        if self.unplaced:
            unplaced += f" ({self.reasons()})"
        return f"{self.year}: placed {self.placed}, {unplaced}, {self.quality}"

    def comparison(self) -> str:
        """The plan beside the greedy baseline, in words."""
        better = (1 - self.objective / self.greedy_objective) if self.greedy_objective else 0.0
        return (f"cost {self.objective:,.0f} against {self.greedy_objective:,.0f} for the greedy plan "
                f"({better:.0%} lower); {self.travel_km:,.0f} km of travel in all; "
                f"{self.wall_time:.1f} s ({self.method})")


class PlanningService(Service):
    """Use cases of the automatic planner.

    Args:
        db: The open database.
        alliance: The alliance's settings (the rules' thresholds).
    """

    def __init__(self, db: Database, alliance: AllianceService) -> None:
        super().__init__(db)
        self._alliance = alliance

    def propose(self, year: str, *, time_limit: float = 30.0, progress: Progress = SILENT,
                today: dt.date | None = None, keep_proposed: bool = False) -> Proposal:
        """Plan the year's empty (and unlocked proposed) trainee-blocks; write nothing.

        Args:
            year: The academic year.
            time_limit: Seconds the planner may take.
            progress: Receives the planner's reports; cancelling it stops the search.
            today: The date mentor refresher training is judged against (today if None).
            keep_proposed: Keep unlocked proposed placements where they are and plan only empty cells.

        Raises:
            ValidationError: a time limit out of range. NotFoundError: an unknown year.
            CancelledError: the user cancelled; nothing was changed.
        """
        if not 1 <= time_limit <= MAX_TIME_LIMIT:
            raise ValidationError.single("time limit", f"must be between 1 and {MAX_TIME_LIMIT:g} seconds",
                                         time_limit)
        # The user's time limit counts from now: reading the year and the baseline come out of it.
        begun = time.perf_counter()
        from tsa_desktop.planner import plan_rotations  # OR-Tools loads only when a plan is asked for

        year = academic_year(year)
        settings = self._alliance.settings()
        with self._read() as s:
            snapshot = load_snapshot(s, year, settings)
            block_ids = [b.id for b in snapshot.blocks]
            states = {p.id: p for p in load_year_states(s, block_ids)}
        problem = PlanningProblem(snapshot, keep_proposed=keep_proposed, today=today)
        # The greedy baseline is what the plan is compared with; its time comes out of the limit
        # so that the user waits no longer than they asked.
        baseline = greedy_plan(problem)
        progress.check()
        left = max(1.0, time_limit - (time.perf_counter() - begun))
        plan = plan_rotations(problem, time_limit=left, progress=progress)
        progress.check()
        return _proposal(year, snapshot, states, plan, baseline)

    def apply_proposal(self, proposal: Proposal) -> PlacementChange:
        """Write a proposal in one transaction.

        Returns:
            What was written, with the new placements' ids: give it to :meth:`revert_proposal`.

        Raises:
            StaleRecordError: a placement the plan changes was edited, or a cell it fills was filled,
                since the plan was made; nothing was written.
        """
        with self._write() as s:
            names = _Names(s)
            return replace(proposal.change, steps=write_steps(s, proposal.change.steps, names.describe,
                                                              proposal.change.text))

    def revert_proposal(self, applied: PlacementChange) -> PlacementChange:
        """Take an applied proposal back: new placements go, changed ones return as they were.

        Raises:
            StaleRecordError: one of its placements was edited since; nothing was changed.
        """
        with self._write() as s:
            names = _Names(s)
            back = applied.reversed()
            return replace(back, steps=write_steps(s, back.steps, names.describe, back.text))


class _Names:
    """Names a placement for a message (only ever asked about the one that failed)."""

    def __init__(self, s) -> None:
        self._s = s

    def describe(self, state: PlacementState) -> str:
        trainee = self._s.execute(select(m.Trainee.first_names, m.Trainee.last_name)
                                  .where(m.Trainee.id == state.trainee_id)).first()
        block = self._s.scalar(select(m.PlacementBlock.name).where(m.PlacementBlock.id == state.block_id))
        who = f"{trainee[0]} {trainee[1]}" if trainee else f"trainee #{state.trainee_id}"
        return f"{who} in {block or f'block #{state.block_id}'}"


def _proposal(year: str, snapshot: RotationSnapshot, states: dict[int, PlacementState], plan: Plan,
              baseline: Plan) -> Proposal:
    trainees = {t.id: t.name for t in snapshot.trainees}
    blocks = {b.id: b.name for b in snapshot.blocks}
    schools = {s.id: s.name for s in snapshot.schools}
    mentors = {mt.id: mt.name for mt in snapshot.mentors}

    def where(st: PlacementState) -> str:
        mentor = mentors.get(st.mentor_id, "no mentor yet") if st.mentor_id else "no mentor yet"
        return f"{schools.get(st.school_id, st.school_id)} — {mentor}"

    new, changed, steps = [], [], []
    unchanged = 0
    for a in plan.assignments:
        row = ProposedPlacement(a.trainee_id, trainees.get(a.trainee_id, ""), a.block_id, blocks.get(a.block_id, ""),
                                a.school_id, schools.get(a.school_id, ""), a.mentor_id,
                                mentors.get(a.mentor_id, "") if a.mentor_id else "",
                                trainees.get(a.paired_trainee_id, "") if a.paired_trainee_id else "",
                                a.km, a.placement_id)
        before = states.get(a.placement_id) if a.placement_id is not None else None
        if before is None:
            steps.append(Step(None, PlacementState(None, a.trainee_id, a.block_id, a.school_id, a.mentor_id,
                                                   PlacementStatus.PROPOSED, False, a.paired_trainee_id)))
            new.append(row)
            continue
        after = replace(before, school_id=a.school_id, mentor_id=a.mentor_id,
                        paired_trainee_id=a.paired_trainee_id)
        if after.content() == before.content():
            unchanged += 1
            continue
        steps.append(Step(before, after))
        changed.append(replace(row, before=where(before)))
    unplaced = []
    for u in plan.unplaced:
        before = states.get(u.placement_id) if u.placement_id is not None else None
        if before is not None:
            steps.append(Step(before, None))
        unplaced.append(UnplacedRow(u.trainee_id, trainees.get(u.trainee_id, ""), u.block_id,
                                    blocks.get(u.block_id, ""), u.reason, where(before) if before else ""))
    text = f"Plan {year} automatically ({len(new)} new, {len(changed)} changed)"
    return Proposal(year, tuple(new), tuple(changed), unchanged, tuple(unplaced), plan.status, plan.gap,
                    plan.objective, plan.best_bound, baseline.objective, len(baseline.unplaced),
                    plan.travel_km, plan.wall_time, plan.method, PlacementChange(year, text, tuple(steps)))
