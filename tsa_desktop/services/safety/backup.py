"""Backups of an open database: automatic daily copies, copies on request, and checks.

Every file that holds data is backed up once a day when first opened (and before every upgrade),
into a folder per file in the user data folder, kept by rotation (db/backup.py). A damaged file
opens read-only, with the latest good backup offered; restoring is in :mod:`.restore`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tsa_desktop.db import backup
from tsa_desktop.db.engine import Database, sqlite_path, to_url
from tsa_desktop.db.integrity import BackupCheck, IntegrityReport, check_file
from tsa_desktop.db.lock import FileLock, FileLockedError, LockInfo, LockLostError, read_lock
from tsa_desktop.db.migrate import head_revision
from tsa_desktop.domain.errors import DatabaseFileError, ValidationError
from tsa_desktop.services.base import Service
from tsa_desktop.services.safety.folders import all_tables, backup_base_for
from tsa_desktop.services.safety.restore import RestoreReport, checked_backup, restore_database

log = logging.getLogger(__name__)

__all__ = [
    "BackupResult", "FileLock", "FileLockedError", "IntegrityReport", "LockInfo", "LockLostError",
    "SafetyService", "backup_base_for", "read_lock", "verify_file",
]


@dataclass(frozen=True)
class BackupResult:
    """A backup made on request.

    Attributes:
        path: The backup file.
        size: Its size in bytes.
        seconds: How long it took.
    """

    path: Path
    size: int
    seconds: float

    def __str__(self) -> str:
        return f"backed up to {self.path} ({self.size / 1_048_576:.1f} MB in {self.seconds:.2f} s)"


class SafetyService(Service):
    """Backups, checks and restore for an open database.

    Args:
        db: The open database.
        backup_base: The folder under which each database has its backup folder.
        close: Closes the workspace (a restore replaces the file under it).
        damaged: The integrity check that failed when the file was opened, if it did.
    """

    def __init__(self, db: Database, backup_base: Path | None = None,
                 close: Callable[[], None] | None = None, damaged: IntegrityReport | None = None) -> None:
        super().__init__(db)
        self._base = backup_base
        self._close = close or db.dispose
        self._damaged = damaged

    @property
    def backup_folder(self) -> Path:
        """Where this database's automatic backups are kept."""
        return backup_base_for(self._db.url, self._base)

    def backups(self) -> list[backup.BackupFile]:
        """The automatic backups of this database, newest first."""
        return backup.list_backups(self.backup_folder)

    def latest_good_backup(self) -> backup.BackupFile | None:
        """The newest automatic backup that passes a quick check."""
        for candidate in self.backups():
            if check_file(candidate.path).ok:
                return candidate
        return None

    def check(self, full: bool = False) -> IntegrityReport:
        """Check the open file (SQLite only; a server checks its own data)."""
        path = self._db.path
        if path is None:
            return IntegrityReport(Path(self._db.display_name), True)
        return check_file(path, full=full)

    def daily_backup(self) -> Path | None:
        """Make today's automatic backup if there is none yet (and the user may make backups).

        Never raises: a backup that fails is logged, and the file opens all the same.
        """
        path = self._db.path
        if path is None or self._db.read_only or not path.exists() or path.stat().st_size == 0:
            return None
        if self._db.permissions is not None and not self._db.permissions.can("backup"):
            return None
        try:
            return backup.daily_backup(path, self.backup_folder)
        except Exception:
            log.exception("daily backup of %s failed", path)
            return None

    def backup_to(self, destination: str | Path) -> BackupResult:
        """Make a consistent copy of the database in a file of the user's choice.

        Raises:
            ValidationError: the destination is the database itself, or its folder is missing.
            DatabaseFileError: the file is damaged (a copy of it could not be restored).
        """
        self._require("backup")
        target = Path(destination).expanduser().resolve()
        source = self._db.path
        if source is not None and target == source.resolve():
            raise ValidationError.single("--out", "is the database itself; choose another file", str(target))
        if not target.parent.is_dir():
            raise ValidationError.single("--out", f"the folder {target.parent} does not exist", str(target))
        if target.is_dir():
            raise ValidationError.single("--out", "is a folder; give a file name", str(target))
        start = time.perf_counter()
        if source is not None:
            report = check_file(source)
            if not report.ok:
                raise DatabaseFileError(
                    f"{source} is damaged ({report.summary}); a backup of it could not be restored. "
                    "Restore the latest good backup instead. Nothing was written.")
            backup.backup_sqlite(source, target)
        else:
            backup.backup_server(self._db.engine, target, all_tables(), head_revision())
        return BackupResult(target, target.stat().st_size, time.perf_counter() - start)

    def inspect_backup(self, path: str | Path) -> BackupCheck:
        """Check a backup fully and say what it holds, without restoring it."""
        return checked_backup(Path(path))

    def restore(self, source: str | Path) -> RestoreReport:
        """Replace this database with a checked backup; the workspace is closed first.

        Open the database again afterwards. Allowed for the ITT lead, or for anyone when the
        file is damaged (the damaged file's users may not be readable any more).
        """
        if self._damaged is None:
            self._require("restore")
        self._close()
        return restore_database(Path(source), self._db.url, backup_base=self._base, user=self._db.user)


def verify_file(target: str | Path) -> IntegrityReport:
    """The full integrity check of a database or backup file.

    Raises:
        DatabaseFileError: ``target`` is a server database, or the file does not exist.
    """
    url = to_url(target)
    path = sqlite_path(url)
    if path is None:
        raise DatabaseFileError(f"{url.render_as_string(hide_password=True)} is a server database: "
                                "the server checks its own data. Nothing was checked.")
    if not path.is_file():
        raise DatabaseFileError(f"{path} does not exist or is not a file.")
    return check_file(path, full=True)
