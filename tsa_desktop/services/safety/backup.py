"""Keeping the data safe: backups, restore, integrity checks, and retention of personal data.

The data is personal data about trainees and staff, kept for years on office PCs and shared
drives. Losing it or exposing it is the worst thing this program can do, so:

- every file that holds data is backed up once a day when first opened (and before every
  upgrade), into a folder per file in the user data folder, kept by rotation (db/backup.py);
- a restore checks the backup fully before it replaces anything, and keeps a copy of what it
  replaces;
- a damaged file opens read-only, with the latest good backup offered;
- trainees and NQTs whose training ended more than ``retention_years`` ago are anonymised, and
  their earlier values are removed from the audit trail too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import URL

from tsa_desktop import paths
from tsa_desktop.db import audit, backup
from tsa_desktop.db import models as m
from tsa_desktop.db.engine import Database, create_db_engine, default_user, is_network_path, sqlite_path, to_url
from tsa_desktop.db.integrity import SQLITE_MAGIC, BackupCheck, IntegrityReport, check_backup, check_file
from tsa_desktop.db.lock import FileLock, FileLockedError, LockInfo, LockLostError, acquire, read_lock
from tsa_desktop.db.migrate import MIGRATIONS, alembic_config, head_revision, upgrade_database
from tsa_desktop.domain.errors import DatabaseFileError, NewerDatabaseError, ValidationError
from tsa_desktop.domain.settings import SETTINGS_BY_KEY
from tsa_desktop.services.base import Service

log = logging.getLogger(__name__)

__all__ = [
    "BackupResult", "FileLock", "FileLockedError", "IntegrityReport", "LockInfo", "LockLostError",
    "RestoreReport", "RetentionPreview", "RetentionService", "SafetyService", "backup_base_for",
    "check_restore_allowed", "read_lock", "restore_database", "verify_file",
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


def backup_base_for(url: URL, base: Path | None = None) -> Path:
    """The folder of one database's automatic backups."""
    base = base if base is not None else paths.backup_dir()
    path = sqlite_path(url)
    if path is not None:
        return backup.backup_folder_for(path, base)
    name = url.render_as_string(hide_password=True)
    return base / f"server-{url.database or 'db'}-{hashlib.sha1(name.encode()).hexdigest()[:8]}"


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
            raise ValidationError.single("backup file", "is the database itself; choose another file",
                                         str(target))
        if not target.parent.is_dir():
            raise ValidationError.single("backup file", f"the folder {target.parent} does not exist",
                                         str(target))
        if target.is_dir():
            raise ValidationError.single("backup file", "is a folder; give a file name", str(target))
        start = time.perf_counter()
        if source is not None:
            report = check_file(source)
            if not report.ok:
                raise DatabaseFileError(
                    f"{source} is damaged ({report.summary}); a backup of it could not be restored. "
                    "Restore the latest good backup instead. Nothing was written.")
            backup.backup_sqlite(source, target)
        else:
            backup.backup_server(self._db.engine, target, _tables(), head_revision())
        return BackupResult(target, target.stat().st_size, time.perf_counter() - start)

    def inspect_backup(self, path: str | Path) -> BackupCheck:
        """Check a backup fully and say what it holds, without restoring it."""
        return _checked_backup(Path(path))

    def restore(self, source: str | Path) -> RestoreReport:
        """Replace this database with a checked backup; the workspace is closed first.

        Open the database again afterwards. Allowed for the ITT lead, or for anyone when the
        file is damaged (the damaged file's users may not be readable any more).
        """
        if self._damaged is None:
            self._require("restore")
        self._close()
        return restore_database(Path(source), self._db.url, backup_base=self._base, user=self._db.user)


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
    check = _checked_backup(source)
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


def check_restore_allowed(target: str | Path) -> str:
    """Before the command line restores over ``target``: may this person do it?

    A file with sign-in asks for an ITT lead (TSA_DESKTOP_USER and TSA_DESKTOP_PASSWORD). A
    missing, empty or damaged file may be restored by anyone who can write to it: its users may
    not be readable any more, and the file permissions are what protects it then.

    Returns:
        The name to record in the audit trail.

    Raises:
        PermissionDeniedError, SignInRequiredError, SignInError.
    """
    from tsa_desktop.services.workspace import open_workspace

    url = to_url(target)
    path = sqlite_path(url)
    if path is not None and (not path.exists() or path.stat().st_size == 0 or not check_file(path).ok):
        return default_user()
    try:
        ws = open_workspace(target, read_only=True)
    except (NewerDatabaseError, FileNotFoundError):
        return default_user()
    try:
        ws.permissions.require("restore")
        return ws.db.user
    finally:
        ws.close()


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


def _checked_backup(source: Path) -> BackupCheck:
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
        backup._sync_folder(path.parent)
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
            import sqlite3

            conn = sqlite3.connect(path, timeout=15)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
        except Exception:  # a damaged file: its copy was kept already
            log.warning("could not checkpoint %s before restoring", path, exc_info=True)
    for suffix in ("-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _restore_server(source: Path, url: URL, check: BackupCheck, folder: Path, user: str) -> RestoreReport:
    import tempfile

    upgrade_database(url, None)  # the server gets this version's schema first, if it lacks it
    engine = create_db_engine(url)
    try:
        safety = backup.unique_path(folder, f"server-before-restore-{dt.datetime.now():%Y%m%d-%H%M%S}.db")
        backup.backup_server(engine, safety, _tables(), head_revision())
        with tempfile.TemporaryDirectory() as tmp:
            staged = Path(tmp) / "restore.db"
            backup.backup_sqlite(source, staged)
            if check.revision != head_revision():
                upgrade_database(to_url(staged), None)
            reader = create_db_engine(to_url(staged), read_only=True)
            try:
                with reader.connect() as src, engine.begin() as dst:
                    for table in reversed(_tables()):
                        dst.execute(table.delete())
                    backup.copy_tables(src, dst, _tables())
                    backup.reset_sequences(dst, _tables())
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


def _tables() -> list:
    return [t for t in m.Base.metadata.sorted_tables]


def _script():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(MIGRATIONS))


# --- opening a file safely ------------------------------------------------------------------------


@dataclass
class OpenedFile:
    """What :func:`open_file_safely` found and did.

    Attributes:
        lock: The editing lock taken, or None when the file opens read-only.
        read_only: Whether the file must open read-only.
        damage: The failed quick check, when the file is damaged.
        notices: What the user should be told.
        on_network: The file is on a network drive.
    """

    lock: FileLock | None
    read_only: bool
    damage: IntegrityReport | None
    notices: list[str]
    on_network: bool


def open_file_safely(file: Path, *, read_only: bool, on_locked: str = "raise") -> OpenedFile:
    """Before a file is opened: take its lock and check its structure.

    Args:
        file: The database file (it may not exist yet).
        read_only: The caller wants it read-only anyway.
        on_locked: "raise", "read_only" or "take_over" (see open_workspace).

    Raises:
        FileLockedError: somebody else has it open for editing and on_locked is "raise".
        DatabaseFileError: it is not a SQLite file at all.
    """
    notices: list[str] = []
    if file.exists() and file.stat().st_size > 0:
        with file.open("rb") as fh:
            if fh.read(16) != SQLITE_MAGIC:
                raise DatabaseFileError(f"{file} is not a tsa-desktop database file. It was not changed.")
    on_network = is_network_path(file)
    lock = None
    if not read_only:
        try:
            lock = acquire(file, default_user(), take_over=on_locked == "take_over")
        except DatabaseFileError as exc:
            if on_locked != "read_only":
                raise
            read_only = True
            holder = getattr(exc, "holder", None)
            notices.append(f"Opened read-only: {holder.describe()} has the file open for editing."
                           if holder else f"Opened read-only: {exc}")
        else:
            if lock.cleared is not None:
                notices.append(f"tsa-desktop was not closed properly by {lock.cleared.describe()}. Its lock "
                               "was cleared and the file was checked.")
    damage = None
    try:
        if file.exists() and file.stat().st_size > 0:
            report = check_file(file)
            if not report.ok:
                log.warning("%s failed its quick check: %s", file, report.problems)
                damage, read_only = report, True
                notices.append(f"{file} is damaged ({report.summary}). It was opened read-only so that "
                               "nothing more is lost.")
                if lock is not None:
                    lock.release()
                    lock = None
        if on_network and not read_only:
            notices.append(
                f"{file} is on a network drive. tsa-desktop uses the rollback journal there (never WAL) "
                "and lets one person edit at a time. For several people working at once, a server "
                "database (PostgreSQL) is the safe choice: see Help > Data safety.")
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return OpenedFile(lock, read_only, damage, notices, on_network)


def sign_in_on_open(workspace, user: str | None, password: str | None, require: bool) -> None:
    """Sign in when the file has sign-in turned on (see open_workspace)."""
    db = workspace.db
    try:
        with db.reading() as s:
            enabled = (s.connection().execute(select(func.count()).select_from(m.User.__table__)).scalar() or 0) > 0
    except Exception as exc:  # a damaged file may not even show its users; it is read-only anyway
        from sqlalchemy.exc import InterfaceError, OperationalError

        if db.path is None and isinstance(exc, (OperationalError, InterfaceError)):
            raise  # a server that stopped answering: never carry on as if the file had no sign-in
        log.warning("could not read the users of %s", db.display_name, exc_info=True)
        return
    if not enabled:
        return
    from tsa_desktop.services.safety.users import Permissions, SignInRequiredError

    user = user or os.environ.get("TSA_DESKTOP_USER")
    password = password if password is not None else os.environ.get("TSA_DESKTOP_PASSWORD", "")
    workspace.users  # installs the row filter before anything is read  # noqa: B018
    if user:
        workspace.users.sign_in(user, password)
    elif require:
        raise SignInRequiredError(
            f"{db.display_name} has sign-in turned on. In the window you are asked for your name and "
            "password; scripts set TSA_DESKTOP_USER and TSA_DESKTOP_PASSWORD.")
    else:
        db.permissions = Permissions.signed_out()


# --- retention ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionPreview:
    """Who is due for anonymising.

    Attributes:
        years: The retention period (setting ``retention_years``).
        cutoff: Training that ended before this date is due.
        trainees: (id, name, academic year) of each trainee due.
        nqts: (id, name, academic year) of each NQT due.
    """

    years: int
    cutoff: dt.date
    trainees: tuple[tuple[int, str, str], ...]
    nqts: tuple[tuple[int, str, str], ...]

    @property
    def count(self) -> int:
        return len(self.trainees) + len(self.nqts)

    def __str__(self) -> str:
        return (f"{len(self.trainees)} trainees and {len(self.nqts)} NQTs whose training ended before "
                f"{self.cutoff:%d/%m/%Y} (retention {self.years} years)")


class RetentionService(Service):
    """Anonymise trainees and NQTs whose training ended more than ``retention_years`` ago.

    What identifies a person is removed (names, email, phone, TRN, home address, free-text
    notes); what the alliance reports on is kept (route, phase, subject, year, status,
    placements). Their earlier values are removed from the audit trail as well, and so are the
    values of every audit entry older than the retention period.
    """

    permission = "retention"

    def years(self) -> int:
        """The retention period in years."""
        definition = SETTINGS_BY_KEY["retention_years"]
        with self._read() as s:
            raw = s.scalar(select(m.Setting.value).where(m.Setting.key == "retention_years"))
        try:
            return int(definition.parse(raw)) if raw not in (None, "") else int(definition.default)
        except ValueError:
            return int(definition.default)

    def preview(self, today: dt.date | None = None) -> RetentionPreview:
        """Who would be anonymised today, without changing anything."""
        self._require("retention")
        years, cutoff = self._cutoff(today)
        with self._read() as s:
            trainees, nqts = self._due(s, cutoff)
        return RetentionPreview(years, cutoff, tuple(trainees), tuple(nqts))

    def anonymise(self, today: dt.date | None = None) -> RetentionPreview:
        """Anonymise everybody due, in one transaction, and record it in the audit trail.

        Returns:
            Who was anonymised.
        """
        years, cutoff = self._cutoff(today)
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        with self._write() as s:
            trainees, nqts = self._due(s, cutoff)
            t_ids, n_ids = [t[0] for t in trainees], [n[0] for n in nqts]
            for chunk in _chunks(t_ids):
                s.execute(update(m.Trainee.__table__).where(m.Trainee.__table__.c.id.in_(chunk)).values(
                    trainee_id="ANON-" + m.Trainee.__table__.c.id.cast(m.Trainee.__table__.c.trainee_id.type),
                    trn=None, first_names="Anonymised", last_name="trainee", email="", phone="",
                    home_postcode="", home_easting=None, home_northing=None, over_allocation_reason=None,
                    anonymised_at=now, version=m.Trainee.__table__.c.version + 1))
                s.execute(update(m.TraineeStatusChange.__table__)
                          .where(m.TraineeStatusChange.__table__.c.trainee_id.in_(chunk)).values(note=""))
                s.execute(update(m.Placement.__table__)
                          .where(m.Placement.__table__.c.trainee_id.in_(chunk)).values(notes=""))
            nt = m.Nqt.__table__
            for chunk in _chunks(n_ids):
                s.execute(update(nt).where(nt.c.id.in_(chunk)).values(
                    email="anonymised-" + nt.c.id.cast(nt.c.email.type) + "@invalid", trn=None,
                    first_names="Anonymised", last_name="NQT", anonymised_at=now, version=nt.c.version + 1))
                s.execute(update(m.NqtAssessment.__table__)
                          .where(m.NqtAssessment.__table__.c.nqt_id.in_(chunk)).values(notes=""))
            reason = f"anonymised after {years} years"
            redacted = audit.redact(s, "trainees", t_ids, reason) + audit.redact(s, "nqts", n_ids, reason)
            redacted += audit.redact_older_than(s, dt.datetime.combine(cutoff, dt.time()), f"older than {years} years")
            result = RetentionPreview(years, cutoff, tuple(trainees), tuple(nqts))
            audit.record_bulk(s, "trainees", "anonymise",
                              f"Anonymised {result}; {redacted} earlier audit entries cleared",
                              also=("nqts", "trainee_status_changes", "placements", "nqt_assessments"))
        return result

    def _cutoff(self, today: dt.date | None) -> tuple[int, dt.date]:
        today = today or dt.date.today()
        years = self.years()
        try:
            return years, today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return years, today.replace(year=today.year - years, day=28)

    @staticmethod
    def _due(s, cutoff: dt.date) -> tuple[list, list]:
        t, y = m.Trainee, m.AcademicYear
        trainees = s.execute(
            select(t.id, t.first_names, t.last_name, y.name).join(y, y.id == t.academic_year_id)
            .where(y.end_date < cutoff, t.anonymised_at.is_(None)).order_by(y.name, t.last_name)).all()
        n, c = m.Nqt, m.InductionCohort
        nqts = s.execute(
            select(n.id, n.first_names, n.last_name, y.name).join(c, c.id == n.cohort_id)
            .join(y, y.id == c.academic_year_id)
            .where(y.end_date < cutoff, n.anonymised_at.is_(None)).order_by(y.name, n.last_name)).all()
        return ([(r[0], f"{r[1]} {r[2]}", r[3]) for r in trainees],
                [(r[0], f"{r[1]} {r[2]}", r[3]) for r in nqts])


def _chunks(ids: list[int], size: int = 500):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]
