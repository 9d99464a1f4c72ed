"""The machinery behind the import schemas: columns, row parsing, keys and problems.

A :class:`Schema` turns a :class:`~tsa_desktop.formats.tabular.Table` into clean, frozen records
and a list of every problem found, each naming its row and column. It checks what one file can
show on its own (values, columns, duplicate keys). Whether a school URN or a mentor's email exists
in the database is the import service's question: records carry those references as given.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from tsa_desktop.domain.enums import LabelledEnum
from tsa_desktop.domain.errors import FieldProblem, ValidationError
from tsa_desktop.formats.schemas_values import parse_text
from tsa_desktop.formats.tabular import Table, normalise_header

_SPACES = re.compile(r"\s+")


class _Invalid:
    """A value that failed to parse, remembered with its message."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __repr__(self) -> str:
        return "INVALID"


#: Stands in ``values`` for a cell that had a problem, so that row checks can skip it.
INVALID: Any = _Invalid("invalid")
_REQUIRED = _Invalid("is required")


def fold_key(text: str | None) -> str | None:
    """Fold a text key for matching: case and runs of spaces do not matter."""
    if text is None or text is INVALID:
        return text
    return _SPACES.sub(" ", text).strip().casefold()


class KeyedRecord:
    """Mixin for records: ``key`` is what an import matches an existing record on.

    Duplicate keys within a file are found with the same folding, so a service that matches
    the database on ``record.key`` agrees with the file's own check.
    """

    __slots__ = ()
    KEY: ClassVar[tuple[str, ...]] = ()
    #: Key fields matched ignoring case and spacing.
    FOLDED: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def key_from(cls, get: Callable[[str], Any]) -> tuple:
        """The key built from field values fetched by ``get``."""
        return tuple(fold_key(get(f)) if f in cls.FOLDED else get(f) for f in cls.KEY)

    @property
    def key(self) -> tuple:
        """The values (folded where matching ignores case) this record is matched on."""
        return self.key_from(lambda f: getattr(self, f))


# --------------------------------------------------------------------------------------------
# Columns and schemas
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an import file.

    Attributes:
        name: The header as exported and documented; files may vary its case, spaces and
            underscores.
        parse: Turns the cell text into the clean value, or raises ValueError saying what
            would be accepted. Free text when not given.
        required: The column must be in the file and every row must have a value in it.
        attr: The record field it fills; the name when not given.
    """

    name: str
    parse: Callable[[str], Any] = parse_text
    required: bool = False
    attr: str = ""

    @property
    def field(self) -> str:
        """The record field this column fills."""
        return self.attr or self.name


R = TypeVar("R")

#: A check across the fields of one row. It is given the row's values (``INVALID`` where a
#: cell had a problem) and ``report(field, message, value)``; it may change the values, and
#: returns a reason to leave the row out on purpose, or None.
RowCheck = Callable[[dict[str, Any], Callable[[str, str, Any], None]], "str | None"]


@dataclass(frozen=True)
class ParseResult(Generic[R]):
    """Everything a schema found in a file.

    Attributes:
        kind: The import kind (``schools`` for a GIAS extract too).
        source: The file, for messages.
        records: One clean record per good row, in file order. Empty when a required column
            is missing.
        problems: Every problem, with row and column. An import must change nothing when
            there is any.
        skipped: Rows left out on purpose, with the reason (GIAS establishments that have no
            phase we place trainees in); not problems.
        present_fields: The record fields the file supplies. A field that is not among them
            was not in the file, so an update should keep what the database has.
        ignored_columns: Headers in the file that the kind does not use.
    """

    kind: str
    source: str
    records: list[R]
    problems: list[FieldProblem]
    skipped: list[FieldProblem] = field(default_factory=list)
    present_fields: frozenset[str] = frozenset()
    ignored_columns: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when there is no problem."""
        return not self.problems

    def raise_if_problems(self) -> None:
        """Raise one ValidationError listing every problem, naming the file.

        Raises:
            ValidationError: when there is any problem.
        """
        if self.problems:
            raise ValidationError(self.problems, source=self.source)


@dataclass(frozen=True)
class Schema(Generic[R]):
    """The columns, key and rules of one import kind, and the record it makes.

    Attributes:
        kind: The import kind, as the command line names it.
        record_type: The frozen dataclass made for each good row; it takes ``row`` and one
            keyword per field.
        columns: The columns, in export order.
        checks: Rules across the fields of a row (e.g. salaried routes need an employing school).
        derived: Field made by a check from a column's field (GIAS: ``phase_text`` -> ``phase``),
            for :attr:`ParseResult.present_fields`.
        variant: Picks another schema for a file by its headers (schools -> GIAS extract).
        export: Whether the columns are written by export (False for the GIAS extract).
        title: How messages name the format, when not by its kind ("a GIAS establishment
            extract").
    """

    kind: str
    record_type: type[R]
    columns: tuple[Column, ...]
    checks: tuple[RowCheck, ...] = ()
    derived: Mapping[str, str] = field(default_factory=dict)
    variant: Callable[[Table], "Schema[R] | None"] | None = None
    export: bool = True
    title: str = ""

    @property
    def key(self) -> tuple[str, ...]:
        """The fields a row is matched on (the key columns of INTERFACES.md)."""
        return self.record_type.KEY  # type: ignore[attr-defined]

    @property
    def column_names(self) -> tuple[str, ...]:
        """The headers, in export order."""
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Headers that must be in the file."""
        return tuple(c.name for c in self.columns if c.required)

    @property
    def optional_columns(self) -> tuple[str, ...]:
        """Headers that may be left out."""
        return tuple(c.name for c in self.columns if not c.required)

    def resolve(self, table: Table) -> "Schema[R]":
        """The schema that reads this file: this one, or a variant chosen by its headers."""
        if self.variant is not None:
            other = self.variant(table)
            if other is not None:
                return other
        return self

    def parse_rows(self, table: Table) -> tuple[list[R], list[FieldProblem]]:
        """Parse every row: the clean records of good rows and every problem found.

        Returns:
            (records, problems). Records of good rows come back even when other rows have
            problems, so that a preview can show them; an import must refuse the file when
            there is any problem.
        """
        result = self.parse(table)
        return result.records, result.problems

    def parse(self, table: Table) -> ParseResult[R]:
        """Parse every row, with what the file supplies and what was skipped."""
        schema = self.resolve(table)
        return schema._parse(table)

    def export_row(self, record: R) -> list[object]:
        """A record as export cells, in :attr:`column_names` order, ready for write_table."""
        return [export_value(getattr(record, c.field)) for c in self.columns]

    # ---------------------------------------------------------------------------------------

    def _parse(self, table: Table) -> ParseResult[R]:
        known = {normalise_header(c.name) for c in self.columns}
        ignored = tuple(h for h in table.headers if normalise_header(h) not in known)
        problems = self._column_problems(table)
        present = frozenset(
            self.derived.get(c.field, c.field) for c in self.columns if table.has(c.name)
        )
        if problems:
            return ParseResult(self.kind, table.source, [], problems, [], present, ignored)

        numbers = table.numbers
        # Problems are gathered per row, then listed row by row in column order.
        found: dict[int, list[FieldProblem]] = {}
        absent: dict[str, Any] = {}
        labels: dict[str, str] = {}
        fields: list[str] = []
        parsed_columns: list[list[Any]] = []
        for column in self.columns:
            header = table.header_for(column.name)
            labels[column.field] = header or column.name
            if header is None:
                absent[column.field] = None
                continue
            fields.append(column.field)
            parsed_columns.append(
                _parse_column(table.column(column.name), column, header, numbers, found)
            )

        record_type = self.record_type
        key_fields: tuple[str, ...] = record_type.KEY  # type: ignore[attr-defined]
        key_label = ", ".join(labels.get(f, f) for f in key_fields)
        checks = self.checks
        records: list[R] = []
        skipped: list[FieldProblem] = []
        first_index_of: dict[tuple, int] = {}
        folded = record_type.FOLDED  # type: ignore[attr-defined]

        position = dict(zip(fields, parsed_columns))
        key_columns = [
            list(map(fold_key, position[f])) if f in folded else position[f] for f in key_fields
        ]
        keys = list(zip(*key_columns))
        # Most files have no repeated key: one set() says so without a dictionary per row.
        repeated = len(set(keys)) != len(keys)
        current = [0, 0]  # (index, row number) of the row the checks are looking at

        def report(attr: str, message: str, value: Any = None) -> None:
            found.setdefault(current[0], []).append(
                FieldProblem(labels.get(attr, attr), message, current[1], _shown(value)))

        build = _record_builder(record_type, absent)
        for index, cells in enumerate(zip(*parsed_columns)):
            number = numbers[index]
            values = dict(zip(fields, cells))
            if checks:
                current[0], current[1] = index, number
                skip_reason = None
                for check in checks:
                    skip_reason = check(values, report) or skip_reason
                if skip_reason is not None and index not in found:
                    skipped.append(FieldProblem(labels.get(key_fields[0], key_fields[0]),
                                                skip_reason, number))
                    continue
            if repeated:
                key = keys[index]
                if INVALID not in key:
                    first = first_index_of.setdefault(key, index)
                    if first != index:
                        found.setdefault(index, []).append(FieldProblem(
                            key_label,
                            f"rows {numbers[first]} and {number} have the same {key_label}; "
                            "each may appear only once",
                            number, _shown(" / ".join(_display(values[f]) for f in key_fields)),
                        ))
            if index not in found:
                records.append(build(values, number))
        problems = [p for index in sorted(found) for p in found[index]]
        return ParseResult(self.kind, table.source, records, problems, skipped, present, ignored)

    def _column_problems(self, table: Table) -> list[FieldProblem]:
        problems = []
        missing = [c.name for c in self.columns if c.required and not table.has(c.name)]
        if missing:
            found = ", ".join(table.headers) or "none"
            what = "column" if len(missing) == 1 else "columns"
            problems.append(FieldProblem(
                ", ".join(missing),
                f"missing required {what} {', '.join(missing)} for {self.title or self.kind}; "
                f"columns found: {found}",
                table.header_row,
            ))
        for column in self.columns:
            twins = table.duplicate_headers.get(normalise_header(column.name))
            if twins:
                problems.append(FieldProblem(
                    column.name,
                    f"the column appears {len(twins)} times ({', '.join(twins)}); keep one",
                    table.header_row,
                ))
        return problems


def _record_builder(record_type: type[R], absent: Mapping[str, Any]) -> Callable[[dict, int], R]:
    """A fast way to make records from a row's values, each field checked once per file.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``: for
    10,000 rows of 16 fields that is 40 ms, about half of all the parsing. Records are frozen
    dataclasses without ``__slots__``, so a new instance can take the row's dictionary as its
    ``__dict__`` in one step; the instance is the same as ``__init__`` would make (a test
    checks this for every kind) and stays frozen.
    """
    names = frozenset(f.name for f in dataclasses.fields(record_type))  # type: ignore[arg-type]
    defaults = {
        f.name: f.default for f in dataclasses.fields(record_type)  # type: ignore[arg-type]
        if f.default is not dataclasses.MISSING
    }
    base = {**defaults, **{k: v for k, v in absent.items() if k in names}}
    new = object.__new__
    set_attribute = object.__setattr__

    def build(values: dict[str, Any], number: int) -> R:
        state = {**base, **values, "row": number}
        if state.keys() != names:  # a field missing or unknown: let __init__ say which
            return record_type(row=number, **values)
        record = new(record_type)
        set_attribute(record, "__dict__", state)
        return record

    return build


def _parse_column(
    raws: Sequence[str | None], column: Column, label: str, numbers: Sequence[int],
    found: dict[int, list[FieldProblem]],
) -> list[Any]:
    """Parse a whole column, each distinct text once; note problems by row index."""
    parse = column.parse
    lookup: dict[str | None, Any] = {}
    bad = False
    for raw in set(raws):
        if raw is None:
            lookup[raw] = _REQUIRED if column.required else None
            bad = bad or column.required
            continue
        try:
            lookup[raw] = parse(raw)
        except ValueError as exc:
            lookup[raw] = _Invalid(str(exc))
            bad = True
    parsed = list(map(lookup.__getitem__, raws))
    if bad:
        for index, value in enumerate(parsed):
            if value.__class__ is _Invalid:
                message = "is required" if value is _REQUIRED else value.message
                found.setdefault(index, []).append(
                    FieldProblem(label, message, numbers[index], _shown(raws[index])))
                parsed[index] = INVALID
    return parsed


def export_value(value: object) -> object:
    """A record value as a cell: codes for enumerations, ``;`` between subjects, yes/no."""
    if isinstance(value, LabelledEnum):
        return value.code
    if isinstance(value, tuple):
        return ";".join(export_value(v) for v in value)  # type: ignore[misc]
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def export_rows(schema: Schema[R], records: Iterable[R]) -> list[list[object]]:
    """Records as export rows for :func:`~tsa_desktop.formats.tabular.write_table`."""
    return [schema.export_row(r) for r in records]


def _display(value: object) -> str:
    if isinstance(value, LabelledEnum):
        return value.code
    return str(value)


def _shown(value: object) -> str | None:
    if value is None or value is INVALID:
        return None
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."
