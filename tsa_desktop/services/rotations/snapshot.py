"""Build the rules' RotationSnapshot for an academic year from the database, with plain selects.

Loading ORM entities costs six times as much as selecting columns (MEASURED.md); the grid and
the planner read the whole year, so this module selects columns and builds frozen dataclasses.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import Phase, PlacementStatus, Route, Subject, TraineeStatus
from tsa_desktop.domain.errors import NotFoundError
from tsa_desktop.domain.journeys import TravelMode
from tsa_desktop.domain.rules import (
    BlockInfo,
    MentorInfo,
    PlacementInfo,
    RotationSnapshot,
    RuleSettings,
    SchoolInfo,
    TraineeInfo,
)
from tsa_desktop.domain.values import GridRef, parse_academic_year


def year_id(s: Session, year: str) -> int:
    """The id of an academic year in this file.

    Raises:
        NotFoundError: naming the years the file has.
    """
    name = parse_academic_year(year)
    found = s.scalar(select(m.AcademicYear.id).where(m.AcademicYear.name == name))
    if found is None:
        known = ", ".join(s.scalars(select(m.AcademicYear.name).order_by(m.AcademicYear.name))) or "none yet"
        raise NotFoundError(f"There is no academic year {name} in this file (years: {known}).")
    return found


def is_closed(establishment_status: str | None) -> bool:
    """True for a school GIAS lists as Closed (kept for history, never offered or planned)."""
    return (establishment_status or "").strip().casefold() == "closed"


def hosting_refusals(s: Session, academic_year_id: int, block_ids: list[int]) -> dict[int, dict[int, str]]:
    """School id to {block id: reason} for every block a school does not host in this year.

    A block's own answer comes before the school's answer for the whole year.
    """
    whole: dict[int, tuple[bool, str]] = {}
    per_block: dict[tuple[int, int], tuple[bool, str]] = {}
    for r in s.execute(select(m.SchoolHosting.school_id, m.SchoolHosting.block_id, m.SchoolHosting.hosting,
                              m.SchoolHosting.reason)
                       .where(m.SchoolHosting.academic_year_id == academic_year_id)):
        if r.block_id is None:
            whole[r.school_id] = (r.hosting, r.reason or "")
        else:
            per_block[(r.school_id, r.block_id)] = (r.hosting, r.reason or "")
    out: dict[int, dict[int, str]] = defaultdict(dict)
    for school_id in {sid for sid in whole} | {sid for sid, _ in per_block}:
        for bid in block_ids:
            answer = per_block.get((school_id, bid)) or whole.get(school_id)
            if answer is not None and not answer[0]:
                out[school_id][bid] = answer[1]
    return out


def _mode(code: str | None) -> TravelMode:
    try:
        return TravelMode.parse(code) if code else TravelMode.CAR
    except ValueError:  # a mode this version does not know: judged as by car
        return TravelMode.CAR


def _grid(e: int | None, n: int | None) -> GridRef | None:
    return GridRef(e, n) if e is not None and n is not None else None


def load_snapshot(s: Session, year: str, settings: dict[str, object]) -> RotationSnapshot:
    """Everything the rules and the planner need for one year.

    Args:
        s: An open session.
        year: The academic year, e.g. ``2026/27``.
        settings: The business settings (AllianceService.settings()).
    """
    yid = year_id(s, year)
    trainees = tuple(
        TraineeInfo(
            id=r.id, name=f"{r.first_names} {r.last_name}", phase=Phase.parse(r.phase),
            subject=Subject.parse(r.subject), route=Route.parse(r.route),
            employing_school_id=r.employing_school_id, home=_grid(r.home_easting, r.home_northing),
            status=TraineeStatus.parse(r.status), travel_mode=_mode(r.travel_mode),
        )
        for r in s.execute(select(
            m.Trainee.id, m.Trainee.first_names, m.Trainee.last_name, m.Trainee.phase, m.Trainee.subject,
            m.Trainee.route, m.Trainee.employing_school_id, m.Trainee.home_easting, m.Trainee.home_northing,
            m.Trainee.status, m.Trainee.travel_mode).where(m.Trainee.academic_year_id == yid))
    )
    blocks = tuple(
        BlockInfo(id=r.id, name=r.name, start=r.start_date, end=r.end_date,
                  days_in_school=r.days_in_school, position=r.position)
        for r in s.execute(select(m.PlacementBlock).where(m.PlacementBlock.academic_year_id == yid)
                           .order_by(m.PlacementBlock.position, m.PlacementBlock.start_date)).scalars()
    )
    not_hosting = hosting_refusals(s, yid, [b.id for b in blocks])
    schools = tuple(
        SchoolInfo(id=r.id, name=r.name, phase=Phase.parse(r.phase), location=_grid(r.easting, r.northing),
                   capacity_per_block=r.capacity_per_block, closed=is_closed(r.establishment_status),
                   not_hosting=tuple(sorted(not_hosting.get(r.id, {}).items())))
        for r in s.execute(select(m.School.id, m.School.name, m.School.phase, m.School.easting,
                                  m.School.northing, m.School.capacity_per_block,
                                  m.School.establishment_status))
    )
    subjects: dict[int, set[Subject]] = defaultdict(set)
    for mentor_id, code in s.execute(select(m.MentorSubject.mentor_id, m.MentorSubject.subject)):
        try:
            subjects[mentor_id].add(Subject.parse(code))
        except ValueError:  # a code this version does not know: the mentor simply lacks it
            continue
    block_ids = {b.id for b in blocks}
    away: dict[int, set[int]] = defaultdict(set)
    for mentor_id, block_id in s.execute(select(m.MentorUnavailability.mentor_id, m.MentorUnavailability.block_id)):
        if block_id in block_ids:
            away[mentor_id].add(block_id)
    mentors = tuple(
        MentorInfo(id=r.id, name=f"{r.first_name} {r.last_name}", school_id=r.school_id,
                   phase=Phase.parse(r.phase), subjects=frozenset(subjects[r.id]), max_trainees=r.max_trainees,
                   unavailable_block_ids=frozenset(away[r.id]), active=r.active,
                   trained=r.initial_training_date, refresher=r.refresher_date)
        for r in s.execute(select(m.Mentor.id, m.Mentor.first_name, m.Mentor.last_name, m.Mentor.school_id,
                                  m.Mentor.phase, m.Mentor.max_trainees, m.Mentor.active,
                                  m.Mentor.initial_training_date, m.Mentor.refresher_date))
    )
    placements = tuple(
        PlacementInfo(id=r.id, trainee_id=r.trainee_id, block_id=r.block_id, school_id=r.school_id,
                      mentor_id=r.mentor_id, status=PlacementStatus.parse(r.status), locked=r.locked,
                      paired_trainee_id=r.paired_trainee_id)
        for r in s.execute(select(m.Placement.id, m.Placement.trainee_id, m.Placement.block_id,
                                  m.Placement.school_id, m.Placement.mentor_id, m.Placement.status,
                                  m.Placement.locked, m.Placement.paired_trainee_id)
                           .where(m.Placement.block_id.in_(block_ids)))
    )
    return RotationSnapshot(trainees, blocks, schools, mentors, placements,
                            RuleSettings.from_mapping(settings))
