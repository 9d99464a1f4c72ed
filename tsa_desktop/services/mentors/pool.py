"""The mentor pool: list, add, edit and delete mentors; counts, training flags, lead mentors.

Every row carries what a planner asks of a mentor in a year: training status (judged as the
rotation rules judge it), capacity per block, the blocks they are not available in, and their
load (placements per block plus the ECTs they mentor and tutor).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from tsa_desktop.db import models as m
from tsa_desktop.db.engine import Database
from tsa_desktop.domain.enums import Phase
from tsa_desktop.domain.errors import DeleteRefusedError, FieldProblem, NotFoundError, ValidationError
from tsa_desktop.domain.mentors import MentorData, TrainingState, validate_mentor
from tsa_desktop.domain.values import parse_email
from tsa_desktop.services.base import Service, check_version
from tsa_desktop.services.reference.alliance import AllianceService
from tsa_desktop.services.mentors.rows import (
    DATA_FIELDS,
    Assignment,
    BlockChoice,
    MentorRow,
    assignments,
    build_context,
    mentor_rows,
    resolve_year,
)

__all__ = [
    "Assignment", "BlockChoice", "LeadMentorRow", "MentorPool", "MentorRow", "MentorService", "PoolCount",
    "TrainingRow", "pool_counts", "resolve_year",
]


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


class MentorService(Service):
    """Use cases for the mentor pool.

    Args:
        db: The open database.
        alliance: The alliance's settings (training and QA intervals, the rules' thresholds).
    """

    def __init__(self, db: Database, alliance: AllianceService) -> None:
        super().__init__(db)
        self._alliance = alliance

    # --- reading ------------------------------------------------------------------------------------

    def list(self, year: str | None = None, today: dt.date | None = None) -> list[MentorRow]:
        """Every mentor by name, with training, availability and load for the year.

        Args:
            year: The academic year for availability and load; the current one if None.
            today: The day training and QA are judged against; today if None.
        """
        with self._read() as s:
            return mentor_rows(s, build_context(s, self._alliance.settings(), year, today))

    def get(self, mentor_id: int, year: str | None = None, today: dt.date | None = None) -> MentorRow:
        """One mentor.

        Raises:
            NotFoundError: they were deleted meanwhile.
        """
        with self._read() as s:
            self._load(s, mentor_id)
            return mentor_rows(s, build_context(s, self._alliance.settings(), year, today), [mentor_id])[0]

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
            return mentor_rows(s, build_context(s, self._alliance.settings(), year, today), [found])[0]

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
            ctx = build_context(s, self._alliance.settings(), year, today)
            rows = [r for r in mentor_rows(s, ctx) if r.active and r.training.state in wanted]
            assigned = assignments(s, ctx.year, [r.id for r in rows])
        rows.sort(key=lambda r: (order[r.training.state], r.training.refresher_due or dt.date.min,
                                 r.last_name.casefold(), r.first_name.casefold()))
        return [TrainingRow(r, tuple(assigned.get(r.id, ()))) for r in rows]

    def lead_mentors(self, year: str | None = None, today: dt.date | None = None,
                     rows: Sequence[MentorRow] | None = None) -> list[LeadMentorRow]:
        """Every lead mentor with how many mentors they quality-assure and how many are overdue.

        Args:
            rows: The pool as :meth:`list` gave it for the same year and day, to save reading it
                again.
        """
        rows = list(rows) if rows is not None else self.list(year, today)
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
                        f"{n} mentor{'s' if n != 1 else ''}; give them another lead mentor first", kind="mentors")
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
                    raise ValidationError.single("lead_mentor_id", "is not a lead mentor", kind="mentors")
            before: dict[int, int | None] = {}
            for mentor_id in mentor_ids:
                mentor = self._load(s, mentor_id)
                if mentor_id == lead_mentor_id:
                    raise ValidationError.single("lead_mentor_id", f"{mentor.first_name} "
                                                 f"{mentor.last_name} cannot be their own lead mentor",
                                                 kind="mentors")
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
            raise ValidationError(problems, kind="mentors")

    @staticmethod
    def _apply(s: Session, mentor: m.Mentor, data: MentorData) -> bool:
        """Copy the fields; True when the subjects changed."""
        for name in DATA_FIELDS:
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


def _dependants(s: Session, mentor_id: int) -> list[str]:
    checks = [
        ("placement", select(func.count()).select_from(m.Placement).where(m.Placement.mentor_id == mentor_id)),
        ("QA visit", select(func.count()).select_from(m.QaVisit).where(
            (m.QaVisit.mentor_id == mentor_id) | (m.QaVisit.lead_mentor_id == mentor_id))),
        ("early career teacher they tutor", select(func.count()).select_from(m.Nqt).where(
            m.Nqt.induction_tutor_id == mentor_id)),
        ("early career teacher they mentor", select(func.count()).select_from(m.Nqt).where(
            m.Nqt.mentor_id == mentor_id)),
        ("mentor", select(func.count()).select_from(m.Mentor).where(m.Mentor.lead_mentor_id == mentor_id)),
    ]
    found = []
    for noun, stmt in checks:
        n = s.scalar(stmt) or 0
        if n:
            # "early career teacher they mentor": the plural goes on the noun, not the verb
            head, _, tail = noun.partition(" they ")
            found.append(f"{n} {head}{'' if n == 1 else 's'}" + (f" they {tail}" if tail else ""))
    return found


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
