"""Induction rules shared by both regimes: terms as numbers, assessment states and outcomes.

Each school term served counts ``fte`` of a term, rounded *down* to one decimal place (a term at
0.5 FTE counts 0.5; at 0.55 FTE, 0.5). The schedule of each regime (ECTs since September 2021:
six terms; NQTs before: three) is in :mod:`tsa_desktop.domain.induction_schedule`; attendance
and the cohort summary in :mod:`tsa_desktop.domain.induction_cohort` (re-exported here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any, Mapping

from tsa_desktop.domain.enums import (
    AssessmentKind,
    AssessmentOutcome,
    NqtStatus,
)
from tsa_desktop.domain.induction_cohort import (  # noqa: F401 - re-exported: the summary lives there
    LOW_ATTENDANCE,
    AttendanceRate,
    CohortMember,
    CohortSummary,
    attendance_rate,
    summarise_cohort,
)
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
    """An NQT's induction terms to complete: three, plus any extension (an ECT's: induction_schedule)."""
    return round(INDUCTION_TERMS + extension_terms, 1)


def terms_remaining(terms_counted: float, extension_terms: float = 0.0) -> float:
    """Induction terms still to serve (never below zero)."""
    return max(0.0, round(terms_required(extension_terms) - terms_counted, 1))


def count_a_term(terms_counted: float, fte: float, extension_terms: float = 0.0,
                 share_of_term: float = 1.0, required: float | None = None) -> float:
    """Terms counted once one more school term (or part of one) is served, at most those required.

    Args:
        required: The terms the record's regime requires (an ECT: six, less a reduction, plus
            the extension); by default an NQT's three plus the extension.

    Raises:
        ValueError: every required term is already counted.
    """
    required = terms_required(extension_terms) if required is None else required
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
    AssessmentKind.MIDPOINT_ASSESSMENT: (AssessmentOutcome.ON_TRACK, AssessmentOutcome.NOT_ON_TRACK),
    AssessmentKind.INTERIM_ASSESSMENT: (AssessmentOutcome.ON_TRACK, AssessmentOutcome.NOT_ON_TRACK),
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
