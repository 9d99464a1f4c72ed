"""Restoring a database from a backup: check the backup fully, keep what it replaces, then swap.

The backup is copied beside the database as ``NAME.restoring`` and checked there; only then is
the database replaced by an atomic rename. A restore killed part way leaves that copy behind
(never a half-replaced database): :func:`clear_restore_leftovers` removes it, and opening a file
calls it.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.engine import URL

from tsa_desktop.db import backup
from tsa_desktop.db import models as m
from tsa_desktop.db.engine import create_db_engine, sqlite_path, to_url
from tsa_desktop.db.integrity import SQLITE_MAGIC, BackupCheck, check_backup, check_file
from tsa_desktop.db.lock import acquire
from tsa_desktop.db.migrate import (
    MIGRATIONS,
    alembic_config,
    head_revision,
    upgrade_database,
)
from tsa_desktop.domain.errors import (
    DatabaseFileError,
    NewerDatabaseError,
    ValidationError,
)
from tsa_desktop.services.safety.folders import all_tables, backup_base_for

log = logging.getLogger(__name__)

__all__ = ["RESTORE_LEFTOVERS", "RestoreReport", "checked_backup", "clear_restore_leftovers", "restore_database"]

#: What a restore stages beside the database (NAME + suffix), with SQLite's own journals of those
#: copies; a restore killed part way leaves them.
RESTORE_LEFTOVERS = tuple(f"{stage}{journal}" for stage in (".restoring", ".restoring.partial")
                          for journal in ("", "-journal", "-wal", "-shm"))


@dataclass(frozen=True)
class RestoreReport:
    """What a restore did.

    Attributes:
        target: The database that was replaced.
        source: The backup restored.
        safety_copy: The copy of what was replaced, or None when there was nothing.
        counts: Rows in a few tables of the restored data.
        upgraded_from: The backup's schema revision when it was older and upgraded, else None.
    """

    target: str
    source: Path
    safety_copy: Path | None
    counts: dict[str, int] = field(default_factory=dict)
    upgraded_from: str | None = None

    def __str__(self) -> str:
        what = ", ".join(f"{n} {t}" for t, n in self.counts.items())
        kept = f"; what it replaced was kept in {self.safety_copy}" if self.safety_copy else ""
        return f"restored {self.target} from {self.source} ({what}){kept}"


def restore_database(source: Path, target: URL | str | Path, *, backup_base: Path | None = None,
                     user: str = "unknown") -> RestoreReport:
    """Replace a database with a backup, after checking the backup fully.

    The backup is checked (structure, every index, links between records, and that it is a
    tsa-desktop file of a schema this version knows); then copied next to the target and
    upgraded if it is older; then what the target holds is copied to its backup folder; only
    then is the target replaced (a file by an atomic rename; a server in one transaction).

    Raises:
        DatabaseFileError: the backup cannot be used, or the target is open elsewhere.
        NewerDatabaseError: the backup was made by a newer version.
    """
    url = target if isinstance(target, URL) else to_url(target)
    check = checked_backup(source)
    path = sqlite_path(url)
    if path is not None and path.exists() and path.resolve() == source.resolve():
        raise ValidationError.single("backup", "is the database itself", str(source))
    folder = backup_base_for(url, backup_base)
    if path is None:
        return _restore_server(source, url, check, folder, user)
    lock = acquire(path, user)
    try:
        if lock._count > 1:
            raise DatabaseFileError(f"{path} is open in this program; close it before restoring. Nothing was changed.")
        return _restore_file(source, path, check, folder, user)
    finally:
        lock.release()


def checked_backup(source: Path) -> BackupCheck:
    """Check a backup fully (structure, indexes, links, a schema this version knows).

    Raises:
        DatabaseFileError: it cannot be restored. NewerDatabaseError: a newer version made it.
    """
    if not source.is_file():
        raise DatabaseFileError(f"{source} does not exist or is not a file. Nothing was changed.")
    with source.open("rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise DatabaseFileError(f"{source} is not a tsa-desktop backup (not a SQLite database file). "
                                    "Nothing was changed.")
    check = check_backup(source)
    if not check.integrity.ok:
        raise DatabaseFileError(
            f"{source} cannot be restored: it is damaged ({check.integrity.summary}). Nothing was changed.")
    if check.revision is None:
        raise DatabaseFileError(f"{source} is not a tsa-desktop backup. Nothing was changed.")
    known = {rev.revision for rev in _script().walk_revisions()}
    if check.revision not in known:
        raise NewerDatabaseError(
            f"{source} was made by a newer version of tsa-desktop (schema {check.revision}); install "
            "the newer version to restore it. Nothing was changed.")
    return check


def clear_restore_leftovers(path: Path) -> list[Path]:
    """Remove what a restore that was killed part way left beside ``path``.

    The staged copy is only ever renamed over the database after it passed its full check, so
    whatever is still there was never part of the database: it is a full copy of somebody's
    personal data that nobody will look after, and is removed.

    Returns:
        The files removed.
    """
    removed = []
    for suffix in RESTORE_LEFTOVERS:
        stray = path.with_name(path.name + suffix)
        try:
            if stray.is_file():
                stray.unlink()
                removed.append(stray)
        except OSError:  # somebody else's restore may be writing it right now
            log.warning("could not remove %s", stray, exc_info=True)
    if removed:
        log.info("removed what an unfinished restore left: %s", ", ".join(map(str, removed)))
    return removed


def _restore_file(source: Path, path: Path, check: BackupCheck, folder: Path, user: str) -> RestoreReport:
    staged = path.with_name(path.name + ".restoring")
    staged.unlink(missing_ok=True)
    try:
        backup.backup_sqlite(source, staged)
        if check.revision != head_revision():
            upgrade_database(to_url(staged), None)
        staged_check = check_file(staged, full=True)
        if not staged_check.ok:
            raise DatabaseFileError(f"The copy of {source} failed its check ({staged_check.summary}). "
                                    "Nothing was changed.")
        safety = _keep_what_is_replaced(path, folder)
        _drop_journals(path)
        staged.replace(path)
        backup.sync_folder(path.parent)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    _record_restore(to_url(path), source, user)
    return RestoreReport(str(path), source, safety, check.counts,
                         check.revision if check.revision != head_revision() else None)


def _keep_what_is_replaced(path: Path, folder: Path) -> Path | None:
    if not path.exists() or path.stat().st_size == 0:
        return None
    report = check_file(path)
    label = "before-restore" if report.ok else "damaged"
    target = backup.unique_path(folder, backup.timestamped_name(path, label))
    if report.ok:
        return backup.backup_sqlite(path, target)
    # The backup API may stop at the first bad page: keep the bytes as they are, journal and all.
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, target)
    for suffix in ("-wal", "-journal"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            shutil.copy2(extra, target.with_name(target.name + suffix))
    return target


def _drop_journals(path: Path) -> None:
    """Fold the old file's WAL into it, then delete its journal files: left beside the new file,
    SQLite would replay them into it and damage it."""
    if path.with_name(path.name + "-wal").exists():
        try:
            conn = sqlite3.connect(path, timeout=15)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
        except Exception:  # a damaged file: its copy was kept already
            log.warning("could not checkpoint %s before restoring", path, exc_info=True)
    for suffix in ("-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _restore_server(source: Path, url: URL, check: BackupCheck, folder: Path, user: str) -> RestoreReport:
    upgrade_database(url, None)  # the server gets this version's schema first, if it lacks it
    engine = create_db_engine(url)
    try:
        safety = backup.unique_path(folder, f"server-before-restore-{dt.datetime.now():%Y%m%d-%H%M%S}.db")
        backup.backup_server(engine, safety, all_tables(), head_revision())
        with tempfile.TemporaryDirectory() as tmp:
            staged = Path(tmp) / "restore.db"
            backup.backup_sqlite(source, staged)
            if check.revision != head_revision():
                upgrade_database(to_url(staged), None)
            reader = create_db_engine(to_url(staged), read_only=True)
            try:
                with reader.connect() as src, engine.begin() as dst:
                    for table in reversed(all_tables()):
                        dst.execute(table.delete())
                    backup.copy_tables(src, dst, all_tables())
                    backup.reset_sequences(dst, all_tables())
            finally:
                reader.dispose()
    finally:
        engine.dispose()
    _record_restore(url, source, user)
    return RestoreReport(url.render_as_string(hide_password=True), source, safety, check.counts,
                         check.revision if check.revision != head_revision() else None)


def _record_restore(url: URL, source: Path, user: str) -> None:
    engine = create_db_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(insert(m.AuditEntry.__table__).values(
                at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None), user=user[:120], computer="",
                table_name="*", record_id=None, action="restore", changes="{}",
                summary=f"Restored from the backup {source.name}"))
    finally:
        engine.dispose()


def _script():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(MIGRATIONS))
