"""Choosing a run of letters: the academic year, the block and the trainee, found by name.

Names are matched as people type them (a block in any case and spacing, a trainee id in any
case); a name that matches nothing is refused with the names that would have been accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import TraineeStatus
from tsa_desktop.domain.errors import FieldProblem, ValidationError
from tsa_desktop.domain.values import parse_academic_year

Recipients = Literal["trainees", "schools"]
RECIPIENTS: tuple[Recipients, ...] = ("trainees", "schools")


class TraineeOfAnotherYearError(ValidationError):
    """The trainee asked for belongs to another academic year than the one chosen.

    Attributes:
        year: The trainee's own academic year ("2025/26").
    """

    def __init__(self, trainee_id: str, year: str, chosen: str) -> None:
        self.year = year
        super().__init__(FieldProblem(
            "trainee", f"{trainee_id} is a trainee of {year}, not {chosen}; choose that year"))


@dataclass(frozen=True)
class LetterScope:
    """Which letters.

    Attributes:
        year: The academic year, e.g. "2026/27"; None for the current one.
        block: A block's name (any case); None for the whole year.
        trainee: A trainee id such as "T260001"; None for every trainee.
        to: ``"trainees"`` or ``"schools"`` (host schools, with a copy to each mentor).
    """

    year: str | None = None
    block: str | None = None
    trainee: str | None = None
    to: Recipients = "trainees"


@dataclass(frozen=True)
class BlockRow:
    """A placement block, for choosing one."""

    id: int
    name: str
    start_date: dt.date
    end_date: dt.date


@dataclass(frozen=True)
class TraineeRef:
    """The trainee a run of letters is limited to."""

    id: int
    ref: str
    name: str
    status: str


@dataclass(frozen=True)
class ResolvedScope:
    """A scope with its names found in the database."""

    year_id: int
    year: str
    block: BlockRow | None
    trainee: TraineeRef | None


def resolve(s: Session, scope: LetterScope, current_year: Callable[[], str]) -> ResolvedScope:
    """Find the scope's year, block and trainee.

    Args:
        s: An open session.
        scope: As the user gave it.
        current_year: The year to use when the scope names none.

    Raises:
        ValidationError: on the field year, block, trainee or to, naming the accepted values.
    """
    if scope.to not in RECIPIENTS:
        raise ValidationError.single("recipients", "must be trainees or schools", scope.to)
    year = find_year(s, scope.year, current_year, strict=True)
    assert year is not None
    return ResolvedScope(year.id, year.name, _block(s, year, scope.block),
                         _trainee(s, year, scope.trainee))


def find_year(s: Session, name: str | None, current_year: Callable[[], str], *,
              strict: bool) -> m.AcademicYear | None:
    """The year called ``name`` (None: the current one); None or refused when it is missing."""
    years = list(s.scalars(select(m.AcademicYear).order_by(m.AcademicYear.name.desc())))
    if name is None:
        wanted = current_year() if years else None
    else:
        try:
            wanted = parse_academic_year(name)
        except ValueError as exc:
            raise ValidationError.single("year", str(exc), name) from exc
    found = next((y for y in years if y.name == wanted), None)
    if found is None and strict:
        if not years:
            raise ValidationError.single("year", "this file has no academic years yet")
        known = ", ".join(y.name for y in years)
        raise ValidationError.single(
            "year", f"there is no academic year {wanted} in this file; years: {known}")
    return found


def year_blocks(s: Session, year_id: int) -> list[BlockRow]:
    """A year's placement blocks, in order."""
    blocks = s.scalars(select(m.PlacementBlock).where(m.PlacementBlock.academic_year_id == year_id)
                       .order_by(m.PlacementBlock.position, m.PlacementBlock.start_date))
    return [BlockRow(b.id, b.name, b.start_date, b.end_date) for b in blocks]


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _block(s: Session, year: m.AcademicYear, name: str | None) -> BlockRow | None:
    if name is None or not name.strip():
        return None
    blocks = year_blocks(s, year.id)
    found = next((b for b in blocks if _fold(b.name) == _fold(name)), None)
    if found is None:
        accepted = ", ".join(f'"{b.name}"' for b in blocks) or "none yet"
        raise ValidationError.single(
            "block", f"there is no block called {name.strip()!r} in {year.name}; "
            f"blocks: {accepted}")
    return found


def _accepted(values: Sequence[str], limit: int = 12) -> str:
    if len(values) <= limit:
        return ", ".join(values)
    return f"{', '.join(values[:limit])}, … ({len(values)} in all)"


def _trainee(s: Session, year: m.AcademicYear, ref: str | None) -> TraineeRef | None:
    if ref is None or not ref.strip():
        return None
    wanted = ref.strip().casefold()
    rows = list(s.scalars(select(m.Trainee).order_by(m.Trainee.trainee_id)))
    found = next((t for t in rows if t.trainee_id.casefold() == wanted), None)
    if found is not None and found.academic_year_id == year.id:
        return TraineeRef(found.id, found.trainee_id, f"{found.first_names} {found.last_name}",
                          found.status)
    if found is not None:
        other = s.get(m.AcademicYear, found.academic_year_id)
        other_name = other.name if other else "another year"
        raise TraineeOfAnotherYearError(found.trainee_id, other_name, year.name)
    ids = [t.trainee_id for t in rows if t.academic_year_id == year.id]
    raise ValidationError.single(
        "trainee", f"there is no trainee {ref.strip()!r} in {year.name}; trainee ids: "
        f"{_accepted(ids) or 'none yet'}")


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one}" if n == 1 else f"{n} {many}"


def why_none(scope: ResolvedScope, left_out: int) -> str:
    """Why a scope gives no letters, for a message."""
    where = f"{scope.block.name} {scope.year}" if scope.block else scope.year
    trainee = scope.trainee
    if trainee is not None:
        status = TraineeStatus.parse(trainee.status)
        name = f"{trainee.ref} ({trainee.name})"
        if not status.needs_placements:
            return (f"{name} is {status.label.lower()}: letters go only to offered and "
                    "enrolled trainees")
        text = f"{name} has no confirmed placements in {where}"
    else:
        text = f"there are no confirmed placements in {where}"
    if left_out:
        text += (f" ({_plural(left_out, 'proposed placement waits', 'proposed placements wait')}"
                 " to be confirmed)")
    return text
