"""``tsa-desktop backup``, ``restore``, ``verify`` and ``retention``: keeping the data safe."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from tsa_desktop.cli import EXIT_OK, EXIT_PROBLEMS
from tsa_desktop.cli.common import open_for
from tsa_desktop.domain.errors import ValidationError


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("backup", parents=[common], help="make a consistent copy of the database",
                       description="Copy the database consistently (even while you have it open "
                                   "in the window on this computer) into FILE, a SQLite file; a "
                                   "server database is copied into a SQLite file too.")
    p.add_argument("--out", required=True, metavar="FILE",
                   help="the backup file to write (a folder that does not exist is created)")
    p.set_defaults(func=run_backup)

    p = sub.add_parser("restore", parents=[common], help="replace the database with a checked backup",
                       description="Check FILE fully, keep a copy of what the database holds now, "
                                   "then replace it with FILE. Nothing changes if FILE fails its check.")
    p.add_argument("file", metavar="FILE", help="the backup to restore")
    p.set_defaults(func=run_restore)

    p = sub.add_parser("verify", parents=[common], help="check a database or backup file for damage",
                       description="Run SQLite's full integrity check on the database (or on FILE). "
                                   "Exit 0 when it is whole, 1 when it is damaged.")
    p.add_argument("file", metavar="FILE", nargs="?", help="a backup file (default: the database)")
    p.set_defaults(func=run_verify)

    p = sub.add_parser("retention", parents=[common],
                       help="list, or with --apply anonymise, trainees and NQTs past the retention period")
    p.add_argument("--apply", action="store_true", help="anonymise them (otherwise only list them)")
    p.add_argument("--as-of", metavar="DATE", help="count the years back from this date (default: today)")
    p.set_defaults(func=run_retention)


def run_backup(args: argparse.Namespace) -> int:
    from tsa_desktop.db.lock import FileLockedError
    from tsa_desktop.services.opening import held_by_me

    # A file somebody else is editing is refused like every command (INTERFACES.md); one the
    # same person has open in the window on this computer is still copied (a scheduled backup
    # while the window is left open): the copy is consistent whatever the window does.
    try:
        ws = open_for(args, read_only=True, need=("backup",))
    except FileLockedError as exc:
        if not held_by_me(exc):
            raise
        ws = open_for(args, read_only=True, need=("backup",), even_if_edited=True)
    try:
        result = ws.safety.backup_to(args.out)
    finally:
        ws.close()
    print(f"{ws.display_name} {result}")
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    from tsa_desktop import paths
    from tsa_desktop.services.opening import check_restore_allowed
    from tsa_desktop.services.safety.restore import restore_database

    target = getattr(args, "db", None) or str(paths.default_database())
    user = check_restore_allowed(target)
    report = restore_database(Path(args.file).expanduser().resolve(), target, user=user)
    print(report)
    return EXIT_OK


def run_verify(args: argparse.Namespace) -> int:
    import sys

    from tsa_desktop import paths
    from tsa_desktop.services.safety.backup import verify_file

    target = args.file or getattr(args, "db", None) or str(paths.default_database())
    report, notices = verify_file(target, is_database=not args.file)
    for notice in notices:
        print(f"tsa-desktop verify: {notice}", file=sys.stderr)
    if report.ok:
        print(f"{report.path}: whole (full check in {report.seconds:.2f} s)")
        return EXIT_OK
    print(f"{report.path}: DAMAGED: {report.summary}")
    return EXIT_PROBLEMS


def run_retention(args: argparse.Namespace) -> int:
    today = _date(args.as_of) if args.as_of else None
    ws = open_for(args, read_only=not args.apply, need=("retention",))
    try:
        if args.apply:
            done = ws.retention.anonymise(today)
            print(f"anonymised {done} in {ws.display_name}")
            return EXIT_OK
        due = ws.retention.preview(today)
    finally:
        ws.close()
    for record_id, name, year in due.trainees:
        print(f"trainee {record_id}\t{name}\t{year}")
    for record_id, name, year in due.nqts:
        print(f"NQT {record_id}\t{name}\t{year}")
    print(f"due for anonymising: {due}; run with --apply to anonymise them")
    return EXIT_PROBLEMS if due.count else EXIT_OK


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError.single("--as-of", "give a date as 2026-09-01", text) from None
