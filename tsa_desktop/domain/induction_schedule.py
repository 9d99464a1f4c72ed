"""Induction under both regimes: terms required, the schedule by school term, the expected end.

An induction that started before 1 September 2021 keeps the old NQT regime: three terms, a
progress review after induction terms one and two and the final assessment after the third.
Every induction begun since is an early career teacher's (ECT): the equivalent of six school
terms, a progress review at the end of each school term that has no formal assessment, the
formal assessment at the end of year one (half way) and the final one at the end of induction.

Part-time teachers count their terms pro rata: each school term served counts ``fte`` of a term,
rounded down to a tenth, so an ECT at 0.5 FTE serves twelve school terms. Induction may be
reduced for previous experience (at least one term is left to serve) and extended by terms. A
start in the middle of a term counts the part of the term served; a start (or a leaving day)
within two weeks of a term's edge counts the whole term, as schools' own term dates differ from
the usual ones by days. Anyone who leaves part way has an interim assessment on their last day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tsa_desktop.domain.enums import AssessmentKind, InductionRegime
from tsa_desktop.domain.induction import floor_tenth
from tsa_desktop.domain.school_terms import SchoolTerm, term_of

#: The first day of the ECT regime: an induction started before it is an NQT's.
ECT_REGIME_STARTS = dt.date(2021, 9, 1)

#: Induction terms a full-time teacher serves under each regime, before reduction or extension.
BASE_TERMS = {InductionRegime.NQT: 3, InductionRegime.ECT: 6}

#: The key (``term``) of the interim assessment of someone who leaves part way.
INTERIM_TERM = 0

#: The key of the NQT's final assessment (progress reviews are 1 and 2).
NQT_FINAL_TERM = 3

#: Timetable reduction, in percent, by year of induction (ECT), and for an NQT.
ECT_TIMETABLE_REDUCTION = {1: 10, 2: 5}
NQT_TIMETABLE_REDUCTION = 10

#: A start or a last day this close to a term's edge counts the whole term.
GRACE_DAYS = 14

#: No schedule runs past this many school terms (0.1 FTE with the longest extension: 159).
_MAX_SCHOOL_TERMS = 200


def regime_for(start_date: dt.date | None) -> InductionRegime:
    """NQT for an induction started before 1 September 2021; otherwise (or undated) ECT."""
    if start_date is not None and start_date < ECT_REGIME_STARTS:
        return InductionRegime.NQT
    return InductionRegime.ECT


def terms_required(regime: InductionRegime, reduced_terms: float = 0.0, extension_terms: float = 0.0) -> float:
    """Induction terms to complete: six (ECT) or three (NQT), less a reduction, plus an extension."""
    return round(BASE_TERMS[regime] - reduced_terms + extension_terms, 1)


def reduction_problem(regime: InductionRegime, reduced_terms: float) -> str | None:
    """Why a reduction is not allowed (it must leave at least one term), or None when it is."""
    most = BASE_TERMS[regime] - 1
    if reduced_terms > most:
        return f"must leave at least one term to serve: at most {most:g} terms can be taken off"
    return None


def share_of_term(term: SchoolTerm, first_day: dt.date | None = None, last_day: dt.date | None = None) -> float:
    """The part of a school term served from ``first_day`` to ``last_day``, to a tenth.

    Days within :data:`GRACE_DAYS` of the term's start or end count as served.
    """
    start = term.start if first_day is None or (first_day - term.start).days < GRACE_DAYS else first_day
    end = term.end if last_day is None or (term.end - last_day).days < GRACE_DAYS else last_day
    start, end = max(start, term.start), min(end, term.end)
    if end < start:
        return 0.0
    share = ((end - start).days + 1) / ((term.end - term.start).days + 1)
    return max(0.1, round(share, 1))


@dataclass(frozen=True)
class TermServed:
    """One school term of an induction.

    Attributes:
        number: 1 for the school term in which induction starts, then 2, 3, ...
        school_term: The term.
        share: The part of it served (1.0 for the whole term).
        credit: Induction terms it counts (share times FTE, rounded down to a tenth).
        counted: Induction terms counted by its end.
        year: The year of induction (1 or 2; NQTs: 1), for the timetable reduction.
        last_day: The last day served in it (the term's end, or the leaving day).
    """

    number: int
    school_term: SchoolTerm
    share: float
    credit: float
    counted: float
    year: int
    last_day: dt.date


@dataclass(frozen=True)
class Checkpoint:
    """A review or assessment as the rules schedule it.

    Attributes:
        term: Its key: for an ECT the school term of induction (1, 2, ...), for an NQT the
            induction term (1, 2; 3 the final assessment); 0 for the interim assessment.
        kind: Progress review, formal assessment (end of year one), final or interim assessment.
        due_date: The last day of its school term (the leaving day for the interim assessment).
        school_term: The school term in which it falls.
        counted: Induction terms counted by then.
    """

    term: int
    kind: AssessmentKind
    due_date: dt.date
    school_term: SchoolTerm
    counted: float

    @property
    def label(self) -> str:
        """E.g. "Progress review (Autumn 2026)"."""
        return f"{self.kind.label} ({self.school_term.name})"


@dataclass(frozen=True)
class InductionPlan:
    """One teacher's induction by school term (see :func:`plan_induction`)."""

    regime: InductionRegime
    start_date: dt.date | None
    fte: float
    reduced_terms: float
    extension_terms: float
    left_date: dt.date | None
    terms_required: float
    terms: tuple[TermServed, ...]
    checkpoints: tuple[Checkpoint, ...]

    @property
    def school_terms(self) -> int:
        """School terms the induction takes (or took, for a leaver)."""
        return len(self.terms)

    @property
    def completes(self) -> bool:
        """True when the schedule reaches the terms required (nobody left part way)."""
        return bool(self.terms) and self.terms[-1].counted >= self.terms_required

    @property
    def expected_end_date(self) -> dt.date | None:
        """The last day of the school term in which induction is expected to end, or None."""
        return self.terms[-1].school_term.end if self.completes else None

    def checkpoint(self, term: int) -> Checkpoint | None:
        """The checkpoint with this key, if scheduled."""
        return next((c for c in self.checkpoints if c.term == term), None)

    def counted_by(self, day: dt.date) -> float:
        """Induction terms counted for the school terms (or parts) served before ``day``."""
        return round(sum(t.credit for t in self.terms if t.last_day < day), 1)

    def served_on(self, day: dt.date) -> TermServed | None:
        """The school term of induction in which ``day`` falls (a holiday: the next one), or None."""
        if self.start_date is None or day < self.start_date:
            return None
        return next((t for t in self.terms if day <= t.last_day), None)

    def timetable_reduction(self, day: dt.date) -> int:
        """The timetable reduction on a day, in percent: 10 in year one, 5 in year two; 0 outside."""
        served = self.served_on(day)
        if served is None:
            return 0
        if self.regime is InductionRegime.NQT:
            return NQT_TIMETABLE_REDUCTION
        return ECT_TIMETABLE_REDUCTION[served.year]

    def due_between(self, first: dt.date, last: dt.date) -> tuple[Checkpoint, ...]:
        """The checkpoints due from ``first`` to ``last`` (both included)."""
        return tuple(c for c in self.checkpoints if first <= c.due_date <= last)


def plan_induction(start_date: dt.date | None, fte: float = 1.0, regime: InductionRegime | None = None,
                   reduced_terms: float = 0.0, extension_terms: float = 0.0,
                   left_date: dt.date | None = None) -> InductionPlan:
    """Schedule an induction by school term.

    Args:
        start_date: The first day of induction; None gives an empty schedule.
        fte: Full-time equivalent, 0.1 to 1.0.
        regime: The rules to apply; by default chosen by the start date (:func:`regime_for`).
        reduced_terms: Terms taken off for previous experience.
        extension_terms: Terms added by an extension.
        left_date: The last day of someone who leaves part way; the schedule stops there and
            ends with an interim assessment.
    """
    regime = regime or regime_for(start_date)
    required = terms_required(regime, reduced_terms, extension_terms)
    terms = _terms_served(start_date, fte, regime, reduced_terms, required, left_date)
    checkpoints = (_ect_checkpoints if regime is InductionRegime.ECT else _nqt_checkpoints)(
        terms, required, reduced_terms, left_date)
    return InductionPlan(regime, start_date, fte, reduced_terms, extension_terms, left_date, required,
                         terms, checkpoints)


def _midpoint(regime: InductionRegime, reduced_terms: float) -> float:
    """Induction terms counted at the end of year one: half of what is left after a reduction."""
    return (BASE_TERMS[regime] - reduced_terms) / 2


def _terms_served(start: dt.date | None, fte: float, regime: InductionRegime, reduced: float,
                  required: float, left: dt.date | None) -> tuple[TermServed, ...]:
    if start is None or required <= 0:
        return ()
    midpoint = _midpoint(regime, reduced)
    result: list[TermServed] = []
    term, counted = term_of(start), 0.0
    while counted < required and len(result) < _MAX_SCHOOL_TERMS:
        if left is not None and left < max(term.start, start):
            break
        leaves_here = left is not None and left <= term.end
        share = share_of_term(term, start if not result else None, left if leaves_here else None)
        credit = min(floor_tenth(fte * share), round(required - counted, 1))
        year = 1 if regime is InductionRegime.NQT or counted < midpoint else 2
        counted = round(counted + credit, 1)
        result.append(TermServed(len(result) + 1, term, share, credit, counted, year,
                                 left if leaves_here else term.end))
        if leaves_here:
            break
        term = term.next()
    return tuple(result)


def _interim(terms: tuple[TermServed, ...], required: float, left: dt.date | None) -> Checkpoint | None:
    if left is None or not terms or terms[-1].counted >= required:
        return None
    last = terms[-1]
    return Checkpoint(INTERIM_TERM, AssessmentKind.INTERIM_ASSESSMENT, left, last.school_term, last.counted)


def _ect_checkpoints(terms: tuple[TermServed, ...], required: float, reduced: float,
                     left: dt.date | None) -> tuple[Checkpoint, ...]:
    midpoint = _midpoint(InductionRegime.ECT, reduced)
    interim = _interim(terms, required, left)
    result, midpoint_done = [], False
    for t in terms:
        if t.counted >= required:
            kind = AssessmentKind.FINAL_ASSESSMENT
        elif interim is not None and t is terms[-1]:
            break  # the interim assessment replaces the leaving term's review
        elif not midpoint_done and t.counted >= midpoint:
            kind, midpoint_done = AssessmentKind.MIDPOINT_ASSESSMENT, True
        else:
            kind = AssessmentKind.PROGRESS_REVIEW
        result.append(Checkpoint(t.number, kind, t.school_term.end, t.school_term, t.counted))
    if interim is not None:
        result.append(interim)
    return tuple(result)


def _nqt_checkpoints(terms: tuple[TermServed, ...], required: float, reduced: float,
                     left: dt.date | None) -> tuple[Checkpoint, ...]:
    interim = _interim(terms, required, left)
    result = []
    for key in (1, 2):
        if key >= required:
            break
        reached = next((t for t in terms if t.counted >= key), None)
        if reached is None or (interim is not None and reached is terms[-1]):
            break
        result.append(Checkpoint(key, AssessmentKind.PROGRESS_REVIEW, reached.school_term.end,
                                 reached.school_term, reached.counted))
    if terms and terms[-1].counted >= required:
        last = terms[-1]
        result.append(Checkpoint(NQT_FINAL_TERM, AssessmentKind.FINAL_ASSESSMENT, last.school_term.end,
                                 last.school_term, last.counted))
    if interim is not None:
        result.append(interim)
    return tuple(result)
