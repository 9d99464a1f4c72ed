"""Allocations: list with their fill, add, edit, delete."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.domain.allocations import (
    COUNTING_STATUSES,
    AllocationData,
    AllocationRef,
    Fill,
    places_cut_problem,
    validate_allocation,
)
from tsa_desktop.domain.enums import Phase, Route, Subject
from tsa_desktop.domain.errors import ConflictError, DeleteRefusedError, NotFoundError, ValidationError
from tsa_desktop.domain.values import parse_academic_year
from tsa_desktop.services.base import Service, check_version
from tsa_desktop.services.reference.years import ensure_year


@dataclass(frozen=True)
class AllocationRow:
    """An allocation with the trainees recruited against it (not withdrawn).

    Attributes:
        lead_school: The lead school's name.
        provider: The accredited provider's name ("" when not recorded).
        recruited: Trainees recruited against it and not withdrawn.
        over_reasons: How many of them were recruited past the places with a reason.
    """

    id: int
    academic_year: str
    route: Route
    phase: Phase
    subject: Subject
    lead_school_id: int
    lead_school: str
    provider_id: int | None
    provider: str
    places: int
    recruited: int
    version: int
    over_reasons: int = 0

    @property
    def fill(self) -> Fill:
        return Fill(self.places, self.recruited)

    def ref(self) -> AllocationRef:
        """The allocation as messages name it."""
        return AllocationRef(self.id, self.academic_year, self.route, self.phase, self.subject,
                             self.lead_school, self.provider, self.places)

    def data(self) -> AllocationData:
        """The editable fields, e.g. to undo an edit or re-create after a delete."""
        return AllocationData(self.academic_year, self.route, self.phase, self.subject,
                              self.lead_school_id, self.places, self.provider_id)


def _recruited_counts() -> Select:
    return (select(m.Trainee.allocation_id.label("allocation_id"), func.count().label("n"),
                   func.count(m.Trainee.over_allocation_reason).label("reasons"))
            .where(m.Trainee.status.in_(COUNTING_STATUSES))
            .group_by(m.Trainee.allocation_id))


def _rows_statement() -> Select:
    counts = _recruited_counts().subquery()
    return (
        select(m.Allocation.id, m.AcademicYear.name, m.Allocation.route, m.Allocation.phase,
               m.Allocation.subject, m.Allocation.lead_school_id, m.School.name,
               m.Allocation.provider_id, m.Provider.name, m.Allocation.places,
               func.coalesce(counts.c.n, 0), m.Allocation.version, func.coalesce(counts.c.reasons, 0))
        .join(m.AcademicYear, m.AcademicYear.id == m.Allocation.academic_year_id)
        .join(m.School, m.School.id == m.Allocation.lead_school_id)
        .outerjoin(m.Provider, m.Provider.id == m.Allocation.provider_id)
        .outerjoin(counts, counts.c.allocation_id == m.Allocation.id)
        .order_by(m.AcademicYear.name, m.Allocation.phase, m.Allocation.subject, m.Allocation.route,
                  m.School.name)
    )


def _row(values) -> AllocationRow:
    (aid, year, route, phase, subject, lead_id, lead, provider_id, provider, places, recruited,
     version, reasons) = values
    return AllocationRow(aid, year, Route.parse(route), Phase.parse(phase), Subject.parse(subject),
                         lead_id, lead, provider_id, provider or "", places, recruited, version, reasons)


def allocation_rows(s: Session, year: str | None = None, allocation_id: int | None = None) -> list[AllocationRow]:
    """Allocations with their fill, in one query (optionally of one year, or just one)."""
    stmt = _rows_statement()
    if year is not None:
        stmt = stmt.where(m.AcademicYear.name == year)
    if allocation_id is not None:
        stmt = stmt.where(m.Allocation.id == allocation_id)
    return [_row(values) for values in s.execute(stmt)]


def recruited_on(s: Session, allocation_id: int, excluding: int | None = None) -> int:
    """Trainees counted against an allocation now, leaving out one trainee (being edited)."""
    stmt = (select(func.count()).select_from(m.Trainee)
            .where(m.Trainee.allocation_id == allocation_id, m.Trainee.status.in_(COUNTING_STATUSES)))
    if excluding is not None:
        stmt = stmt.where(m.Trainee.id != excluding)
    return s.scalar(stmt) or 0


class AllocationService(Service):
    """Use cases for allocations of places."""

    def list(self, year: str | None = None) -> list[AllocationRow]:
        """The allocations (of one year, or all), each with its recruitment."""
        year = parse_academic_year(year) if year is not None else None
        with self._read() as s:
            return allocation_rows(s, year)

    def get(self, allocation_id: int) -> AllocationRow:
        """One allocation.

        Raises:
            NotFoundError: when it was deleted meanwhile.
        """
        with self._read() as s:
            rows = allocation_rows(s, allocation_id=allocation_id)
            if not rows:
                raise _gone()
            return rows[0]

    def matching(self, year: str, route: Route | str, phase: Phase | str,
                 subject: Subject | str) -> list[AllocationRow]:
        """The allocations of a year a trainee of this route, phase and subject may belong to."""
        route, phase, subject = Route.parse(route), Phase.parse(phase), Subject.parse(subject)
        return [r for r in self.list(year) if (r.route, r.phase, r.subject) == (route, phase, subject)]

    def create(self, raw: dict | AllocationData) -> AllocationRow:
        """Add an allocation (creating its academic year if the file does not have it yet).

        Raises:
            ValidationError: a field is wrong, or the school or provider does not exist.
            ConflictError: the lead school already holds an allocation for these places.
        """
        data = raw if isinstance(raw, AllocationData) else validate_allocation(raw)
        with self._write() as s:
            self._check_references(s, data)
            year = ensure_year(s, data.academic_year)
            self._refuse_duplicate(s, data, year.id, None)
            allocation = m.Allocation(academic_year_id=year.id)
            self._apply(allocation, data)
            s.add(allocation)
            s.flush()
            return allocation_rows(s, allocation_id=allocation.id)[0]

    def update(self, allocation_id: int, raw: dict | AllocationData,
               expected_version: int | None = None) -> AllocationRow:
        """Change an allocation.

        Its route, phase, subject and year cannot change while trainees are recruited against
        it (they would no longer match); its places cannot be cut below its recruitment.

        Raises:
            ValidationError, ConflictError, StaleRecordError, NotFoundError.
        """
        data = raw if isinstance(raw, AllocationData) else validate_allocation(raw)
        with self._write() as s:
            allocation = s.get(m.Allocation, allocation_id)
            if allocation is None:
                raise _gone()
            before = allocation_rows(s, allocation_id=allocation_id)[0]
            check_version(allocation.version, expected_version, f"The allocation {before.ref().describe()}")
            self._check_references(s, data)
            year = ensure_year(s, data.academic_year)
            self._refuse_duplicate(s, data, year.id, allocation_id)
            trainees = s.scalar(select(func.count()).select_from(m.Trainee)
                                .where(m.Trainee.allocation_id == allocation_id)) or 0
            moved = (data.academic_year, data.route, data.phase, data.subject) != (
                before.academic_year, before.route, before.phase, before.subject)
            if trainees and moved:
                raise ValidationError.single(
                    "route", f"{trainees} trainee{'' if trainees == 1 else 's'} belong to this allocation; "
                    "its year, route, phase and subject cannot change while they do (add a new allocation "
                    "instead, or move the trainees first)", kind="allocations")
            problem = places_cut_problem(before.places, data.places, before.recruited)
            if problem:
                raise ValidationError.single("places", problem, data.places, kind="allocations")
            allocation.academic_year_id = year.id
            self._apply(allocation, data)
            s.flush()
            return allocation_rows(s, allocation_id=allocation_id)[0]

    def delete(self, allocation_id: int) -> AllocationRow:
        """Delete an allocation no trainee belongs to.

        Returns:
            The deleted allocation, so that the delete can be undone.

        Raises:
            DeleteRefusedError: trainees belong to it.
        """
        with self._write() as s:
            rows = allocation_rows(s, allocation_id=allocation_id)
            if not rows:
                raise _gone()
            row = rows[0]
            n = s.scalar(select(func.count()).select_from(m.Trainee)
                         .where(m.Trainee.allocation_id == allocation_id)) or 0
            if n:
                raise DeleteRefusedError(
                    f"The allocation {row.ref().describe()} cannot be deleted: {n} trainee"
                    f"{'' if n == 1 else 's'} belong{'s' if n == 1 else ''} to it (withdrawn ones too). "
                    "Move them to another allocation first.")
            s.delete(s.get(m.Allocation, allocation_id))
            return row

    @staticmethod
    def _apply(allocation: m.Allocation, data: AllocationData) -> None:
        allocation.route, allocation.phase, allocation.subject = data.route.code, data.phase.code, data.subject.code
        allocation.lead_school_id, allocation.provider_id = data.lead_school_id, data.provider_id
        allocation.places = data.places

    @staticmethod
    def _check_references(s: Session, data: AllocationData) -> None:
        if s.get(m.School, data.lead_school_id) is None:
            raise ValidationError.single("lead_school", "that school no longer exists", kind="allocations")
        if data.provider_id is not None and s.get(m.Provider, data.provider_id) is None:
            raise ValidationError.single("accredited_provider", "that provider no longer exists",
                                         kind="allocations")

    @staticmethod
    def _refuse_duplicate(s: Session, data: AllocationData, year_id: int, own_id: int | None) -> None:
        clash = s.scalar(select(m.Allocation.id).where(
            m.Allocation.academic_year_id == year_id, m.Allocation.route == data.route.code,
            m.Allocation.phase == data.phase.code, m.Allocation.subject == data.subject.code,
            m.Allocation.lead_school_id == data.lead_school_id, m.Allocation.id != (own_id or -1)))
        if clash is not None:
            existing = allocation_rows(s, allocation_id=clash)[0]
            raise ConflictError(
                f"There is already an allocation {existing.ref().describe()} with {existing.places} "
                "places: change its places instead of adding another.")


def _gone() -> NotFoundError:
    return NotFoundError("That allocation no longer exists; somebody may have deleted it.")
