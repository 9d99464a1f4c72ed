"""Confirm, lock or unlock many placements at once: the selection, a block, a school, a trainee, a year.

One call is one write (through :func:`~tsa_desktop.services.rotations.edits.write_steps`), so it
is one undo step and one audit entry a placement under one summary. A placement whose cell has an
error-level rule problem is never confirmed: it is listed with its problems and left proposed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Iterable, Literal

from sqlalchemy import select

from tsa_desktop.db import models as m
from tsa_desktop.db.engine import Database
from tsa_desktop.domain.enums import PlacementStatus
from tsa_desktop.domain.errors import NotFoundError
from tsa_desktop.domain.rules import Severity
from tsa_desktop.services.base import Service
from tsa_desktop.services.rotations.edits import RotationService, write_steps
from tsa_desktop.services.rotations.grid import PlacementChange, PlacementState, RotationGrid, Step

Action = Literal["confirm", "lock", "unlock"]


@dataclass(frozen=True)
class Scope:
    """Which placements of a year: all of them, narrowed by any of block, school, trainee or ids.

    Attributes:
        block: A block's name ("Spring block B"), matched ignoring case.
        school: A school's URN.
        trainee: A trainee's reference (their trainee ID).
        placement_ids: Only these placements (the grid's selection).
    """

    block: str | None = None
    school: str | None = None
    trainee: str | None = None
    placement_ids: frozenset[int] | None = None


@dataclass(frozen=True)
class LeftProposed:
    """A placement that was not confirmed, and the rule errors that kept it back."""

    placement_id: int
    trainee: str
    block: str
    school: str
    problems: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.trainee}, {self.block} at {self.school}: {'; '.join(self.problems)}"


@dataclass(frozen=True)
class BulkResult:
    """What one bulk confirm, lock or unlock did.

    Attributes:
        change: What was written (give it to undo); empty when nothing changed.
        done: Placements changed.
        already: Placements in the scope that were already so (confirmed, locked, unlocked).
        left: Placements not confirmed because of rule errors (confirm only).
    """

    action: Action
    year: str
    change: PlacementChange
    done: int
    already: int
    left: tuple[LeftProposed, ...] = ()

    @property
    def summary(self) -> str:
        """"2026/27: 64 placements confirmed, 2 already confirmed, 2 left proposed (rule errors)"."""
        past = {"confirm": "confirmed", "lock": "locked", "unlock": "unlocked"}[self.action]
        parts = [f"{self.done} placement{'s' if self.done != 1 else ''} {past}"]
        if self.already:
            parts.append(f"{self.already} already {past}")
        if self.left:
            parts.append(f"{len(self.left)} left proposed (rule errors)")
        return f"{self.year}: " + ", ".join(parts)


class ConfirmService(Service):
    """Bulk changes of placement status and lock, each one undoable step.

    Args:
        db: The open database.
        rotations: The workspace's rotation service (it builds the year's grid and its rules).
    """

    def __init__(self, db: Database, rotations: RotationService) -> None:
        super().__init__(db)
        self._rotations = rotations

    def confirm(self, year: str, scope: Scope = Scope(), *, today: dt.date | None = None) -> BulkResult:
        """Confirm the proposed placements in the scope, except those with rule errors.

        Raises:
            NotFoundError: an unknown year, block, school or trainee (naming what there is).
            StaleRecordError: somebody changed one of them meanwhile; nothing was written.
        """
        grid = self._rotations.grid(year, today)
        chosen = self._chosen(grid, scope)
        steps, left, already = [], [], 0
        for p in chosen:
            if p.status is not PlacementStatus.PROPOSED:
                already += p.status is PlacementStatus.CONFIRMED
                continue
            errors = [q.message for q in grid.problems(p.trainee_id, p.block_id) if q.severity is Severity.ERROR]
            if errors:
                block = grid.block(p.block_id)
                left.append(LeftProposed(p.id, grid.trainee_name(p.trainee_id),  # type: ignore[arg-type]
                                         block.name if block else "", grid.school_name(p.school_id),
                                         tuple(dict.fromkeys(errors))))
                continue
            steps.append(Step(p, replace(p, status=PlacementStatus.CONFIRMED)))
        change = self._write_all(grid.year, steps, f"Confirm {len(steps)} placement{'s' if len(steps) != 1 else ''}"
                                 f"{_where(grid, scope)}")
        return BulkResult("confirm", grid.year, change, len(steps), already, tuple(left))

    def set_locked(self, year: str, locked: bool, scope: Scope = Scope(), *,
                   today: dt.date | None = None) -> BulkResult:
        """Lock (the planner then never moves them) or unlock the placements in the scope."""
        grid = self._rotations.grid(year, today)
        chosen = [p for p in self._chosen(grid, scope) if p.status is not PlacementStatus.CANCELLED]
        steps = [Step(p, replace(p, locked=locked)) for p in chosen if p.locked != locked]
        verb = "Lock" if locked else "Unlock"
        change = self._write_all(grid.year, steps, f"{verb} {len(steps)} placement{'s' if len(steps) != 1 else ''}"
                                 f"{_where(grid, scope)}")
        return BulkResult("lock" if locked else "unlock", grid.year, change, len(steps), len(chosen) - len(steps))

    # -- helpers ------------------------------------------------------------------------------

    def _write_all(self, year: str, steps: list[Step], text: str) -> PlacementChange:
        if not steps:
            return PlacementChange(year, text, ())
        with self._write() as s:
            def describe(st: PlacementState) -> str:
                who = s.execute(select(m.Trainee.first_names, m.Trainee.last_name)
                                .where(m.Trainee.id == st.trainee_id)).first()
                block = s.scalar(select(m.PlacementBlock.name).where(m.PlacementBlock.id == st.block_id))
                return f"{who[0]} {who[1]} in {block}" if who else f"a trainee in {block}"

            return PlacementChange(year, text, write_steps(s, tuple(steps), describe, text))

    def _chosen(self, grid: RotationGrid, scope: Scope) -> list[PlacementState]:
        placements: Iterable[PlacementState] = grid.placements()
        if scope.placement_ids is not None:
            placements = [p for p in placements if p.id in scope.placement_ids]
        if scope.block:
            wanted = scope.block.strip().casefold()
            block = next((b for b in grid.blocks if b.name.casefold() == wanted), None)
            if block is None:
                known = ", ".join(b.name for b in grid.blocks) or "none"
                raise NotFoundError(f"{grid.year} has no placement block called {scope.block!r} (blocks: {known}).")
            placements = [p for p in placements if p.block_id == block.id]
        if scope.school:
            with self._read() as s:
                school_id = s.scalar(select(m.School.id).where(m.School.urn == scope.school.strip()))
            if school_id is None:
                raise NotFoundError(f"There is no school with URN {scope.school} in this file.")
            placements = [p for p in placements if p.school_id == school_id]
        if scope.trainee:
            wanted = scope.trainee.strip().casefold()
            trainee = next((t for t in grid.trainees if t.reference.casefold() == wanted), None)
            if trainee is None:
                raise NotFoundError(f"There is no trainee with ID {scope.trainee} in {grid.year}.")
            placements = [p for p in placements if p.trainee_id == trainee.id]
        order = {b.id: i for i, b in enumerate(grid.blocks)}
        rows = {t.id: i for i, t in enumerate(grid.trainees)}
        return sorted(placements, key=lambda p: (rows.get(p.trainee_id, 0), order.get(p.block_id, 0)))


def _where(grid: RotationGrid, scope: Scope) -> str:
    """" in Spring block B", " at URN 100001", "" : the scope in words for the undo menu."""
    parts = []
    if scope.block:
        parts.append(f"in {scope.block}")
    if scope.school:
        parts.append(f"at URN {scope.school}")
    if scope.trainee:
        parts.append(f"of trainee {scope.trainee}")
    if scope.placement_ids is None and not parts:
        parts.append(f"of {grid.year}")
    return (" " + " ".join(parts)) if parts else ""
