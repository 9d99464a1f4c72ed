"""Opening a database, and the services that work on it."""

from __future__ import annotations

import logging
import os
from functools import cached_property
from pathlib import Path

from tsa_desktop import paths
from tsa_desktop.db.engine import Database, create_db_engine, is_network_path, to_url
from tsa_desktop.db.integrity import IntegrityReport
from tsa_desktop.db.lock import FileLock
from tsa_desktop.db.migrate import MigrationReport, current_revision, upgrade_database
from tsa_desktop.domain.errors import DatabaseFileError

log = logging.getLogger(__name__)


class Workspace:
    """An open database with its use cases.

    The window and the command line talk to the core only through a Workspace. Services are
    created on first use, so opening a file costs no more than the services actually used.

    Attributes:
        db: The open database.
        migration: What opening did to the file's schema.
        lock: This program's editing lock on the file (None when read-only or on a server).
        damage: The failed integrity check, when the file is damaged (it is then read-only).
        notices: Things the user should be told about the opening (a cleared lock, a network
            drive, read-only because somebody else edits it).
        on_network: The file is on a network drive.
        backup_base: The folder under which each database keeps its automatic backups.
    """

    def __init__(self, db: Database, migration: MigrationReport | None = None, *,
                 lock: FileLock | None = None, damage: IntegrityReport | None = None,
                 notices: list[str] | None = None, on_network: bool = False,
                 backup_base: Path | None = None) -> None:
        self.db = db
        self.migration = migration
        self.lock = lock
        self.damage = damage
        self.notices = list(notices or [])
        self.on_network = on_network
        self.backup_base = backup_base

    @property
    def display_name(self) -> str:
        return self.db.display_name

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    @property
    def permissions(self):
        """What the person using the file may do: ``ws.permissions.can("import")``."""
        from tsa_desktop.services.safety.users import Permissions

        permissions = self.db.permissions or Permissions.everything()
        return permissions.read_only() if self.read_only else permissions

    def close(self) -> None:
        """Release the file (and this program's editing lock on it)."""
        self.db.dispose()
        lock, self.lock = self.lock, None
        if lock is not None:
            lock.release()

    # Data safety: backups, audit trail, users, retention (services/safety.py, audit.py, users.py).
    @cached_property
    def safety(self):
        from tsa_desktop.services.safety.backup import SafetyService
        return SafetyService(self.db, self.backup_base, self.close, self.damage)

    @cached_property
    def audit(self):
        from tsa_desktop.services.safety.audit import AuditService
        return AuditService(self.db)

    @cached_property
    def users(self):
        from tsa_desktop.services.safety.users import UserService
        return UserService(self.db)

    @cached_property
    def retention(self):
        from tsa_desktop.services.safety.backup import RetentionService
        return RetentionService(self.db)

    # Services, one attribute each; imports are local so start-up loads only what is used.
    @cached_property
    def schools(self):
        from tsa_desktop.services.reference.schools import SchoolService
        return SchoolService(self.db)

    @cached_property
    def providers(self):
        from tsa_desktop.services.reference.schools import ProviderService
        return ProviderService(self.db)

    @cached_property
    def alliance(self):
        from tsa_desktop.services.reference.alliance import AllianceService
        return AllianceService(self.db)

    @cached_property
    def years(self):
        from tsa_desktop.services.reference.years import YearService
        return YearService(self.db)

    @cached_property
    def letters(self):
        from tsa_desktop.services.letters.producing import LetterService
        return LetterService(self.db)

    @cached_property
    def induction(self):
        from tsa_desktop.services.induction.cohorts import InductionService
        return InductionService(self.db)

    @cached_property
    def allocations(self):
        from tsa_desktop.services.reference.allocations import AllocationService
        return AllocationService(self.db)

    @cached_property
    def trainees(self):
        from tsa_desktop.services.reference.trainees import TraineeService
        return TraineeService(self.db)

    @cached_property
    def transfer(self):
        from tsa_desktop.services.transfer import TransferService
        return TransferService(self.db)

    @cached_property
    def mentors(self):
        from tsa_desktop.services.mentors.pool import MentorService
        return MentorService(self.db)

    @cached_property
    def qa(self):
        from tsa_desktop.services.mentors.qa import QaService
        return QaService(self.db)

    # Rotations: placement blocks, the rotation grid and the automatic planner.
    @cached_property
    def blocks(self):
        from tsa_desktop.services.rotations.blocks import BlockService
        return BlockService(self.db)

    @cached_property
    def rotations(self):
        from tsa_desktop.services.rotations.edits import RotationService
        return RotationService(self.db)

    @cached_property
    def planning(self):
        from tsa_desktop.services.rotations.planning import PlanningService
        return PlanningService(self.db)

    @cached_property
    def mentor_view(self):
        from tsa_desktop.services.mentors.view import MentorViewService
        return MentorViewService(self.db)

    @cached_property
    def mentor_packs(self):
        from tsa_desktop.services.mentors.packs import MentorPacksService
        return MentorPacksService(self.db, self.mentor_view)


def open_workspace(
    path_or_url: str | os.PathLike[str] | None = None,
    *,
    create: bool = True,
    read_only: bool = False,
    backup_dir: Path | None = None,
    on_locked: str = "raise",
    require_sign_in: bool = True,
    user: str | None = None,
    password: str | None = None,
) -> Workspace:
    """Open (and if needed create and upgrade) a database, safely.

    For a file: take its editing lock (clearing one left by a program that died on this
    computer), check its structure (a damaged file opens read-only), upgrade it (backed up
    first), choose the journal (WAL on a local disk, the rollback journal on a network drive)
    and make today's backup. Then sign in, if the file has users. Nothing here asks anybody
    anything: the window asks first and passes the answers in.

    Args:
        path_or_url: A file path or SQLAlchemy URL; None for the default file.
        create: False to refuse a file that does not exist yet.
        read_only: Open without allowing changes (no lock, no upgrade, no backup).
        backup_dir: The folder under which each database keeps its backups; defaults to the
            user data folder's.
        on_locked: When somebody else has the file open for editing: "raise" (FileLockedError),
            "read_only" (open it read-only, with a notice) or "take_over" (the user knows the
            lock is stale).
        require_sign_in: When the file has sign-in and no credentials are given (here or in
            TSA_DESKTOP_USER and TSA_DESKTOP_PASSWORD): True raises SignInRequiredError, False
            opens it signed out (the window then asks).
        user: Sign in as this user.
        password: Their password.

    Raises:
        DatabaseFileError: the file cannot be used; it was not changed. FileLockedError (a
        DatabaseFileError) when somebody else edits it. SignInError, SignInRequiredError.
    """
    from tsa_desktop.services.safety import backup as safety

    target = path_or_url if path_or_url is not None else paths.default_database()
    url = to_url(target)
    file: Path | None = None
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        file = Path(url.database)
        if not file.exists() and (not create or read_only):
            raise DatabaseFileError(f"{file} does not exist.")
        if not file.parent.exists():
            raise DatabaseFileError(f"The folder {file.parent} does not exist.")
        if file.is_dir():
            raise DatabaseFileError(f"{file} is a folder, not a database file.")
    base = backup_dir if backup_dir is not None else paths.backup_dir()
    opened = safety.open_file_safely(file, read_only=read_only, on_locked=on_locked) if file else None
    lock = opened.lock if opened else None
    workspace = None
    try:
        read_only = opened.read_only if opened else read_only
        report = None
        if not read_only:
            report = upgrade_database(url, safety.backup_base_for(url, base))
        elif file is None:
            current_revision(url)  # a server that cannot be reached is said so now, not on the first read
        journal = None if file is None or read_only else ("DELETE" if opened.on_network else "WAL")
        db = Database(url=url, engine=create_db_engine(url, journal_mode=journal, read_only=read_only),
                      read_only=read_only, write_guard=lock.check if lock else None)
        workspace = Workspace(db, report, lock=lock, damage=opened.damage if opened else None,
                              notices=opened.notices if opened else [], on_network=bool(opened and opened.on_network),
                              backup_base=base)
        safety.sign_in_on_open(workspace, user, password, require_sign_in)
        workspace.safety.daily_backup()
    except BaseException as exc:
        if workspace is not None:
            workspace.close()
        elif lock is not None:
            lock.release()
        if file is None and url.get_backend_name() == "postgresql":
            _server_problem(url, exc)
        raise
    return workspace


def _server_problem(url, exc: BaseException) -> None:
    """Say plainly why a server database cannot be opened (no driver, no connection)."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    where = url.render_as_string(hide_password=True)
    if isinstance(exc, ImportError):
        raise DatabaseFileError(
            f"Cannot open {where}: the PostgreSQL driver (psycopg) is not installed with this copy of "
            "tsa-desktop. Install it with: pip install \"psycopg[binary]\"") from exc
    if isinstance(exc, (OperationalError, InterfaceError)):
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DatabaseFileError(
            f"Cannot connect to the database server {where}: {reason}. Check the server's name, the "
            "database, the user name and the password, and that the server is running. Nothing was "
            "changed.") from exc
