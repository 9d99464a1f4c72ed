"""Backups of an open database: automatic daily copies, copies on request, and checks.

Every file that holds data is backed up once a day when first opened (and before every upgrade),
into a folder per file in the user data folder, kept by rotation (db/backup.py). A damaged file
opens read-only, with the latest good backup offered; restoring is in :mod:`.restore`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tsa_desktop.db import backup
from tsa_desktop.db.engine import Database, default_user, sqlite_path, to_url
from tsa_desktop.db.integrity import (
    SQLITE_MAGIC,
    BackupCheck,
    IntegrityReport,
    check_backup,
    check_file,
)
from tsa_desktop.db.lock import (
    FileLock,
    FileLockedError,
    LockInfo,
    LockLostError,
    acquire,
    read_lock,
)
from tsa_desktop.db.migrate import head_revision, is_known_revision
from tsa_desktop.domain.errors import (
    DatabaseFileError,
    NewerDatabaseError,
    ValidationError,
)
from tsa_desktop.services.base import Service
from tsa_desktop.services.safety.folders import all_tables, backup_base_for
from tsa_desktop.services.safety.restore import (
    RestoreReport,
    checked_backup,
    restore_database,
)

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
            raise ValidationError.single("backup file", "is the database itself; choose another file", str(target))
        if target.is_dir():
            raise ValidationError.single("backup file", "is a folder; give a file name", str(target))
        start = time.perf_counter()
        try:  # the rule for every output (resources/docs): a folder that does not exist is created
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ValidationError.single("backup file", f"its folder cannot be created ({exc.strerror or exc})",
                                         str(target)) from None
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


def verify_file(target: str | Path, *, is_database: bool = True) -> tuple[IntegrityReport, list[str]]:
    """The full integrity check of a database or backup file.

    A damaged file is what this is for: it is reported, not refused. A file that is no
    tsa-desktop file at all (empty, not a database, another program's database), or that a newer
    version wrote, is refused; so is the database while somebody else has it open for editing.

    Args:
        target: The file (or URL).
        is_database: ``target`` is the database in use (its editing lock is respected, and a lock
            left by a program that died is cleared); False for a backup file.

    Returns:
        The check, and what the user should be told (a stale lock cleared).

    Raises:
        DatabaseFileError: ``target`` is a server database, does not exist, is empty, is not a
        tsa-desktop file, or somebody else is editing it. NewerDatabaseError: a newer version wrote it.
    """
    url = to_url(target)
    path = sqlite_path(url)
    if path is None:
        raise DatabaseFileError(f"{url.render_as_string(hide_password=True)} is a server database: "
                                "the server checks its own data. Nothing was checked.")
    if not path.is_file():
        raise DatabaseFileError(f"{path} does not exist or is not a file.")
    if path.stat().st_size == 0:
        raise DatabaseFileError(f"{path} is empty (0 bytes): it holds no tsa-desktop data. It was not changed.")
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise DatabaseFileError(f"{path} is not a tsa-desktop database file. It was not changed.")
    notices: list[str] = []
    lock = acquire(path, default_user()) if is_database else None
    try:
        if lock is not None and lock.cleared is not None:
            notices.append(f"tsa-desktop was not closed properly by {lock.cleared.describe()}. Its lock "
                           "was cleared.")
        check = check_backup(path)
    finally:
        if lock is not None:
            lock.release()
    if not check.integrity.ok:
        return check.integrity, notices
    if check.revision is None:
        raise DatabaseFileError(f"{path} is a database, but not a tsa-desktop file. It was not changed.")
    if not is_known_revision(check.revision):
        raise NewerDatabaseError(
            f"{path} was written by a newer version of tsa-desktop (schema {check.revision}); install the "
            "newer version to check it. It was not changed.")
    return check.integrity, notices
