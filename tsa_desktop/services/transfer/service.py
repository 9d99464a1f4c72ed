"""Import and export of every kind: the use cases behind ``tsa-desktop import/export`` and the
window's import dialog.

An import is all or nothing. The file is read and parsed (the formats layer finds every problem
one file shows on its own), then each record is checked against the database (does the school
exist, is the block one of that year's); only when no row has any problem is anything written,
in one transaction, with bulk statements. Every problem comes back at once in one
ValidationError naming the file, and each problem its row, column and reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.db.audit import record_import
from tsa_desktop.domain.errors import FieldProblem, ValidationError
from tsa_desktop.domain.progress import SILENT, Progress
from tsa_desktop.domain.values import academic_year_of, parse_academic_year
from tsa_desktop.formats.schemas import (
    EXPORT_COLUMNS,
    EXPORT_KINDS,
    KINDS,
    REGISTER_PLACEMENT_COLUMNS,
    REGISTER_PLACEMENTS,
    REGISTER_PLACEMENTS_CSV_BOM,
    ParseResult,
    export_rows,
    parse_table,
    register_placement_rows,
)
from tsa_desktop.formats.schemas_links import SCHOOL_LINKS
from tsa_desktop.formats.tabular import Table, read_table, write_table
from tsa_desktop.services.base import Service
from tsa_desktop.services.transfer import export
from tsa_desktop.services.reference.postcodes import PostcodeDirectory, directory
from tsa_desktop.services.transfer.base import Importer, paused_gc
from tsa_desktop.services.transfer.induction import EctImporter, NqtImporter
from tsa_desktop.services.transfer.links import LinkReport, apply_links
from tsa_desktop.services.transfer.locate import FileLocations
from tsa_desktop.services.transfer.people import MentorImporter
from tsa_desktop.services.transfer.placements import PlacementImporter
from tsa_desktop.services.transfer.places import AllocationImporter, ProviderImporter, SchoolImporter
from tsa_desktop.services.transfer.reports import ExportReport, ImportPreview, ImportReport
from tsa_desktop.services.transfer.trainees import TraineeImporter

log = logging.getLogger(__name__)

IMPORTERS: dict[str, type[Importer]] = {
    "schools": SchoolImporter, "providers": ProviderImporter, "allocations": AllocationImporter,
    "trainees": TraineeImporter, "mentors": MentorImporter, "placements": PlacementImporter,
    "nqts": NqtImporter, "ects": EctImporter,
}

#: The kinds an import takes, in the order they depend on one another.
IMPORT_KINDS: tuple[str, ...] = KINDS

_STEPS = 4


def _kind(kind: str, accepted: tuple[str, ...], what: str) -> str:
    clean = kind.strip().lower() if isinstance(kind, str) else ""
    if clean not in accepted:
        raise ValidationError.single("kind", f"unknown {what} kind; accepted: {', '.join(accepted)}", kind)
    return clean


class TransferService(Service):
    """Use cases for importing and exporting files of every kind.

    With sign-in turned on, importing (and checking a file for import) needs the "import"
    permission and exporting the "export" one (services/users.py).
    """

    #: The permission a signed-in user needs for this service's changes.
    permission = "import"

    def __init__(self, db, postcodes: PostcodeDirectory | None = None) -> None:
        super().__init__(db)
        self._postcodes = postcodes

    @property
    def postcodes(self) -> PostcodeDirectory:
        """The computer's postcode directory, for locating rows with a postcode only."""
        if self._postcodes is None:
            self._postcodes = directory()
        return self._postcodes

    def _allowed(self, action: str) -> None:
        permissions = getattr(self.db, "permissions", None)
        if permissions is not None:
            permissions.require(action)

    def import_file(self, kind: str, path: str | os.PathLike[str], progress: Progress = SILENT,
                    dry_run: bool = False) -> ImportReport:
        """Import a .csv or .xlsx file of one kind, all or nothing.

        Rows are matched on their kind's key: a match is updated (only in the columns the file
        has), anything else is added. Importing the same file again changes nothing.

        Args:
            kind: schools, providers, allocations, trainees, mentors, placements, nqts or ects.
            path: The file.
            progress: Told how far the import is; cancelling stops it before anything is saved.
            dry_run: Check everything and count what would change, but write nothing.

        Returns:
            How many records were added, updated and left unchanged, and notes.

        Raises:
            ValidationError: the kind is unknown, the file cannot be used, or rows have problems:
                every problem, with row, column and reason; nothing was changed.
            CancelledError: cancelled; nothing was changed.
        """
        kind = _kind(kind, IMPORT_KINDS, "import")
        self._allowed("import")
        with paused_gc():
            return self._import(kind, os.fspath(path), progress, dry_run)

    def _import(self, kind: str, source: str, progress: Progress, dry_run: bool) -> ImportReport:
        progress.report(0, _STEPS, f"Reading {Path(source).name}…")
        table = read_table(source)
        progress.check()
        parsed = parse_table(kind, table)
        progress.report(1, _STEPS, f"Checking {len(table):,} rows…")
        located = FileLocations(kind, parsed, self.postcodes)
        parsed = located.parsed
        progress.check()
        if dry_run:
            with self._read() as s:
                return self._plan(s, kind, table, parsed, dry_run=True, notes=located.notes)[1]
        with self._write() as s:
            importer, report = self._plan(s, kind, table, parsed, dry_run=False, notes=located.notes)
            progress.check()
            progress.report(2, _STEPS, f"Saving {report.added + report.updated:,} changes…")
            importer.apply()
            located.apply(s)
            if report.changed:
                _audit(s, importer, report)
            progress.report(3, _STEPS, "Saving…")
            # The last moment to stop: after the commit the import is done.
            progress.check()
        progress.report(_STEPS, _STEPS, report.summary())
        log.info("%s", report.summary())
        return report

    def import_school_links(self, path: str | os.PathLike[str]) -> LinkReport:
        """Import a GIAS links file: each school that GIAS says was succeeded moves onto its new
        URN (services/transfer/links.py); all or nothing.

        Raises:
            ValidationError: the file cannot be used or has bad rows; nothing was changed.
        """
        self._allowed("import")
        source = os.fspath(path)
        parsed = SCHOOL_LINKS.parse(read_table(source))
        parsed.raise_if_problems()
        with self._write() as s:
            report = apply_links(s, parsed.records, source, dt.date.today())
        log.info("%s", report.summary())
        return report

    def preview(self, kind: str, path: str | os.PathLike[str], limit: int = 100) -> ImportPreview:
        """Check a file for import without importing it: its first rows and every problem.

        Problems in the file come back in the preview rather than raised, so that a dialog can
        list them.

        Args:
            kind: The import kind.
            path: The file.
            limit: How many rows to return for showing.

        Raises:
            ValidationError: only for an unknown kind.
        """
        kind = _kind(kind, IMPORT_KINDS, "import")
        self._allowed("import")
        with paused_gc():
            return self._preview(kind, os.fspath(path), limit)

    def _preview(self, kind: str, source: str, limit: int) -> ImportPreview:
        try:
            table = read_table(source)
        except ValidationError as exc:
            return ImportPreview(kind, source, (), (), 0, tuple(exc.problems))
        keys = table.keys
        headers = tuple(table.header_for(k) or k for k in keys)
        columns = [table.columns[k] for k in keys]
        rows = tuple((number, tuple(c[i] for c in columns))
                     for i, number in enumerate(table.numbers[:limit]))
        parsed = parse_table(kind, table)
        located = FileLocations(kind, parsed, self.postcodes)
        try:
            with self._read() as s:
                report = self._plan(s, kind, table, located.parsed, dry_run=True, notes=located.notes)[1]
        except ValidationError as exc:
            return ImportPreview(kind, source, headers, rows, len(table), tuple(exc.problems))
        return ImportPreview(kind, source, headers, rows, len(table), (), report)

    def export_file(self, kind: str, path: str | os.PathLike[str], year: str | None = None) -> ExportReport:
        """Write one kind to a .csv or .xlsx file (chosen by its ending), in its import columns.

        Args:
            kind: An import kind, or register-placements (Register trainee teachers' bulk
                placement CSV).
            path: The file to write.
            year: Only this academic year's allocations, trainees, placements or NQTs; None for
                every year (register-placements: the current year).

        Raises:
            ValidationError: unknown kind, a year written wrongly, or a file that cannot be
                written; nothing was written.
        """
        kind = _kind(kind, EXPORT_KINDS, "export")
        self._allowed("export")
        year = _year(year) if year else None
        target = os.fspath(path)
        if kind == REGISTER_PLACEMENTS:
            return self._export_register(target, year)
        with self._read() as s:
            records = export.READERS[kind](s, year)
        count = write_table(target, EXPORT_COLUMNS[kind], export_rows(kind, records))
        return ExportReport(kind, target, count)

    # --- internals ----------------------------------------------------------------------------------

    def _plan(self, s: Session, kind: str, table: Table, parsed: ParseResult[Any],
              dry_run: bool, notes: list[str] = ()) -> tuple[Importer, ImportReport]:
        """Check the records against the database; raise every problem of the file at once."""
        source = parsed.source
        importer = IMPORTERS[kind](s, parsed, table, Path(source).name, dt.date.today())
        if parsed.records:
            importer.plan()
        problems = _by_row(list(parsed.problems) + importer.problems.found)
        if problems:
            raise ValidationError(problems, source=source)
        changes = importer.changes
        report = ImportReport(
            kind=kind, source=source, added=changes.added, updated=changes.updated,
            unchanged=changes.unchanged, skipped=tuple(parsed.skipped),
            ignored_columns=tuple(parsed.ignored_columns), notes=(*importer.notes, *notes), dry_run=dry_run)
        return importer, report

    def _export_register(self, target: str, year: str | None) -> ExportReport:
        if Path(target).suffix.lower() != ".csv":
            raise ValidationError(FieldProblem(
                "file", "Register trainee teachers takes its placement upload as CSV: name the file .csv"),
                source=target)
        with self._read() as s:
            if year is None:
                year = _current_year(s)
            entries = export.register_placements(s, year)
        rows, left_out = register_placement_rows(entries)
        count = write_table(target, REGISTER_PLACEMENT_COLUMNS, rows, bom=REGISTER_PLACEMENTS_CSV_BOM)
        return ExportReport(REGISTER_PLACEMENTS, target, count, tuple(left_out))


def _by_row(problems: list[FieldProblem]) -> list[FieldProblem]:
    """Problems in row order (the file's own first within a row), each once."""
    seen: set[FieldProblem] = set()
    unique = [p for p in problems if not (p in seen or seen.add(p))]
    return sorted(unique, key=lambda p: p.row or 0)


def _current_year(s: Session) -> str:
    """Today's academic year if the file has it, else its newest."""
    names = list(s.scalars(select(m.AcademicYear.name).order_by(m.AcademicYear.name.desc())))
    this = academic_year_of(dt.date.today())
    return this if this in names or not names else names[0]


def _audit(s: Session, importer: Any, report: ImportReport) -> None:
    """The import in the audit trail: one entry for the file, one for each record it changed,
    before and after."""
    changes = importer.changes
    record_import(s, importer.table.name, f"Imported {report.kind} from {report.file_name}: {report.counts()}",
                  changes.changed_fields, changes.added_ids)


def _year(text: str) -> str:
    """An academic year as typed (2025/26), checked: a ValidationError says what is accepted."""
    try:
        return parse_academic_year(text)
    except ValueError as exc:
        raise ValidationError.single("year", str(exc), text) from None
