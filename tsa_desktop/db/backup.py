"""Consistent copies of a database, and how many of them are kept.

A SQLite file is copied with SQLite's online backup API, which gives a consistent snapshot even
while another connection writes. A server database is copied table by table inside one
REPEATABLE READ transaction into a new SQLite file with the same schema, so that the same
``backup``/``restore`` commands work for both, and a file can move onto a server.

Automatic backups go to a folder per database (:func:`backup_folder_for`) and are rotated
(:func:`rotate`): the newest backup of each of the last 7 days, 4 weeks and 12 months that have
one. Backups made before a migration or a restore are kept for a year, and the newest 3 always.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, func, insert, select, text, update

log = logging.getLogger(__name__)

DAILY, DAILY_KEEP, WEEKLY_KEEP, MONTHLY_KEEP = "daily", 7, 4, 12
EVENT_KEEP_DAYS, EVENT_KEEP_NEWEST = 365, 3

_NAME = re.compile(r"-(?P<label>daily|manual|damaged|before-[A-Za-z0-9_.]+)-(?P<ts>\d{8}-\d{6})(?:-\d+)?\.[A-Za-z0-9]+$")


@dataclass(frozen=True)
class BackupFile:
    """A backup in a backup folder.

    Attributes:
        path: The file.
        made_at: When it was made (local time, from its name).
        label: daily, before-<revision>, before-restore, damaged or manual.
        size: Its size in bytes.
    """

    path: Path
    made_at: dt.datetime
    label: str
    size: int

    @property
    def kind(self) -> str:
        """What the backup is, in words."""
        if self.label == DAILY:
            return "Daily backup"
        if self.label == "before-restore":
            return "Before a restore"
        if self.label.startswith("before-"):
            return "Before an upgrade"
        if self.label == "damaged":
            return "Copy of a damaged file"
        return "Backup"


def backup_sqlite(source: Path, destination: Path) -> Path:
    """Copy a SQLite database consistently, even while another connection writes to it.

    The copy is written beside the destination first, synced to the disk and renamed into place,
    so a crash never leaves a half-written backup under the final name. The copy is a single
    self-contained file (rollback journal, never WAL), whatever the journal mode of the source.

    Args:
        source: The database file.
        destination: The backup file to create (its folder is created).

    Returns:
        The destination path.

    Raises:
        ValueError: the destination is the source itself (a copy would replace the file it copies
            under the connections that have it open).
        sqlite3.DatabaseError: the source is missing, damaged or not a database; nothing is left
            behind, and a file already at the destination stays as it was.
        OSError: the destination's folder cannot be created or written.
    """
    if destination.resolve() == source.resolve():
        raise ValueError(f"a backup of {source} cannot replace the file itself")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True, timeout=15)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        _sync(partial)
    except BaseException:
        partial.unlink(missing_ok=True)  # never a half-written copy for a later run to trip over
        raise
    partial.replace(destination)
    _sync_folder(destination.parent)
    return destination


def timestamped_name(source: Path, label: str, now: dt.datetime | None = None) -> str:
    """A backup file name such as ``alliance-before-0001-20261123-103000.db``."""
    now = now or dt.datetime.now()
    return f"{source.stem}-{label}-{now:%Y%m%d-%H%M%S}{source.suffix or '.db'}"


def unique_path(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name`` with -2, -3... before its suffix if that file exists."""
    path = folder / name
    n = 2
    while path.exists():
        path = folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
        n += 1
    return path


def backup_folder_for(db_file: Path, base: Path) -> Path:
    """The folder for one database's automatic backups: its name and a digest of its full path,
    so that two files called ``alliance.db`` in different folders keep their backups apart."""
    digest = hashlib.sha1(os.path.normcase(os.path.abspath(db_file)).encode("utf-8")).hexdigest()[:8]
    return base / f"{db_file.stem}-{digest}"


def list_backups(folder: Path) -> list[BackupFile]:
    """The backups in a folder, newest first."""
    found = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        match = _NAME.search(path.name)
        if not match or not path.is_file():
            continue
        try:
            made = dt.datetime.strptime(match["ts"], "%Y%m%d-%H%M%S")
            size = path.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(BackupFile(path, made, match["label"], size))
    return sorted(found, key=lambda b: (b.made_at, b.path.name), reverse=True)


def daily_backup(db_file: Path, folder: Path, now: dt.datetime | None = None) -> Path | None:
    """Back the file up unless it was already backed up today; then rotate the folder.

    Returns:
        The new backup, or None when today's exists.
    """
    now = now or dt.datetime.now()
    if any(b.label == DAILY and b.made_at.date() == now.date() for b in list_backups(folder)):
        return None
    path = backup_sqlite(db_file, unique_path(folder, timestamped_name(db_file, DAILY, now)))
    rotate(folder, now)
    return path


def rotate(folder: Path, now: dt.datetime | None = None) -> list[Path]:
    """Delete the automatic backups that the rotation no longer keeps.

    Kept: of the daily backups, the newest of each of the last 7 days, 4 ISO weeks and 12
    months that have one; of the others (before an upgrade or a restore, damaged copies), those
    less than a year old and the newest 3.

    Returns:
        The files deleted.
    """
    now = now or dt.datetime.now()
    backups = list_backups(folder)
    daily = [b for b in backups if b.label == DAILY]
    keep: set[Path] = set()
    for period, count in ((lambda d: d.date(), DAILY_KEEP),
                          (lambda d: d.isocalendar()[:2], WEEKLY_KEEP),
                          (lambda d: (d.year, d.month), MONTHLY_KEEP)):
        seen: set = set()
        for b in daily:  # newest first: the first of each period is its newest
            key = period(b.made_at)
            if key in seen:
                continue
            if len(seen) == count:
                break
            seen.add(key)
            keep.add(b.path)
    events = [b for b in backups if b.label != DAILY]
    keep.update(b.path for b in events[:EVENT_KEEP_NEWEST])
    keep.update(b.path for b in events if now - b.made_at <= dt.timedelta(days=EVENT_KEEP_DAYS))
    removed = []
    for b in backups:
        if b.path not in keep:
            try:
                b.path.unlink()
                removed.append(b.path)
            except OSError as exc:
                log.warning("could not delete old backup %s: %s", b.path, exc)
    for stray in folder.glob("*.partial") if folder.is_dir() else ():
        if now.timestamp() - stray.stat().st_mtime > 86_400:  # left by a crash during a backup
            stray.unlink(missing_ok=True)
    return removed


# --- server databases -----------------------------------------------------------------------------


def copy_tables(source: Connection, target: Connection, tables: list[Table]) -> dict[str, int]:
    """Copy every row of ``tables`` (in dependency order) from one connection to another.

    A column that refers to its own table (a mentor's lead mentor) is filled in after all rows
    of the table are in, so rows may come in any order.

    Returns:
        Rows copied per table.
    """
    counts: dict[str, int] = {}
    for table in tables:
        own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
        pk = list(table.primary_key.columns)
        later: list[dict] = []
        n = 0
        result = source.execution_options(stream_results=True).execute(select(table))
        for chunk in result.mappings().partitions(2000):
            rows = [dict(r) for r in chunk]
            for row in rows:
                if any(row.get(c) is not None for c in own):
                    later.append({**{c.name: row[c.name] for c in pk}, **{c: row[c] for c in own}})
                    row.update({c: None for c in own})
            target.execute(insert(table), rows)
            n += len(rows)
        for row in later:
            where = [c == row[c.name] for c in pk]
            target.execute(update(table).where(*where).values({c: row[c] for c in own}))
        counts[table.name] = n
    return counts


def reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """After rows were copied in with their ids: let PostgreSQL's id sequences continue after them."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                {"t": table.name, "c": pk[0].name}).scalar()
        if sequence:
            top = conn.execute(select(func.max(pk[0]))).scalar()
            conn.execute(text("SELECT setval(:s, :v, :called)"),
                         {"s": sequence, "v": top or 1, "called": top is not None})


def backup_server(engine: Engine, destination: Path, tables: list[Table], revision: str) -> Path:
    """Copy a server database into a new SQLite file, from one consistent snapshot.

    Args:
        engine: The server database (already at ``revision``).
        destination: The SQLite file to create.
        tables: The tables to copy (the models' tables, in dependency order).
        revision: The schema revision of the server and of the copy.
    """
    from tsa_desktop.db.engine import create_db_engine, to_url
    from tsa_desktop.db.migrate import upgrade_database

    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    upgrade_database(to_url(partial), None)
    target = create_db_engine(to_url(partial), foreign_keys=False)
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as src, src.begin():
            found = src.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if found != revision:
                raise RuntimeError(f"the server's schema is {found}, expected {revision}")
            with target.begin() as dst:
                copy_tables(src, dst, tables)
                broken = dst.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"{len(broken)} broken links in the copy (first in {broken[0][0]})")
    except BaseException:
        target.dispose()
        partial.unlink(missing_ok=True)
        raise
    target.dispose()
    _sync(partial)
    partial.replace(destination)
    return destination


# --- syncing --------------------------------------------------------------------------------------


def _sync(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows has no directory handles to sync)."""
    if sys.platform == "win32":  # pragma: no cover
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
