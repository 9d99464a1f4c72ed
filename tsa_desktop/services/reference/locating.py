"""Locating trainees' homes and schools from their postcodes, with the computer's directory.

A trainee or school with a postcode but no easting and northing is located when it is imported
and again whenever a postcode directory is loaded. The alliance file keeps the coordinates it
resolved, so it does not need the directory afterwards (on another computer, in a backup).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.domain.progress import SILENT, Progress
from tsa_desktop.services.base import Service
from tsa_desktop.services.reference.postcodes import (
    DirectoryInfo,
    PostcodeDirectory,
    directory,
    locations,
    not_found_note,
)


@dataclass(frozen=True)
class LocateReport:
    """What locating did in one alliance file.

    Attributes:
        trainees: Trainees given coordinates.
        schools: Schools given coordinates.
        not_found: One warning per trainee or school whose postcode the directory lacks.
        directory_loaded: False when no directory is loaded on this computer (nothing located).
    """

    trainees: int = 0
    schools: int = 0
    not_found: tuple[str, ...] = ()
    directory_loaded: bool = True

    def summary(self) -> str:
        """One line: ``located 12 trainees and 3 schools; 2 postcodes not found``."""
        if not self.directory_loaded:
            return "no postcode directory is loaded on this computer: nothing was located"
        text = f"located {self.trainees:,} trainee{'' if self.trainees == 1 else 's'} and " \
               f"{self.schools:,} school{'' if self.schools == 1 else 's'}"
        if self.not_found:
            text += f"; {len(self.not_found):,} postcode{'' if len(self.not_found) == 1 else 's'} not found"
        return text


@dataclass(frozen=True)
class DirectoryLoadReport:
    """A postcode directory loaded, and what it located in the open alliance file."""

    info: DirectoryInfo
    located: LocateReport

    def summary(self) -> str:
        """One line for the command line and the window's status bar."""
        return f"loaded postcode directory {self.info.describe()}; {self.located.summary()}"


def locate_missing(s: Session, found_in: PostcodeDirectory) -> LocateReport:
    """Give coordinates to every trainee and school that has a postcode but none, in one go.

    Each record changed moves its version on, as any edit does.
    """
    if not found_in.loaded:
        return LocateReport(directory_loaded=False)
    t, sc = m.Trainee, m.School
    trainees = s.execute(select(t.id, t.trainee_id, t.first_names, t.last_name, t.home_postcode)
                         .where(t.home_postcode != "", t.home_easting.is_(None),
                                t.anonymised_at.is_(None)).order_by(t.id)).all()
    schools = s.execute(select(sc.id, sc.urn, sc.name, sc.postcode)
                        .where(sc.postcode != "", sc.easting.is_(None)).order_by(sc.id)).all()
    where = locations(found_in, [r.home_postcode for r in trainees] + [r.postcode for r in schools])
    notes: list[str] = []
    trainee_rows, school_rows = [], []
    for r in trainees:
        xy = where.get(r.home_postcode)
        if xy is None:
            notes.append(not_found_note(f"trainee {r.trainee_id} ({r.first_names} {r.last_name})", r.home_postcode))
        else:
            trainee_rows.append({"_id": r.id, "e": xy[0], "n": xy[1]})
    for r in schools:
        xy = where.get(r.postcode)
        if xy is None:
            notes.append(not_found_note(f"school {r.name} ({r.urn})", r.postcode))
        else:
            school_rows.append({"_id": r.id, "e": xy[0], "n": xy[1]})
    connection = s.connection()
    if trainee_rows:
        tt = t.__table__
        connection.execute(update(tt).where(tt.c.id == bindparam("_id")).values(
            home_easting=bindparam("e"), home_northing=bindparam("n"), version=tt.c.version + 1), trainee_rows)
    if school_rows:
        st = sc.__table__
        connection.execute(update(st).where(st.c.id == bindparam("_id")).values(
            easting=bindparam("e"), northing=bindparam("n"), version=st.c.version + 1), school_rows)
    return LocateReport(len(trainee_rows), len(school_rows), tuple(notes))


class LocationService(Service):
    """The computer's postcode directory, and locating the open file's trainees and schools.

    Loading a directory needs the "import" permission when sign-in is on.
    """

    permission = "import"

    def __init__(self, db, found_in: PostcodeDirectory | None = None) -> None:
        super().__init__(db)
        self._directory = found_in

    @property
    def directory(self) -> PostcodeDirectory:
        """The postcode directory of this computer."""
        if self._directory is None:
            self._directory = directory()
        return self._directory

    def info(self) -> DirectoryInfo | None:
        """What directory is loaded on this computer, or None."""
        return self.directory.info()

    def load_directory(self, path: str | os.PathLike[str], progress: Progress = SILENT) -> DirectoryLoadReport:
        """Load an ONSPD CSV or Code-Point Open .zip, then locate whatever the file lacks.

        The directory is kept even when the alliance file is read-only (it belongs to the
        computer); locating then waits for the next time the file is opened for editing.

        Raises:
            ValidationError: the file cannot be used; nothing changed.
            CancelledError: cancelled before the directory was replaced.
        """
        self._require("import")
        info = self.directory.load(path, progress)
        if self.db.read_only:
            return DirectoryLoadReport(info, LocateReport())
        return DirectoryLoadReport(info, self.locate())

    def locate(self) -> LocateReport:
        """Locate every trainee and school with a postcode but no coordinates."""
        with self._write() as s:
            return locate_missing(s, self.directory)
