"""Open a database: a SQLite file (the default) or a server URL, and make sessions on it."""

from __future__ import annotations

import getpass
import os
import socket
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker


def to_url(path_or_url: str | os.PathLike[str]) -> URL:
    """Turn ``--db`` into a SQLAlchemy URL: a path becomes ``sqlite:///<absolute path>``."""
    text = os.fspath(path_or_url)
    if "://" in text:
        return make_url(text)
    return make_url("sqlite:///" + str(Path(text).expanduser().resolve()))


def sqlite_path(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for a server or an in-memory database."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def create_db_engine(url: URL | str, *, foreign_keys: bool = True) -> Engine:
    """Create an engine with this program's connection settings.

    SQLite gets enforced foreign keys, a busy timeout, and pysqlite's implicit transaction
    handling turned off with an explicit BEGIN instead: that is SQLAlchemy's documented recipe
    for transactional DDL, without which a failed migration leaves half-built tables behind.

    Args:
        url: A SQLAlchemy URL.
        foreign_keys: False only for migrations, which rebuild tables that others refer to.
    """
    url = make_url(url) if isinstance(url, str) else url
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)

    # Long work runs on a worker thread: the pool hands each connection to one thread at a time.
    engine = create_engine(url, connect_args={"timeout": 15, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001 - DBAPI objects
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA busy_timeout = 15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001
        connection.exec_driver_sql("BEGIN")

    return engine


@dataclass
class Database:
    """An open database: its engine, a session factory, and who is using it.

    Attributes:
        url: Where the data lives.
        engine: The SQLAlchemy engine.
        user: The name recorded in the audit trail.
        computer: The computer recorded in the audit trail.
        read_only: True when the file was opened read-only; services refuse changes.
    """

    url: URL
    engine: Engine
    user: str = field(default_factory=lambda: _default_user())
    computer: str = field(default_factory=socket.gethostname)
    read_only: bool = False

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

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
        with self._factory() as session, session.begin():
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


def _default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # getpass raises several kinds on odd Windows set-ups
        return os.environ.get("USERNAME", "unknown")
