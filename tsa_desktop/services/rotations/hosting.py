"""Whether schools host trainees: per school, year and block, and the schools still to chase.

Schools decide each year whether they host, and drop out late. Each answer is kept per school and
academic year (``block`` None) or for one block, with the date the school gave it. A school that
is not hosting in a block is never offered or planned there, and a placement there is a rule error
(:mod:`tsa_desktop.domain.rules`), as is any placement at a school GIAS lists as Closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.domain.errors import NotFoundError, ValidationError
from tsa_desktop.services.base import Service
from tsa_desktop.services.rotations.edits import academic_year
from tsa_desktop.services.rotations.snapshot import is_closed, year_id

HostingState = Literal["hosting", "not_hosting", "not_asked"]
#: How the states read on screen and on the command line.
STATE_WORDS = {"hosting": "hosting", "not_hosting": "not hosting", "not_asked": "not yet asked"}
#: A school whose last answer is older than this is on the list to chase.
CHASE_AFTER_DAYS = 60


@dataclass(frozen=True)
class BlockHosting:
    """A school's answer for one block (its own, or the year's when the block has none)."""

    block_id: int
    block: str
    state: HostingState
    reason: str = ""

    def __str__(self) -> str:
        words = STATE_WORDS[self.state]
        return f"{self.block}: {words}" + (f" ({self.reason})" if self.reason else "")


@dataclass(frozen=True)
class SchoolHostingRow:
    """A school's hosting for a year, for the hosting list.

    Attributes:
        year_state: The answer for the whole year ("not_asked" when there is none).
        blocks: Each block's answer as it applies (a block's own answer first).
        last_confirmed: The last date the school gave any answer for the year.
        closed: GIAS lists the school as Closed (it hosts nobody, whatever it said).
    """

    school_id: int
    urn: str
    name: str
    contact_name: str
    contact_email: str
    year_state: HostingState
    year_reason: str
    blocks: tuple[BlockHosting, ...]
    last_confirmed: dt.date | None
    closed: bool = False

    @property
    def summary(self) -> str:
        """"hosting", "not hosting (staffing)", "hosting; not in Spring block B (staffing)"."""
        if self.closed:
            return "closed, according to GIAS"
        own = STATE_WORDS[self.year_state] + (f" ({self.year_reason})" if self.year_reason else "")
        differ = [b for b in self.blocks if b.state != self.year_state]
        if not differ:
            return own
        return own + "; " + "; ".join(str(b) for b in differ)


@dataclass(frozen=True)
class ChaseRow:
    """A school to chase for its answer: whom to write to, and why."""

    school_id: int
    urn: str
    name: str
    contact_name: str
    contact_email: str
    why: str
    last_confirmed: dt.date | None


@dataclass(frozen=True)
class HostingChange:
    """What ``set_hosting`` recorded, in words for the command line and the window."""

    school: str
    year: str
    block: str | None
    hosting: bool
    reason: str
    placements: int

    def __str__(self) -> str:
        where = self.block or f"{self.year}"
        said = "hosting" if self.hosting else "not hosting" + (f" ({self.reason})" if self.reason else "")
        tail = ""
        if not self.hosting and self.placements:
            one = self.placements == 1
            tail = (f"; {self.placements} placement{'' if one else 's'} there now break{'s' if one else ''} "
                    f"the rules: repair the plan to move {'it' if one else 'them'}")
        return f"{self.school}: {said} in {where}{tail}"


class HostingService(Service):
    """Record and read schools' answers on hosting trainees."""

    def set_hosting(self, school: str | int, year: str, *, hosting: bool, block: str | None = None,
                    reason: str = "", on: dt.date | None = None) -> HostingChange:
        """Record a school's answer for a year, or for one block of it.

        Args:
            school: The school's URN (text) or database id.
            year: The academic year.
            hosting: True: the school hosts; False: it does not.
            block: A block's name; None for the whole year (which also clears the blocks' own
                answers, so that the year's answer holds for every block).
            reason: Why it does not host (kept for a school that hosts too, if given).
            on: The date the school answered (today if None).

        Raises:
            NotFoundError: an unknown school, year or block. ValidationError: a reason too long.
        """
        year = academic_year(year)
        reason = (reason or "").strip()
        if len(reason) > 500:
            raise ValidationError.single("reason", "is longer than 500 characters")
        with self._write() as s:
            found = _school(s, school)
            yid = year_id(s, year)
            block_id, block_name = (None, None) if block is None else _block(s, yid, block, year)
            rows = list(s.scalars(select(m.SchoolHosting).where(m.SchoolHosting.school_id == found.id,
                                                                m.SchoolHosting.academic_year_id == yid)))
            mine = next((r for r in rows if r.block_id == block_id), None)
            if block_id is None:
                for r in rows:
                    if r.block_id is not None:
                        s.delete(r)
            if mine is None:
                mine = m.SchoolHosting(school_id=found.id, academic_year_id=yid, block_id=block_id)
                s.add(mine)
            mine.hosting, mine.reason, mine.confirmed_on = hosting, reason, on or dt.date.today()
            placed = 0
            if not hosting:
                blocks = [block_id] if block_id is not None else list(s.scalars(
                    select(m.PlacementBlock.id).where(m.PlacementBlock.academic_year_id == yid)))
                placed = len(list(s.scalars(select(m.Placement.id).where(
                    m.Placement.school_id == found.id, m.Placement.block_id.in_(blocks),
                    m.Placement.status != "cancelled"))))
            return HostingChange(found.name, year, block_name, hosting, reason, placed)

    def overview(self, year: str) -> list[SchoolHostingRow]:
        """Every school's hosting for the year, by name."""
        year = academic_year(year)
        with self._read() as s:
            yid = year_id(s, year)
            blocks = list(s.execute(select(m.PlacementBlock.id, m.PlacementBlock.name)
                                    .where(m.PlacementBlock.academic_year_id == yid)
                                    .order_by(m.PlacementBlock.position, m.PlacementBlock.start_date)))
            answers: dict[int, dict[int | None, m.SchoolHosting]] = {}
            for r in s.scalars(select(m.SchoolHosting).where(m.SchoolHosting.academic_year_id == yid)):
                answers.setdefault(r.school_id, {})[r.block_id] = r
            out = []
            for sc in s.scalars(select(m.School).order_by(m.School.name)):
                mine = answers.get(sc.id, {})
                whole = mine.get(None)
                year_state = _state(whole)
                per_block = []
                for bid, name in blocks:
                    own = mine.get(bid) or whole
                    per_block.append(BlockHosting(bid, name, _state(own), own.reason if own is not None else ""))
                dates = [r.confirmed_on for r in mine.values() if r.confirmed_on is not None]
                out.append(SchoolHostingRow(sc.id, sc.urn, sc.name, sc.contact_name or "", sc.contact_email or "",
                                            year_state, whole.reason if whole is not None else "",
                                            tuple(per_block), max(dates) if dates else None,
                                            is_closed(sc.establishment_status)))
        return out

    def to_chase(self, year: str, *, days: int = CHASE_AFTER_DAYS,
                 today: dt.date | None = None) -> list[ChaseRow]:
        """Open schools with no answer for the year, or none for ``days`` days: whom to chase.

        Returns:
            Those never asked first, then the longest silent, each with the contact to write to.
        """
        today = today or dt.date.today()
        out = []
        for row in self.overview(year):
            if row.closed:
                continue
            if row.last_confirmed is None:
                out.append(ChaseRow(row.school_id, row.urn, row.name, row.contact_name, row.contact_email,
                                    f"no answer for {academic_year(year)}", None))
            elif (today - row.last_confirmed).days >= days:
                out.append(ChaseRow(row.school_id, row.urn, row.name, row.contact_name, row.contact_email,
                                    f"no answer for {(today - row.last_confirmed).days} days",
                                    row.last_confirmed))
        out.sort(key=lambda r: (r.last_confirmed is not None, r.last_confirmed or dt.date.min, r.name.casefold()))
        return out


def _state(row: m.SchoolHosting | None) -> HostingState:
    if row is None:
        return "not_asked"
    return "hosting" if row.hosting else "not_hosting"


def _school(s: Session, school: str | int) -> m.School:
    if isinstance(school, int):
        found = s.get(m.School, school)
    else:
        found = s.scalar(select(m.School).where(m.School.urn == str(school).strip()))
    if found is None:
        raise NotFoundError(f"There is no school with URN {school} in this file.")
    return found


def _block(s: Session, yid: int, name: str, year: str) -> tuple[int, str]:
    rows = list(s.execute(select(m.PlacementBlock.id, m.PlacementBlock.name)
                          .where(m.PlacementBlock.academic_year_id == yid)
                          .order_by(m.PlacementBlock.position)))
    for bid, bname in rows:
        if bname.casefold() == name.strip().casefold():
            return bid, bname
    known = ", ".join(n for _, n in rows) or "none"
    raise NotFoundError(f"{year} has no placement block called {name!r} (blocks: {known}).")
