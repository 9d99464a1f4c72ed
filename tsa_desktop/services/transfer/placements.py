"""Importing placements: a trainee of the year, in a block of that year, at a school, with a
mentor of that school."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import PlacementStatus
from tsa_desktop.formats.schemas import PlacementRecord, fold_key
from tsa_desktop.services.transfer.base import Importer, accepted_list, school_problem

PLACEMENT_DEFAULTS: dict[str, Any] = {
    "mentor_id": None, "status": PlacementStatus.PROPOSED.code, "locked": False, "paired_trainee_id": None,
    "notes": "", "letter_produced_at": None, "letter_fingerprint": None, "school_letter_produced_at": None,
    "school_letter_fingerprint": None, "version": 1,
}


class PlacementImporter(Importer):
    """Placements matched on trainee, academic year and block name."""

    kind = "placements"
    table = m.Placement.__table__

    def plan(self) -> None:
        t = self.table
        stored = self.stored(select(t.c.id, t.c.version, t.c.trainee_id, t.c.block_id, t.c.school_id,
                                    t.c.mentor_id, t.c.status),
                             lambda r: (r["trainee_id"], r["block_id"]))
        trainees = {code: (tid, year_id) for tid, code, year_id in self.s.execute(
            select(m.Trainee.id, m.Trainee.trainee_id, m.Trainee.academic_year_id))}
        self._load_blocks()
        year_names = {v: k for k, v in self.lookups.years.items()}
        has_mentor, has_status = "mentor_email" in self.present, "status" in self.present
        records: list[PlacementRecord] = self.records
        for r in records:
            year_id = self.lookups.year_id(r.academic_year)
            if year_id is None:
                self.problems.add(r.row, "academic_year", f"there is no academic year {r.academic_year} in "
                                  "this file; import its allocations and trainees first", r.academic_year)
            trainee = trainees.get(r.trainee_id)
            if trainee is None:
                self.problems.add(r.row, "trainee_id", "no trainee has this id; import the trainees first",
                                  r.trainee_id)
            elif year_id is not None and trainee[1] != year_id:
                self.problems.add(r.row, "trainee_id", f"this trainee trains in {year_names.get(trainee[1])}, "
                                  f"not in {r.academic_year}", r.trainee_id)
                trainee = None
            block_id = self._block(r, year_id)
            school_id = school_problem(self.problems, self.lookups, r.row, "school_urn", r.school_urn)
            if trainee is None or block_id is None or school_id is None:
                continue
            current = stored.get((trainee[0], block_id))
            mentor_id = self._mentor(r, school_id, current, has_mentor)
            if mentor_id is False:
                continue
            values: dict[str, Any] = {"trainee_id": trainee[0], "block_id": block_id, "school_id": school_id}
            if has_mentor:
                values["mentor_id"] = mentor_id
            if has_status:
                values["status"] = (r.status.code if r.status is not None else
                                    current["status"] if current is not None else PlacementStatus.PROPOSED.code)
            self.changes.sort(current, values, PLACEMENT_DEFAULTS)

    def _load_blocks(self) -> None:
        self._blocks: dict[tuple[int, str], int] = {}
        self._block_names: dict[int, list[str]] = defaultdict(list)
        for block_id, year_id, name in self.s.execute(
                select(m.PlacementBlock.id, m.PlacementBlock.academic_year_id, m.PlacementBlock.name)
                .order_by(m.PlacementBlock.position, m.PlacementBlock.start_date)):
            self._blocks[(year_id, fold_key(name))] = block_id
            self._block_names[year_id].append(name)

    def _block(self, r: PlacementRecord, year_id: int | None) -> int | None:
        if year_id is None:
            return None
        block_id = self._blocks.get((year_id, fold_key(r.block)))
        if block_id is None:
            self.problems.add(r.row, "block", f"{r.academic_year} has no placement block of this name; its "
                              f"blocks: {accepted_list(self._block_names.get(year_id, []))}", r.block)
        return block_id

    def _mentor(self, r: PlacementRecord, school_id: int, current: dict[str, Any] | None,
                has_mentor: bool) -> int | None | bool:
        """The mentor's id (None for none); False, with a problem, when it cannot be."""
        mentors = self.lookups.mentors
        if has_mentor:
            if r.mentor_email is None:
                return None
            found = mentors.get(r.mentor_email)
            if found is None:
                self.problems.add(r.row, "mentor_email", "no mentor has this email; import the mentors first",
                                  r.mentor_email)
                return False
            if found[1] != school_id:
                self.problems.add(r.row, "mentor_email", f"{found[2]} is a mentor at {self._school(found[1])}, "
                                  f"not at the school of URN {r.school_urn}", r.mentor_email)
                return False
            return found[0]
        if current is None or current["mentor_id"] is None:
            return None
        # No mentor column: the stored mentor stays, and must still be at the placement's school.
        keeper = self.lookups.mentors_by_id.get(current["mentor_id"])
        if keeper is not None and keeper[1] != school_id:
            self.problems.add(r.row, "school_urn", f"the placement's mentor, {keeper[2]}, is at "
                              f"{self._school(keeper[1])}; add a mentor_email column to change the mentor "
                              "with the school", r.school_urn)
            return False
        return current["mentor_id"]

    def _school(self, school_id: int) -> str:
        return self.lookups.school_names.get(school_id, "another school")
