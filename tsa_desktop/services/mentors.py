"""The mentor pool: list, add, edit and delete mentors; counts, training flags, lead mentors.

Every row carries what a planner asks of a mentor in a year: training status (judged as the
rotation rules judge it), capacity per block, the blocks they are not available in, and their
load (placements per block plus NQTs they tutor).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from typing import Iterable, Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import Phase, QaOutcome, Subject
from tsa_desktop.domain.errors import DeleteRefusedError, FieldProblem, NotFoundError, ValidationError
from tsa_desktop.domain.mentors import (
    MentorData,
    MentorLoad,
    QaState,
    QaStatus,
    QaVisitInfo,
    TrainingState,
    TrainingStatus,
    mentor_load,
    qa_interval,
    qa_status,
    training_status,
    validate_mentor,
)
from tsa_desktop.domain.rules import MentorInfo, RuleSettings
from tsa_desktop.domain.values import academic_year_of, parse_academic_year, parse_email
from tsa_desktop.services.alliance import AllianceService
from tsa_desktop.services.base import Service, check_version

_DATA_FIELDS = [f.name for f in fields(MentorData)]


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
        return MentorData(**{name: getattr(self, name) for name in _DATA_FIELDS})


@dataclass(frozen=True)
class PoolCount:
    """One line of the pool's counts.

    Attributes:
        group: "phase", "subject" or "school".
        label: The phase, subject or school.
        mentors: Mentors in the group (a mentor with two subjects counts under both).
        active: Of them, still active.
        lead_mentors: Of them, lead mentors.
        training_flagged: Of the active ones, never trained or refresher overdue.
        places_per_block: Trainees the active, trained ones can take in one block.
    """

    group: str
    label: str
    mentors: int
    active: int
    lead_mentors: int
    training_flagged: int
    places_per_block: int


@dataclass(frozen=True)
class MentorPool:
    """The pool counted by phase, subject and school."""

    total: int
    active: int
    lead_mentors: int
    training_flagged: int
    by_phase: tuple[PoolCount, ...]
    by_subject: tuple[PoolCount, ...]
    by_school: tuple[PoolCount, ...]

    def summary(self) -> str:
        """E.g. "216 mentors: 43 primary, 168 secondary, 5 special (211 active, 19 lead mentors)"."""
        phases = ", ".join(f"{c.mentors} {c.label.lower()}" for c in self.by_phase)
        head = f"{self.total} mentor{'s' if self.total != 1 else ''}"
        return (f"{head}: {phases} ({self.active} active, {self.lead_mentors} lead mentor"
                f"{'s' if self.lead_mentors != 1 else ''})" if self.total else "No mentors yet")


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
class TrainingRow:
    """A mentor whose training needs attention, and the trainees they are assigned this year."""

    mentor: MentorRow
    assignments: tuple[Assignment, ...] = ()

    @property
    def id(self) -> int:
        return self.mentor.id

    @property
    def assigned(self) -> str:
        return ", ".join(str(a) for a in self.assignments)


@dataclass(frozen=True)
class LeadMentorRow:
    """A lead mentor and the mentors they quality-assure."""

    mentor: MentorRow
    mentees: int
    active_mentees: int
    overdue: int
    last_visit: dt.date | None

    @property
    def id(self) -> int:
        return self.mentor.id


@dataclass(frozen=True)
class BlockChoice:
    """A placement block of the year, for availability and the mentor's view."""

    id: int
    name: str
    start: dt.date
    end: dt.date


@dataclass
class _Context:
    """What building rows needs besides the mentors: the year, settings and today."""

    year: m.AcademicYear | None
    settings: RuleSettings
    interval: int
    today: dt.date
    block_names: dict[int, str] = field(default_factory=dict)


def pool_counts(rows: Sequence[MentorRow]) -> MentorPool:
    """Count mentor rows by phase, subject and school.

    Args:
        rows: Mentors as :meth:`MentorService.list` returns them.
    """
    groups: dict[str, dict[str, list[MentorRow]]] = {"phase": defaultdict(list),
                                                     "subject": defaultdict(list),
                                                     "school": defaultdict(list)}
    phase_order = {p: i for i, p in enumerate(Phase)}
    for r in rows:
        groups["phase"][r.phase.label].append(r)
        groups["school"][r.school_name].append(r)
        for subject in r.subjects or ():
            groups["subject"][subject.label].append(r)

    def line(group: str, label: str, members: list[MentorRow]) -> PoolCount:
        active = [r for r in members if r.active]
        usable = [r for r in active if r.training.state is not TrainingState.NEVER_TRAINED]
        return PoolCount(group, label, len(members), len(active),
                         sum(1 for r in members if r.is_lead_mentor),
                         sum(1 for r in active if r.training.flagged),
                         sum(r.capacity for r in usable))

    by_phase = sorted(groups["phase"].items(), key=lambda kv: phase_order[Phase.parse(kv[0])])
    by_subject = sorted(groups["subject"].items(), key=lambda kv: (-len(kv[1]), kv[0].casefold()))
    by_school = sorted(groups["school"].items(), key=lambda kv: kv[0].casefold())
    return MentorPool(
        total=len(rows), active=sum(1 for r in rows if r.active),
        lead_mentors=sum(1 for r in rows if r.is_lead_mentor),
        training_flagged=sum(1 for r in rows if r.active and r.training.flagged),
        by_phase=tuple(line("phase", k, v) for k, v in by_phase),
        by_subject=tuple(line("subject", k, v) for k, v in by_subject),
        by_school=tuple(line("school", k, v) for k, v in by_school),
    )


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


class MentorService(Service):
    """Use cases for the mentor pool."""

    # --- reading ------------------------------------------------------------------------------------

    def list(self, year: str | None = None, today: dt.date | None = None) -> list[MentorRow]:
        """Every mentor by name, with training, availability and load for the year.

        Args:
            year: The academic year for availability and load; the current one if None.
            today: The day training and QA are judged against; today if None.
        """
        with self._read() as s:
            return self._rows(s, self._context(s, year, today))

    def get(self, mentor_id: int, year: str | None = None, today: dt.date | None = None) -> MentorRow:
        """One mentor.

        Raises:
            NotFoundError: they were deleted meanwhile.
        """
        with self._read() as s:
            self._load(s, mentor_id)
            return self._rows(s, self._context(s, year, today), [mentor_id])[0]

    def by_email(self, email: str, year: str | None = None, today: dt.date | None = None) -> MentorRow:
        """The mentor with this email (case ignored).

        Raises:
            ValidationError: not an email address. NotFoundError: no mentor has it.
        """
        try:
            address = parse_email(email)
        except ValueError as exc:
            raise ValidationError.single("mentor email", str(exc), email) from None
        with self._read() as s:
            found = s.scalar(select(m.Mentor.id).where(func.lower(m.Mentor.email) == address))
            if found is None:
                raise NotFoundError(f"No mentor has the email {address}; check the Mentors page "
                                    "or the mentors export for the address on record.")
            return self._rows(s, self._context(s, year, today), [found])[0]

    def blocks(self, year: str | None = None, today: dt.date | None = None) -> list[BlockChoice]:
        """The placement blocks of the year (the current one if None), in order."""
        with self._read() as s:
            found = resolve_year(s, year, today or dt.date.today())
            if found is None:
                return []
            return [BlockChoice(b.id, b.name, b.start_date, b.end_date) for b in s.scalars(
                select(m.PlacementBlock).where(m.PlacementBlock.academic_year_id == found.id)
                .order_by(m.PlacementBlock.position, m.PlacementBlock.start_date))]

    def pool(self, year: str | None = None, today: dt.date | None = None) -> MentorPool:
        """The pool counted by phase, subject and school."""
        return pool_counts(self.list(year, today))

    def training(self, year: str | None = None, today: dt.date | None = None,
                 include_due_soon: bool = True) -> list[TrainingRow]:
        """Active mentors whose training needs attention, with the trainees they are assigned.

        Never-trained mentors come first, then overdue refreshers, then (optionally) refreshers
        due soon; each lists the year's placements they are named on, so that a flagged mentor
        can be seen wherever they are assigned.
        """
        wanted = {TrainingState.NEVER_TRAINED, TrainingState.REFRESHER_OVERDUE}
        if include_due_soon:
            wanted.add(TrainingState.REFRESHER_DUE_SOON)
        order = {state: i for i, state in enumerate(TrainingState)}
        with self._read() as s:
            ctx = self._context(s, year, today)
            rows = [r for r in self._rows(s, ctx) if r.active and r.training.state in wanted]
            assigned = self._assignments(s, ctx.year, [r.id for r in rows])
        rows.sort(key=lambda r: (order[r.training.state], r.training.refresher_due or dt.date.min,
                                 r.last_name.casefold(), r.first_name.casefold()))
        return [TrainingRow(r, tuple(assigned.get(r.id, ()))) for r in rows]

    def lead_mentors(self, year: str | None = None, today: dt.date | None = None) -> list[LeadMentorRow]:
        """Every lead mentor with how many mentors they quality-assure and how many are overdue."""
        rows = self.list(year, today)
        mentees: dict[int, list[MentorRow]] = defaultdict(list)
        for r in rows:
            if r.lead_mentor_id is not None:
                mentees[r.lead_mentor_id].append(r)
        with self._read() as s:
            last = dict(s.execute(select(m.QaVisit.lead_mentor_id, func.max(m.QaVisit.visit_date))
                                  .group_by(m.QaVisit.lead_mentor_id)).all())
        result = []
        for r in rows:
            if not r.is_lead_mentor:
                continue
            group = mentees.get(r.id, [])
            active = [x for x in group if x.active]
            result.append(LeadMentorRow(r, len(group), len(active),
                                        sum(1 for x in active if x.qa.state.overdue), last.get(r.id)))
        return result

    def mentees(self, lead_mentor_id: int, year: str | None = None,
                today: dt.date | None = None) -> list[MentorRow]:
        """The mentors a lead mentor quality-assures."""
        return [r for r in self.list(year, today) if r.lead_mentor_id == lead_mentor_id]

    # --- changing -----------------------------------------------------------------------------------

    def create(self, raw: dict | MentorData) -> MentorRow:
        """Add a mentor.

        Raises:
            ValidationError: a field is wrong or refers to a school, block or lead mentor that
                does not exist. ConflictError: the email is already a mentor's.
        """
        data = raw if isinstance(raw, MentorData) else validate_mentor(raw)
        with self._write() as s:
            self._check_references(s, data, None)
            mentor = m.Mentor()
            self._apply(s, mentor, data)
            s.add(mentor)
            s.flush()
            self._set_unavailable(s, mentor.id, data.unavailable_block_ids)
            new_id = mentor.id
        return self.get(new_id)

    def update(self, mentor_id: int, raw: dict | MentorData, expected_version: int | None = None) -> MentorRow:
        """Change a mentor's fields (including training dates, lead mentor and availability).

        Args:
            mentor_id: The mentor.
            raw: The new fields.
            expected_version: The version the edit started from; a newer one refuses the save.

        Raises:
            ValidationError: a field is wrong, or a lead mentor with mentors would stop being one.
        """
        data = raw if isinstance(raw, MentorData) else validate_mentor(raw)
        with self._write() as s:
            mentor = self._load(s, mentor_id)
            check_version(mentor.version, expected_version, f"{mentor.first_name} {mentor.last_name}")
            self._check_references(s, data, mentor_id)
            if mentor.is_lead_mentor and not data.is_lead_mentor:
                n = s.scalar(select(func.count()).select_from(m.Mentor)
                             .where(m.Mentor.lead_mentor_id == mentor_id)) or 0
                if n:
                    raise ValidationError.single(
                        "is_lead_mentor", f"{mentor.first_name} {mentor.last_name} quality-assures "
                        f"{n} mentor{'s' if n != 1 else ''}; give them another lead mentor first")
            subjects_changed = self._apply(s, mentor, data)
            if self._set_unavailable(s, mentor_id, data.unavailable_block_ids) or subjects_changed:
                # Subjects and availability live in other tables; the mentor's version must still
                # move so that somebody else's edit from the old version is refused.
                flag_modified(mentor, "email")
            s.flush()
        return self.get(mentor_id)

    def assign_lead_mentor(self, mentor_ids: Sequence[int], lead_mentor_id: int | None) -> dict[int, int | None]:
        """Give several mentors one lead mentor (None: no lead mentor).

        Returns:
            Each mentor's previous lead mentor, so that the change can be undone.

        Raises:
            ValidationError: the lead is not a lead mentor, or would quality-assure themselves.
        """
        with self._write() as s:
            if lead_mentor_id is not None:
                lead = s.get(m.Mentor, lead_mentor_id)
                if lead is None or not lead.is_lead_mentor:
                    raise ValidationError.single("lead_mentor_id", "is not a lead mentor")
            before: dict[int, int | None] = {}
            for mentor_id in mentor_ids:
                mentor = self._load(s, mentor_id)
                if mentor_id == lead_mentor_id:
                    raise ValidationError.single("lead_mentor_id", f"{mentor.first_name} "
                                                 f"{mentor.last_name} cannot be their own lead mentor")
                before[mentor_id] = mentor.lead_mentor_id
                mentor.lead_mentor_id = lead_mentor_id
            return before

    def restore_lead_mentors(self, previous: dict[int, int | None]) -> None:
        """Put lead mentors back as :meth:`assign_lead_mentor` returned them (for undo)."""
        with self._write() as s:
            for mentor_id, lead_id in previous.items():
                mentor = s.get(m.Mentor, mentor_id)
                if mentor is not None:
                    mentor.lead_mentor_id = lead_id if lead_id is None or s.get(m.Mentor, lead_id) else None

    def delete(self, mentor_id: int) -> MentorRow:
        """Delete a mentor nothing refers to.

        Returns:
            The deleted mentor, so that the delete can be undone.

        Raises:
            DeleteRefusedError: placements, QA visits, NQTs or mentors refer to them.
        """
        row = self.get(mentor_id)
        with self._write() as s:
            mentor = self._load(s, mentor_id)
            found = _dependants(s, mentor_id)
            if found:
                raise DeleteRefusedError(
                    f"{row.name} cannot be deleted: {_join(found)} refer to them. Untick "
                    "'Active' to take them out of the pool and keep their history.")
            s.execute(delete(m.MentorUnavailability).where(m.MentorUnavailability.mentor_id == mentor_id))
            s.delete(mentor)
        return row

    # --- internals ----------------------------------------------------------------------------------

    def _context(self, s: Session, year: str | None, today: dt.date | None) -> _Context:
        today = today or dt.date.today()
        settings = AllianceService(self.db).settings()
        ctx = _Context(resolve_year(s, year, today), RuleSettings.from_mapping(settings),
                       qa_interval(settings), today)
        if ctx.year is not None:
            ctx.block_names = dict(s.execute(
                select(m.PlacementBlock.id, m.PlacementBlock.name)
                .where(m.PlacementBlock.academic_year_id == ctx.year.id)
                .order_by(m.PlacementBlock.position, m.PlacementBlock.start_date)).all())
        return ctx

    def _rows(self, s: Session, ctx: _Context, ids: Sequence[int] | None = None) -> list[MentorRow]:
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
        visits: dict[int, list[QaVisitInfo]] = defaultdict(list)
        for mid, day, outcome, due in s.execute(select(m.QaVisit.mentor_id, m.QaVisit.visit_date,
                                                       m.QaVisit.outcome, m.QaVisit.next_due)):
            visits[mid].append(QaVisitInfo(mid, day, QaOutcome.parse(outcome), due))
        mentees = Counter(s.scalars(select(m.Mentor.lead_mentor_id).where(m.Mentor.lead_mentor_id.is_not(None))))
        rows = []
        for mentor, school_name in found:
            info = mentor_info(mentor, unavailable.get(mentor.id, ()))
            blocked = [name for bid, name in ctx.block_names.items() if bid in info.unavailable_block_ids]
            load = mentor_load(info, placements.get(mentor.id, ()), nqts.get(mentor.id, 0), ctx.settings)
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

    @staticmethod
    def _assignments(s: Session, year: m.AcademicYear | None,
                     mentor_ids: Sequence[int]) -> dict[int, list[Assignment]]:
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

    @staticmethod
    def _load(s: Session, mentor_id: int) -> m.Mentor:
        mentor = s.get(m.Mentor, mentor_id)
        if mentor is None:
            raise NotFoundError("That mentor no longer exists; somebody may have deleted them.")
        return mentor

    @staticmethod
    def _check_references(s: Session, data: MentorData, own_id: int | None) -> None:
        problems: list[FieldProblem] = []
        if s.get(m.School, data.school_id) is None:
            problems.append(FieldProblem("school_id", "no such school; it may have been deleted"))
        clash = s.scalar(select(m.Mentor).where(func.lower(m.Mentor.email) == data.email,
                                                m.Mentor.id != (own_id or -1)))
        if clash is not None:
            problems.append(FieldProblem("email", f"is already {clash.first_name} {clash.last_name}'s",
                                         value=data.email))
        if data.lead_mentor_id is not None:
            lead = s.get(m.Mentor, data.lead_mentor_id)
            if data.lead_mentor_id == own_id:
                problems.append(FieldProblem("lead_mentor_id", "a mentor cannot be their own lead mentor"))
            elif lead is None or not lead.is_lead_mentor:
                problems.append(FieldProblem("lead_mentor_id", "is not a lead mentor"))
        if data.unavailable_block_ids:
            known = set(s.scalars(select(m.PlacementBlock.id)
                                  .where(m.PlacementBlock.id.in_(data.unavailable_block_ids))))
            if known != set(data.unavailable_block_ids):
                problems.append(FieldProblem("unavailable_block_ids", "names a block that no longer exists"))
        if problems:
            raise ValidationError(problems)

    @staticmethod
    def _apply(s: Session, mentor: m.Mentor, data: MentorData) -> bool:
        """Copy the fields; True when the subjects changed."""
        for name in _DATA_FIELDS:
            if name in ("subjects", "unavailable_block_ids"):
                continue
            value = getattr(data, name)
            setattr(mentor, name, value.code if isinstance(value, Phase) else value)
        # Keep the rows that stay: deleting and re-inserting one primary key in a flush is a trap.
        wanted = {subject.code for subject in data.subjects}
        kept = [x for x in mentor.subjects if x.subject in wanted]
        have = {x.subject for x in kept}
        if len(kept) == len(mentor.subjects) and wanted == have:
            return False
        mentor.subjects = kept + [m.MentorSubject(subject=code) for code in sorted(wanted - have)]
        return True

    @staticmethod
    def _set_unavailable(s: Session, mentor_id: int, block_ids: frozenset[int]) -> bool:
        """Make the mentor unavailable in exactly these blocks; True when that changed anything."""
        existing = set(s.scalars(select(m.MentorUnavailability.block_id)
                                 .where(m.MentorUnavailability.mentor_id == mentor_id)))
        gone = existing - set(block_ids)
        if gone:
            s.execute(delete(m.MentorUnavailability).where(m.MentorUnavailability.mentor_id == mentor_id,
                                                           m.MentorUnavailability.block_id.in_(gone)))
        added = sorted(set(block_ids) - existing)
        for block_id in added:
            s.add(m.MentorUnavailability(mentor_id=mentor_id, block_id=block_id, reason=""))
        return bool(gone or added)


def _load_summary(load: MentorLoad, block_names: dict[int, str]) -> str:
    """E.g. "1 trainee in Autumn block A, 2 in Spring block B; 1 NQT"."""
    parts = []
    for block_id, name in block_names.items():
        n = load.trainees_by_block.get(block_id, 0)
        if n:
            parts.append(f"{n} trainee{'s' if n != 1 else ''} in {name}" if not parts else f"{n} in {name}")
    text = ", ".join(parts) or "No trainees"
    if load.nqts:
        text += f"; {load.nqts} NQT{'s' if load.nqts != 1 else ''} tutored"
    return text + f" (up to {load.capacity} a block)"


def _dependants(s: Session, mentor_id: int) -> list[str]:
    checks = [
        ("placement", select(func.count()).select_from(m.Placement).where(m.Placement.mentor_id == mentor_id)),
        ("QA visit", select(func.count()).select_from(m.QaVisit).where(
            (m.QaVisit.mentor_id == mentor_id) | (m.QaVisit.lead_mentor_id == mentor_id))),
        ("NQT", select(func.count()).select_from(m.Nqt).where(m.Nqt.induction_tutor_id == mentor_id)),
        ("mentor", select(func.count()).select_from(m.Mentor).where(m.Mentor.lead_mentor_id == mentor_id)),
    ]
    found = []
    for noun, stmt in checks:
        n = s.scalar(stmt) or 0
        if n:
            found.append(f"{n} {noun}{'' if n == 1 else 's'}")
    return found


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
