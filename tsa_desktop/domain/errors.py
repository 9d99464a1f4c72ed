"""The DomainError hierarchy: every error a user can cause and fix.

Services raise these for bad input; the window shows them as a message and the command line
prints them on stderr with exit code 2. Anything that is not a DomainError is a bug: it is logged
with its traceback and shown to the user as a short apology.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tsa_desktop.domain.labels import field_label, known_label


class DomainError(Exception):
    """Base class for errors the user can fix. ``str(err)`` is the message to show."""

    exit_code = 2


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one value.

    Attributes:
        field: The field: a file's column as its header names it (``urn``), or the name of a
            record's field (``employing_school_id``) by which a form finds its widget.
        message: What is wrong and what would be accepted.
        row: The 1-based row of the file (header is row 1), or None outside imports.
        value: The offending value as given, for the message.
        label: The field as the window names it ("Employing school", from domain/labels.py); the
            message shows it instead of ``field`` when given.
    """

    field: str
    message: str
    row: int | None = None
    value: str | None = None
    label: str = ""

    @property
    def shown_field(self) -> str:
        """The field as the message names it: its label, else its name as given."""
        return self.label or self.field

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        shown = f" (got {self.value!r})" if self.value not in (None, "") else ""
        return f"{where}{self.shown_field}: {self.message}{shown}"


class ValidationError(DomainError):
    """One or more values are not acceptable; nothing was changed."""

    def __init__(self, problems: list[FieldProblem] | FieldProblem, source: str | None = None,
                 kind: str | None = None):
        """
        Args:
            problems: What is wrong.
            source: What the problems are about (a file), for the head of the message.
            kind: The record's kind (a table name): problems about its fields are shown with the
                fields' labels (domain/labels.py).
        """
        if isinstance(problems, FieldProblem):
            problems = [problems]
        if kind is not None:
            problems = [p if p.label else replace(p, label=known_label(kind, p.field) or "") for p in problems]
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
    def single(cls, field: str, message: str, value: object = None, *,
               kind: str | None = None) -> "ValidationError":
        """Build an error about one field outside any file.

        Args:
            field: The field's name, or the words for it when ``kind`` is None.
            message: What is wrong.
            value: The value refused, for the message.
            kind: The record's kind (a table name): the message names the field by its label.
        """
        label = field_label(kind, field) if kind is not None else ""
        return cls(FieldProblem(field, message, value=None if value is None else str(value), label=label))


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
