"""Consistent copies of a SQLite file, made with SQLite's online backup API."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path


def backup_sqlite(source: Path, destination: Path) -> Path:
    """Copy a SQLite database consistently, even while another connection writes to it.

    The copy is written beside the destination first and renamed into place, so a crash
    never leaves a half-written backup under the final name.

    Args:
        source: The database file.
        destination: The backup file to create (its folder is created).

    Returns:
        The destination path.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    partial.replace(destination)
    return destination


def timestamped_name(source: Path, label: str, now: dt.datetime | None = None) -> str:
    """A backup file name such as ``alliance-before-0001-20261123-103000.db``."""
    now = now or dt.datetime.now()
    return f"{source.stem}-{label}-{now:%Y%m%d-%H%M%S}{source.suffix or '.db'}"
