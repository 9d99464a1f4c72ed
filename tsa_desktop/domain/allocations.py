"""Allocations: places granted for a year, route, phase and subject, and how recruitment fills them.

Pure rules, shared by the services, the import and the window: what makes an allocation valid,
its fill rate, totals by route, phase and subject, and the refusal to recruit past an
allocation's places without a reason (:class:`OverAllocationError`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from tsa_desktop.domain.enums import Phase, Route, Subject, TraineeStatus
from tsa_desktop.domain.errors import FieldProblem, ValidationError
from tsa_desktop.domain.labels import field_label
from tsa_desktop.domain.validation import Collector
from tsa_desktop.domain.values import academic_year_start, parse_academic_year, parse_int

#: The last academic year in which the historic routes (GTP, EBITT) took new trainees; School
#: Direct (salaried) replaced the GTP from 2013/14.
LAST_HISTORIC_ROUTE_YEAR = 2013

#: Status codes that fill a place (everybody recruited, except those who withdrew).
COUNTING_STATUSES: tuple[str, ...] = tuple(s.code for s in TraineeStatus if s.counts_against_allocation)

MAX_PLACES = 999

#: Phases whose trainees teach the primary subjects (codes 00 to 07), and those that never do.
_PRIMARY_PHASES = frozenset({Phase.PRIMARY, Phase.NURSERY})
_SECONDARY_PHASES = frozenset({Phase.SECONDARY, Phase.SIXTEEN_PLUS})


def subject_phase_problem(phase: Phase, subject: Subject) -> str | None:
    """Why a subject does not fit a phase, or None when it does.

    Primary and nursery places are for the primary subjects (00 to 07); secondary and 16 plus
    places for the others; special and all-through places may be either.
    """
    if phase in _PRIMARY_PHASES and not subject.is_primary:
        return (f"{subject.label} is a secondary subject; a {phase.label.lower()} place needs a "
                "primary subject (codes 00 to 07, e.g. 00 Primary)")
    if phase in _SECONDARY_PHASES and subject.is_primary:
        return (f"{subject.label} is a primary subject; a {phase.label.lower()} place needs a "
                "secondary subject (e.g. G1 Mathematics)")
    return None


def route_year_problem(route: Route, year: str) -> str | None:
    """Why a route cannot take new places in a year (the GTP and EBITT closed), or None."""
    if route.historic and academic_year_start(year) > LAST_HISTORIC_ROUTE_YEAR:
        return (f"{route.label} took no trainees after {LAST_HISTORIC_ROUTE_YEAR}/"
                f"{(LAST_HISTORIC_ROUTE_YEAR + 1) % 100:02d}; choose a current route")
    return None


@dataclass(frozen=True)
class AllocationData:
    """An allocation's editable fields, validated.

    Attributes:
        academic_year: Written ``2025/26``.
        route, phase, subject: What the places are for.
        lead_school_id: The school that holds the allocation.
        provider_id: The accredited provider, if known.
        places: How many trainees may be recruited.
    """

    academic_year: str
    route: Route
    phase: Phase
    subject: Subject
    lead_school_id: int
    places: int
    provider_id: int | None = None


def _id(value: Any) -> int:
    return parse_int(value, 1)


def validate_allocation(raw: Mapping[str, Any], row: int | None = None) -> AllocationData:
    """Check an allocation's fields as typed in the dialog or read from a file.

    Args:
        raw: academic_year, route, phase, subject, lead_school_id, provider_id (may be empty),
            places.
        row: The file row, for the messages of an import.

    Raises:
        ValidationError: naming every field that is wrong.
    """
    c = Collector(row, kind="allocations")
    year = c.required("academic_year", raw.get("academic_year"), parse_academic_year)
    route = c.required("route", raw.get("route"), Route.parse)
    phase = c.required("phase", raw.get("phase"), Phase.parse)
    subject = c.required("subject", raw.get("subject"), Subject.parse)
    lead = c.required("lead_school", raw.get("lead_school_id"), _id)
    provider = c.optional("accredited_provider", raw.get("provider_id"), _id)
    places = c.required("places", raw.get("places"), lambda v: parse_int(v, 0, MAX_PLACES))
    if phase is not None and subject is not None:
        problem = subject_phase_problem(phase, subject)
        if problem:
            c.add("subject", problem, subject.label)
    if route is not None and year is not None:
        problem = route_year_problem(route, year)
        if problem:
            c.add("route", problem, route.label)
    c.raise_if_any()
    return AllocationData(academic_year=year, route=route, phase=phase, subject=subject,
                          lead_school_id=lead, places=places, provider_id=provider)


# --- Fill -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fill:
    """Places and the trainees recruited against them.

    Attributes:
        places: Places granted.
        recruited: Trainees recruited and not withdrawn.
        over: Trainees recruited past the places. For one allocation it follows from the other
            two; a total sums it allocation by allocation, so that one allocation's spare places
            do not hide another's over-recruitment.
    """

    places: int
    recruited: int
    over: int = None  # type: ignore[assignment]  # worked out in __post_init__ when not given

    def __post_init__(self) -> None:
        if self.over is None:
            object.__setattr__(self, "over", max(self.recruited - self.places, 0))

    @property
    def rate(self) -> float | None:
        """Recruited as a fraction of places (1.0 is full); None when there are no places."""
        return self.recruited / self.places if self.places else None

    @property
    def within(self) -> int:
        """Trainees recruited within the places."""
        return self.recruited - self.over

    @property
    def remaining(self) -> int:
        """Places still to fill."""
        return self.places - self.within

    @property
    def full(self) -> bool:
        """Every place is filled."""
        return self.remaining == 0

    def percent(self) -> str:
        """The fill rate as people say it: ``85%``; ``—`` when there are no places."""
        rate = self.rate
        return "—" if rate is None else f"{rate * 100:.0f}%"

    def __add__(self, other: Fill) -> Fill:
        return Fill(self.places + other.places, self.recruited + other.recruited, self.over + other.over)


class HasFill(Protocol):
    """Anything with a route, phase, subject, places and recruited count (an allocation row)."""

    route: Route
    phase: Phase
    subject: Subject
    places: int
    recruited: int


@dataclass(frozen=True)
class FillTotal:
    """A total of places and recruitment for a group of allocations.

    Attributes:
        group: What the total is by: ``Route``, ``Phase``, ``Subject`` or ``Year``.
        name: The route, phase or subject label (``All`` for the year).
        fill: The summed places and recruitment.
        key: The route, phase or subject itself (None for the year).
    """

    group: str
    name: str
    fill: Fill
    key: Hashable = None

    @property
    def places(self) -> int:
        return self.fill.places

    @property
    def recruited(self) -> int:
        return self.fill.recruited


def _totals(rows: Iterable[HasFill], group: str, key: Callable[[HasFill], Any],
            order: Callable[[Any], Any]) -> list[FillTotal]:
    sums: dict[Any, Fill] = {}
    for r in rows:
        k = key(r)
        sums[k] = sums.get(k, Fill(0, 0)) + Fill(r.places, r.recruited)
    return [FillTotal(group, k.label, sums[k], k) for k in sorted(sums, key=order)]


def _enum_order(member: Any) -> int:
    return list(type(member)).index(member)


def totals_by_route(rows: Iterable[HasFill]) -> list[FillTotal]:
    """One total per route, in the order of :class:`Route`."""
    return _totals(rows, "Route", lambda r: r.route, _enum_order)


def totals_by_phase(rows: Iterable[HasFill]) -> list[FillTotal]:
    """One total per phase, in the order of :class:`Phase`."""
    return _totals(rows, "Phase", lambda r: r.phase, _enum_order)


def totals_by_subject(rows: Iterable[HasFill]) -> list[FillTotal]:
    """One total per subject: the primary subjects first, then the others by name."""
    return _totals(rows, "Subject", lambda r: r.subject,
                   lambda s: (not s.is_primary, s.code if s.is_primary else s.label.casefold()))


def year_total(rows: Iterable[HasFill]) -> FillTotal:
    """Every place of the year and everybody recruited against them."""
    fill = Fill(0, 0)
    for r in rows:
        fill = fill + Fill(r.places, r.recruited)
    return FillTotal("Year", "All allocations", fill)


# --- Over-allocation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AllocationRef:
    """Which allocation a trainee is recruited against, as messages and dialogs name it."""

    id: int
    academic_year: str
    route: Route
    phase: Phase
    subject: Subject
    lead_school: str
    provider: str
    places: int

    def describe(self) -> str:
        """``2026/27 School Direct (salaried), Secondary, Mathematics (lead school X)``."""
        return (f"{self.academic_year} {self.route.label}, {self.phase.label}, {self.subject.label} "
                f"(lead school {self.lead_school})")


class OverAllocationError(ValidationError):
    """Recruiting the trainee would take the allocation past its places, and no reason was given.

    Nothing was changed. Give a reason (``over_allocation_reason``) and try again: the reason is
    kept with the trainee.

    Attributes:
        allocation: The allocation that is full.
        recruited: Trainees already recruited against it (not withdrawn), without this one.
    """

    def __init__(self, allocation: AllocationRef, recruited: int) -> None:
        self.allocation = allocation
        self.recruited = recruited
        places = allocation.places
        message = (f"the allocation {allocation.describe()} has {places} place{_s(places)} and "
                   f"{recruited} trainee{_s(recruited)} recruited already; recruiting past its "
                   "places needs a reason")
        super().__init__(FieldProblem("over_allocation_reason", message,
                                      label=field_label("trainees", "over_allocation_reason")))

    @property
    def fill(self) -> Fill:
        """The allocation's fill before this trainee."""
        return Fill(self.allocation.places, self.recruited)


def check_recruitment(allocation: AllocationRef, recruited_already: int, reason: str | None) -> None:
    """Refuse to recruit one more trainee past an allocation's places unless there is a reason.

    Args:
        allocation: The allocation the trainee would fill.
        recruited_already: Trainees counted against it now, not counting this one.
        reason: Why the alliance recruits past its places (kept with the trainee).

    Raises:
        OverAllocationError: the allocation is full and ``reason`` is empty.
    """
    if recruited_already + 1 > allocation.places and not (reason or "").strip():
        raise OverAllocationError(allocation, recruited_already)


def places_cut_problem(old_places: int, new_places: int, recruited: int) -> str | None:
    """Why an allocation's places cannot be cut to ``new_places``, or None.

    Cutting below the trainees already recruited would put them over the allocation without a
    reason; an allocation that was already over (each with a reason) may keep its places.
    """
    if new_places < old_places and new_places < recruited:
        return (f"{recruited} trainee{_s(recruited)} {'is' if recruited == 1 else 'are'} recruited "
                f"against this allocation; give at least {recruited} places, or withdraw or move "
                "trainees first")
    return None


def _s(n: int) -> str:
    return "" if n == 1 else "s"
