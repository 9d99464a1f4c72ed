"""``tsa-desktop import KIND FILE`` and ``tsa-desktop export KIND FILE [--year Y]``.

Import is all or nothing: a file with any bad row imports nothing, and every problem is printed
on stderr, one a line, as ``FILE: row N, COLUMN: reason``, with exit code 2. Export chooses CSV
or XLSX by the file's ending; a register-placements export that had to leave trainees out lists
them on stderr and exits 1 (the file was written; those trainees need adding by hand).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from typing import Any

from tsa_desktop.cli.common import open_for
from tsa_desktop.domain.errors import ValidationError
from tsa_desktop.formats.schemas import EXPORT_KINDS, KINDS

EXIT_BAD_INPUT, EXIT_PROBLEMS = 2, 1

#: Kinds imported by a service of their own rather than as records of the file.
POSTCODES, SCHOOL_LINKS = "postcodes", "school-links"
OTHER_KINDS = (POSTCODES, SCHOOL_LINKS)
IMPORT_CHOICES = (*KINDS, *OTHER_KINDS)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``import`` and ``export`` sub-commands."""
    p = sub.add_parser(
        "import", parents=[common], help="import a .csv or .xlsx file of one kind, all or nothing",
        description="Import a .csv or .xlsx file. Rows are matched on their key and updated, others "
                    "added; a file with any bad row imports nothing and every problem is listed. "
                    "Import in this order: " + ", ".join(KINDS) + ". postcodes loads a postcode "
                    "directory (the ONS Postcode Directory CSV or a Code-Point Open .zip) once for "
                    "this computer and locates the file's trainees and schools from it; school-links "
                    "reads a GIAS links file and moves each succeeded school onto its new URN.")
    p.add_argument("kind", choices=IMPORT_CHOICES, metavar="KIND", help="one of: " + ", ".join(IMPORT_CHOICES))
    p.add_argument("file", metavar="FILE", help="the .csv or .xlsx file (postcodes: .csv or .zip)")
    p.set_defaults(func=run_import)

    p = sub.add_parser(
        "export", parents=[common], help="export one kind to a .csv or .xlsx file",
        description="Write the records of one kind in the columns its import takes (CSV or XLSX by "
                    "the file's ending), or Register trainee teachers' bulk placement CSV.")
    p.add_argument("kind", choices=EXPORT_KINDS, metavar="KIND", help="one of: " + ", ".join(EXPORT_KINDS))
    p.add_argument("file", metavar="FILE", help="the file to write, ending .csv or .xlsx (a folder that "
                                                "does not exist is created)")
    p.add_argument("--year", help="only this academic year, e.g. 2025/26 (register-placements: default "
                                  "the current one)")
    p.set_defaults(func=run_export)


def run_import(args: argparse.Namespace) -> int:
    if args.kind == POSTCODES:
        return _import(args, lambda ws: ws.locations.load_directory(args.file),
                       lambda report: report.located.not_found)
    if args.kind == SCHOOL_LINKS:
        return _import(args, lambda ws: ws.transfer.import_school_links(args.file), lambda report: report.moved)
    return _import(args, lambda ws: ws.transfer.import_file(args.kind, args.file),
                   lambda report: [f"{report.file_name}: {line}" for line in report.details()])


def _import(args: argparse.Namespace, load: Callable[[Any], Any], notes: Callable[[Any], Iterable[str]]) -> int:
    """Import a file through ``load``: its summary on stdout, ``notes`` of it on stderr."""
    ws = open_for(args, need=("import",))
    try:
        report = load(ws)
    except ValidationError as exc:
        return _refused(exc, args.file)
    finally:
        ws.close()
    print(report.summary())
    for line in notes(report):
        print(line, file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace) -> int:
    ws = open_for(args, read_only=True, need=("export",))
    try:
        report = ws.transfer.export_file(args.kind, args.file, year=args.year)
    finally:
        ws.close()
    print(report.summary())
    for line in report.details():
        print(f"left out: {line}", file=sys.stderr)
    return EXIT_PROBLEMS if report.left_out else 0


def _refused(exc: ValidationError, file: str) -> int:
    """Every problem on stderr, one a line, each naming the file."""
    source = exc.source or file
    count = len(exc.problems)
    print(f"tsa-desktop import: {source}: {count} problem{'' if count == 1 else 's'}, nothing was changed",
          file=sys.stderr)
    for problem in exc.problems:
        print(f"{source}: {problem}", file=sys.stderr)
    return EXIT_BAD_INPUT
