"""Where each database keeps its automatic backups, and the tables a copy holds.

Shared by backups, restore and opening a file (which backs a file up before upgrading it).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import Table
from sqlalchemy.engine import URL

from tsa_desktop import paths
from tsa_desktop.db import backup
from tsa_desktop.db import models as m
from tsa_desktop.db.engine import sqlite_path


def backup_base_for(url: URL, base: Path | None = None) -> Path:
    """The folder of one database's automatic backups."""
    base = base if base is not None else paths.backup_dir()
    path = sqlite_path(url)
    if path is not None:
        return backup.backup_folder_for(path, base)
    name = url.render_as_string(hide_password=True)
    return base / f"server-{url.database or 'db'}-{hashlib.sha1(name.encode()).hexdigest()[:8]}"


def all_tables() -> list[Table]:
    """Every table, parents before children (the order a copy writes them in)."""
    return list(m.Base.metadata.sorted_tables)
