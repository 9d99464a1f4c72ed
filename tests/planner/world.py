"""A small alliance on a line, built in a few calls, for planner tests.

Schools and homes sit on one east-west line, so a distance is the difference of two kilometre
marks and every expected answer can be worked out by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tsa_desktop.domain.enums import Phase, PlacementStatus, Route, Subject, TraineeStatus
from tsa_desktop.domain.rules import (
    BlockInfo,
    MentorInfo,
    PlacementInfo,
    Problem,
    RotationSnapshot,
    RuleSettings,
    SchoolInfo,
    Severity,
    TraineeInfo,
    check_rotations,
)
from tsa_desktop.domain.values import GridRef
from tsa_desktop.planner import Plan, PlanningProblem

TODAY = dt.date(2025, 9, 1)
TRAINED = dt.date(2025, 7, 1)
BLOCK_NAMES = ("Autumn", "Spring", "Summer", "Extra")


def at(km: float) -> GridRef:
    return GridRef(500_000 + int(km * 1000), 200_000)


@dataclass
class World:
    """Builder of a RotationSnapshot; ids count up from 1 per kind."""

    blocks: int = 3
    settings: dict = field(default_factory=dict)
    schools: list[SchoolInfo] = field(default_factory=list)
    mentors: list[MentorInfo] = field(default_factory=list)
    trainees: list[TraineeInfo] = field(default_factory=list)
    placements: list[PlacementInfo] = field(default_factory=list)

    def school(self, name: str, km: float | None, phase: Phase = Phase.SECONDARY,
               capacity: int | None = None) -> int:
        sid = len(self.schools) + 1
        self.schools.append(SchoolInfo(sid, name, phase, None if km is None else at(km), capacity))
        return sid

    def mentor(self, school_id: int, phase: Phase = Phase.SECONDARY,
               subjects: tuple[Subject, ...] = (Subject.PHYSICS,), max_trainees: int = 1,
               unavailable: tuple[int, ...] = (), active: bool = True,
               trained: dt.date | None = TRAINED, name: str | None = None) -> int:
        mid = len(self.mentors) + 1
        self.mentors.append(MentorInfo(mid, name or f"Mentor {mid}", school_id, phase,
                                       frozenset(subjects), max_trainees, frozenset(unavailable),
                                       active, trained))
        return mid

    def trainee(self, name: str, km: float | None = 0, phase: Phase = Phase.SECONDARY,
                subject: Subject = Subject.PHYSICS, route: Route = Route.SCITT,
                employer: int | None = None,
                status: TraineeStatus = TraineeStatus.ENROLLED) -> int:
        tid = len(self.trainees) + 1
        self.trainees.append(TraineeInfo(tid, name, phase, subject, route, employer,
                                         None if km is None else at(km), status))
        return tid

    def place(self, trainee_id: int, block_id: int, school_id: int, mentor_id: int | None = None,
              status: PlacementStatus = PlacementStatus.PROPOSED, locked: bool = False) -> int:
        pid = 100 + len(self.placements)
        self.placements.append(PlacementInfo(pid, trainee_id, block_id, school_id, mentor_id,
                                             status, locked))
        return pid

    def snapshot(self) -> RotationSnapshot:
        blocks = tuple(BlockInfo(i + 1, BLOCK_NAMES[i], dt.date(2025, 9 + i, 1),
                                 dt.date(2025, 9 + i, 28), 40, i + 1) for i in range(self.blocks))
        settings = {"max_travel_km": 0.0, "max_minutes_car": 0, "max_minutes_public_transport": 0,
                    "max_minutes_walk_or_cycle": 0, "min_days_in_school": 0,
                    "min_distinct_schools": self.blocks, **self.settings}
        return RotationSnapshot(tuple(self.trainees), blocks, tuple(self.schools),
                                tuple(self.mentors), tuple(self.placements),
                                RuleSettings(**settings))

    def problem(self, **kwargs) -> PlanningProblem:
        return PlanningProblem(self.snapshot(), today=TODAY, **kwargs)


def applied(snapshot: RotationSnapshot, plan: Plan) -> RotationSnapshot:
    """The snapshot as it would be once the plan is saved: moved proposals replaced."""
    replaced = {a.placement_id for a in plan.assignments} | {u.placement_id for u in plan.unplaced}
    kept = [p for p in snapshot.placements if p.id not in replaced]
    new = [PlacementInfo(10_000 + i, a.trainee_id, a.block_id, a.school_id, a.mentor_id,
                         paired_trainee_id=a.paired_trainee_id)
           for i, a in enumerate(plan.assignments)]
    return RotationSnapshot(snapshot.trainees, snapshot.blocks, snapshot.schools,
                            snapshot.mentors, tuple(kept + new), snapshot.settings)


def rule_errors(snapshot: RotationSnapshot, plan: Plan) -> list[Problem]:
    """Error-level rule problems of the saved plan, except the distinct-schools error of a
    trainee the plan itself reports as unplaced (with its reason)."""
    unplaced = {u.trainee_id for u in plan.unplaced}
    return [p for p in check_rotations(applied(snapshot, plan), TODAY)
            if p.severity is Severity.ERROR
            and not (p.code == "distinct_schools" and p.trainee_id in unplaced)]


def schools_of(plan: Plan, trainee_id: int) -> dict[int, int]:
    """Block id to school id for one trainee's new assignments."""
    return {a.block_id: a.school_id for a in plan.assignments if a.trainee_id == trainee_id}
