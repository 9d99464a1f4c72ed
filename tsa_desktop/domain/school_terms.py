"""School terms in England: autumn, spring and summer, and which term a day belongs to.

Autumn runs from September to before Christmas, spring from January to Easter, summer from
Easter to July. The last teaching days here are the usual ones (the weekday on or before
19 December and 21 July; the day before Good Friday); a school's own dates differ by a few days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday of a year (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _weekday_on_or_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


TERM_NAMES = ("Autumn", "Spring", "Summer")


@dataclass(frozen=True, order=True)
class SchoolTerm:
    """A school term: ``index`` 0 autumn, 1 spring, 2 summer of the year starting ``year_start``.

    ``start`` to ``end`` are the teaching days; the holiday after a term belongs to no term.
    """

    year_start: int
    index: int

    @property
    def name(self) -> str:
        """E.g. "Autumn 2026", "Spring 2027"."""
        calendar_year = self.year_start if self.index == 0 else self.year_start + 1
        return f"{TERM_NAMES[self.index]} {calendar_year}"

    @property
    def start(self) -> dt.date:
        y = self.year_start
        if self.index == 0:
            return dt.date(y, 9, 1)
        if self.index == 1:
            return dt.date(y + 1, 1, 1)
        return easter_sunday(y + 1) + dt.timedelta(days=1)

    @property
    def end(self) -> dt.date:
        """The last teaching day: the weekday on or before 19 December or 21 July; before Good Friday."""
        y = self.year_start
        if self.index == 0:
            return _weekday_on_or_before(dt.date(y, 12, 19))
        if self.index == 1:
            return easter_sunday(y + 1) - dt.timedelta(days=3)
        return _weekday_on_or_before(dt.date(y + 1, 7, 21))

    def next(self) -> "SchoolTerm":
        return SchoolTerm(self.year_start + 1, 0) if self.index == 2 else SchoolTerm(self.year_start, self.index + 1)

    def advance(self, count: int) -> "SchoolTerm":
        """The term ``count`` terms later."""
        total = self.year_start * 3 + self.index + count
        return SchoolTerm(total // 3, total % 3)


def term_of(day: dt.date) -> SchoolTerm:
    """The term in which a day falls; in a holiday, the term that follows it."""
    year_start = day.year if day.month >= 9 else day.year - 1
    for index in range(3):
        term = SchoolTerm(year_start, index)
        next_start = term.next().start if index < 2 else dt.date(year_start + 1, 9, 1)
        if day < next_start:
            return term if day <= term.end else term.next()
    return SchoolTerm(year_start + 1, 0)  # not reached: 31 August is before the next 1 September


#: Where each term is split into its two half-terms: the first half ends on this (month, day).
#: The usual half-term holidays fall at the end of October, in mid-February and at the end of May.
_HALF_TERM_SPLIT = ((10, 31), (2, 21), (5, 31))


@dataclass(frozen=True, order=True)
class HalfTerm:
    """One half of a school term: ``half`` 1 or 2."""

    term: SchoolTerm
    half: int

    @property
    def name(self) -> str:
        """E.g. "Autumn 2026, first half"."""
        return f"{self.term.name}, {'first' if self.half == 1 else 'second'} half"

    @property
    def start(self) -> dt.date:
        return self.term.start if self.half == 1 else self._split() + dt.timedelta(days=1)

    @property
    def end(self) -> dt.date:
        return self._split() if self.half == 1 else self.term.end

    def _split(self) -> dt.date:
        month, day = _HALF_TERM_SPLIT[self.term.index]
        year = self.term.year_start if self.term.index == 0 else self.term.year_start + 1
        split = dt.date(year, month, day)
        # An early Easter can put the summer term's start after 21 February's split: keep it inside.
        return min(max(split, self.term.start), self.term.end)


def half_term_of(day: dt.date) -> HalfTerm:
    """The half-term in which a day falls; in a holiday, the half-term that follows it."""
    term = term_of(day)
    first = HalfTerm(term, 1)
    return first if day <= first.end else HalfTerm(term, 2)
