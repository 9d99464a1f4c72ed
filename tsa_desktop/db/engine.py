"""Open a database: a SQLite file (the default) or a server URL, and make sessions on it."""

from __future__ import annotations

import getpass
import os
import socket
import sqlite3
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from sqlalchemy import Engine, Integer, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from tsa_desktop.db import audit
from tsa_desktop.db.events import listen_once

#: File systems on which SQLite's WAL mode is unsafe: it needs shared memory between all users
#: of the file, which only works when they are on the same computer.
NETWORK_FILE_SYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph",
    "glusterfs", "fuse.sshfs", "sshfs", "davfs", "fuse.davfs2", "webdav", "afpfs", "lustre",
    "fuse.glusterfs", "fuse.cephfs", "fuse.rclone",
})


def to_url(path_or_url: str | os.PathLike[str]) -> URL:
    """Turn ``--db`` into a SQLAlchemy URL: a path becomes ``sqlite:///<absolute path>``.

    ``postgresql://`` without a driver means psycopg 3, the driver this program ships with
    (SQLAlchemy would otherwise look for psycopg2).
    """
    text = os.fspath(path_or_url)
    if "://" in text:
        url = make_url(text)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        return url
    return make_url("sqlite:///" + str(Path(text).expanduser().resolve()))


def sqlite_path(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for a server or an in-memory database."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def is_network_path(path: Path, mounts: str | None = None) -> bool:
    """Whether a file lives on a network drive (a Windows share, NFS, SMB...).

    Args:
        path: The file (it need not exist yet; its folder is looked at).
        mounts: The text of /proc/mounts, for tests; read from the system when None.
    """
    path = Path(os.path.abspath(path))
    if sys.platform == "win32":
        return _windows_is_remote(str(path))
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:  # macOS and others: no /proc; assume local rather than guess
            return False
    best, best_type = "", ""
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = str(path) == point or str(path).startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, parts[2]
    return best_type.lower() in NETWORK_FILE_SYSTEMS


def _windows_is_remote(path: str) -> bool:  # pragma: no cover - Windows only
    if path.startswith("\\\\"):
        return True  # \\server\share\...
    import ctypes

    root = os.path.splitdrive(path)[0] + "\\"
    drive_remote = 4
    return ctypes.windll.kernel32.GetDriveTypeW(root) == drive_remote


def create_db_engine(url: URL | str, *, foreign_keys: bool = True, journal_mode: str | None = None,
                     read_only: bool = False) -> Engine:
    """Create an engine with this program's connection settings.

    SQLite gets enforced foreign keys, a busy timeout, and pysqlite's implicit transaction
    handling turned off with an explicit BEGIN instead: that is SQLAlchemy's documented recipe
    for transactional DDL, without which a failed migration leaves half-built tables behind.
    A transaction begins ``IMMEDIATE`` (taking the write lock at once) when the engine carries
    the execution option ``tsa_begin="IMMEDIATE"``: see :class:`Database`.

    Args:
        url: A SQLAlchemy URL.
        foreign_keys: False only for migrations, which rebuild tables that others refer to.
        journal_mode: SQLite only: "WAL" or "DELETE" to set the file's journal mode, None to
            leave it as it is (migrations and checks must not change the file's header).
        read_only: SQLite only: open the file with ``mode=ro`` so nothing can be written to it,
            not even by a bug (a damaged file, or one somebody else is editing).
    """
    url = to_url(url) if isinstance(url, str) else url
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)

    path = sqlite_path(url)
    kwargs: dict[str, Any] = {"connect_args": {"timeout": 15, "check_same_thread": False}}
    if read_only and path is not None:
        uri = path.as_uri() + "?mode=ro"
        kwargs = {"creator": lambda: sqlite3.connect(uri, uri=True, timeout=15, check_same_thread=False)}
    # Long work runs on a worker thread: the pool hands each connection to one thread at a time.
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001 - DBAPI objects
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA busy_timeout = 15000")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
        elif journal_mode is not None:
            cursor.execute(f"PRAGMA journal_mode = {journal_mode}")
            # FULL: a commit is on the disk before the program says it is saved, in both modes.
            cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001
        mode = connection.get_execution_options().get("tsa_begin", "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())

    return engine


@dataclass
class Database:
    """An open database: its engine, session factories, and who is using it.

    Attributes:
        url: Where the data lives.
        engine: The SQLAlchemy engine.
        user: The name recorded in the audit trail (the signed-in user, or the computer login).
        computer: The computer recorded in the audit trail.
        read_only: True when the file was opened read-only; services refuse changes.
        permissions: What the signed-in user may do (services/users.py), or None when the file
            does not use sign-in.
        write_guard: Called before every change; raises to refuse it (e.g. when somebody else
            has taken over the file's lock since it was opened).
        read_only_reason: Why the file is read-only when the user did not choose it (damaged,
            somebody else editing), said when a change is refused.
    """

    url: URL
    engine: Engine
    user: str = field(default_factory=lambda: default_user())
    computer: str = field(default_factory=socket.gethostname)
    read_only: bool = False
    permissions: Any = None
    write_guard: Callable[[], None] | None = None
    read_only_reason: str | None = None

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        writer = self.engine
        if self.engine.dialect.name == "sqlite" and not self.read_only:
            # Take SQLite's write lock when a change begins, not half-way through it: a second
            # writer then waits and reads the first one's result (and its new version numbers)
            # instead of failing with "database is locked" after reading stale rows.
            writer = self.engine.execution_options(tsa_begin="IMMEDIATE")
        self._write_factory = sessionmaker(writer, expire_on_commit=False)
        audit.install(self._write_factory)  # the audit trail records every change made here
        if self.engine.dialect.name == "postgresql":
            install_sequence_repair(self._write_factory)

    @property
    def session_factories(self) -> tuple[sessionmaker, sessionmaker]:
        """Both session factories (for reading and for changes), to attach session events to."""
        return self._factory, self._write_factory

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        return sqlite_path(self.url)

    @property
    def display_name(self) -> str:
        """What the status bar shows: the file path, or the URL without its password."""
        path = self.path
        return str(path) if path else self.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One use case's unit of work: commits on success, rolls back on any error."""
        with self._write_factory() as session, session.begin():
            session.info["db"] = self
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only; anything flushed is rolled back."""
        with self._factory() as session, session.begin():
            session.info["db"] = self
            yield session
            session.rollback()

    def dispose(self) -> None:
        """Close every pooled connection (before the file is moved or replaced)."""
        self.engine.dispose()


# --- PostgreSQL ------------------------------------------------------------------------------------
# Rows inserted with their ids given (the demo, a restore, an undo that re-creates a record) do not
# move PostgreSQL's id sequences on, and the next ordinary insert would collide with them. SQLite
# has no such problem (its next id is always max(id) + 1). So after every insert on PostgreSQL the
# sequences of the tables inserted into are moved past the largest id, never backwards.

#: Where each connection keeps the sequence of each table (``Connection.info``). Per connection,
#: not per engine id: an id is reused once an engine is gone, and a cache keyed by it would move
#: the sequence of another database or schema (the one opened before) instead of this one's.
_SEQUENCES = "tsa_id_sequences"


def install_sequence_repair(factory: sessionmaker) -> None:
    """Keep PostgreSQL id sequences ahead of ids inserted explicitly through ``factory``'s sessions."""
    listen_once(factory, "sequence repair", ("after_flush", _repair_after_flush),
                ("do_orm_execute", _repair_after_bulk_insert))


def _repair_after_flush(session: Session, _context: Any) -> None:
    tables = {obj.__table__ for obj in session.new if hasattr(obj, "__table__")}
    for table in tables:
        repair_sequence(session.connection(), table)


def _repair_after_bulk_insert(state: Any) -> Any:
    table = getattr(state.statement, "table", None)
    if not state.is_insert or table is None:
        return None
    result = state.invoke_statement()
    repair_sequence(state.session.connection(), table)
    return result


def repair_sequence(conn: Any, table: Any) -> None:
    """Move the id sequence of ``table`` past its largest id (PostgreSQL; no-op elsewhere)."""
    if conn.dialect.name != "postgresql":
        return
    pk = list(table.primary_key.columns)
    if len(pk) != 1 or not pk[0].autoincrement or pk[0].type._type_affinity is not Integer:
        return
    known = conn.info.setdefault(_SEQUENCES, {})
    if table.name not in known:
        known[table.name] = conn.exec_driver_sql(
            "SELECT pg_get_serial_sequence(%(t)s, %(c)s)", {"t": table.name, "c": pk[0].name}).scalar()
    sequence = known[table.name]
    if not sequence:
        return
    column, name = pk[0].name, table.name
    conn.exec_driver_sql(
        f'SELECT setval(%(s)s, top) FROM (SELECT max("{column}") AS top FROM "{name}") AS m '
        f"WHERE top > (SELECT last_value FROM {sequence})", {"s": sequence})


def default_user() -> str:
    """The computer login of the person running the program."""
    try:
        return getpass.getuser()
    except Exception:  # getpass raises several kinds on odd Windows set-ups
        return os.environ.get("USERNAME", "unknown")
