"""What the planner takes and what it gives back: plain frozen dataclasses, no solver types."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from tsa_desktop.domain.rules import RotationSnapshot

#: Cost units of the objective: whole minutes of the estimated journey from home to school, by
#: the trainee's way of travelling (finer units made CP-SAT much slower to prove a plan optimal,
#: for differences nobody would notice).
UNITS_PER_MINUTE = 1
#: An unplaced trainee-block costs as much as 10,000 minutes of travel: placing comes first.
UNPLACED_COST = 10_000
#: Two trainees with one mentor (pair and share) costs as much as 5 minutes: spread mentor load.
PAIR_COST = 5
#: A salaried trainee with no block at their employing school costs as much as 20 minutes.
EMPLOYER_MISS_COST = 20
#: In a repair, moving a proposed placement to another school costs as much as 500 minutes, and a
#: confirmed one three times as much: placing somebody (10,000) still comes first, then fewest
#: moves, then journeys.
STAY_PROPOSED = 500
STAY_CONFIRMED = 1_500


class PlanStatus(enum.Enum):
    """How good the plan is known to be."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    NO_SOLUTION = "no solution in time"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class PlanningProblem:
    """A year to plan.

    Attributes:
        snapshot: Trainees, blocks, schools, mentors, current placements and settings.
        keep_proposed: Keep unlocked proposed placements too. By default they are planned
            again (and may move); locked and confirmed or completed placements are always kept.
        today: The date mentor refresher training is judged against (mentors whose refresher
            is overdue are used last); today if None.
        replan: A repair: only the placements with these ids may move (each is drawn to stay
            at its school, a confirmed one more strongly); every other placement is kept, and
            empty trainee-blocks are filled where possible.
    """

    snapshot: RotationSnapshot
    keep_proposed: bool = False
    today: dt.date | None = None
    replan: frozenset[int] | None = None


@dataclass(frozen=True)
class Assignment:
    """One trainee placed in one block at one school with one mentor.

    Attributes:
        placement_id: The unlocked proposed placement this one replaces, or None for a new one.
        mentor_id: None only when no mentor could be matched (never for a plan without errors).
        paired_trainee_id: The other trainee of a pair-and-share with the same mentor, if any.
        km: Distance from the trainee's home, None when either place has no coordinates.
    """

    trainee_id: int
    block_id: int
    school_id: int
    mentor_id: int | None
    paired_trainee_id: int | None = None
    placement_id: int | None = None
    km: float | None = None


@dataclass(frozen=True)
class Unplaced:
    """A trainee-block the planner could not fill, with the reason in words."""

    trainee_id: int
    block_id: int
    reason: str
    placement_id: int | None = None


@dataclass(frozen=True)
class Plan:
    """The planner's answer.

    Attributes:
        assignments: New (or moved) placements, in block then trainee order.
        unplaced: Trainee-blocks left empty, each with a diagnosis.
        status: Optimal, feasible, infeasible, or no solution in time (then the greedy plan).
        objective: Cost of the plan in the units above (tenths of a km, plus penalties).
        best_bound: The solver's proof that no plan costs less than this.
        gap: (objective - best_bound) / objective, 0 when proven optimal.
        wall_time: Seconds from the call to the answer.
        method: "cp-sat", "greedy", or "greedy (cp-sat found nothing better)".
        travel_km: Total home-to-school distance of the assignments with known places.
        pairs: Number of pair-and-share pairs among the assignments.
    """

    assignments: tuple[Assignment, ...]
    unplaced: tuple[Unplaced, ...]
    status: PlanStatus
    objective: float
    best_bound: float
    gap: float
    wall_time: float
    method: str
    travel_km: float = 0.0
    pairs: int = 0

    @property
    def complete(self) -> bool:
        """True when every trainee-block that needed a placement got one."""
        return not self.unplaced

    def summary(self) -> str:
        """One line for the command line and the status bar."""
        return (f"{len(self.assignments)} placed, {len(self.unplaced)} unplaced; {self.status} "
                f"({self.method}, gap {self.gap:.1%}, {self.wall_time:.1f} s)")
