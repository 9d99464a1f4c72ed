"""The facts the rotation rules and the planner read: plain frozen dataclasses and small helpers.

Split from :mod:`tsa_desktop.domain.rules` (which re-exports every name here), so that the checks
themselves stay readable: the trainees, blocks, schools, mentors and placements of a year as the
rules see them, the business settings, a problem found, and the helpers the planner shares.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from tsa_desktop.domain.enums import PLACEMENT_PHASES, Phase, PlacementStatus, Route, Subject, TraineeStatus
from tsa_desktop.domain.journeys import TravelMode
from tsa_desktop.domain.settings import RuleSettings  # noqa: F401 (the rules' settings, re-exported with the facts)
from tsa_desktop.domain.values import GridRef

@dataclass(frozen=True)
class TraineeInfo:
    """A trainee as the rules see them. ``home`` is None when no coordinates are known."""

    id: int
    name: str
    phase: Phase
    subject: Subject
    route: Route
    employing_school_id: int | None = None
    home: GridRef | None = None
    status: TraineeStatus = TraineeStatus.ENROLLED
    travel_mode: TravelMode = TravelMode.CAR


@dataclass(frozen=True)
class BlockInfo:
    """A placement block of the year; ``position`` orders the blocks (1 = first)."""

    id: int
    name: str
    start: dt.date
    end: dt.date
    days_in_school: int
    position: int


@dataclass(frozen=True)
class SchoolInfo:
    """A school that may host trainees. ``capacity_per_block`` None means no school limit.

    Attributes:
        closed: GIAS says the school is Closed: kept for history, never offered or planned.
        not_hosting: (block id, reason) for each block of the year the school said it does not
            host in (the reason may be empty).
    """

    id: int
    name: str
    phase: Phase
    location: GridRef | None = None
    capacity_per_block: int | None = None
    closed: bool = False
    not_hosting: tuple[tuple[int, str], ...] = ()

    def not_hosting_reason(self, block_id: int) -> str | None:
        """The reason the school gave for not hosting in the block ("" if none), or None if it hosts."""
        for bid, reason in self.not_hosting:
            if bid == block_id:
                return reason
        return None


@dataclass(frozen=True)
class MentorInfo:
    """A mentor. ``trained`` is the initial mentor training date, None if never trained."""

    id: int
    name: str
    school_id: int
    phase: Phase
    subjects: frozenset[Subject] = frozenset()
    max_trainees: int = 1
    unavailable_block_ids: frozenset[int] = frozenset()
    active: bool = True
    trained: dt.date | None = None
    refresher: dt.date | None = None


@dataclass(frozen=True)
class PlacementInfo:
    """One trainee in one block at one school, with a mentor once one is named."""

    id: int | None
    trainee_id: int
    block_id: int
    school_id: int
    mentor_id: int | None = None
    status: PlacementStatus = PlacementStatus.PROPOSED
    locked: bool = False
    paired_trainee_id: int | None = None


class Severity(enum.Enum):
    """How serious a rule problem is: errors break a rule, warnings deserve a look."""

    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Problem:
    """One rule problem, in words a user understands, with the records it concerns."""

    severity: Severity
    code: str
    message: str
    trainee_id: int | None = None
    block_id: int | None = None
    placement_id: int | None = None

    def __str__(self) -> str:
        return f"{self.severity}: {self.message}"


# -- rule helpers shared with the planner -----------------------------------------------------


def needs_subject_mentor(trainee: TraineeInfo) -> bool:
    """True when the trainee's mentor must teach the trainee's subject (secondary phases)."""
    return trainee.phase in (Phase.SECONDARY, Phase.SIXTEEN_PLUS) and not trainee.subject.is_primary


def school_takes(school: SchoolInfo, trainee: TraineeInfo) -> bool:
    """True when the school's phase suits the trainee's phase."""
    return school.phase in PLACEMENT_PHASES[trainee.phase]


def school_hosts(school: SchoolInfo, block_id: int) -> bool:
    """True when the school is open and has not said it does not host in the block."""
    return not school.closed and school.not_hosting_reason(block_id) is None


def mentor_suits(mentor: MentorInfo, phase: Phase, subject: Subject | None) -> bool:
    """True when the mentor's phase (and subject, if one is needed) suits a trainee."""
    if mentor.phase not in PLACEMENT_PHASES[phase]:
        return False
    return subject is None or subject in mentor.subjects


def mentor_capacity(mentor: MentorInfo, settings: RuleSettings) -> int:
    """Trainees a mentor may take in one block: two only for pair and share."""
    return 2 if settings.allow_pair_and_share and mentor.max_trainees >= 2 else 1


def mentor_usable(mentor: MentorInfo, block_id: int) -> bool:
    """True when the mentor is active, trained and available in the block."""
    return mentor.active and mentor.trained is not None and block_id not in mentor.unavailable_block_ids


def refresher_due(mentor: MentorInfo, years: int) -> dt.date | None:
    """The date the mentor's refresher training falls due, or None if never trained."""
    last = max((d for d in (mentor.trained, mentor.refresher) if d is not None), default=None)
    if last is None:
        return None
    try:
        return last.replace(year=last.year + years)
    except ValueError:  # 29 February in a year that has none
        return last.replace(year=last.year + years, day=28)


def subject_words(phase: Phase, subject: Subject | None) -> str:
    """"secondary physics" or "primary": how a kind of trainee or mentor is named."""
    if subject is None:
        return phase.label.lower()
    return f"{phase.label.lower()} {subject.label.lower()}"
