"""Trainees: list, add, edit, change status (with its history), delete."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, fields

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from tsa_desktop.db import models as m
from tsa_desktop.domain.allocations import AllocationRef, check_recruitment
from tsa_desktop.domain.enums import Phase, Route, Subject, TraineeStatus
from tsa_desktop.domain.errors import ConflictError, DeleteRefusedError, NotFoundError, ValidationError
from tsa_desktop.domain.labels import field_label
from tsa_desktop.domain.journeys import TravelMode
from tsa_desktop.domain.trainees import (
    NoMatchingAllocationError,
    StatusChangeData,
    TraineeData,
    check_status_date,
    check_transition,
    choose_allocation,
    validate_status_change,
    validate_trainee,
)
from tsa_desktop.domain.qts import PlacedSchool, qts_placement_problem
from tsa_desktop.domain.values import parse_academic_year
from tsa_desktop.services.reference.allocations import allocation_rows, recruited_on
from tsa_desktop.services.reference.postcodes import directory
from tsa_desktop.services.base import Service, check_version


@dataclass(frozen=True)
class PlacedAt:
    """A school a trainee is placed at (not cancelled), in block order."""

    school_id: int
    school: str
    block: str


@dataclass(frozen=True)
class TraineeRow:
    """A trainee as the pages and commands see it.

    Attributes:
        allocation_lead_school: The lead school of the trainee's allocation ("" without one).
        status_since: The date of the latest status change.
        employing_school: The employing school's name ("" for none).
        placements: Where the trainee is placed this year, in block order.
    """

    id: int
    trainee_id: str
    trn: str | None
    first_names: str
    last_name: str
    email: str
    phone: str
    route: Route
    phase: Phase
    subject: Subject
    academic_year: str
    allocation_id: int | None
    allocation_lead_school: str
    start_date: dt.date | None
    status: TraineeStatus
    status_since: dt.date | None
    employing_school_id: int | None
    employing_school: str
    home_postcode: str
    home_easting: int | None
    home_northing: int | None
    over_allocation_reason: str | None
    version: int
    placements: tuple[PlacedAt, ...] = ()
    travel_mode: TravelMode = TravelMode.CAR

    @property
    def name(self) -> str:
        return f"{self.first_names} {self.last_name}"

    @property
    def school_ids(self) -> frozenset[int]:
        """The employing school and every school the trainee is placed at."""
        ids = {p.school_id for p in self.placements}
        if self.employing_school_id is not None:
            ids.add(self.employing_school_id)
        return frozenset(ids)

    def data(self) -> TraineeData:
        """The editable fields, e.g. to undo an edit."""
        names = {f.name for f in fields(TraineeData)}
        return TraineeData(**{n: getattr(self, n) for n in names})


@dataclass(frozen=True)
class StatusChangeRow:
    """One step of a trainee's status history."""

    id: int
    status: TraineeStatus
    changed_on: dt.date
    note: str


@dataclass(frozen=True)
class DeletedTrainee:
    """A deleted trainee with their status history, enough to bring them back."""

    row: TraineeRow
    history: tuple[StatusChangeRow, ...]


_DATA_FIELDS = [f.name for f in fields(TraineeData)
                if f.name not in ("route", "phase", "subject", "academic_year", "allocation_id", "travel_mode")]


def _rows_statement() -> Select:
    last = (select(m.TraineeStatusChange.trainee_id.label("trainee_id"),
                   func.max(m.TraineeStatusChange.changed_on).label("since"))
            .group_by(m.TraineeStatusChange.trainee_id).subquery())
    employer, lead = aliased(m.School), aliased(m.School)
    t = m.Trainee
    return (
        select(t.id, t.trainee_id, t.trn, t.first_names, t.last_name, t.email, t.phone, t.route,
               t.phase, t.subject, m.AcademicYear.name, t.allocation_id, lead.name, t.start_date,
               t.status, last.c.since, t.employing_school_id, employer.name, t.home_postcode,
               t.home_easting, t.home_northing, t.over_allocation_reason, t.version, t.travel_mode)
        .join(m.AcademicYear, m.AcademicYear.id == t.academic_year_id)
        .outerjoin(employer, employer.id == t.employing_school_id)
        .outerjoin(m.Allocation, m.Allocation.id == t.allocation_id)
        .outerjoin(lead, lead.id == m.Allocation.lead_school_id)
        .outerjoin(last, last.c.trainee_id == t.id)
        .order_by(t.last_name, t.first_names, t.id)
    )


def _placements_statement() -> Select:
    return (select(m.Placement.trainee_id, m.Placement.school_id, m.School.name, m.PlacementBlock.name)
            .join(m.School, m.School.id == m.Placement.school_id)
            .join(m.PlacementBlock, m.PlacementBlock.id == m.Placement.block_id)
            .join(m.Trainee, m.Trainee.id == m.Placement.trainee_id)
            .join(m.AcademicYear, m.AcademicYear.id == m.Trainee.academic_year_id)
            .where(m.Placement.status != "cancelled")
            .order_by(m.PlacementBlock.position, m.PlacementBlock.start_date))


def trainee_rows(s: Session, year: str | None = None, trainee_id: int | None = None) -> list[TraineeRow]:
    """Trainees with their year, schools, allocation and latest status date.

    One query for the trainees and one for their placements, both plain column selects: loading
    ORM entities is several times slower for lists (MEASURED.md).
    """
    stmt, placed_stmt = _rows_statement(), _placements_statement()
    if year is not None:
        stmt = stmt.where(m.AcademicYear.name == year)
        placed_stmt = placed_stmt.where(m.AcademicYear.name == year)
    if trainee_id is not None:
        stmt = stmt.where(m.Trainee.id == trainee_id)
        placed_stmt = placed_stmt.where(m.Placement.trainee_id == trainee_id)
    placed: dict[int, list[PlacedAt]] = defaultdict(list)
    for tid, school_id, school, block in s.execute(placed_stmt):
        placed[tid].append(PlacedAt(school_id, school, block))
    route_of, phase_of, subject_of, status_of, mode_of = {}, {}, {}, {}, {}
    rows = []
    for v in s.execute(stmt):
        # Parsing each code once per list, not once per row: 1,000 trainees share a few dozen codes.
        route = route_of.get(v[7]) or route_of.setdefault(v[7], Route.parse(v[7]))
        phase = phase_of.get(v[8]) or phase_of.setdefault(v[8], Phase.parse(v[8]))
        subject = subject_of.get(v[9]) or subject_of.setdefault(v[9], Subject.parse(v[9]))
        status = status_of.get(v[14]) or status_of.setdefault(v[14], TraineeStatus.parse(v[14]))
        rows.append(TraineeRow(
            id=v[0], trainee_id=v[1], trn=v[2], first_names=v[3], last_name=v[4], email=v[5] or "",
            phone=v[6] or "", route=route, phase=phase, subject=subject, academic_year=v[10],
            allocation_id=v[11], allocation_lead_school=v[12] or "", start_date=v[13], status=status,
            status_since=v[15], employing_school_id=v[16], employing_school=v[17] or "",
            home_postcode=v[18] or "", home_easting=v[19], home_northing=v[20],
            over_allocation_reason=v[21], version=v[22], placements=tuple(placed.get(v[0], ())),
            travel_mode=mode_of.get(v[23]) or mode_of.setdefault(v[23], _travel_mode(v[23])),
        ))
    return rows


def _history(s: Session, trainee_id: int) -> list[StatusChangeRow]:
    c = m.TraineeStatusChange
    stmt = (select(c.id, c.status, c.changed_on, c.note).where(c.trainee_id == trainee_id)
            .order_by(c.changed_on, c.id))
    return [StatusChangeRow(i, TraineeStatus.parse(st), on, note or "") for i, st, on, note in s.execute(stmt)]


class TraineeService(Service):
    """Use cases for trainees and their status lifecycle."""

    def list(self, year: str | None = None) -> list[TraineeRow]:
        """The trainees (of one year, or all), by last name."""
        year = parse_academic_year(year) if year is not None else None
        with self._read() as s:
            return trainee_rows(s, year)

    def get(self, trainee_id: int) -> TraineeRow:
        """One trainee. Raises NotFoundError when deleted meanwhile."""
        with self._read() as s:
            return self._row(s, trainee_id)

    def history(self, trainee_id: int) -> list[StatusChangeRow]:
        """A trainee's status changes, oldest first."""
        with self._read() as s:
            return _history(s, trainee_id)

    def create(self, raw: dict | TraineeData, status: TraineeStatus | str | None = None,
               on: dt.date | None = None) -> TraineeRow:
        """Recruit a trainee onto the allocation that matches their route, phase and subject.

        Args:
            raw: The fields as typed (validated here) or validated data. A ``status`` key in a
                dict is the first status (default offered).
            status: The first status, instead of the dict's.
            on: The date of the first status (default today).

        Raises:
            ValidationError: a field is wrong (NoMatchingAllocationError, AllocationChoiceError).
            OverAllocationError: the allocation is full and no reason was given.
            ConflictError: the trainee id is taken.
        """
        data = raw if isinstance(raw, TraineeData) else validate_trainee(raw)
        first = _parse_status(status if status is not None else
                              (raw.get("status") if isinstance(raw, dict) else None))
        with self._write() as s:
            year_id, ref = self._allocation_for(s, data, None, None)
            self._check_other_fields(s, data, None)
            if first.counts_against_allocation:
                check_recruitment(ref, recruited_on(s, ref.id), data.over_allocation_reason)
            trainee = m.Trainee(academic_year_id=year_id, status=first.code)
            self._apply(trainee, data, ref.id)
            s.add(trainee)
            s.flush()
            s.add(m.TraineeStatusChange(trainee_id=trainee.id, status=first.code,
                                        changed_on=on or dt.date.today(), note=""))
            s.flush()
            return self._row(s, trainee.id)

    def update(self, trainee_id: int, raw: dict | TraineeData, expected_version: int | None = None) -> TraineeRow:
        """Change a trainee's fields (not the status: see :meth:`change_status`).

        Moving the trainee onto another allocation that is full needs a reason, as recruiting does.
        """
        data = raw if isinstance(raw, TraineeData) else validate_trainee(raw)
        with self._write() as s:
            trainee = self._load(s, trainee_id)
            check_version(trainee.version, expected_version, f"{trainee.first_names} {trainee.last_name}")
            year_id, ref = self._allocation_for(s, data, trainee.allocation_id, trainee.academic_year_id)
            self._check_other_fields(s, data, trainee_id)
            if ref.id != trainee.allocation_id and TraineeStatus.parse(trainee.status).counts_against_allocation:
                check_recruitment(ref, recruited_on(s, ref.id, excluding=trainee_id), data.over_allocation_reason)
            trainee.academic_year_id = year_id
            self._apply(trainee, data, ref.id)
            s.flush()
            return self._row(s, trainee_id)

    def change_status(self, trainee_id: int, raw: dict | StatusChangeData,
                      expected_version: int | None = None) -> TraineeRow:
        """Move a trainee along the lifecycle, recording the date (and a note).

        Raises:
            StatusTransitionError: the lifecycle does not allow it (the allowed statuses named).
            ValidationError: the date is before the previous change.
            OverAllocationError: a re-offer onto a full allocation without a reason.
        """
        change = raw if isinstance(raw, StatusChangeData) else validate_status_change(raw)
        with self._write() as s:
            trainee = self._load(s, trainee_id)
            check_version(trainee.version, expected_version, f"{trainee.first_names} {trainee.last_name}")
            current = TraineeStatus.parse(trainee.status)
            check_transition(current, change.status)
            if change.status is TraineeStatus.QTS_AWARDED:
                _check_register_rule(s, trainee)
            history = _history(s, trainee_id)
            last = history[-1] if history else None
            check_status_date(change.changed_on, last.changed_on if last else None, last.status if last else None,
                              trainee.start_date)
            if (change.status.counts_against_allocation and not current.counts_against_allocation
                    and trainee.allocation_id is not None):
                ref = self._ref(s, trainee.allocation_id)
                check_recruitment(ref, recruited_on(s, ref.id, excluding=trainee_id), change.over_allocation_reason)
                trainee.over_allocation_reason = change.over_allocation_reason or trainee.over_allocation_reason
            trainee.status = change.status.code
            s.add(m.TraineeStatusChange(trainee_id=trainee_id, status=change.status.code,
                                        changed_on=change.changed_on, note=change.note))
            s.flush()
            return self._row(s, trainee_id)

    def undo_status_change(self, trainee_id: int, status: TraineeStatus) -> TraineeRow:
        """Take back the latest status change (which must be to ``status``), restoring the one before.

        Raises:
            ConflictError: the latest change is not to ``status`` (somebody changed it since), or
                it is the trainee's first status.
        """
        with self._write() as s:
            trainee = self._load(s, trainee_id)
            history = _history(s, trainee_id)
            if len(history) < 2 or history[-1].status is not status:
                raise ConflictError(
                    f"The status of {trainee.first_names} {trainee.last_name} was changed since; "
                    "that change cannot be taken back.")
            previous = history[-2].status
            if (previous.counts_against_allocation and not status.counts_against_allocation
                    and trainee.allocation_id is not None):
                ref = self._ref(s, trainee.allocation_id)
                check_recruitment(ref, recruited_on(s, ref.id, excluding=trainee_id), trainee.over_allocation_reason)
            s.delete(s.get(m.TraineeStatusChange, history[-1].id))
            trainee.status = previous.code
            s.flush()
            return self._row(s, trainee_id)

    def delete(self, trainee_id: int) -> DeletedTrainee:
        """Delete a trainee who has no placements (their status history goes with them).

        Raises:
            DeleteRefusedError: the trainee has placements.
        """
        with self._write() as s:
            row = self._row(s, trainee_id)
            n = s.scalar(select(func.count()).select_from(m.Placement)
                         .where(m.Placement.trainee_id == trainee_id)) or 0
            if n:
                raise DeleteRefusedError(
                    f"{row.name} cannot be deleted: they have {n} placement{'' if n == 1 else 's'}. "
                    "Change their status to withdrawn instead, which keeps their history, or remove "
                    "the placements first.")
            history = tuple(_history(s, trainee_id))
            s.delete(self._load(s, trainee_id))
            return DeletedTrainee(row, history)

    def restore(self, deleted: DeletedTrainee) -> TraineeRow:
        """Bring back a deleted trainee with their status history (under a new id)."""
        row = deleted.row
        with self._write() as s:
            data = row.data()
            if data.allocation_id is not None and s.get(m.Allocation, data.allocation_id) is None:
                data = TraineeData(**{**{f.name: getattr(data, f.name) for f in fields(TraineeData)},
                                      "allocation_id": None})
            year_id, ref = self._allocation_for(s, data, None, None)
            self._check_other_fields(s, data, None)
            if row.status.counts_against_allocation:
                check_recruitment(ref, recruited_on(s, ref.id), data.over_allocation_reason)
            trainee = m.Trainee(academic_year_id=year_id, status=row.status.code)
            self._apply(trainee, data, ref.id)
            s.add(trainee)
            s.flush()
            for h in deleted.history:
                s.add(m.TraineeStatusChange(trainee_id=trainee.id, status=h.status.code,
                                            changed_on=h.changed_on, note=h.note))
            s.flush()
            return self._row(s, trainee.id)

    # --- helpers ------------------------------------------------------------------------------------

    @staticmethod
    def _load(s: Session, trainee_id: int) -> m.Trainee:
        trainee = s.get(m.Trainee, trainee_id)
        if trainee is None:
            raise NotFoundError("That trainee no longer exists; somebody may have deleted them.")
        return trainee

    def _row(self, s: Session, trainee_id: int) -> TraineeRow:
        rows = trainee_rows(s, trainee_id=trainee_id)
        if not rows:
            raise NotFoundError("That trainee no longer exists; somebody may have deleted them.")
        return rows[0]

    @staticmethod
    def _ref(s: Session, allocation_id: int) -> AllocationRef:
        return allocation_rows(s, allocation_id=allocation_id)[0].ref()

    @staticmethod
    def _allocation_for(s: Session, data: TraineeData, current_id: int | None,
                        current_year_id: int | None) -> tuple[int, AllocationRef]:
        year = s.scalar(select(m.AcademicYear).where(m.AcademicYear.name == data.academic_year))
        if year is None:
            raise NoMatchingAllocationError(data.academic_year, data.route, data.phase, data.subject)
        refs = [r.ref() for r in allocation_rows(s, data.academic_year)]
        ref = choose_allocation(refs, data.academic_year, data.route, data.phase, data.subject,
                                data.allocation_id, current_id if current_year_id == year.id else None)
        return year.id, ref

    @staticmethod
    def _check_other_fields(s: Session, data: TraineeData, own_id: int | None) -> None:
        if data.employing_school_id is not None and s.get(m.School, data.employing_school_id) is None:
            raise ValidationError.single("employing_school", "that school no longer exists", kind="trainees")
        clash = s.execute(select(m.Trainee.first_names, m.Trainee.last_name).where(
            m.Trainee.trainee_id == data.trainee_id, m.Trainee.id != (own_id or -1))).first()
        if clash is not None:
            raise ConflictError(f"{field_label('trainees', 'trainee_id')}: {data.trainee_id} is already used by "
                                f"{clash[0]} {clash[1]}.")

    @staticmethod
    def _apply(trainee: m.Trainee, data: TraineeData, allocation_id: int) -> None:
        for name in _DATA_FIELDS:
            setattr(trainee, name, getattr(data, name))
        trainee.route, trainee.phase, trainee.subject = data.route.code, data.phase.code, data.subject.code
        trainee.allocation_id = allocation_id
        trainee.travel_mode = data.travel_mode.code
        if data.home_postcode and data.home_easting is None:
            # A postcode typed without a grid reference is located, as an import would do.
            found = directory().locate_one(data.home_postcode)
            if found is not None:
                trainee.home_easting, trainee.home_northing = found


def _travel_mode(code: str | None) -> TravelMode:
    try:
        return TravelMode.parse(code) if code else TravelMode.CAR
    except ValueError:  # a mode this version does not know
        return TravelMode.CAR


def _check_register_rule(s: Session, trainee: m.Trainee) -> None:
    """Refuse QTS when Register trainee teachers would: too few confirmed or completed placements.

    Raises:
        ValidationError: naming what is missing (nothing is changed).
    """
    placed = [PlacedSchool(r.school_id, r.name) for r in s.execute(
        select(m.Placement.school_id, m.School.name)
        .join(m.School, m.School.id == m.Placement.school_id)
        .join(m.PlacementBlock, m.PlacementBlock.id == m.Placement.block_id)
        .where(m.Placement.trainee_id == trainee.id, m.Placement.status.in_(("confirmed", "completed")))
        .order_by(m.PlacementBlock.position, m.PlacementBlock.start_date))]
    employer = s.get(m.School, trainee.employing_school_id) if trainee.employing_school_id else None
    problem = qts_placement_problem(f"{trainee.first_names} {trainee.last_name}", Route.parse(trainee.route),
                                    placed, trainee.employing_school_id, employer.name if employer else "")
    if problem is not None:
        raise ValidationError.single("status", problem, TraineeStatus.QTS_AWARDED.label)


def _parse_status(value: object) -> TraineeStatus:
    if value is None or (isinstance(value, str) and not value.strip()):
        return TraineeStatus.OFFERED
    try:
        return TraineeStatus.parse(value)
    except ValueError as exc:
        raise ValidationError.single("status", str(exc), value, kind="trainees") from None
