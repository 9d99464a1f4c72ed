"""Academic years and their placement blocks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.domain.errors import NotFoundError
from tsa_desktop.domain.values import academic_year_of, academic_year_start, parse_academic_year
from tsa_desktop.services.base import Service


@dataclass(frozen=True)
class YearRow:
    """An academic year."""

    id: int
    name: str
    start_date: dt.date
    end_date: dt.date


def default_blocks(year: str) -> list[tuple[str, dt.date, dt.date, int]]:
    """Autumn, Spring and Summer blocks for a year: name, start, end, days in school.

    The dates follow a typical 38-week programme: school experience in the second half of each
    term, with training sessions around it.
    """
    y = academic_year_start(year)
    windows = [
        ("Autumn block A", dt.date(y, 10, 6), dt.date(y, 12, 12)),
        ("Spring block B", dt.date(y + 1, 1, 12), dt.date(y + 1, 3, 27)),
        ("Summer block C", dt.date(y + 1, 4, 20), dt.date(y + 1, 6, 26)),
    ]
    blocks = []
    for name, first, last in windows:
        # Blocks run Monday to Friday whatever the calendar year.
        start = first + dt.timedelta(days=(7 - first.weekday()) % 7)
        end = last - dt.timedelta(days=(last.weekday() - 4) % 7)
        weekdays = sum(1 for i in range((end - start).days + 1) if (start + dt.timedelta(i)).weekday() < 5)
        blocks.append((name, start, end, weekdays - 2))  # less about two training days per block
    return blocks


def ensure_year(s: Session, name: str, with_blocks: bool = True) -> m.AcademicYear:
    """The year called ``name``, created (with the default blocks) if it does not exist yet."""
    name = parse_academic_year(name)
    year = s.scalar(select(m.AcademicYear).where(m.AcademicYear.name == name))
    if year is None:
        start = academic_year_start(name)
        year = m.AcademicYear(name=name, start_date=dt.date(start, 9, 1), end_date=dt.date(start + 1, 8, 31))
        s.add(year)
        s.flush()
        if with_blocks:
            for position, (block, first, last, days) in enumerate(default_blocks(name)):
                s.add(m.PlacementBlock(academic_year_id=year.id, name=block, position=position,
                                       start_date=first, end_date=last, days_in_school=days))
            s.flush()
    return year


class YearService(Service):
    """Use cases for academic years."""

    def list(self) -> list[YearRow]:
        """Every year known, newest first."""
        with self._read() as s:
            return [YearRow(y.id, y.name, y.start_date, y.end_date)
                    for y in s.scalars(select(m.AcademicYear).order_by(m.AcademicYear.name.desc()))]

    def ensure(self, name: str) -> YearRow:
        """The year, created with default blocks if needed."""
        with self._write() as s:
            y = ensure_year(s, name)
            return YearRow(y.id, y.name, y.start_date, y.end_date)

    def get(self, name: str) -> YearRow:
        """The year called ``name``.

        Raises:
            NotFoundError: there is no such year in this file.
        """
        name = parse_academic_year(name)
        with self._read() as s:
            y = s.scalar(select(m.AcademicYear).where(m.AcademicYear.name == name))
            if y is None:
                raise NotFoundError(f"There is no academic year {name} in this file.")
            return YearRow(y.id, y.name, y.start_date, y.end_date)

    def current(self, today: dt.date | None = None) -> str:
        """The year to show by default: today's, if the file has it, else the newest one."""
        names = [y.name for y in self.list()]
        this = academic_year_of(today or dt.date.today())
        if this in names or not names:
            return this
        return names[0]
