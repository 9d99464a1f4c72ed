"""The DomainError hierarchy: every error a user can cause and fix.

Services raise these for bad input; the window shows them as a message and the command line
prints them on stderr with exit code 2. Anything that is not a DomainError is a bug: it is logged
with its traceback and shown to the user as a short apology.
"""

from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    """Base class for errors the user can fix. ``str(err)`` is the message to show."""

    exit_code = 2


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one value.

    Attributes:
        field: The field or column name as the user knows it (``urn``, ``postcode``).
        message: What is wrong and what would be accepted.
        row: The 1-based row of the file (header is row 1), or None outside imports.
        value: The offending value as given, for the message.
    """

    field: str
    message: str
    row: int | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        shown = f" (got {self.value!r})" if self.value not in (None, "") else ""
        return f"{where}{self.field}: {self.message}{shown}"


class ValidationError(DomainError):
    """One or more values are not acceptable; nothing was changed."""

    def __init__(self, problems: list[FieldProblem] | FieldProblem, source: str | None = None):
        if isinstance(problems, FieldProblem):
            problems = [problems]
        self.problems: list[FieldProblem] = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        if len(self.problems) == 1:
            text = head + str(self.problems[0])
        else:
            text = head + f"{len(self.problems)} problems, nothing was changed:\n" + "\n".join(
                f"  {p}" for p in self.problems
            )
        super().__init__(text)

    @classmethod
    def single(cls, field: str, message: str, value: object = None) -> "ValidationError":
        """Build an error about one field outside any file."""
        return cls(FieldProblem(field, message, value=None if value is None else str(value)))


class NotFoundError(DomainError):
    """The record asked for does not exist (any more)."""


class ConflictError(DomainError):
    """The change clashes with the data as it is, e.g. a duplicate key."""


class DeleteRefusedError(ConflictError):
    """A delete was refused because other records depend on the record."""


class StaleRecordError(ConflictError):
    """Somebody else saved the record since it was read: the save was refused."""


class DatabaseFileError(DomainError):
    """The database file cannot be used (damaged, newer version, locked, not a database)."""


class NewerDatabaseError(DatabaseFileError):
    """The file was written by a newer version of the program; it was left untouched."""


class CancelledError(DomainError):
    """Long work was cancelled by the user; nothing was changed."""

    exit_code = 1
