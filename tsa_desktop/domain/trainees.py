"""Trainees: what makes one valid, their status lifecycle, and which allocation they belong to."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tsa_desktop.domain.allocations import AllocationRef, subject_phase_problem
from tsa_desktop.domain.enums import TRAINEE_TRANSITIONS, Phase, Route, Subject, TraineeStatus
from tsa_desktop.domain.errors import FieldProblem, ValidationError
from tsa_desktop.domain.journeys import TravelMode
from tsa_desktop.domain.labels import field_label
from tsa_desktop.domain.validation import Collector, text_or_empty
from tsa_desktop.domain.values import (
    parse_academic_year,
    parse_date,
    parse_easting,
    parse_email,
    parse_int,
    parse_name,
    parse_northing,
    parse_postcode,
    parse_trn,
)

_TRAINEE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")


def parse_trainee_id(text: object) -> str:
    """The alliance's own reference for a trainee: letters, digits, . _ / - (up to 40), kept as text."""
    value = "" if text is None else str(text).strip()
    if value.endswith(".0") and value[:-2].isdigit():  # a number that went through a spreadsheet
        value = value[:-2]
    if not _TRAINEE_ID.match(value):
        raise ValueError("must be up to 40 letters, digits, dots, dashes or slashes, e.g. T260001")
    return value


@dataclass(frozen=True)
class TraineeData:
    """A trainee's editable fields, validated. The status changes through :func:`check_transition`.

    Attributes:
        allocation_id: The allocation the user chose; None to choose automatically.
        over_allocation_reason: Why the trainee was recruited past the allocation's places.
    """

    trainee_id: str
    first_names: str
    last_name: str
    route: Route
    phase: Phase
    subject: Subject
    academic_year: str
    trn: str | None = None
    email: str = ""
    phone: str = ""
    start_date: dt.date | None = None
    employing_school_id: int | None = None
    home_postcode: str = ""
    home_easting: int | None = None
    home_northing: int | None = None
    allocation_id: int | None = None
    over_allocation_reason: str | None = None
    travel_mode: TravelMode = TravelMode.CAR

    @property
    def name(self) -> str:
        return f"{self.first_names} {self.last_name}"


def _id(value: Any) -> int:
    return parse_int(value, 1)


def validate_trainee(raw: Mapping[str, Any], row: int | None = None) -> TraineeData:
    """Check a trainee's fields as typed in the dialog or read from a file.

    Salaried routes need an employing school; the subject must fit the phase.

    Raises:
        ValidationError: naming every field that is wrong.
    """
    c = Collector(row, kind="trainees")
    trainee_id = c.required("trainee_id", raw.get("trainee_id"), parse_trainee_id)
    trn = c.optional("trn", raw.get("trn"), parse_trn)
    first = c.required("first_names", raw.get("first_names"), lambda v: parse_name(v, "first names"))
    last = c.required("last_name", raw.get("last_name"), lambda v: parse_name(v, "last name"))
    email = c.optional("email", raw.get("email"), parse_email, "")
    route = c.required("route", raw.get("route"), Route.parse)
    phase = c.required("phase", raw.get("phase"), Phase.parse)
    subject = c.required("subject", raw.get("subject"), Subject.parse)
    year = c.required("academic_year", raw.get("academic_year"), parse_academic_year)
    start = c.optional("start_date", raw.get("start_date"), parse_date)
    employer = c.optional("employing_school", raw.get("employing_school_id"), _id)
    postcode = c.optional("home_postcode", raw.get("home_postcode"), parse_postcode, "")
    easting = c.optional("home_easting", raw.get("home_easting"), parse_easting)
    northing = c.optional("home_northing", raw.get("home_northing"), parse_northing)
    allocation = c.optional("allocation", raw.get("allocation_id"), _id)
    mode = c.optional("travel_mode", raw.get("travel_mode"), TravelMode.parse, TravelMode.CAR)
    if (easting is None) != (northing is None) and not any(
            p.field in ("home_easting", "home_northing") for p in c.problems):
        c.add("home_northing" if northing is None else "home_easting",
              "give both home easting and northing, or neither")
    if route is not None and route.salaried and employer is None and not any(
            p.field == "employing_school" for p in c.problems):
        c.add("employing_school", f"is required for {route.label} trainees (they are employed by a school)")
    if phase is not None and subject is not None:
        problem = subject_phase_problem(phase, subject)
        if problem:
            c.add("subject", problem, subject.label)
    c.raise_if_any()
    reason = text_or_empty(raw.get("over_allocation_reason")) or None
    return TraineeData(
        trainee_id=trainee_id, trn=trn, first_names=first, last_name=last, email=email or "",
        phone=text_or_empty(raw.get("phone")), route=route, phase=phase, subject=subject,
        academic_year=year, start_date=start, employing_school_id=employer,
        home_postcode=postcode or "", home_easting=easting, home_northing=northing,
        allocation_id=allocation, over_allocation_reason=reason, travel_mode=mode or TravelMode.CAR,
    )


# --- Status lifecycle -------------------------------------------------------------------------------


class StatusTransitionError(ValidationError):
    """A status change that :data:`TRAINEE_TRANSITIONS` does not allow; nothing was changed.

    Attributes:
        current: The trainee's status now.
        wanted: The status asked for.
        allowed: The statuses the trainee could move to, in lifecycle order.
    """

    def __init__(self, current: TraineeStatus, wanted: TraineeStatus) -> None:
        self.current, self.wanted = current, wanted
        self.allowed = allowed_next(current)
        if not self.allowed:
            message = f"{current.label} is final; the status cannot change to {wanted.label}"
        else:
            message = (f"a trainee who is {current.label} can become {_or(s.label for s in self.allowed)}, "
                       f"not {wanted.label}")
        super().__init__(FieldProblem("status", message, label=field_label("trainees", "status")))


def allowed_next(current: TraineeStatus) -> tuple[TraineeStatus, ...]:
    """The statuses a trainee may move to from ``current``, in lifecycle order."""
    return tuple(s for s in TraineeStatus if s in TRAINEE_TRANSITIONS[current])


#: The change a trainee usually makes next: what a status change starts at. An enrolled trainee
#: is on their way to QTS; deferring or withdrawing is the exception, chosen on purpose.
USUAL_NEXT: dict[TraineeStatus, TraineeStatus] = {
    TraineeStatus.OFFERED: TraineeStatus.ENROLLED,
    TraineeStatus.ENROLLED: TraineeStatus.QTS_AWARDED,
    TraineeStatus.DEFERRED: TraineeStatus.ENROLLED,
    TraineeStatus.WITHDRAWN: TraineeStatus.OFFERED,
}


def usual_next(current: TraineeStatus) -> TraineeStatus | None:
    """The status a change from ``current`` most often goes to; None when it is final."""
    wanted = USUAL_NEXT.get(current)
    return wanted if wanted in allowed_next(current) else None


def check_transition(current: TraineeStatus, wanted: TraineeStatus) -> None:
    """Refuse a status change the lifecycle does not allow.

    Raises:
        StatusTransitionError: naming the statuses that are allowed next.
    """
    if wanted not in TRAINEE_TRANSITIONS[current]:
        raise StatusTransitionError(current, wanted)


def check_status_date(on: dt.date, last_change: dt.date | None, last_status: TraineeStatus | None,
                      start: dt.date | None = None) -> None:
    """A status change happens on or after the trainee's previous one, and not before the
    trainee's start date (it may be dated in the past: a QTS award entered weeks later).

    Raises:
        ValidationError: on the ``changed_on`` field.
    """
    if start is not None and on < start:
        raise ValidationError(FieldProblem(
            "changed_on", f"must be on or after {start:%d/%m/%Y}, the trainee's start date",
            value=on.strftime("%d/%m/%Y"), label=field_label("trainee_status_changes", "changed_on")))
    if last_change is not None and on < last_change:
        shown = last_change.strftime("%d/%m/%Y")
        after = f" ({last_status.label})" if last_status else ""
        raise ValidationError(FieldProblem(
            "changed_on", f"must be on or after {shown}, the date of the previous change{after}",
            value=on.strftime("%d/%m/%Y"), label=field_label("trainee_status_changes", "changed_on")))


@dataclass(frozen=True)
class StatusChangeData:
    """A status change as typed: the new status, its date and a note."""

    status: TraineeStatus
    changed_on: dt.date
    note: str = ""
    over_allocation_reason: str | None = None


def validate_status_change(raw: Mapping[str, Any], today: dt.date | None = None) -> StatusChangeData:
    """Check a status change's fields; the date defaults to today.

    Raises:
        ValidationError: naming every field that is wrong.
    """
    c = Collector(kind="trainee_status_changes")
    status = c.required("status", raw.get("status"), TraineeStatus.parse)
    on = c.optional("changed_on", raw.get("changed_on"), parse_date, today or dt.date.today())
    c.raise_if_any()
    return StatusChangeData(status, on, text_or_empty(raw.get("note")),
                            text_or_empty(raw.get("over_allocation_reason")) or None)


# --- Which allocation -------------------------------------------------------------------------------


class NoMatchingAllocationError(ValidationError):
    """No allocation of the year is for the trainee's route, phase and subject; nothing was changed."""

    def __init__(self, year: str, route: Route, phase: Phase, subject: Subject) -> None:
        self.year, self.route, self.phase, self.subject = year, route, phase, subject
        super().__init__(FieldProblem(
            "allocation",
            f"there is no {year} allocation for {route.label}, {phase.label}, {subject.label}; "
            "add one on the Allocations page first, or correct the route, phase or subject",
            label=field_label("trainees", "allocation")))


class AllocationChoiceError(ValidationError):
    """Several allocations match the trainee and none was chosen, or the one chosen does not match.

    Attributes:
        options: The allocations that match the trainee's route, phase and subject.
    """

    def __init__(self, message: str, options: Sequence[AllocationRef]) -> None:
        self.options = tuple(options)
        super().__init__(FieldProblem("allocation", message, label=field_label("trainees", "allocation")))


def choose_allocation(candidates: Sequence[AllocationRef], year: str, route: Route, phase: Phase,
                      subject: Subject, chosen_id: int | None = None,
                      current_id: int | None = None) -> AllocationRef:
    """The allocation a trainee belongs to.

    The allocation must be of the trainee's year, route, phase and subject. One that matches is
    chosen automatically; among several, the user's choice, else the trainee's current one.

    Args:
        candidates: The allocations of the trainee's year.
        chosen_id: The allocation the user picked, or None for automatic.
        current_id: The trainee's allocation before this edit, kept while it still matches.

    Raises:
        NoMatchingAllocationError: none matches.
        AllocationChoiceError: several match and none was chosen, or the chosen one does not match.
    """
    matches = [a for a in candidates
               if a.academic_year == year and (a.route, a.phase, a.subject) == (route, phase, subject)]
    if chosen_id is not None:
        found = next((a for a in matches if a.id == chosen_id), None)
        if found is not None:
            return found
        chosen = next((a for a in candidates if a.id == chosen_id), None)
        what = chosen.describe() if chosen else "no longer exists"
        if not matches:
            raise NoMatchingAllocationError(year, route, phase, subject)
        raise AllocationChoiceError(
            f"the allocation chosen ({what}) is not for {year} {route.label}, {phase.label}, "
            f"{subject.label}; choose one of: {_or(a.describe() for a in matches)}", matches)
    if not matches:
        raise NoMatchingAllocationError(year, route, phase, subject)
    if len(matches) == 1:
        return matches[0]
    current = next((a for a in matches if a.id == current_id), None)
    if current is not None:
        return current
    raise AllocationChoiceError(
        f"{len(matches)} allocations are for {year} {route.label}, {phase.label}, {subject.label}; "
        f"choose one: {_or(a.describe() for a in matches)}", matches)


def _or(items) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]
