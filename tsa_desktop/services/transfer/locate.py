"""Trainee and school files located from the postcode directory as they are imported.

A row with a postcode and no easting and northing gets the directory's grid reference. Where the
file has the easting and northing columns (left empty on that row), the record is filled in
before it is compared with what is stored, so that importing the same file again changes nothing.
Where the file has no such columns, the rows are located after they are written. A postcode the
directory lacks is a warning naming the row; the row is still imported.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.formats.schemas import ParseResult
from tsa_desktop.services.reference.postcodes import PostcodeDirectory, locations

#: kind -> (postcode field, easting field, northing field, key field) of its records.
_FIELDS = {
    "trainees": ("home_postcode", "home_easting", "home_northing", "trainee_id"),
    "schools": ("postcode", "easting", "northing", "urn"),
}
_TABLES = {"trainees": (m.Trainee.__table__, "trainee_id"), "schools": (m.School.__table__, "urn")}


class FileLocations:
    """The grid references a trainee or school file's rows get from the postcode directory.

    Attributes:
        parsed: The file's records, filled in where the file has coordinate columns.
        notes: Warnings for postcodes the directory lacks (naming the row), or that none is loaded.
        located: Record key -> (easting, northing), for rows to locate after writing.
    """

    def __init__(self, kind: str, parsed: ParseResult[Any], found_in: PostcodeDirectory) -> None:
        self.kind = kind
        self.parsed = parsed
        self.notes: list[str] = []
        self.located: dict[Any, tuple[int, int]] = {}
        fields = _FIELDS.get(kind)
        if fields is None or not parsed.records:
            return
        postcode, east, north, key = fields
        if postcode not in parsed.present_fields:
            return
        wanting = [r for r in parsed.records
                   if getattr(r, postcode) and getattr(r, east) is None and getattr(r, north) is None]
        if not wanting:
            return
        if not found_in.loaded:
            self.notes.append(
                f"{len(wanting):,} postcode{'' if len(wanting) == 1 else 's'} without an easting and "
                "northing could not be located: no postcode directory is loaded on this computer. "
                "Load the ONS Postcode Directory or Code-Point Open, and they are located then")
            return
        where = locations(found_in, [getattr(r, postcode) for r in wanting])
        fill = east in parsed.present_fields
        filled: dict[int, Any] = {}
        for r in wanting:
            xy = where.get(getattr(r, postcode))
            if xy is None:
                self.notes.append(f"row {r.row}: postcode {getattr(r, postcode)} is not in the postcode "
                                  "directory, so journeys from it are unknown; check the postcode, or give "
                                  "the easting and northing")
            elif fill:
                filled[id(r)] = dataclasses.replace(r, **{east: xy[0], north: xy[1]})
            else:
                self.located[getattr(r, key)] = xy
        if filled:
            records = [filled.get(id(r), r) for r in parsed.records]
            self.parsed = dataclasses.replace(parsed, records=records)

    def apply(self, s: Session) -> int:
        """Write the coordinates of rows located after writing; returns how many changed."""
        if not self.located:
            return 0
        table, key_column = _TABLES[self.kind]
        east_c, north_c = ("home_easting", "home_northing") if self.kind == "trainees" else ("easting", "northing")
        keys = list(self.located)
        changed = []
        for start in range(0, len(keys), 500):
            for rid, key, e, n in s.execute(select(table.c.id, table.c[key_column], table.c[east_c], table.c[north_c])
                                            .where(table.c[key_column].in_(keys[start:start + 500]))):
                xy = self.located.get(key)
                if xy is not None and (e, n) != xy:
                    changed.append({"_id": rid, "e": xy[0], "n": xy[1]})
        if changed:
            s.connection().execute(update(table).where(table.c.id == bindparam("_id")).values(
                {east_c: bindparam("e"), north_c: bindparam("n"), "version": table.c.version + 1}), changed)
        return len(changed)
