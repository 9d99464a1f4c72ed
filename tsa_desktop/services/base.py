"""What every service shares: its database, and turning database errors into DomainErrors."""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from typing import Any, Iterator

from sqlalchemy import event, inspect
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tsa_desktop.db.engine import Database
from tsa_desktop.domain.errors import ConflictError, DomainError, StaleRecordError
from tsa_desktop.domain.labels import field_label, noun

log = logging.getLogger(__name__)


class ReadOnlyError(DomainError):
    """The file is open read-only (someone else is editing it, or it is damaged)."""


class Service:
    """Base of the use-case classes.

    Args:
        db: The open database.
    """

    #: What a signed-in user must be allowed to do for this service's changes: "edit", or e.g.
    #: "import" or "letters" for a service that office staff may use (see services/users.py).
    permission = "edit"

    def __init__(self, db: Database) -> None:
        self._db = db

    @property
    def db(self) -> Database:
        return self._db

    def _require(self, action: str) -> None:
        """Refuse with PermissionDeniedError unless the signed-in user may do ``action``."""
        if self._db.permissions is not None:
            self._db.permissions.require(action)

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """A transaction for a change: refused when read-only or not allowed; errors become messages."""
        if self._db.read_only:
            why = getattr(self._db, "read_only_reason", None) or "This file is open read-only"
            raise ReadOnlyError(f"{why}: the change was not saved.")
        if self._db.write_guard is not None:
            self._db.write_guard()
        if self._db.permissions is not None:
            self._db.permissions.require_write(self)
        saving: dict[str, list[str]] = {}
        try:
            with self._db.transaction() as session:
                event.listen(session, "before_flush", _note_saving(saving))
                yield session
        except StaleDataError as exc:
            # The version column refused the UPDATE: somebody else committed the same record
            # between this transaction reading it and writing it (on PostgreSQL two transactions
            # can read the same version; the second UPDATE then matches no row).
            raise StaleRecordError(
                f"{_stale_what(exc, saving)} changed by somebody else after you opened it. Your change "
                "was not saved: reload to see their version, then make your change again."
            ) from exc
        except IntegrityError as exc:
            log.info("integrity error turned into a message: %s", exc)
            raise ConflictError(_integrity_message(exc)) from exc
        except DBAPIError as exc:
            if _server_conflict(exc):
                log.info("server refused a concurrent change: %s", exc)
                raise ConflictError(
                    "Somebody else was changing the same records at the same moment, and the database "
                    "refused one of the two changes. Yours was not saved; reload and try again."
                ) from exc
            if not isinstance(exc, OperationalError) or (
                    "locked" not in str(exc.orig).lower() and "busy" not in str(exc.orig).lower()):
                raise
            log.info("database busy: %s", exc)
            raise ConflictError(
                "The file was busy: another program kept it locked for more than 15 seconds. "
                "Your change was not saved; try again in a moment."
            ) from exc

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._db.reading() as session:
            yield session


#: PostgreSQL's SQLSTATEs for a change refused because of another transaction: serialization
#: failure, deadlock detected, lock not available (lock_timeout).
_SERVER_CONFLICTS = frozenset({"40001", "40P01", "55P03"})


def _server_conflict(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in _SERVER_CONFLICTS


def _note_saving(saving: dict[str, list[str]]) -> Any:
    """A before_flush listener noting, by table, what each flush updates (for a stale-record message)."""

    def before_flush(session: Session, _context: Any, _instances: Any) -> None:
        for obj in session.dirty:
            table = getattr(getattr(obj, "__table__", None), "name", None)
            if table is not None and "version" in obj.__table__.c:
                name = describe_record(obj)
                if name not in saving.setdefault(table, []):
                    saving[table].append(name)

    return before_flush


def describe_record(obj: Any) -> str:
    """A record as people know it ("Wildern School", "Amy Maths"), from what is already loaded."""
    state = inspect(obj)
    # As the record was when it was read: a change not saved yet is not what others know it by.
    values = {**state.dict, **{k: v for k, v in state.committed_state.items() if isinstance(v, (str, int))}}
    for keys in (("name",), ("first_names", "last_name"), ("first_name", "last_name"), ("username",)):
        found = [str(values[k]) for k in keys if values.get(k)]
        if found:
            return " ".join(found)
    # A record without a name (a placement, an assessment): its id means nothing to a person.
    return f"This {noun(obj.__table__.name)}"


def _stale_what(exc: StaleDataError, saving: dict[str, list[str]]) -> str:
    """ "Wildern School was" for the record the version column refused (or "This record was")."""
    match = re.search(r"table '([^']+)'", str(exc))
    names = saving.get(match.group(1), []) if match else []
    if len(names) == 1:
        return f"{names[0]} was"
    if names:
        return f"One of {', '.join(names)} was"
    return "This record was"


def _integrity_message(exc: IntegrityError) -> str:
    """What the database refused, in the words of the window: the record's kind and fields' labels."""
    text = str(exc.orig)
    table, columns = _refused_columns(exc)
    if "UNIQUE" in text.upper() or "duplicate key" in text:
        if table and columns:
            fields = " and ".join(field_label(table, c) for c in columns)
            return f"There is already {_a(noun(table))} with this {fields}. Nothing was changed."
        return "That would duplicate a record that exists already. Nothing was changed."
    if "FOREIGN KEY" in text.upper():
        return "That record is still referred to by other records. Nothing was changed."
    if ("NOT NULL" in text.upper() or "null value" in text) and table and columns:
        return f"{field_label(table, columns[0])} is required. Nothing was changed."
    return "The change breaks a rule of how records fit together. Nothing was changed."


#: SQLite: "UNIQUE constraint failed: schools.urn, schools.phase" (or NOT NULL ... : schools.name).
_SQLITE_COLUMNS = re.compile(r"constraint failed: (.+)$")
#: PostgreSQL: DETAIL: Key (urn)=(100001) already exists; or: null value in column "name" of relation "schools".
_SERVER_KEY = re.compile(r"Key \(([^)]*)\)=")
_SERVER_NULL = re.compile(r'column "([^"]+)" of relation "([^"]+)"')
_STATEMENT_TABLE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE)\s+"?(\w+)"?', re.IGNORECASE)


def _refused_columns(exc: IntegrityError) -> tuple[str | None, list[str]]:
    """The table and columns a refused change is about, as far as the driver's message tells."""
    text = str(exc.orig)
    found = _SQLITE_COLUMNS.search(text.splitlines()[0] if text else "")
    if found:
        pairs = [part.strip().split(".", 1) for part in found.group(1).split(",")]
        pairs = [p for p in pairs if len(p) == 2]
        if pairs:
            return pairs[0][0], [column for _table, column in pairs]
    null = _SERVER_NULL.search(text)
    if null:
        return null.group(2), [null.group(1)]
    diag = getattr(exc.orig, "diag", None)
    table = getattr(diag, "table_name", None)
    if table is None and exc.statement:
        statement = _STATEMENT_TABLE.match(exc.statement)
        table = statement.group(1) if statement else None
    key = _SERVER_KEY.search(text)
    columns = [c.strip().strip('"') for c in key.group(1).split(",")] if key else []
    return table, columns


def _a(word: str) -> str:
    """The word with its article: "a school", "an academic year", "an NQT"."""
    return f"an {word}" if word[:1].lower() in "aeio" or word.startswith("NQT") else f"a {word}"


def check_version(found: int, expected: int | None, what: str) -> None:
    """Refuse to save over a record that changed since the user read it.

    Args:
        found: The record's version now.
        expected: The version the user's edit started from, or None to skip the check.
        what: The record, for the message.
    """
    if expected is not None and found != expected:
        raise StaleRecordError(
            f"{what} was changed by somebody else after you opened it. Your change was not saved: "
            "reload to see their version, then make your change again."
        )
