"""Is a SQLite file whole? A quick check on every open; a full check of a backup before restoring.

Both read the file through a read-only connection (``mode=ro``): checking never writes.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"

#: Tables that every tsa-desktop file has, whatever its schema revision.
CORE_TABLES = ("alembic_version", "schools", "trainees", "mentors")


@dataclass(frozen=True)
class IntegrityReport:
    """The outcome of checking a file.

    Attributes:
        path: The file checked.
        ok: True when SQLite found nothing wrong.
        problems: What SQLite reported (at most 20 lines).
        full: True for ``integrity_check`` (every index against its table), False for
            ``quick_check`` (the structure of every page, in a fraction of the time).
        seconds: How long the check took.
    """

    path: Path
    ok: bool
    problems: tuple[str, ...] = ()
    full: bool = False
    seconds: float = 0.0

    @property
    def summary(self) -> str:
        """The first problems, for a message."""
        if self.ok:
            return "no problems found"
        shown = "; ".join(self.problems[:3])
        more = len(self.problems) - 3
        return shown + (f" (and {more} more)" if more > 0 else "")


@dataclass(frozen=True)
class BackupCheck:
    """What a backup file holds, once checked.

    Attributes:
        integrity: The full integrity check.
        revision: The schema revision stamped in it, or None if it is not a tsa-desktop file.
        counts: Rows in a few tables, to show the user what they would get back.
    """

    integrity: IntegrityReport
    revision: str | None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def usable(self) -> bool:
        return self.integrity.ok and self.revision is not None


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write to the file, whatever is executed on it."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=15)
    conn.execute("PRAGMA query_only = ON")
    return conn


def check_file(path: Path, full: bool = False) -> IntegrityReport:
    """Check a SQLite file's structure.

    Args:
        path: The file.
        full: Run ``PRAGMA integrity_check`` (also compares every index with its table) instead
            of ``PRAGMA quick_check``.
    """
    start = time.perf_counter()

    def report(ok: bool, problems: list[str]) -> IntegrityReport:
        return IntegrityReport(path, ok, tuple(problems[:20]), full, time.perf_counter() - start)

    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        return report(False, [f"cannot be read ({exc.strerror})"])
    if not header.startswith(SQLITE_MAGIC):
        return report(False, ["it is not a SQLite database (its first bytes are wrong)"])
    try:
        conn = connect_read_only(path)
    except sqlite3.Error as exc:
        return report(False, [str(exc)])
    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA {'integrity_check' if full else 'quick_check'}(20)")]
        if full and rows == ["ok"]:
            broken = conn.execute("PRAGMA foreign_key_check").fetchmany(20)
            if broken:
                return report(False, [f"a row of {b[0]} refers to a missing row of {b[2]}" for b in broken])
    except sqlite3.DatabaseError as exc:
        return report(False, [str(exc)])
    finally:
        conn.close()
    return report(rows == ["ok"], [] if rows == ["ok"] else [str(r) for r in rows])


def check_backup(path: Path) -> BackupCheck:
    """Fully check a backup file and read its schema revision and a few counts."""
    integrity = check_file(path, full=True)
    if not integrity.ok:
        return BackupCheck(integrity, None)
    conn = connect_read_only(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not all(t in tables for t in CORE_TABLES):
            return BackupCheck(integrity, None)
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                  for t in ("schools", "trainees", "mentors", "placements", "nqts") if t in tables}
    except sqlite3.DatabaseError:
        return BackupCheck(integrity, None)
    finally:
        conn.close()
    return BackupCheck(integrity, revision[0] if revision else None, counts)
