"""Collect every problem with a record before refusing it, so the user fixes them all at once."""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from tsa_desktop.domain.errors import FieldProblem, ValidationError

T = TypeVar("T")


class Collector:
    """Parse fields one by one, remembering each problem instead of stopping at the first.

    Example:
        c = Collector(row=None)
        urn = c.required("urn", raw.get("urn"), parse_urn)
        c.raise_if_any()
    """

    def __init__(self, row: int | None = None, source: str | None = None) -> None:
        self.row = row
        self.source = source
        self.problems: list[FieldProblem] = []

    def required(self, field: str, value: Any, parse: Callable[[Any], T]) -> T | None:
        """Parse a value that must be given."""
        if value is None or (isinstance(value, str) and not value.strip()):
            self.problems.append(FieldProblem(field, "is required", self.row))
            return None
        return self.optional(field, value, parse)

    def optional(self, field: str, value: Any, parse: Callable[[Any], T], default: T | None = None) -> T | None:
        """Parse a value that may be empty; empty gives ``default``."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return default
        try:
            return parse(value)
        except ValueError as exc:
            self.problems.append(FieldProblem(field, str(exc), self.row, _shown(value)))
            return None

    def add(self, field: str, message: str, value: Any = None) -> None:
        """Record a problem found by a rule across fields."""
        self.problems.append(FieldProblem(field, message, self.row, _shown(value)))

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
