"""Placement blocks of an academic year: list, add, edit, delete (refused while in use)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.domain.errors import ConflictError, DeleteRefusedError, NotFoundError, StaleRecordError
from tsa_desktop.domain.labels import field_label
from tsa_desktop.domain.validation import Collector
from tsa_desktop.domain.values import parse_date, parse_int, parse_name
from tsa_desktop.services.base import Service
from tsa_desktop.services.rotations.edits import academic_year
from tsa_desktop.services.rotations.snapshot import year_id


@dataclass(frozen=True)
class BlockData:
    """The editable fields of a placement block."""

    name: str
    start_date: dt.date
    end_date: dt.date
    days_in_school: int


@dataclass(frozen=True)
class BlockRow:
    """A placement block as the pages see it.

    Attributes:
        position: 1 for the first block of the year; blocks are numbered in date order.
        placement_count: Placements (of any status) in the block: a block in use cannot go.
        warnings: Things worth a look that do not stop a save (an overlap with another block).
    """

    id: int
    year: str
    name: str
    position: int
    start_date: dt.date
    end_date: dt.date
    days_in_school: int
    placement_count: int = 0
    warnings: tuple[str, ...] = ()

    def data(self) -> BlockData:
        """The editable fields, e.g. to undo an edit."""
        return BlockData(self.name, self.start_date, self.end_date, self.days_in_school)

    @property
    def weeks(self) -> float:
        return ((self.end_date - self.start_date).days + 1) / 7


@dataclass(frozen=True)
class DeletedBlock:
    """A deleted block with what went with it, so that undo can put both back."""

    row: BlockRow
    unavailable_mentors: tuple[tuple[int, str], ...] = ()


def validate_block(raw: Mapping[str, Any] | BlockData) -> BlockData:
    """Check a block's fields as typed: a name, two dates with the end after the start, and
    no more days in school than there are weekdays between them.

    Raises:
        ValidationError: naming every field that is wrong.
    """
    if isinstance(raw, BlockData):
        raw = raw.__dict__
    c = Collector(kind="placement_blocks")
    name = c.required("name", raw.get("name"), lambda v: parse_name(v, "name"))
    if name is not None and len(name) > 80:
        c.add("name", "is longer than 80 characters", name)
    start = c.required("start_date", raw.get("start_date"), parse_date)
    end = c.required("end_date", raw.get("end_date"), parse_date)
    days = c.required("days_in_school", raw.get("days_in_school"), lambda v: parse_int(v, 0, 366))
    if start is not None and end is not None:
        if end <= start:
            c.add("end_date", f"must be after the start ({start:%d/%m/%Y})", f"{end:%d/%m/%Y}")
        elif days is not None and days > weekdays(start, end):
            c.add("days_in_school", f"cannot be more than the {weekdays(start, end)} weekdays "
                  "between the start and the end", days)
    c.raise_if_any()
    return BlockData(name, start, end, days)  # type: ignore[arg-type]


def weekdays(start: dt.date, end: dt.date) -> int:
    """Monday to Friday days from start to end, both included."""
    total = (end - start).days + 1
    weeks, rest = divmod(total, 7)
    extra = sum(1 for i in range(rest) if (start.weekday() + i) % 7 < 5)
    return weeks * 5 + extra


class BlockService(Service):
    """Use cases for the placement blocks of a year."""

    def list(self, year: str) -> list[BlockRow]:
        """The year's blocks in date order, with their placements and any overlap warnings."""
        with self._read() as s:
            return _rows(s, year_id(s, academic_year(year)))

    def get(self, block_id: int) -> BlockRow:
        """One block. Raises NotFoundError when it was deleted meanwhile."""
        with self._read() as s:
            block = _load(s, block_id)
            return next(r for r in _rows(s, block.academic_year_id) if r.id == block_id)

    def add(self, year: str, raw: Mapping[str, Any] | BlockData) -> BlockRow:
        """Add a block to a year.

        Raises:
            ValidationError: a field is wrong, or the dates fall outside the academic year.
            ConflictError: the year already has a block of that name.
        """
        data = validate_block(raw)
        with self._write() as s:
            yid = year_id(s, academic_year(year))
            _check_in_year(s, yid, data)
            _refuse_duplicate(s, yid, data.name, None)
            block = m.PlacementBlock(academic_year_id=yid, name=data.name, start_date=data.start_date,
                                     end_date=data.end_date, days_in_school=data.days_in_school,
                                     position=0)
            s.add(block)
            s.flush()
            return _finish(s, yid, block.id)

    def update(self, block_id: int, raw: Mapping[str, Any] | BlockData,
               expected: BlockData | None = None) -> BlockRow:
        """Change a block's name, dates or days in school.

        Args:
            block_id: The block.
            raw: The new fields.
            expected: The fields as the user read them; a block changed since is not overwritten.

        Raises:
            ValidationError, ConflictError, NotFoundError, StaleRecordError.
        """
        data = validate_block(raw)
        with self._write() as s:
            block = _load(s, block_id)
            if expected is not None and _data(block) != expected:
                raise StaleRecordError(f"The block {block.name} was changed by somebody else after you "
                                       "opened it. Your change was not saved: reload and try again.")
            _check_in_year(s, block.academic_year_id, data)
            _refuse_duplicate(s, block.academic_year_id, data.name, block_id)
            block.name, block.start_date, block.end_date = data.name, data.start_date, data.end_date
            block.days_in_school = data.days_in_school
            s.flush()
            return _finish(s, block.academic_year_id, block_id)

    def delete(self, block_id: int) -> DeletedBlock:
        """Delete a block that no placement uses.

        Returns:
            The deleted block and the mentors marked unavailable in it, so that undo can restore both.

        Raises:
            DeleteRefusedError: placements use the block.
        """
        with self._write() as s:
            block = _load(s, block_id)
            row = next(r for r in _rows(s, block.academic_year_id) if r.id == block_id)
            if row.placement_count:
                n = row.placement_count
                raise DeleteRefusedError(
                    f"The block {block.name} cannot be deleted: {n} placement{'s' if n != 1 else ''} "
                    "use it. Move or clear them in the rotation grid first.")
            away = tuple((mid, reason) for mid, reason in s.execute(
                select(m.MentorUnavailability.mentor_id, m.MentorUnavailability.reason)
                .where(m.MentorUnavailability.block_id == block_id)))
            yid = block.academic_year_id
            s.delete(block)
            s.flush()
            _renumber(s, yid)
            return DeletedBlock(row, away)

    def restore(self, deleted: DeletedBlock) -> BlockRow:
        """Put a deleted block back (with a new id), with its mentor unavailability."""
        created = self.add(deleted.row.year, deleted.row.data())
        if deleted.unavailable_mentors:
            with self._write() as s:
                known = set(s.scalars(select(m.Mentor.id).where(
                    m.Mentor.id.in_([mid for mid, _ in deleted.unavailable_mentors]))))
                rows = [dict(mentor_id=mid, block_id=created.id, reason=reason)
                        for mid, reason in deleted.unavailable_mentors if mid in known]
                if rows:
                    s.execute(insert(m.MentorUnavailability), rows)
        return created


def _load(s: Session, block_id: int) -> m.PlacementBlock:
    block = s.get(m.PlacementBlock, block_id)
    if block is None:
        raise NotFoundError("That placement block no longer exists; somebody may have deleted it.")
    return block


def _data(block: m.PlacementBlock) -> BlockData:
    return BlockData(block.name, block.start_date, block.end_date, block.days_in_school)


def _check_in_year(s: Session, yid: int, data: BlockData) -> None:
    year = s.get(m.AcademicYear, yid)
    assert year is not None
    problems = []
    for field, day in (("start_date", data.start_date), ("end_date", data.end_date)):
        if not year.start_date <= day <= year.end_date:
            problems.append((field, day))
    if problems:
        c = Collector(kind="placement_blocks")
        for field, day in problems:
            c.add(field, f"must fall within the academic year {year.name} ({year.start_date:%d/%m/%Y} "
                  f"to {year.end_date:%d/%m/%Y})", f"{day:%d/%m/%Y}")
        c.raise_if_any()


def _refuse_duplicate(s: Session, yid: int, name: str, own_id: int | None) -> None:
    clash = s.scalar(select(m.PlacementBlock.id).where(
        m.PlacementBlock.academic_year_id == yid, func.lower(m.PlacementBlock.name) == name.lower(),
        m.PlacementBlock.id != (own_id or -1)))
    if clash is not None:
        raise ConflictError(f"{field_label('placement_blocks', 'name')}: this year already has a block called {name}.")


def _renumber(s: Session, yid: int) -> None:
    # Positions follow the dates, so that the grid's columns and the rules' "first block" agree.
    blocks = s.scalars(select(m.PlacementBlock).where(m.PlacementBlock.academic_year_id == yid)
                       .order_by(m.PlacementBlock.start_date, m.PlacementBlock.id)).all()
    for position, block in enumerate(blocks, start=1):
        if block.position != position:
            block.position = position
    s.flush()


def _finish(s: Session, yid: int, block_id: int) -> BlockRow:
    _renumber(s, yid)
    return next(r for r in _rows(s, yid) if r.id == block_id)


def _rows(s: Session, yid: int) -> list[BlockRow]:
    year = s.scalar(select(m.AcademicYear.name).where(m.AcademicYear.id == yid))
    counts = {bid: n for bid, n in s.execute(
        select(m.Placement.block_id, func.count()).join(m.PlacementBlock)
        .where(m.PlacementBlock.academic_year_id == yid).group_by(m.Placement.block_id))}
    blocks = s.scalars(select(m.PlacementBlock).where(m.PlacementBlock.academic_year_id == yid)
                       .order_by(m.PlacementBlock.start_date, m.PlacementBlock.id)).all()
    rows = []
    for i, b in enumerate(blocks, start=1):
        overlaps = [o.name for o in blocks if o.id != b.id
                    and o.start_date <= b.end_date and b.start_date <= o.end_date]
        warnings = tuple(f"{b.name} overlaps {name}: a trainee cannot be in two schools at once"
                         for name in overlaps)
        rows.append(BlockRow(b.id, year or "", b.name, i, b.start_date, b.end_date, b.days_in_school,
                             counts.get(b.id, 0), warnings))
    return rows

