"""Opening a database: the one place a file is opened, for the window and the command line.

For a file: take its editing lock (clearing one left by a program that died on this computer),
remove what a restore killed part way left beside it, check its structure (a damaged file opens
read-only in the window; the command line refuses it), refuse a file written by a newer version,
upgrade an older one (backed up first), choose the journal (WAL on a local disk, the rollback
journal on a network drive), make today's backup, and sign in when the file has users.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import URL

from tsa_desktop import paths
from tsa_desktop.db import models as m
from tsa_desktop.db.engine import (
    Database,
    create_db_engine,
    default_user,
    is_network_path,
    sqlite_path,
    to_url,
)
from tsa_desktop.db.integrity import SQLITE_MAGIC, IntegrityReport, check_file
from tsa_desktop.db.lock import FileLock, FileLockedError, acquire
from tsa_desktop.db.migrate import current_revision, is_known_revision, upgrade_database
from tsa_desktop.domain.errors import DatabaseFileError, NewerDatabaseError
from tsa_desktop.services.safety.folders import backup_base_for
from tsa_desktop.services.safety.restore import clear_restore_leftovers
from tsa_desktop.services.workspace import Workspace

log = logging.getLogger(__name__)

__all__ = ["OpenedFile", "check_restore_allowed", "open_file_safely", "open_workspace", "sign_in_on_open"]


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
    refuse_unusable: bool = False,
    allow_empty: bool = True,
    need: Sequence[str | Callable[[Workspace], None]] = (),
) -> Workspace:
    """Open (and if needed create and upgrade) a database, safely.

    Nothing here asks anybody anything: the window asks first and passes the answers in.

    Args:
        path_or_url: A file path or SQLAlchemy URL; None for the default file.
        create: False to refuse a file that does not exist yet.
        read_only: Open without allowing changes (no upgrade, no backup).
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
        refuse_unusable: The command line: a damaged file, or one somebody else is editing, is
            refused (DatabaseFileError) instead of opened read-only; the editing lock is held
            even to read, so a stale one is cleared (and said so in ``notices``).
        allow_empty: False to refuse an existing empty (zero-byte) file instead of creating a
            database in it.
        need: Actions (keys of services.safety.users.ACTIONS) the signed-in user must be
            allowed, or checks that raise when they may not go on (a mentor asking for another
            mentor's pack); asked before anything is written, the sign-in's own record included.

    Raises:
        DatabaseFileError: the file cannot be used; it was not changed. FileLockedError (a
        DatabaseFileError) when somebody else edits it; NewerDatabaseError when a newer version
        wrote it. SignInError, SignInRequiredError.
    """
    target = path_or_url if path_or_url is not None else paths.default_database()
    url = to_url(target)
    file = sqlite_path(url)
    if file is not None:
        _check_path(file, create=create and not read_only, allow_empty=allow_empty)
    base = backup_dir if backup_dir is not None else paths.backup_dir()
    opened = (open_file_safely(file, read_only=read_only, on_locked=on_locked, refuse_unusable=refuse_unusable)
              if file else None)
    lock = opened.lock if opened else None
    workspace = None
    try:
        read_only = opened.read_only if opened else read_only
        report = None
        if not read_only:
            report = upgrade_database(url, backup_base_for(url, base))
        elif opened is None or opened.damage is None:
            # Read-only, nothing is upgraded: a newer version's file (or one without tsa-desktop's
            # tables) must still be refused before anything reads it; a server that cannot be
            # reached is said so now, not on the first read.
            _check_readable(url, file)
        journal = None if file is None or read_only else ("DELETE" if opened.on_network else "WAL")
        db = Database(url=url, engine=create_db_engine(url, journal_mode=journal, read_only=read_only),
                      read_only=read_only, write_guard=lock.check if lock else None,
                      read_only_reason=opened.read_only_reason if opened else None)
        workspace = Workspace(db, report, lock=lock, damage=opened.damage if opened else None,
                              notices=opened.notices if opened else [], on_network=bool(opened and opened.on_network),
                              backup_base=base)
        sign_in_on_open(workspace, user, password, require_sign_in, need)
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


def _check_path(file: Path, *, create: bool, allow_empty: bool) -> None:
    """Refuse a path that is no database file before anything touches it."""
    if not file.exists() and not create:
        raise DatabaseFileError(f"{file} does not exist.")
    if not file.parent.exists():
        raise DatabaseFileError(f"The folder {file.parent} does not exist.")
    if file.is_dir():
        raise DatabaseFileError(f"{file} is a folder, not a database file.")
    if not allow_empty and file.exists() and file.stat().st_size == 0:
        raise DatabaseFileError(f"{file} is empty (0 bytes): it holds no tsa-desktop data. It was not changed.")


def _check_readable(url: URL, file: Path | None) -> None:
    found = current_revision(url)
    where = str(file) if file else url.render_as_string(hide_password=True)
    if found is None:
        if file is not None:
            raise DatabaseFileError(f"{where} is empty: it holds no tsa-desktop data. It was not changed.")
        return
    if not is_known_revision(found):
        raise NewerDatabaseError(
            f"{where} was written by a newer version of tsa-desktop (schema {found}). Install the newer "
            "version to open it. The file was not changed.")


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


@dataclass
class OpenedFile:
    """What :func:`open_file_safely` found and did.

    Attributes:
        lock: The editing lock taken, or None when the file opens read-only.
        read_only: Whether the file must open read-only.
        damage: The failed quick check, when the file is damaged.
        notices: What the user should be told.
        on_network: The file is on a network drive.
        read_only_reason: Why the file opens read-only when the user did not ask for it (said
            when a change is refused).
    """

    lock: FileLock | None
    read_only: bool
    damage: IntegrityReport | None
    notices: list[str]
    on_network: bool
    read_only_reason: str | None = None


def open_file_safely(file: Path, *, read_only: bool, on_locked: str = "raise",
                     refuse_unusable: bool = False) -> OpenedFile:
    """Before a file is opened: take its lock and check its structure.

    Args:
        file: The database file (it may not exist yet).
        read_only: The caller wants it read-only anyway.
        on_locked: "raise", "read_only" or "take_over" (see open_workspace).
        refuse_unusable: Refuse a damaged file, and hold the lock even to read (see open_workspace).

    Raises:
        FileLockedError: somebody else has it open for editing and on_locked is "raise".
        DatabaseFileError: it is not a SQLite file at all, or (refuse_unusable) it is damaged.
    """
    notices: list[str] = []
    reason = None
    if file.exists() and file.stat().st_size > 0:
        with file.open("rb") as fh:
            if fh.read(16) != SQLITE_MAGIC:
                raise DatabaseFileError(f"{file} is not a tsa-desktop database file. It was not changed.")
    on_network = is_network_path(file)
    lock = None
    if not read_only or refuse_unusable:
        try:
            lock = acquire(file, default_user(), take_over=on_locked == "take_over")
        except DatabaseFileError as exc:
            if on_locked != "read_only":
                raise
            read_only = True
            holder = getattr(exc, "holder", None)
            notices.append(f"Opened read-only: {holder.describe()} has the file open for editing."
                           if holder else f"Opened read-only: {exc}")
            reason = (f"{holder.describe()} has this file open for editing, so it is open read-only"
                      if holder else "Somebody else has this file open for editing, so it is open read-only")
        else:
            if lock.cleared is not None:
                notices.append(f"tsa-desktop was not closed properly by {lock.cleared.describe()}. Its lock "
                               "was cleared and the file was checked.")
    damage = None
    try:
        if lock is not None and clear_restore_leftovers(file):
            notices.append(f"A restore that did not finish had left a copy of the data beside {file.name}; "
                           "it was removed (the file itself was not changed).")
        if file.exists() and file.stat().st_size > 0:
            report = check_file(file)
            if not report.ok:
                log.warning("%s failed its quick check: %s", file, report.problems)
                if refuse_unusable:
                    raise DatabaseFileError(
                        f"{file} is damaged, so it cannot be used. Restore the latest good backup (tsa-desktop "
                        "restore BACKUP); tsa-desktop verify lists what is wrong. It was not changed.")
                damage, read_only = report, True
                reason = "This file is damaged, so it is open read-only"
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
    return OpenedFile(lock, read_only, damage, notices, on_network, reason)


def sign_in_on_open(workspace: Workspace, user: str | None, password: str | None, require: bool,
                    need: Sequence[str | Callable[[Workspace], None]] = ()) -> None:
    """Sign in when the file has sign-in turned on, and check the role allows ``need`` (see open_workspace).

    The sign-in is recorded in the audit trail only once the role was found to allow ``need``:
    a refused command changes nothing in the file.
    """
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
        workspace.users.sign_in(user, password, record=False)
        for action in need:
            if callable(action):
                action(workspace)
            else:
                db.permissions.require(action)
        workspace.users.record_sign_in()
    elif require:
        raise SignInRequiredError(
            f"{db.display_name} has sign-in turned on. In the window you are asked for your name and "
            "password; scripts set TSA_DESKTOP_USER and TSA_DESKTOP_PASSWORD.")
    else:
        db.permissions = Permissions.signed_out()


def check_restore_allowed(target: str | Path) -> str:
    """Before the command line restores over ``target``: may this person do it?

    A file with sign-in asks for an ITT lead (TSA_DESKTOP_USER and TSA_DESKTOP_PASSWORD). A
    missing, empty or damaged file may be restored by anyone who can write to it: its users may
    not be readable any more, and the file permissions are what protects it then. A file that is
    no tsa-desktop database at all, or that a newer version wrote, is not replaced.

    Returns:
        The name to record in the audit trail.

    Raises:
        PermissionDeniedError, SignInRequiredError, SignInError. DatabaseFileError: ``target``
        is not a tsa-desktop database, or a newer version wrote it.
    """
    url = to_url(target)
    path = sqlite_path(url)
    if path is not None:
        if not path.exists() or path.stat().st_size == 0:
            return default_user()
        with path.open("rb") as fh:
            if fh.read(16) != SQLITE_MAGIC:
                raise DatabaseFileError(f"{path} is not a tsa-desktop database file, so a backup is not restored "
                                        "over it. It was not changed.")
        if not check_file(path).ok:
            return default_user()
    ws = open_workspace(target, read_only=True)
    try:
        ws.permissions.require("restore")
        return ws.db.user
    finally:
        ws.close()


def held_by_me(error: FileLockedError) -> bool:
    """Whether a lock that refused a file is this person's own, on this computer (their window
    left open while a scheduled backup runs), rather than somebody else's."""
    import socket

    holder = error.holder
    return (holder is not None and holder.user.casefold() == default_user().casefold()
            and holder.computer.casefold() == socket.gethostname().casefold())
