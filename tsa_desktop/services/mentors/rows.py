"""Mentor rows for one academic year: what the Mentors page and the mentor's view read.

Building a row needs the mentor's subjects and availability, the year's placements and tutored
NQTs (the load), QA visits and the settings; they are read here in a handful of queries for the
whole pool rather than per mentor.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from typing import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import InductionRegime, Phase, QaOutcome, Subject
from tsa_desktop.domain.errors import NotFoundError
from tsa_desktop.domain.mentors import (
    MentorData,
    MentorLoad,
    QaStatus,
    QaVisitInfo,
    TrainingStatus,
    mentor_load,
    qa_interval,
    qa_status,
    training_status,
)
from tsa_desktop.domain.induction_schedule import plan_induction
from tsa_desktop.domain.rules import MentorInfo, RuleSettings
from tsa_desktop.domain.values import academic_year_of, parse_academic_year

DATA_FIELDS = [f.name for f in fields(MentorData)]


@dataclass(frozen=True)
class MentorRow:
    """A mentor as the pages and commands see them, for one academic year.

    Attributes:
        unavailable_blocks: Names of the year's blocks the mentor is not available in.
        training: Training status as of the day the list was made.
        load: Placements in the year's blocks and NQTs tutored in the year.
        qa: Quality-assurance status as of the day the list was made.
        mentees: For a lead mentor, how many mentors they quality-assure.
    """

    id: int
    email: str
    first_name: str
    last_name: str
    school_id: int
    school_name: str
    phase: Phase
    subjects: tuple[Subject, ...]
    is_lead_mentor: bool
    lead_mentor_id: int | None
    lead_mentor_name: str
    initial_training_date: dt.date | None
    initial_training_hours: float | None
    refresher_date: dt.date | None
    max_trainees: int
    active: bool
    phone: str
    version: int
    training: TrainingStatus
    load: MentorLoad
    qa: QaStatus
    unavailable_block_ids: frozenset[int] = frozenset()
    unavailable_blocks: tuple[str, ...] = ()
    mentees: int = 0
    load_summary: str = ""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def sort_name(self) -> str:
        """"Last, First" for sorting and choosing."""
        return f"{self.last_name}, {self.first_name}"

    @property
    def subject_names(self) -> str:
        """The subjects' names separated by "; " (as the import file writes them, but named)."""
        return "; ".join(s.label for s in self.subjects)

    @property
    def capacity(self) -> int:
        """Trainees the mentor may take in one block (two only for pair and share, if allowed)."""
        return self.load.capacity

    @property
    def availability(self) -> str:
        """"Available in every block" or "Not in Spring block B"."""
        if not self.unavailable_blocks:
            return "All blocks"
        return "Not in " + ", ".join(self.unavailable_blocks)

    def data(self) -> MentorData:
        """The editable fields, e.g. to undo an edit or re-create after a delete."""
        return MentorData(**{name: getattr(self, name) for name in DATA_FIELDS})


@dataclass(frozen=True)
class Assignment:
    """A trainee placed with a mentor in a block."""

    placement_id: int
    trainee_name: str
    block_name: str
    block_start: dt.date

    def __str__(self) -> str:
        return f"{self.trainee_name} ({self.block_name})"


@dataclass(frozen=True)
class BlockChoice:
    """A placement block of the year, for availability and the mentor's view."""

    id: int
    name: str
    start: dt.date
    end: dt.date


@dataclass
class RowContext:
    """What building rows needs besides the mentors: the year, settings and today."""

    year: m.AcademicYear | None
    settings: RuleSettings
    interval: int
    today: dt.date
    block_names: dict[int, str] = field(default_factory=dict)


def resolve_year(s: Session, name: str | None, today: dt.date) -> m.AcademicYear | None:
    """The academic year called ``name``; without a name today's year if the file has it,
    else the newest; None in a file without years.

    Raises:
        NotFoundError: a named year is not in the file.
    """
    if name:
        name = parse_academic_year(name)
        year = s.scalar(select(m.AcademicYear).where(m.AcademicYear.name == name))
        if year is None:
            raise NotFoundError(f"There is no academic year {name} in this file.")
        return year
    year = s.scalar(select(m.AcademicYear).where(m.AcademicYear.name == academic_year_of(today)))
    return year or s.scalar(select(m.AcademicYear).order_by(m.AcademicYear.name.desc()).limit(1))


def mentor_info(mentor: m.Mentor, unavailable: Iterable[int] = ()) -> MentorInfo:
    """The rotation rules' view of a mentor."""
    return MentorInfo(
        id=mentor.id, name=f"{mentor.first_name} {mentor.last_name}", school_id=mentor.school_id,
        phase=Phase.parse(mentor.phase), subjects=frozenset(Subject.parse(x.subject) for x in mentor.subjects),
        max_trainees=mentor.max_trainees, unavailable_block_ids=frozenset(unavailable),
        active=mentor.active, trained=mentor.initial_training_date, refresher=mentor.refresher_date,
    )


def build_context(s: Session, settings: dict[str, object], year: str | None, today: dt.date | None) -> RowContext:
    """The year (current if None), settings and day that rows are built for."""
    today = today or dt.date.today()
    ctx = RowContext(resolve_year(s, year, today), RuleSettings.from_mapping(settings),
                     qa_interval(settings), today)
    if ctx.year is not None:
        ctx.block_names = dict(s.execute(
            select(m.PlacementBlock.id, m.PlacementBlock.name)
            .where(m.PlacementBlock.academic_year_id == ctx.year.id)
            .order_by(m.PlacementBlock.position, m.PlacementBlock.start_date)).all())
    return ctx


def mentor_rows(s: Session, ctx: RowContext, ids: Sequence[int] | None = None) -> list[MentorRow]:
    """Rows for every mentor (or those with ``ids``), by last name."""
    stmt = (select(m.Mentor, m.School.name).join(m.School, m.School.id == m.Mentor.school_id)
            .options(selectinload(m.Mentor.subjects)).order_by(m.Mentor.last_name, m.Mentor.first_name))
    if ids is not None:
        stmt = stmt.where(m.Mentor.id.in_(ids))
    found = s.execute(stmt).all()
    names = dict(s.execute(select(m.Mentor.id, m.Mentor.first_name + " " + m.Mentor.last_name)
                           .where(m.Mentor.is_lead_mentor.is_(True))).all())
    unavailable: dict[int, set[int]] = defaultdict(set)
    for mentor_id, block_id in s.execute(select(m.MentorUnavailability.mentor_id,
                                                m.MentorUnavailability.block_id)):
        unavailable[mentor_id].add(block_id)
    placements: dict[int, list[int]] = defaultdict(list)
    nqts: Counter[int] = Counter()
    if ctx.year is not None:
        for mentor_id, block_id in s.execute(
                select(m.Placement.mentor_id, m.Placement.block_id)
                .join(m.PlacementBlock, m.PlacementBlock.id == m.Placement.block_id)
                .where(m.PlacementBlock.academic_year_id == ctx.year.id,
                       m.Placement.mentor_id.is_not(None), m.Placement.status != "cancelled")):
            placements[mentor_id].append(block_id)
        nqts.update(s.scalars(
            select(m.Nqt.induction_tutor_id)
            .join(m.InductionCohort, m.InductionCohort.id == m.Nqt.cohort_id)
            .where(m.InductionCohort.academic_year_id == ctx.year.id,
                   m.Nqt.induction_tutor_id.is_not(None), m.Nqt.status != "left")))
    ects = ects_mentored(s, ctx.year)
    visits: dict[int, list[QaVisitInfo]] = defaultdict(list)
    for mid, day, outcome, due in s.execute(select(m.QaVisit.mentor_id, m.QaVisit.visit_date,
                                                   m.QaVisit.outcome, m.QaVisit.next_due)):
        visits[mid].append(QaVisitInfo(mid, day, QaOutcome.parse(outcome), due))
    mentees = Counter(s.scalars(select(m.Mentor.lead_mentor_id).where(m.Mentor.lead_mentor_id.is_not(None))))
    rows = []
    for mentor, school_name in found:
        info = mentor_info(mentor, unavailable.get(mentor.id, ()))
        blocked = [name for bid, name in ctx.block_names.items() if bid in info.unavailable_block_ids]
        load = mentor_load(info, placements.get(mentor.id, ()), nqts.get(mentor.id, 0), ctx.settings,
                           ects.get(mentor.id, 0))
        rows.append(MentorRow(
            id=mentor.id, email=mentor.email, first_name=mentor.first_name, last_name=mentor.last_name,
            school_id=mentor.school_id, school_name=school_name, phase=info.phase,
            subjects=tuple(Subject.parse(x.subject) for x in mentor.subjects),
            is_lead_mentor=mentor.is_lead_mentor, lead_mentor_id=mentor.lead_mentor_id,
            lead_mentor_name=names.get(mentor.lead_mentor_id, "") if mentor.lead_mentor_id else "",
            initial_training_date=mentor.initial_training_date,
            initial_training_hours=mentor.initial_training_hours,
            refresher_date=mentor.refresher_date, max_trainees=mentor.max_trainees,
            active=mentor.active, phone=mentor.phone, version=mentor.version,
            training=training_status(info, ctx.settings.refresher_years, ctx.today),
            load=load, load_summary=_load_summary(load, ctx.block_names),
            qa=qa_status(mentor.lead_mentor_id is not None, visits.get(mentor.id, ()), ctx.interval,
                         ctx.today),
            unavailable_block_ids=info.unavailable_block_ids, unavailable_blocks=tuple(blocked),
            mentees=mentees.get(mentor.id, 0),
        ))
    return rows


#: Statuses of an ECT whose mentor is still supporting them.
_MENTORED = ("in_progress", "extended", "not_started")


def ects_mentored(s: Session, year: m.AcademicYear | None) -> Counter[int]:
    """ECTs per mentor whose induction runs during ``year`` (a two-year induction spans two).

    An ECT counts from their start date to the expected end of their induction (or their
    leaving day), when that overlaps the academic year.
    """
    found: Counter[int] = Counter()
    if year is None:
        return found
    for mentor_id, start, fte, regime, reduced, extension, left in s.execute(
            select(m.Nqt.mentor_id, m.Nqt.start_date, m.Nqt.fte, m.Nqt.induction_regime, m.Nqt.reduced_terms,
                   m.Nqt.extension_terms, m.Nqt.left_date)
            .where(m.Nqt.mentor_id.is_not(None), m.Nqt.status.in_(_MENTORED),
                   m.Nqt.start_date.is_not(None), m.Nqt.start_date <= year.end_date)):
        plan = plan_induction(start, float(fte), InductionRegime.parse(regime), float(reduced or 0),
                              float(extension or 0), left)
        last = plan.terms[-1].last_day if plan.terms else start
        if last >= year.start_date:
            found[mentor_id] += 1
    return found


def assignments(s: Session, year: m.AcademicYear | None,
                mentor_ids: Sequence[int]) -> dict[int, list[Assignment]]:
    """The year's placements (not cancelled) naming each of these mentors, in date order."""
    if year is None or not mentor_ids:
        return {}
    stmt = (select(m.Placement.mentor_id, m.Placement.id, m.Trainee.first_names, m.Trainee.last_name,
                   m.PlacementBlock.name, m.PlacementBlock.start_date)
            .join(m.Trainee, m.Trainee.id == m.Placement.trainee_id)
            .join(m.PlacementBlock, m.PlacementBlock.id == m.Placement.block_id)
            .where(m.PlacementBlock.academic_year_id == year.id, m.Placement.mentor_id.in_(mentor_ids),
                   m.Placement.status != "cancelled")
            .order_by(m.PlacementBlock.start_date, m.Trainee.last_name))
    result: dict[int, list[Assignment]] = defaultdict(list)
    for mentor_id, pid, first, last, block, start in s.execute(stmt):
        result[mentor_id].append(Assignment(pid, f"{first} {last}", block, start))
    return result


def _load_summary(load: MentorLoad, block_names: dict[int, str]) -> str:
    """E.g. "1 trainee in Autumn block A, 2 in Spring block B; mentor to 1 ECT; 1 tutored"."""
    parts = []
    for block_id, name in block_names.items():
        n = load.trainees_by_block.get(block_id, 0)
        if n:
            parts.append(f"{n} trainee{'s' if n != 1 else ''} in {name}" if not parts else f"{n} in {name}")
    text = ", ".join(parts) or "No trainees"
    if load.ects:
        text += f"; mentor to {load.ects} ECT{'s' if load.ects != 1 else ''}"
    if load.nqts:
        text += f"; induction tutor to {load.nqts}"
    return text + f" (up to {load.capacity} a block)"
