"""Rotations: the grid of a year, edits of its cells, and the rule check.

Every edit is a list of :class:`~tsa_desktop.services.rotations.grid.Step` (a placement before and after)
written by one primitive, :meth:`RotationService.apply_change`, which first checks that each
placement is still as the user saw it, then deletes, updates and inserts in bulk in one
transaction. Undo is the same call with the change reversed; a cleared placement comes back with
its own id, so nothing else needs remapping.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Iterable

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.db.engine import Database
from tsa_desktop.db.audit import record_entries
from tsa_desktop.domain.enums import Phase, PlacementStatus, Route, Subject, TraineeStatus
from tsa_desktop.domain.errors import (
    ConflictError,
    FieldProblem,
    NotFoundError,
    StaleRecordError,
    ValidationError,
)
from tsa_desktop.domain.rules import Problem, Severity, check_rotations, has_errors
from tsa_desktop.domain.values import parse_academic_year
from tsa_desktop.services.reference.alliance import AllianceService
from tsa_desktop.services.base import Service
from tsa_desktop.services.rotations.grid import GridTrainee, PlacementChange, PlacementState, RotationGrid, Step
from tsa_desktop.services.rotations.snapshot import load_snapshot, year_id

_P = m.Placement.__table__
#: Rows per IN (...) list: well under every database's limit on bound parameters.
_CHUNK = 500


@dataclass(frozen=True)
class CellEdit:
    """What the cell editor sets: the school, mentor, status, lock, pair partner and notes."""

    school_id: int
    mentor_id: int | None = None
    status: PlacementStatus = PlacementStatus.PROPOSED
    locked: bool = False
    paired_trainee_id: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class CheckReport:
    """Every rotation rule problem of a year (``tsa-desktop check``)."""

    year: str
    problems: tuple[Problem, ...]
    trainees: int

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)

    @property
    def has_errors(self) -> bool:
        return has_errors(list(self.problems))

    @property
    def summary(self) -> str:
        return (f"{self.year}: {self.errors} error{'s' if self.errors != 1 else ''}, {self.warnings} "
                f"warning{'s' if self.warnings != 1 else ''} for {self.trainees} trainees")


def state_of(row) -> PlacementState:
    """A placement row (selected columns or an ORM object) as a PlacementState."""
    return PlacementState(row.id, row.trainee_id, row.block_id, row.school_id, row.mentor_id,
                          PlacementStatus.parse(row.status), bool(row.locked), row.paired_trainee_id,
                          row.notes or "", (row.letter_produced_at, row.letter_fingerprint,
                                            row.school_letter_produced_at, row.school_letter_fingerprint))


_STATE_COLUMNS = (_P.c.id, _P.c.trainee_id, _P.c.block_id, _P.c.school_id, _P.c.mentor_id, _P.c.status,
                  _P.c.locked, _P.c.paired_trainee_id, _P.c.notes, _P.c.letter_produced_at,
                  _P.c.letter_fingerprint, _P.c.school_letter_produced_at, _P.c.school_letter_fingerprint)


def _chunks(items: list, size: int = _CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def load_states(s: Session, ids: Iterable[int], *, lock: bool = False) -> dict[int, PlacementState]:
    """The placements with these ids as they are now (missing ones are absent)."""
    found: dict[int, PlacementState] = {}
    for part in _chunks(sorted(set(ids))):
        stmt = select(*_STATE_COLUMNS).where(_P.c.id.in_(part))
        if lock:
            stmt = stmt.with_for_update()
        for row in s.execute(stmt):
            found[row.id] = state_of(row)
    return found


def load_year_states(s: Session, block_ids: list[int]) -> list[PlacementState]:
    """Every placement in these blocks (a year's), as PlacementStates."""
    return [state_of(r) for r in s.execute(select(*_STATE_COLUMNS).where(_P.c.block_id.in_(block_ids)))]


def write_steps(s: Session, steps: tuple[Step, ...], describe, summary: str = "") -> tuple[Step, ...]:
    """Write a change: check each placement is as expected, then delete, update and insert in bulk.

    Args:
        s: The open write transaction.
        steps: Each placement before (as the user saw it; None for an empty cell) and after.
        describe: ``describe(state) -> str`` names a placement for a message.
        summary: The change in words for the audit trail (one entry for the whole change).

    Returns:
        The steps with the ids of new placements filled in.

    Raises:
        StaleRecordError: a placement was changed or removed, or a cell filled, by somebody else.
    """
    current = load_states(s, [st.before.id for st in steps if st.before is not None], lock=True)
    for st in steps:
        if st.before is not None:
            now = current.get(st.before.id)  # type: ignore[arg-type]
            if now is None or now.content() != st.before.content():
                raise StaleRecordError(f"The placement of {describe(st.before)} was changed by somebody "
                                       "else meanwhile. Nothing was saved: reload to see it as it is now.")
    _refuse_filled(s, steps, describe)
    gone = [st.before.id for st in steps if st.before is not None and st.after is None]
    for part in _chunks(gone):
        s.execute(delete(_P).where(_P.c.id.in_(part)))
    updates = [_params(st.after, "b_") | {"b_id": st.before.id} for st in steps
               if st.before is not None and st.after is not None]
    if updates:
        s.execute(update(_P).where(_P.c.id == bindparam("b_id")).values(
            {c: bindparam(f"b_{c}") for c in _EDITABLE} | {"version": _P.c.version + 1}), updates)
    back = [st.after for st in steps if st.before is None and st.after is not None and st.after.id is not None]
    if back:
        s.execute(insert(_P), [_params(a) | {"id": a.id, "version": 1} | _letters(a) for a in back])
    new = [st.after for st in steps if st.before is None and st.after is not None and st.after.id is None]
    ids: dict[tuple[int, int], int] = {}
    if new:
        rows = s.execute(insert(_P).returning(_P.c.id, _P.c.trainee_id, _P.c.block_id),
                         [_params(a) | {"version": 1} for a in new])
        ids = {(r.trainee_id, r.block_id): r.id for r in rows}
    done = tuple(Step(st.before, replace(st.after, id=ids[(st.after.trainee_id, st.after.block_id)]))
                 if st.after is not None and st.after.id is None and st.before is None else st
                 for st in steps)
    if summary and done:
        _record(s, done, summary)
    return done


def _record(s: Session, steps: tuple[Step, ...], summary: str) -> None:
    """One audit entry a placement, in the trainee's history, with school, mentor and status by
    name; ``summary`` (the edit as the user made it) ends each line."""
    states = [x for st in steps for x in (st.before, st.after) if x is not None]
    # dict(result) would take a Result for a mapping (it has keys()): hence .all().
    schools = dict(s.execute(select(m.School.id, m.School.name)
                             .where(m.School.id.in_({x.school_id for x in states}))).all())
    mentor_ids = {x.mentor_id for x in states if x.mentor_id is not None}
    mentors = {r.id: f"{r.first_name} {r.last_name}" for r in s.execute(
        select(m.Mentor.id, m.Mentor.first_name, m.Mentor.last_name).where(m.Mentor.id.in_(mentor_ids)))}
    blocks = dict(s.execute(select(m.PlacementBlock.id, m.PlacementBlock.name)
                            .where(m.PlacementBlock.id.in_({x.block_id for x in states}))).all())

    def shown(x: PlacementState | None) -> dict[str, Any]:
        if x is None:
            return {}
        return {"school": schools.get(x.school_id), "mentor": mentors.get(x.mentor_id) if x.mentor_id else None,
                "status": x.status.label, "locked": "yes" if x.locked else "no", "notes": x.notes or None}

    entries = []
    for st in steps:
        before, after = shown(st.before), shown(st.after)
        changes = {k: [before.get(k), after.get(k)] for k in (before.keys() | after.keys())
                   if before.get(k) != after.get(k)}
        if not changes:
            continue
        one = st.after or st.before
        action = "insert" if st.before is None else "delete" if st.after is None else "update"
        verb = {"insert": "Placed", "delete": "Placement cleared", "update": "Placement changed"}[action]
        line = f"{verb} in {blocks.get(one.block_id, 'a block')}: {summary}"
        entries.append((one.id, action, changes, line, ("trainees", one.trainee_id)))
    record_entries(s, "placements", entries)


_EDITABLE = ("trainee_id", "block_id", "school_id", "mentor_id", "status", "locked", "paired_trainee_id",
             "notes")


def _params(state: PlacementState, prefix: str = "") -> dict:
    values = dict(zip(_EDITABLE, state.content()))
    values["status"] = state.status.code
    return {prefix + k: v for k, v in values.items()}


def _letters(state: PlacementState) -> dict:
    names = ("letter_produced_at", "letter_fingerprint", "school_letter_produced_at",
             "school_letter_fingerprint")
    return dict(zip(names, state.letters or (None,) * 4))


def _refuse_filled(s: Session, steps: tuple[Step, ...], describe) -> None:
    """A placement written into a cell must not meet one that somebody else put there."""
    leaving = {(st.before.trainee_id, st.before.block_id) for st in steps if st.before is not None}
    wanted = {(st.after.trainee_id, st.after.block_id): st.after for st in steps if st.after is not None
              and (st.before is None or (st.before.trainee_id, st.before.block_id)
                   != (st.after.trainee_id, st.after.block_id))}
    targets = [k for k in wanted if k not in leaving]
    trainees = sorted({t for t, _ in targets})
    blocks = {b for _, b in targets}
    for part in _chunks(trainees):
        for tid, bid in s.execute(select(_P.c.trainee_id, _P.c.block_id).where(
                _P.c.trainee_id.in_(part), _P.c.block_id.in_(blocks))):
            if (tid, bid) in wanted and (tid, bid) not in leaving:
                raise StaleRecordError(f"Somebody else has meanwhile placed {describe(wanted[(tid, bid)])}. "
                                       "Nothing was saved: reload to see it.")


def academic_year(text: str) -> str:
    """A year as typed (2026/27), checked: a ValidationError names what is accepted."""
    try:
        return parse_academic_year(text)
    except ValueError as exc:
        raise ValidationError.single("year", str(exc), text) from None


class RotationService(Service):
    """Use cases of the rotation grid: read a year, edit its cells, check the rules.

    Args:
        db: The open database.
        alliance: The alliance's settings (the rules' thresholds).
    """

    def __init__(self, db: Database, alliance: AllianceService) -> None:
        super().__init__(db)
        self._alliance = alliance

    def _settings(self) -> dict[str, object]:
        return self._alliance.settings()

    # -- reading ------------------------------------------------------------------------------

    def grid(self, year: str, today: dt.date | None = None) -> RotationGrid:
        """A year's rotations with every placement judged by the rules.

        Raises:
            NotFoundError: naming the years the file has.
        """
        year = academic_year(year)
        settings = self._settings()
        with self._read() as s:
            snapshot = load_snapshot(s, year, settings)
            yid = year_id(s, year)
            trainees = [
                GridTrainee(r.id, r.trainee_id, f"{r.first_names} {r.last_name}",
                            f"{r.last_name} {r.first_names}", Phase.parse(r.phase), Subject.parse(r.subject),
                            Route.parse(r.route), TraineeStatus.parse(r.status), r.employing_school_id)
                for r in s.execute(select(m.Trainee.id, m.Trainee.trainee_id, m.Trainee.first_names,
                                          m.Trainee.last_name, m.Trainee.phase, m.Trainee.subject,
                                          m.Trainee.route, m.Trainee.status, m.Trainee.employing_school_id)
                                   .where(m.Trainee.academic_year_id == yid))]
            block_ids = [b.id for b in snapshot.blocks]
            placements = load_year_states(s, block_ids)
        trainees.sort(key=lambda t: (t.sort_name.casefold(), t.id))
        return RotationGrid(year, snapshot, trainees, placements, today or dt.date.today())

    def check(self, year: str, today: dt.date | None = None) -> CheckReport:
        """Every rotation rule problem of a year, errors and warnings."""
        year = academic_year(year)
        settings = self._settings()
        with self._read() as s:
            snapshot = load_snapshot(s, year, settings)
        problems = check_rotations(snapshot, today or dt.date.today())
        return CheckReport(year, tuple(problems), len(snapshot.trainees))

    # -- edits --------------------------------------------------------------------------------

    def save_cell(self, trainee_id: int, block_id: int, edit: CellEdit,
                  expected: PlacementState | None) -> PlacementChange:
        """Fill a cell, or change the placement in it.

        Args:
            trainee_id: The row.
            block_id: The column.
            edit: The school, mentor, status, lock, partner and notes wanted.
            expected: The placement in the cell as the user saw it (None: the cell was empty).

        Raises:
            ValidationError: the school, mentor or partner is unknown, or belongs to another year.
            StaleRecordError: somebody else changed the cell meanwhile.
        """
        with self._write() as s:
            year = self._check_cell(s, trainee_id, block_id)
            self._check_edit(s, trainee_id, year, edit)
            if expected is not None and (expected.trainee_id, expected.block_id) != (trainee_id, block_id):
                raise ValidationError.single("placement", "belongs to another cell")
            after = PlacementState(expected.id if expected else None, trainee_id, block_id, edit.school_id,
                                   edit.mentor_id, edit.status, edit.locked, edit.paired_trainee_id,
                                   edit.notes.strip(), expected.letters if expected else ())
            if expected is not None and after.content() == expected.content():
                return PlacementChange(year, "", ())
            text = f"{_cell_text(s, after)}: {_name(s, m.School, edit.school_id)}"
            return PlacementChange(year, text, write_steps(s, (Step(expected, after),), lambda st: _describe(s, st), text))

    def clear_cell(self, expected: PlacementState) -> PlacementChange:
        """Remove the placement from a cell (undo puts the same record back)."""
        with self._write() as s:
            year = self._check_cell(s, expected.trainee_id, expected.block_id)
            text = f"Clear {_cell_text(s, expected)}"
            return PlacementChange(year, text, write_steps(s, (Step(expected, None),), lambda st: _describe(s, st), text))

    def swap(self, first: PlacementState, second: PlacementState) -> PlacementChange:
        """Exchange the school and mentor of two trainees' placements in the same block.

        Raises:
            ValidationError: different blocks, the same trainee, or a locked placement.
        """
        if first.block_id != second.block_id:
            raise ValidationError.single("block", "a swap is between two trainees in the same block")
        if first.trainee_id == second.trainee_id:
            raise ValidationError.single("trainee", "a swap needs two different trainees")
        with self._write() as s:
            year = self._check_cell(s, first.trainee_id, first.block_id)
            self._check_cell(s, second.trainee_id, second.block_id)
            self._refuse_locked(s, first, second)
            a = replace(first, school_id=second.school_id, mentor_id=second.mentor_id,
                        paired_trainee_id=None)
            b = replace(second, school_id=first.school_id, mentor_id=first.mentor_id, paired_trainee_id=None)
            text = (f"Swap {_name(s, m.Trainee, first.trainee_id)} and {_name(s, m.Trainee, second.trainee_id)} "
                    f"in {_name(s, m.PlacementBlock, first.block_id)}")
            steps = (Step(first, a), Step(second, b))
            return PlacementChange(year, text, write_steps(s, steps, lambda st: _describe(s, st), text))

    def move(self, placement: PlacementState, trainee_id: int, block_id: int) -> PlacementChange:
        """Move a placement to an empty cell (another trainee, or another block of the year).

        Raises:
            ValidationError: the placement is locked, or the target is in another year.
            StaleRecordError: the target cell was filled meanwhile.
        """
        with self._write() as s:
            year = self._check_cell(s, placement.trainee_id, placement.block_id)
            if self._check_cell(s, trainee_id, block_id) != year:
                raise ValidationError.single("block", "a placement moves within its academic year")
            self._refuse_locked(s, placement)
            mentor = placement.mentor_id if block_id == placement.block_id else None
            after = replace(placement, trainee_id=trainee_id, block_id=block_id, mentor_id=mentor,
                            paired_trainee_id=None)
            text = f"Move {_cell_text(s, placement)} to {_cell_text(s, after)}"
            return PlacementChange(year, text, write_steps(s, (Step(placement, after),),
                                                           lambda st: _describe(s, st), text))

    def apply_change(self, change: PlacementChange) -> PlacementChange:
        """Write a change made before (redo), or its reverse (undo), in one transaction.

        Returns:
            The change as written (new placements with their ids).

        Raises:
            StaleRecordError: a placement is no longer as the change expects.
        """
        with self._write() as s:
            return replace(change, steps=write_steps(s, change.steps, lambda st: _describe(s, st), change.text))

    # -- checks -------------------------------------------------------------------------------

    @staticmethod
    def _check_cell(s: Session, trainee_id: int, block_id: int) -> str:
        """The academic year of a cell; the trainee and block must both exist and share it."""
        trainee = s.execute(select(m.Trainee.academic_year_id).where(m.Trainee.id == trainee_id)).first()
        block = s.execute(select(m.PlacementBlock.academic_year_id).where(m.PlacementBlock.id == block_id)).first()
        if trainee is None:
            raise NotFoundError("That trainee no longer exists; somebody may have deleted them.")
        if block is None:
            raise NotFoundError("That placement block no longer exists; somebody may have deleted it.")
        if trainee[0] != block[0]:
            raise ValidationError.single("block", "is in another academic year than the trainee")
        return s.scalar(select(m.AcademicYear.name).where(m.AcademicYear.id == block[0]))  # type: ignore[return-value]

    @staticmethod
    def _check_edit(s: Session, trainee_id: int, year: str, edit: CellEdit) -> None:
        problems = []
        if s.get(m.School, edit.school_id) is None:
            problems.append(("school", "is not a school of this alliance"))
        if edit.mentor_id is not None and s.get(m.Mentor, edit.mentor_id) is None:
            problems.append(("mentor", "is not a mentor on record"))
        if edit.paired_trainee_id is not None:
            partner = s.get(m.Trainee, edit.paired_trainee_id)
            if edit.paired_trainee_id == trainee_id:
                problems.append(("paired_trainee", "a trainee cannot be paired with themselves"))
            elif partner is None or s.get(m.AcademicYear, partner.academic_year_id).name != year:
                problems.append(("paired_trainee", f"is not a trainee of {year}"))
        if not isinstance(edit.status, PlacementStatus):
            problems.append(("status", "is not a placement status"))
        if len(edit.notes) > 2000:
            problems.append(("notes", "are longer than 2,000 characters"))
        if problems:
            raise ValidationError([FieldProblem(f, msg) for f, msg in problems], kind="placements")

    @staticmethod
    def _refuse_locked(s: Session, *placements: PlacementState) -> None:
        for p in placements:
            if p.locked:
                raise ConflictError(f"The placement of {_describe(s, p)} is locked: unlock it in the "
                                    "cell editor before moving it.")


def _name(s: Session, model, record_id: int | None) -> str:
    if record_id is None:
        return ""
    if model is m.Trainee:
        row = s.execute(select(m.Trainee.first_names, m.Trainee.last_name).where(m.Trainee.id == record_id)).first()
        return f"{row[0]} {row[1]}" if row else f"trainee #{record_id}"
    name = s.scalar(select(model.name).where(model.id == record_id))
    return name or f"#{record_id}"


def _describe(s: Session, state: PlacementState) -> str:
    """"Amy Baker in Autumn block A", for messages."""
    return f"{_name(s, m.Trainee, state.trainee_id)} in {_name(s, m.PlacementBlock, state.block_id)}"


def _cell_text(s: Session, state: PlacementState) -> str:
    """"Amy Baker, Autumn block A", for the undo menu."""
    return f"{_name(s, m.Trainee, state.trainee_id)}, {_name(s, m.PlacementBlock, state.block_id)}"
