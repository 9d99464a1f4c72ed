"""Consistent copies of a SQLite file: the one copy routine that backups and upgrades both use."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import sys
from pathlib import Path


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
        sync_file(partial)
    except BaseException:
        partial.unlink(missing_ok=True)  # never a half-written copy for a later run to trip over
        raise
    partial.replace(destination)
    sync_folder(destination.parent)
    return destination


def timestamped_name(source: Path, label: str, now: dt.datetime | None = None) -> str:
    """A backup file name such as ``alliance-before-0001-20261123-103000.db``."""
    now = now or dt.datetime.now()
    return f"{source.stem}-{label}-{now:%Y%m%d-%H%M%S}{source.suffix or '.db'}"


def sync_file(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def sync_folder(folder: Path) -> None:
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
