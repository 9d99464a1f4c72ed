"""Collect every problem with a record before refusing it, so the user fixes them all at once."""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from tsa_desktop.domain.errors import FieldProblem, ValidationError
from tsa_desktop.domain.labels import field_label

T = TypeVar("T")


class Collector:
    """Parse fields one by one, remembering each problem instead of stopping at the first.

    Args:
        row: The file's row, for the messages of an import.
        source: What the problems are about (a file), for the head of the message.
        kind: The record's kind (a table name, see domain/labels.py): problems name fields by
            their labels ("Contact email") rather than by their names ("contact_email").

    Example:
        c = Collector(kind="schools")
        urn = c.required("urn", raw.get("urn"), parse_urn)
        c.raise_if_any()
    """

    def __init__(self, row: int | None = None, source: str | None = None, kind: str | None = None) -> None:
        self.row = row
        self.source = source
        self.kind = kind
        self.problems: list[FieldProblem] = []

    def _problem(self, field: str, message: str, value: Any = None) -> FieldProblem:
        label = field_label(self.kind, field) if self.kind is not None else ""
        return FieldProblem(field, message, self.row, _shown(value), label)

    def required(self, field: str, value: Any, parse: Callable[[Any], T]) -> T | None:
        """Parse a value that must be given."""
        if value is None or (isinstance(value, str) and not value.strip()):
            self.problems.append(self._problem(field, "is required"))
            return None
        return self.optional(field, value, parse)

    def optional(self, field: str, value: Any, parse: Callable[[Any], T], default: T | None = None) -> T | None:
        """Parse a value that may be empty; empty gives ``default``."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return default
        try:
            return parse(value)
        except ValueError as exc:
            self.problems.append(self._problem(field, str(exc), value))
            return None

    def add(self, field: str, message: str, value: Any = None) -> None:
        """Record a problem found by a rule across fields."""
        self.problems.append(self._problem(field, message, value))

    def raise_if_any(self) -> None:
        """Raise one ValidationError with every problem collected."""
        if self.problems:
            raise ValidationError(self.problems, self.source)


def _shown(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def text_or_empty(value: Any) -> str:
    """Trimmed text, or "" for a missing value."""
    return "" if value is None else str(value).strip()
