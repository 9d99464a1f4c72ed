"""Bring a database up to this version's schema: back up, refuse newer, upgrade all or nothing."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import URL

from tsa_desktop.db.copies import backup_sqlite, timestamped_name
from tsa_desktop.db.engine import create_db_engine, sqlite_path
from tsa_desktop.domain.errors import DatabaseFileError, NewerDatabaseError

# Alembic is imported only where a migration really runs: loading it and its ScriptDirectory is
# ~0.1 s of every start-up, and a file already at the head needs neither (see _head_from_files).
if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: The PostgreSQL advisory lock key held while a database is upgraded ("tsa-desk" in ASCII).
_MIGRATION_LOCK = 0x7473612D6465736B


@dataclass(frozen=True)
class MigrationReport:
    """What opening the database did to it.

    Attributes:
        created: The database was empty and the schema was created.
        from_revision: The revision found, or None for an empty database.
        to_revision: The revision after the upgrade.
        backup: The copy made before upgrading, if any.
    """

    created: bool
    from_revision: str | None
    to_revision: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.from_revision != self.to_revision


def alembic_config(script_location: Path = MIGRATIONS) -> Config:
    """An Alembic config pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    return cfg


def head_revision(script_location: Path = MIGRATIONS) -> str:
    """The newest revision this version of the program knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(script_location)).get_current_head()


_REVISION = re.compile(r"^revision\s*(?::[^=\n]*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\s*(?::[^=\n]*)?=(.*)$", re.MULTILINE)
_QUOTED = re.compile(r"['\"]([^'\"]+)['\"]")


def _head_from_files(script_location: Path = MIGRATIONS) -> str | None:
    """The head revision read from the scripts' text without Alembic, or None when in doubt.

    Only the question "is this file already up to date?" is answered this way. A script the
    patterns do not read, or a history with other than one head, gives None and the caller asks
    Alembic; so a wrong answer here can cost time, never a refused or skipped upgrade.
    """
    scripts = [p for p in sorted((script_location / "versions").glob("*.py")) if p.name != "__init__.py"]
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in scripts:
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.findall(source), _DOWN_REVISION.findall(source)
        if len(revision) != 1 or len(down) != 1:
            return None
        revisions.add(revision[0])
        parents.update(_QUOTED.findall(down[0]))  # a merge revises a tuple of parents
    heads = revisions - parents
    if len(revisions) != len(scripts) or len(heads) != 1:
        return None
    return heads.pop()


def is_known_revision(revision: str, script_location: Path = MIGRATIONS) -> bool:
    """Whether this version knows ``revision`` (False: a newer version wrote the file)."""
    if revision == _head_from_files(script_location):
        return True  # every open of an up-to-date file: no need to load Alembic
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(script_location))
    return revision in {rev.revision for rev in script.walk_revisions()}


def current_revision(url: URL) -> str | None:
    """The revision stamped in the database, or None when it has no schema yet."""
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            inspector = inspect(conn)
            if not inspector.has_table("alembic_version"):
                others = [t for t in inspector.get_table_names() if not t.startswith("sqlite_")]
                if others:
                    raise DatabaseFileError(
                        f"{_name(url)} is a database, but not one of tsa-desktop's "
                        f"(it has tables {', '.join(sorted(others)[:5])}). It was not changed."
                    )
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def upgrade_database(
    url: URL, backup_dir: Path | None, script_location: Path = MIGRATIONS
) -> MigrationReport:
    """Upgrade a database to this version's head revision.

    Steps: check the file is a SQLite database; refuse a revision this version does not know (a
    newer program wrote it); back the file up; run every pending migration in ONE transaction
    with foreign keys off (batch migrations rebuild tables), check foreign keys, then commit.
    Any failure rolls the whole upgrade back, leaving the file exactly as it was.

    Args:
        url: The database.
        backup_dir: Where to put the copy made before upgrading a file that holds data.
        script_location: The migrations folder (tests point it at a copy).

    Raises:
        NewerDatabaseError: The file was written by a newer version; it was left untouched.
        DatabaseFileError: The file is not a SQLite database or the upgrade failed.
    """
    path = sqlite_path(url)
    if path is not None and path.exists() and path.stat().st_size > 0:
        with path.open("rb") as fh:
            if fh.read(16) != _SQLITE_MAGIC:
                raise DatabaseFileError(f"{path} is not a tsa-desktop database file. It was not changed.")

    found = current_revision(url)
    if found is not None and found == _head_from_files(script_location):
        return MigrationReport(False, found, found, None)  # every start but the first after an update

    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(script_location))
    head = script.get_current_head()
    if found is not None and found not in {rev.revision for rev in script.walk_revisions()}:
        raise NewerDatabaseError(
            f"{_name(url)} was written by a newer version of tsa-desktop (schema {found}); this "
            f"version knows schemas up to {head}. Install the newer version to open it. "
            "The file was not changed."
        )
    if found == head:
        return MigrationReport(False, found, head, None)

    backup = None
    if path is not None and found is not None and backup_dir is not None:
        backup = backup_sqlite(path, backup_dir / timestamped_name(path, f"before-{head}"))
        log.info("backed up %s to %s before upgrading from %s", path, backup, found)

    engine = create_db_engine(url, foreign_keys=False)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Two people starting a new version against the same server at once: the second
                # waits here for the first's upgrade, then Alembic finds the schema at the head
                # and does nothing (instead of failing on tables that now exist).
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)" % _MIGRATION_LOCK)
            cfg = alembic_config(script_location)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            if conn.dialect.name == "sqlite":
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise DatabaseFileError(
                        f"Upgrading {_name(url)} would break {len(broken)} links between records "
                        f"(first in table {broken[0][0]}). It was not changed."
                    )
    except DatabaseFileError:
        raise
    except Exception as exc:
        log.exception("upgrade of %s failed", _name(url))
        raise DatabaseFileError(
            f"Could not upgrade {_name(url)} to this version ({type(exc).__name__}: {exc}). "
            "It was not changed."
            + (f" A copy made before the attempt is at {backup}." if backup else "")
        ) from exc
    finally:
        engine.dispose()
    log.info("upgraded %s from %s to %s", _name(url), found, head)
    return MigrationReport(found is None, found, head, backup)


def _name(url: URL) -> str:
    path = sqlite_path(url)
    return str(path) if path else url.render_as_string(hide_password=True)
