"""Packs for every mentor at once: a PDF, an .ics calendar and an email draft for each mentor with
placements in the year, and an index.csv for a mail merge.

``index.csv`` has the columns ``mentor, email, pdf, ics`` (the promise in INTERFACES.md), with the
files' full paths, so a mail merge can attach them. Each mentor's email draft (.eml, addressed to
the mentor, the PDF and calendar attached) opens in Outlook or Thunderbird ready to send.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import PlacementStatus
from tsa_desktop.domain.errors import NotFoundError, ValidationError
from tsa_desktop.domain.progress import SILENT, Progress
from tsa_desktop.services.base import Service
from tsa_desktop.services.mentors.pool import resolve_year
from tsa_desktop.services.mentors.view import MentorViewService

#: The columns of index.csv, in order (INTERFACES.md).
INDEX_COLUMNS = ("mentor", "email", "pdf", "ics")
INDEX_NAME = "index.csv"


@dataclass(frozen=True)
class PackFiles:
    """The files written for one mentor."""

    mentor_name: str
    mentor_email: str
    pdf: Path
    calendar: Path
    email: Path


@dataclass(frozen=True)
class AllPacks:
    """What a run for every mentor wrote."""

    academic_year: str
    folder: Path
    packs: tuple[PackFiles, ...]
    index: Path | None

    def __str__(self) -> str:
        if not self.packs:
            return f"No mentor has placements in {self.academic_year}: no packs were written."
        count = len(self.packs)
        return (f"Wrote packs for {count} mentor{'s' if count != 1 else ''} ({self.academic_year})"
                f" to {self.folder}: a PDF, a calendar and an email draft each, and "
                f"{INDEX_NAME} for a mail merge")


class MentorPacksService(Service):
    """Use case: every mentor's pack for a year, ready to send."""

    def __init__(self, db, view: MentorViewService | None = None) -> None:
        super().__init__(db)
        self._view = view or MentorViewService(db)

    def mentors_with_placements(self, year: str | None = None,
                                today: dt.date | None = None) -> tuple[str, list[int]]:
        """The academic year's name and the ids of the mentors placed with trainees in it.

        Raises:
            NotFoundError: no such year, or a file without years.
        """
        today = today or dt.date.today()
        with self._read() as s:
            academic_year = resolve_year(s, year, today)
            if academic_year is None:
                raise NotFoundError("This file has no academic years yet, so no placements.")
            ids = s.scalars(
                select(m.Placement.mentor_id).distinct()
                .join(m.PlacementBlock, m.PlacementBlock.id == m.Placement.block_id)
                .join(m.Mentor, m.Mentor.id == m.Placement.mentor_id)
                .where(m.PlacementBlock.academic_year_id == academic_year.id,
                       m.Placement.status != PlacementStatus.CANCELLED.code)
                .order_by(m.Placement.mentor_id)).all()
            mentors = {row.id: row
                       for row in s.scalars(select(m.Mentor).where(m.Mentor.id.in_(ids)))}
            ordered = sorted(ids, key=lambda i: (mentors[i].last_name.casefold(),
                                                 mentors[i].first_name.casefold(), i))
            return academic_year.name, ordered

    def write_all(self, out_dir: str | Path, year: str | None = None,
                  today: dt.date | None = None, progress: Progress = SILENT) -> AllPacks:
        """Write every mentor's pack, calendar and email draft into a folder, then index.csv.

        Files of the same name are replaced (calendars keep their events' UIDs). Each file is
        written whole or not at all; index.csv is written last, so it lists only packs that
        are complete.

        Raises:
            ValidationError: ``out_dir`` is a file or cannot be created. NotFoundError: no such
            year. CancelledError: cancelled; packs already complete are left, with no index.
        """
        from tsa_desktop.formats.calendar import write_mentor_calendar
        from tsa_desktop.formats.letters.draft import write_mentor_pack_email
        from tsa_desktop.formats.letters.names import safe_file_name
        from tsa_desktop.formats.letters.pack import write_mentor_pack
        from tsa_desktop.formats.tabular_write import write_table

        today = today or dt.date.today()
        folder = Path(out_dir)
        if folder.exists() and not folder.is_dir():
            raise ValidationError.single("output folder", "is a file; give a folder for the packs",
                                         str(folder))
        year_name, mentor_ids = self.mentors_with_placements(year, today)
        if not mentor_ids:
            return AllPacks(year_name, folder, (), None)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ValidationError.single("output folder", f"cannot be created ({exc.strerror})",
                                         str(folder)) from None
        letterhead = self._view.letterhead()
        namespace = self._view.calendar_namespace()
        used: set[str] = set()
        written: list[PackFiles] = []
        total = len(mentor_ids)
        for done, mentor_id in enumerate(mentor_ids):
            progress.check()
            pack = self._view.pack(mentor_id, year_name, today)
            progress.report(done, total, f"Mentor {done + 1} of {total}: {pack.mentor_name}")
            stem = _unique(safe_file_name(f"Mentor pack {year_name.replace('/', '-')} - "
                                          f"{pack.mentor_name}", ""), used)
            pdf = write_mentor_pack(folder / f"{stem}.pdf", pack, letterhead)
            ics = write_mentor_calendar(folder / f"{stem}.ics", pack, namespace)
            eml = write_mentor_pack_email(folder / f"{stem}.eml", pack, letterhead, pdf, ics)
            written.append(PackFiles(pack.mentor_name, pack.mentor_email, pdf.resolve(),
                                     ics.resolve(), eml.resolve()))
        progress.check()
        index = folder / INDEX_NAME
        write_table(index, INDEX_COLUMNS,
                    [(p.mentor_name, p.mentor_email, str(p.pdf), str(p.calendar)) for p in written])
        progress.report(total, total, "Done")
        return AllPacks(year_name, folder, tuple(written), index)


def _unique(stem: str, used: set[str]) -> str:
    """``stem``, or ``stem (2)``... when two mentors share a name (case ignored, as Windows)."""
    name, n = stem, 1
    while name.casefold() in used:
        n += 1
        name = f"{stem} ({n})"
    used.add(name.casefold())
    return name
