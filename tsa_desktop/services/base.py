"""What every service shares: its database, and turning database errors into DomainErrors."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tsa_desktop.db.engine import Database
from tsa_desktop.domain.errors import ConflictError, DomainError, StaleRecordError

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
            raise ReadOnlyError("This file is open read-only: the change was not saved.")
        if self._db.write_guard is not None:
            self._db.write_guard()
        if self._db.permissions is not None:
            self._db.permissions.require_write(self)
        try:
            with self._db.transaction() as session:
                yield session
        except StaleDataError as exc:
            raise StaleRecordError(
                "Somebody else saved this record after you opened it. Your change was not saved: "
                "reload to see their version, then make your change again."
            ) from exc
        except IntegrityError as exc:
            log.info("integrity error turned into a message: %s", exc)
            raise ConflictError(_integrity_message(exc)) from exc
        except OperationalError as exc:
            if "locked" not in str(exc.orig).lower() and "busy" not in str(exc.orig).lower():
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


def _integrity_message(exc: IntegrityError) -> str:
    text = str(exc.orig)
    if "UNIQUE" in text.upper() or "unique" in text:
        detail = text.split(":", 1)[-1].strip()
        return f"That would create a duplicate ({detail}). Nothing was changed."
    if "FOREIGN KEY" in text.upper():
        return "That record is still referred to by other records. Nothing was changed."
    return f"The database refused the change ({text}). Nothing was changed."


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
