"""NQT induction rules: terms counted, the termly assessments, attendance and the cohort summary.

Induction lasts three school terms for a full-time NQT. A part-time NQT's terms are pro-rated:
each school term served counts ``fte`` of a term, rounded *down* to one decimal place (a term at
0.5 FTE counts 0.5; at 0.55 FTE, 0.5), so induction takes correspondingly more school terms. An
extension adds terms to the three. There is an assessment at the end of each induction term:
progress reviews after the first and second, the final assessment (pass or fail) after the third.

School terms here follow the usual English pattern: autumn from September to before Christmas,
spring from January to Easter, summer from Easter to July. An alliance's own term dates differ by
a few days; a due date can be changed on each assessment.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any, Iterable, Mapping, Sequence

from tsa_desktop.domain.enums import (
    AssessmentKind,
    AssessmentOutcome,
    AttendanceStatus,
    NqtStatus,
)
from tsa_desktop.domain.school_terms import term_of
from tsa_desktop.domain.validation import Collector, text_or_empty
from tsa_desktop.domain.values import parse_date, parse_float

#: Induction terms a full-time NQT serves, before any extension.
INDUCTION_TERMS = 3

#: Terms are stored with one decimal place, at most 9.9 (the column is NUMERIC(3, 1)).
MAX_TERMS = 9.9

#: An assessment due within this many days is "due soon".
DUE_SOON_DAYS = 14

#: NQT statuses in which assessments are still expected.
ACTIVE_STATUSES = frozenset({NqtStatus.IN_PROGRESS, NqtStatus.EXTENDED, NqtStatus.NOT_STARTED})

_TENTH = Decimal("0.1")


# --- numbers of terms -------------------------------------------------------------------------


def floor_tenth(value: float) -> float:
    """Round down to one decimal place, without binary-float surprises (0.6 * 3 is 1.8, not 1.7)."""
    # repr() gives the shortest decimal that round-trips, so 1.7999999999999998 becomes 1.8 here
    # only if it *is* 1.8 to the float's precision; round(…, 9) absorbs products' last-bit noise.
    exact = Decimal(repr(round(value, 9)))
    return float(exact.quantize(_TENTH, rounding=ROUND_FLOOR))


def term_credit(fte: float, share_of_term: float = 1.0) -> float:
    """Induction terms counted for one school term served.

    Args:
        fte: Full-time equivalent, 0.1 to 1.0.
        share_of_term: The part of the school term served (1.0 for the whole term).

    Returns:
        ``fte * share_of_term`` rounded down to one decimal place (0.5 FTE: 0.5 of a term).
    """
    return floor_tenth(fte * share_of_term)


def terms_required(extension_terms: float = 0.0) -> float:
    """Induction terms to complete: three, plus any extension."""
    return round(INDUCTION_TERMS + extension_terms, 1)


def terms_remaining(terms_counted: float, extension_terms: float = 0.0) -> float:
    """Induction terms still to serve (never below zero)."""
    return max(0.0, round(terms_required(extension_terms) - terms_counted, 1))


def school_terms_needed(terms: float, fte: float) -> int:
    """How many school terms an NQT at ``fte`` serves to count ``terms`` induction terms."""
    credit = term_credit(fte)
    if credit <= 0:
        raise ValueError("an FTE below 0.1 counts no terms")
    # Compare in tenths, as whole numbers: 2.4 / 0.6 must be 4, not 4.000000000000001.
    return max(1, math.ceil(round(terms * 10) / round(credit * 10)))


def count_a_term(terms_counted: float, fte: float, extension_terms: float = 0.0,
                 share_of_term: float = 1.0) -> float:
    """Terms counted once one more school term (or part of one) is served, at most those required.

    Raises:
        ValueError: every required term is already counted.
    """
    required = terms_required(extension_terms)
    if terms_counted >= required:
        raise ValueError(f"all {required:g} terms are already counted")
    return min(required, round(terms_counted + term_credit(fte, share_of_term), 1))


def parse_terms(text: object) -> float:
    """A number of induction terms: 0 to 9.9, at most one decimal place (1.5, not 1.55)."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        raw = repr(float(text))
    else:
        raw = str(text).strip()
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise ValueError("must be a number of terms, e.g. 1.5") from None
    if not number.is_finite():
        raise ValueError("must be a number of terms, e.g. 1.5")
    if number != number.quantize(_TENTH):
        raise ValueError("may have at most one decimal place, e.g. 1.5")
    if not 0 <= number <= Decimal(str(MAX_TERMS)):
        raise ValueError(f"must be between 0 and {MAX_TERMS:g}")
    return float(number)


def parse_fte(text: object) -> float:
    """Full-time equivalent, 0.1 to 1.0 (full time is 1.0); ``60%`` is read as 0.6."""
    value = str(text).strip()
    if value.endswith("%"):
        return round(parse_float(value[:-1], 10, 100) / 100, 4)
    try:
        return parse_float(value, 0.1, 1.0)
    except ValueError:
        raise ValueError("must be between 0.1 and 1.0 (full time is 1.0)") from None


# --- the assessment schedule ----------------------------------------------------------------------


def school_terms_completed(start_date: dt.date, today: dt.date) -> int:
    """School terms whose last day has passed, from the term of ``start_date`` up to ``today``."""
    term, count = term_of(start_date), 0
    while term.end < today:
        count += 1
        term = term.next()
    return count


def terms_counted_by(start_date: dt.date, fte: float, today: dt.date, extension_terms: float = 0.0) -> float:
    """Induction terms counted for the school terms finished by ``today`` (at most what is required)."""
    served = school_terms_completed(start_date, today) * term_credit(fte)
    return min(round(served, 1), terms_required(extension_terms))


@dataclass(frozen=True)
class ScheduledAssessment:
    """One of an NQT's three assessments, as the rules schedule it."""

    term: int
    kind: AssessmentKind
    due_date: dt.date | None


def assessment_kind(term: int) -> AssessmentKind:
    """Terms 1 and 2 end in a progress review, term 3 in the final assessment."""
    if term not in (1, 2, 3):
        raise ValueError("must be 1, 2 or 3")
    return AssessmentKind.FINAL_ASSESSMENT if term == INDUCTION_TERMS else AssessmentKind.PROGRESS_REVIEW


def assessment_schedule(start_date: dt.date | None, fte: float = 1.0,
                        extension_terms: float = 0.0) -> tuple[ScheduledAssessment, ...]:
    """The three assessments with their due dates, counted from the start date.

    Each is due at the end of the school term in which the NQT has counted that many induction
    terms: for a full-time NQT starting in September, December, Easter and July; at 0.5 FTE every
    other term. An extension moves the final assessment on by the extension's terms.

    Args:
        start_date: The first day of induction; None gives no due dates.
        fte: Full-time equivalent.
        extension_terms: Terms added by an extension.
    """
    result = []
    first = term_of(start_date) if start_date is not None else None
    for term in (1, 2, 3):
        kind = assessment_kind(term)
        due = None
        if first is not None:
            terms = term if term < INDUCTION_TERMS else terms_required(extension_terms)
            due = first.advance(school_terms_needed(terms, fte) - 1).end
        result.append(ScheduledAssessment(term, kind, due))
    return tuple(result)


# --- assessment state and outcomes -------------------------------------------------------------


class AssessmentState:
    """Where an assessment stands, for display and highlighting (plain strings, sortable)."""

    DONE = "Done"
    OVERDUE = "Overdue"
    DUE_SOON = "Due soon"
    UPCOMING = "Not yet due"
    UNSCHEDULED = "No due date"
    CLOSED = "Not needed"

    #: Most urgent first, for sorting.
    ORDER = (OVERDUE, DUE_SOON, UPCOMING, UNSCHEDULED, DONE, CLOSED)


def is_overdue(due_date: dt.date | None, completed_date: dt.date | None, today: dt.date,
               status: NqtStatus = NqtStatus.IN_PROGRESS) -> bool:
    """True when an active NQT's assessment was due before today and is not completed."""
    return (status in ACTIVE_STATUSES and completed_date is None
            and due_date is not None and due_date < today)


def assessment_state(due_date: dt.date | None, completed_date: dt.date | None, today: dt.date,
                     status: NqtStatus = NqtStatus.IN_PROGRESS) -> str:
    """One of :class:`AssessmentState`'s values."""
    if completed_date is not None:
        return AssessmentState.DONE
    if status not in ACTIVE_STATUSES:
        return AssessmentState.CLOSED
    if due_date is None:
        return AssessmentState.UNSCHEDULED
    if due_date < today:
        return AssessmentState.OVERDUE
    if (due_date - today).days <= DUE_SOON_DAYS:
        return AssessmentState.DUE_SOON
    return AssessmentState.UPCOMING


#: The outcomes each kind of assessment may have.
OUTCOMES: dict[AssessmentKind, tuple[AssessmentOutcome, ...]] = {
    AssessmentKind.PROGRESS_REVIEW: (AssessmentOutcome.ON_TRACK, AssessmentOutcome.NOT_ON_TRACK),
    AssessmentKind.FINAL_ASSESSMENT: (AssessmentOutcome.PASS, AssessmentOutcome.FAIL),
}


@dataclass(frozen=True)
class AssessmentData:
    """What is recorded on an assessment, validated."""

    due_date: dt.date | None = None
    completed_date: dt.date | None = None
    outcome: AssessmentOutcome | None = None
    notes: str = ""


def validate_assessment(raw: Mapping[str, Any], kind: AssessmentKind, today: dt.date,
                        start_date: dt.date | None = None, row: int | None = None) -> AssessmentData:
    """Check an assessment as typed or read from an outcomes file.

    Rules: an outcome needs the date it was completed and a completed assessment needs its
    outcome; a progress review is on track or not, the final assessment pass or fail; it cannot
    be completed in the future or before induction started.

    Raises:
        ValidationError: naming every field that is wrong.
    """
    c = Collector(row, kind="nqt_assessments")
    due = c.optional("due_date", raw.get("due_date", raw.get("due")), parse_date)
    completed = c.optional("completed_date", raw.get("completed_date", raw.get("completed")), parse_date)
    outcome = c.optional("outcome", raw.get("outcome"), AssessmentOutcome.parse)
    if outcome is not None and outcome not in OUTCOMES[kind]:
        accepted = " or ".join(o.label.lower() for o in OUTCOMES[kind])
        c.add("outcome", f"a {kind.label.lower()} is {accepted}", outcome.label)
    if outcome is not None and completed is None and "completed_date" not in _fields(c):
        c.add("completed_date", "give the date the assessment was completed")
    if completed is not None and outcome is None and "outcome" not in _fields(c):
        c.add("outcome", "give the outcome of the completed assessment")
    if completed is not None and completed > today:
        c.add("completed_date", "is in the future", completed.strftime("%d/%m/%Y"))
    if completed is not None and start_date is not None and completed < start_date:
        c.add("completed_date", f"is before induction started ({start_date:%d/%m/%Y})",
              completed.strftime("%d/%m/%Y"))
    c.raise_if_any()
    return AssessmentData(due, completed, outcome, text_or_empty(raw.get("notes")))


def _fields(c: Collector) -> set[str]:
    return {p.field for p in c.problems}


def status_after_final(current: NqtStatus, outcome: AssessmentOutcome | None,
                       extension_terms: float = 0.0) -> NqtStatus:
    """An NQT's status once the final assessment's outcome is recorded (or cleared).

    A pass or fail decides the status. Clearing it puts a passed or failed NQT back in induction
    (extended if they have an extension); any other status (left, not started) stays.
    """
    if outcome is AssessmentOutcome.PASS:
        return NqtStatus.PASSED
    if outcome is AssessmentOutcome.FAIL:
        return NqtStatus.FAILED
    if current in (NqtStatus.PASSED, NqtStatus.FAILED):
        return NqtStatus.EXTENDED if extension_terms > 0 else NqtStatus.IN_PROGRESS
    return current


# --- attendance ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRate:
    """Attendance at the sessions whose attendance was recorded.

    Sessions not (yet) recorded for an NQT do not count either way; apologies count as not
    attending, but are shown apart from absences.
    """

    present: int = 0
    absent: int = 0
    apologies: int = 0

    @property
    def recorded(self) -> int:
        return self.present + self.absent + self.apologies

    @property
    def rate(self) -> float | None:
        """Present / recorded, or None when nothing is recorded."""
        return self.present / self.recorded if self.recorded else None

    @property
    def percent(self) -> int | None:
        """The rate as a whole percentage, or None."""
        return None if self.rate is None else round(self.rate * 100)

    def __add__(self, other: "AttendanceRate") -> "AttendanceRate":
        return AttendanceRate(self.present + other.present, self.absent + other.absent,
                              self.apologies + other.apologies)

    def text(self) -> str:
        """E.g. "88% (7 of 8)", or "none recorded"."""
        if self.percent is None:
            return "none recorded"
        return f"{self.percent}% ({self.present} of {self.recorded})"


def attendance_rate(statuses: Iterable[AttendanceStatus | str | None]) -> AttendanceRate:
    """The rate over a person's attendance marks; None (not recorded) is left out."""
    counts: Counter[AttendanceStatus] = Counter()
    for status in statuses:
        if status is not None:
            counts[AttendanceStatus.parse(status)] += 1
    return AttendanceRate(counts[AttendanceStatus.PRESENT], counts[AttendanceStatus.ABSENT],
                          counts[AttendanceStatus.APOLOGIES])


#: Below this attendance rate an NQT's row is flagged.
LOW_ATTENDANCE = 0.8


# --- the cohort summary --------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortMember:
    """What the summary needs to know about one NQT."""

    school: str
    local_authority: str
    fte: float
    status: NqtStatus
    overdue: int = 0
    attendance: AttendanceRate = AttendanceRate()


@dataclass(frozen=True)
class CohortSummary:
    """A cohort in figures, with :meth:`sentence` to say it in words.

    Attributes:
        year: The academic year, ``2026/27``.
        nqts: How many NQTs.
        schools: How many employing schools.
        local_authorities: The schools' local authorities, sorted (blank ones left out).
        part_time: NQTs below 1.0 FTE.
        statuses: (status, count) for every status that occurs, in the enumeration's order.
        overdue: Assessments overdue.
        attendance: Attendance over the whole cohort.
    """

    year: str
    nqts: int
    schools: int
    local_authorities: tuple[str, ...]
    part_time: int
    statuses: tuple[tuple[NqtStatus, int], ...]
    overdue: int
    attendance: AttendanceRate

    def count(self, status: NqtStatus) -> int:
        return dict(self.statuses).get(status, 0)

    def sentence(self) -> str:
        """The cohort in words, e.g. "38 NQTs from 16 schools across 4 local authorities …"."""
        if not self.nqts:
            return f"Induction {self.year}: no NQTs in this cohort yet."
        las = len(self.local_authorities)
        text = (f"Induction {self.year}: {_n(self.nqts, 'NQT')} from {_n(self.schools, 'school')}"
                + (f" across {_n(las, 'local authority', 'local authorities')}" if las else "")
                + (f" ({', '.join(self.local_authorities)})" if 1 < las <= 6 else "")
                + (f"; {self.part_time} part time" if self.part_time else "") + ".")
        states = [f"{n} {_STATUS_WORDS[status]}" for status, n in self.statuses]
        if states:
            text += " " + _join(states) + "."
        if self.overdue:
            text += f" {_n(self.overdue, 'assessment')} overdue."
        if self.attendance.recorded:
            text += f" Attendance at the induction programme: {self.attendance.percent}%."
        return text


def summarise_cohort(year: str, members: Sequence[CohortMember]) -> CohortSummary:
    """Count a cohort's NQTs, schools, local authorities, statuses, overdue assessments and attendance."""
    counts = Counter(m.status for m in members)
    attendance = AttendanceRate()
    for member in members:
        attendance = attendance + member.attendance
    return CohortSummary(
        year=year,
        nqts=len(members),
        schools=len({m.school for m in members}),
        local_authorities=tuple(sorted({m.local_authority for m in members if m.local_authority},
                                       key=str.casefold)),
        part_time=sum(1 for m in members if m.fte < 1.0),
        statuses=tuple((s, counts[s]) for s in NqtStatus if counts[s]),
        overdue=sum(m.overdue for m in members),
        attendance=attendance,
    )


def _n(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


_STATUS_WORDS = {
    NqtStatus.IN_PROGRESS: "in induction",
    NqtStatus.NOT_STARTED: "not started",
    NqtStatus.EXTENDED: "extended",
    NqtStatus.PASSED: "passed",
    NqtStatus.FAILED: "failed",
    NqtStatus.LEFT: "left the alliance",
}


