"""What every service shares: its database, and turning database errors into DomainErrors."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy.exc import IntegrityError
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

    def __init__(self, db: Database) -> None:
        self._db = db

    @property
    def db(self) -> Database:
        return self._db

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """A transaction for a change: refused when read-only; integrity errors become messages."""
        if self._db.read_only:
            raise ReadOnlyError("This file is open read-only: the change was not saved.")
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
