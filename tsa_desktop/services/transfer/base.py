"""What every import kind shares: problems by row and column, lookups, and bulk writes.

An importer works in two steps inside one transaction. :meth:`Importer.plan` reads what it needs
from the database once (dictionaries keyed as the file refers to things), checks every record
against it and sorts the records into rows to add, rows to update and rows left unchanged,
without writing anything. Only when no row has a problem does :meth:`Importer.apply` write, with
one executemany statement per table: MEASURED.md puts a Core insert of a list of dictionaries at
a tenth of the ORM's ``add_all`` for the same rows.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy import Table as SqlTable
from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import LabelledEnum
from tsa_desktop.domain.errors import FieldProblem, StaleRecordError
from tsa_desktop.formats.schemas import ParseResult, fold_key
from tsa_desktop.formats.tabular import Table

#: SQLite refuses statements with more than a few thousand parameters: ``IN`` lists are cut.
IN_CHUNK = 500

_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = True


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while an import runs.

    An import of 10,000 rows makes some 100,000 objects (cells, records, rows to insert) that
    all live until it ends; each of the hundred collections they set off walks every one of
    them, a fifth of the import's time (bench/import.py). Reference counting still frees
    whatever the import drops. Pauses nest across threads: the collector runs again when the
    last import ends, and only if it was running when the first began.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


class Problems:
    """Problems found by checking a file's records against the database, row by row.

    Columns are named as the file writes them (``School URN`` when the file says so), so that
    the user finds the cell.
    """

    def __init__(self, table: Table) -> None:
        self._table = table
        self.found: list[FieldProblem] = []

    def add(self, row: int, column: str, message: str, value: object = None) -> None:
        """Note one problem with one cell."""
        shown = None if value is None else _shown(value)
        self.found.append(FieldProblem(self.label(column), message, row, shown))

    def label(self, column: str) -> str:
        """A column (or several, joined by ", ") as the file's header names it."""
        parts = [p.strip() for p in column.split(",")]
        return ", ".join(self._table.header_for(p) or p for p in parts)

    def __bool__(self) -> bool:
        return bool(self.found)


def _shown(value: object) -> str:
    if isinstance(value, LabelledEnum):
        return value.code
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class Changes:
    """The rows of one table an import adds and updates, and how many it leaves as they are.

    Attributes:
        inserts: Full rows to add (every one with the same keys, for one executemany).
        new_columns: More rows to add, given a column at a time (``new_count`` of them): the
            fast way for a large file, built by :meth:`add_columns`.
        updates: For each changed record ``_id``, ``_version`` and the columns the file
            supplies (the same keys in every one).
        unchanged: Records the file matches exactly.
        changed_fields: For each updated record id: the record as stored, and ``{column:
            [before, after]}`` for the columns the file changes (for the audit trail).
        added_ids: The first and last id the import's new records took (None before
            :meth:`Importer.apply`, or when it added none).
    """

    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    changed_fields: dict[int, tuple[Mapping[str, Any], dict[str, list[Any]]]] = field(default_factory=dict)
    added_ids: tuple[int, int] | None = None
    new_columns: dict[str, list[Any]] = field(default_factory=dict)
    new_count: int = 0

    def sort(self, stored: Mapping[str, Any] | None, values: dict[str, Any],
             defaults: Mapping[str, Any], also_changed: bool = False) -> str:
        """Put one record among the inserts, the updates or the unchanged.

        Args:
            stored: The record as stored (with ``id`` and ``version``), or None for a new one.
            values: The columns the file supplies, as they would be stored.
            defaults: Columns a new record takes when the file does not supply them.
            also_changed: Something stored elsewhere (a mentor's subjects) changes, so the
                record counts as updated and its version moves on even if its own columns
                do not change.

        Returns:
            "added", "updated" or "unchanged".
        """
        if stored is None:
            self.inserts.append({**defaults, **values})
            return "added"
        differ = {k: [stored[k], v] for k, v in values.items() if stored[k] != v}
        if also_changed or differ:
            self.updates.append({**values, "_id": stored["id"], "_version": stored["version"]})
            self.changed_fields[stored["id"]] = (stored, differ)
            return "updated"
        self.unchanged += 1
        return "unchanged"

    def add_columns(self, states: list[dict[str, Any]],
                    fields: Sequence[tuple[str, str, Callable[[Any], Any] | None]],
                    derived: Mapping[str, list[Any]], defaults: Mapping[str, Any]) -> None:
        """Add many new records a column at a time (several times faster than row by row).

        Args:
            states: The new records' field dictionaries (``record.__dict__``).
            fields: (record field, column, conversion) for the fields the file supplies.
            derived: Columns worked out per record (ids of what they refer to), in order.
            defaults: Columns the file does not supply.
        """
        count = len(states)
        if not count:
            return
        columns = {column: convert([d[name] for d in states], conv) for name, column, conv in fields}
        columns.update(derived)
        for key, value in defaults.items():
            columns.setdefault(key, [value] * count)
        self.new_columns, self.new_count = columns, count

    @property
    def added(self) -> int:
        return len(self.inserts) + self.new_count

    @property
    def updated(self) -> int:
        return len(self.updates)


def bulk_insert(s: Session, table: SqlTable, rows: list[dict[str, Any]]) -> None:
    """Insert rows (dictionaries with the same keys) with one executemany."""
    if rows:
        keys = list(rows[0])
        insert_columns(s, table, {k: [r[k] for r in rows] for k in keys}, len(rows))


def insert_columns(s: Session, table: SqlTable, columns: dict[str, list[Any]], count: int) -> None:
    """Insert ``count`` rows given a column at a time, with one executemany.

    On SQLite the rows go to the driver's ``executemany`` as tuples: SQLAlchemy's own
    executemany builds a parameter dictionary per row, which costs more than the driver's
    insert itself (10,000 trainees: 0.23 s against 0.09 s). Values are converted by the
    columns' own bind processors, and columns not given take their scalar defaults, as
    SQLAlchemy would do. Other databases take SQLAlchemy's path. Either way the statement goes
    to the connection, past the audit trail's count of bulk statements: the import records one
    entry of its own for all it wrote.

    Args:
        columns: Column key -> one value per row (a list of ``count`` values).
    """
    if not count:
        return
    connection = s.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite" or dialect.paramstyle != "qmark":
        keys = list(columns)
        connection.execute(insert(table), [dict(zip(keys, values)) for values in zip(*columns.values())])
        return
    lists = dict(columns)
    for c in table.columns:
        if c.key not in lists and c.default is not None and c.default.is_scalar:
            lists[c.key] = [c.default.arg] * count
    for key in list(lists):
        c = table.c[key]
        # A column that is empty in every row is left out: the database stores NULL itself,
        # and each column costs the driver about a twentieth of the insert.
        if c.nullable and c.server_default is None and lists[key].count(None) == count:
            del lists[key]
    for key, values in lists.items():
        process = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
        if process is None:
            continue
        sample = next((v for v in values if v is not None), None)
        if type(sample) is dt.date and process(sample) == sample.isoformat():
            # SQLite keeps dates as ISO text: the C method gives what the processor would.
            lists[key] = [None if v is None else v.isoformat() for v in values]
        else:
            lists[key] = [None if v is None else process(v) for v in values]
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(table.c[k].name) for k in lists)
    sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({', '.join('?' * len(lists))})"
    connection.exec_driver_sql(sql, list(zip(*lists.values())))


def convert(values: list[Any], conv: Callable[[Any], Any] | None) -> list[Any]:
    """A column's values converted for storing, each distinct value once."""
    if conv is None:
        return values
    if conv is code:
        # An Enum member's value is in its __dict__; the .value property costs ten times more.
        return [None if v is None else v._value_ for v in values]
    if conv is text:
        return ["" if v is None else v for v in values]
    done = {v: conv(v) for v in set(values)}
    return list(map(done.__getitem__, values))


def bulk_update(s: Session, table: SqlTable, rows: list[dict[str, Any]]) -> None:
    """Update rows by primary key with one executemany, moving each version on by one.

    Every row carries ``_id`` and ``_version`` (the version read when the import was planned)
    and the same column keys. A version that moved meanwhile refuses the whole import, as an
    edit in the window would be refused.

    Raises:
        StaleRecordError: a record was changed by somebody else since it was read.
    """
    if not rows:
        return
    stmt = (update(table)
            .where(table.c.id == bindparam("_id"), table.c.version == bindparam("_version"))
            .values(version=table.c.version + 1))
    result = s.execute(stmt, rows)
    dialect = s.get_bind().dialect
    if dialect.supports_sane_multi_rowcount and result.rowcount not in (-1, len(rows)):
        raise StaleRecordError(
            "Somebody else changed some of these records while the file was being imported. "
            "Nothing was imported: import the file again.")


def delete_where_in(s: Session, table: SqlTable, column: str, ids: Iterable[int]) -> None:
    """Delete the rows whose ``column`` is one of ``ids``, a chunk at a time."""
    ids = list(ids)
    connection = s.connection()  # the import's own audit entry covers it (see insert_columns)
    for start in range(0, len(ids), IN_CHUNK):
        connection.execute(delete(table).where(table.c[column].in_(ids[start:start + IN_CHUNK])))


def values_of(record: Any, fields: Sequence[tuple[str, str, Callable[[Any], Any] | None]]) -> dict[str, Any]:
    """A record's values as stored, for the given (field, column, conversion) triples."""
    state = record.__dict__  # records are plain frozen dataclasses: one dictionary look-up a field
    return {column: state[name] if conv is None else conv(state[name]) for name, column, conv in fields}


def text(value: str | None) -> str:
    """A text column that stores "" rather than NULL for no value."""
    return "" if value is None else value


def code(value: LabelledEnum | None) -> str | None:
    """An enumeration as the code the database stores."""
    return None if value is None else value.code


class Lookups:
    """What records refer to, read from the database once per import and kept in dictionaries."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self._cache: dict[str, Any] = {}

    def _once(self, name: str, load: Callable[[], Any]) -> Any:
        if name not in self._cache:
            self._cache[name] = load()
        return self._cache[name]

    @property
    def schools(self) -> dict[str, tuple[int, str]]:
        """URN -> (id, name); a previous URN (GIAS gave the school a new one) names the school
        that has it now."""
        return self._once("schools", self._schools)

    def _schools(self) -> dict[str, tuple[int, str]]:
        found = {urn: (sid, name) for sid, urn, name in self.s.execute(
            select(m.School.id, m.School.urn, m.School.name))}
        by_id = {sid: (sid, name) for sid, name in found.values()}
        for urn, sid in self.s.execute(select(m.SchoolPreviousUrn.urn, m.SchoolPreviousUrn.school_id)):
            if sid in by_id:
                found[urn] = by_id[sid]
        return found

    @property
    def years(self) -> dict[str, int]:
        """Academic year name (2025/26) -> id."""
        return self._once("years", lambda: dict(self.s.execute(
            select(m.AcademicYear.name, m.AcademicYear.id)).all()))

    @property
    def providers(self) -> dict[str, tuple[int, str]]:
        """Provider name folded for matching -> (id, name)."""
        return self._once("providers", lambda: {
            fold_key(name): (pid, name) for pid, name in self.s.execute(
                select(m.Provider.id, m.Provider.name))})

    @property
    def mentors(self) -> dict[str, tuple[int, int, str]]:
        """Email in lower case -> (id, school id, name)."""
        return self._once("mentors", lambda: {
            email.lower(): (mid, school_id, f"{first} {last}") for mid, email, school_id, first, last
            in self.s.execute(select(m.Mentor.id, m.Mentor.email, m.Mentor.school_id,
                                     m.Mentor.first_name, m.Mentor.last_name))})

    @property
    def mentors_by_id(self) -> dict[int, tuple[int, int, str]]:
        """Mentor id -> (id, school id, name)."""
        return self._once("mentors_by_id", lambda: {v[0]: v for v in self.mentors.values()})

    @property
    def school_names(self) -> dict[int, str]:
        """School id -> "name (URN)", with the school's current URN."""
        return self._once("school_names", lambda: {
            sid: f"{name} ({urn})" for sid, urn, name in self.s.execute(
                select(m.School.id, m.School.urn, m.School.name))})

    def year_id(self, name: str) -> int | None:
        """The id of an academic year, or None when the file does not have it."""
        return self.years.get(name)


def school_problem(problems: Problems, lookups: Lookups, row: int, column: str, urn: str | None) -> int | None:
    """The id of the school a URN names; a problem (and None) when there is no such school."""
    if urn is None:
        return None
    found = lookups.schools.get(urn)
    if found is None:
        problems.add(row, column, f"no school has the URN {urn}; import or add the school first", urn)
        return None
    return found[0]


def missing_year(problems: Problems, row: int, column: str, year: str, what: str) -> None:
    """Note that an academic year is not in the file."""
    problems.add(row, column, f"there is no academic year {year} in this file; {what}", year)


def accepted_list(names: Sequence[str], limit: int = 12) -> str:
    """Names as a message lists them: all of a short list, the first ``limit`` of a long one."""
    if not names:
        return "none"
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


class Importer:
    """One import kind: check records against the database, then write them in bulk.

    Subclasses set :attr:`kind` and :attr:`table`, fill :attr:`changes` (and whatever else they
    write) in :meth:`plan`, and write extra tables in :meth:`apply_more`.

    Attributes:
        changes: The main table's inserts, updates and unchanged count.
        notes: Things the user should know that are not problems (a year created, ...).
    """

    kind: ClassVar[str] = ""
    table: ClassVar[SqlTable]

    def __init__(self, s: Session, parsed: ParseResult[Any], source: Table, file_name: str,
                 today: dt.date) -> None:
        self.s = s
        self.parsed = parsed
        self.records: list[Any] = parsed.records
        self.present: frozenset[str] = parsed.present_fields
        self.problems = Problems(source)
        self.lookups = Lookups(s)
        self.file_name = file_name
        self.today = today
        self.changes = Changes()
        self.notes: list[str] = []

    def plan(self) -> None:
        """Check every record against the database and decide what to write; writes nothing."""
        raise NotImplementedError

    def apply(self) -> None:
        """Write what :meth:`plan` decided (only called when it found no problem)."""
        if not self.records:
            return  # a file of only a header: plan() never ran, and there is nothing to write
        self.apply_before()
        adding = bool(self.changes.inserts or self.changes.new_count)
        last_before = self._max_id() if adding else None
        bulk_insert(self.s, self.table, self.changes.inserts)
        insert_columns(self.s, self.table, self.changes.new_columns, self.changes.new_count)
        if adding:
            # New ids follow the last one. On SQLite the import's transaction holds the file's
            # write lock, so nobody else's rows fall in between; on a server a record somebody
            # adds at that very moment could, and its history would name this import too.
            self.changes.added_ids = ((last_before or 0) + 1, self._max_id() or 0)
        bulk_update(self.s, self.table, self.changes.updates)
        self.apply_more()

    def _max_id(self) -> int | None:
        return self.s.scalar(select(func.max(self.table.c.id)))

    def apply_before(self) -> None:
        """Write what the main rows depend on (a new academic year, ...)."""

    def apply_more(self) -> None:
        """Write what depends on the main rows (status history, subjects, ...)."""

    def fields(self, mapping: Mapping[str, tuple[str, Callable[[Any], Any] | None]]
               ) -> list[tuple[str, str, Callable[[Any], Any] | None]]:
        """(record field, column, conversion) for the fields the file supplies.

        Args:
            mapping: record field -> (column, conversion to the stored value or None to store
                the value as it is).
        """
        return [(f, c, conv) for f, (c, conv) in mapping.items() if f in self.present]

    def stored(self, stmt: Any, key: Callable[[Mapping[str, Any]], Any]) -> dict[Any, dict[str, Any]]:
        """Rows of a select as dictionaries, keyed as the file's records are."""
        return {key(r): dict(r) for r in self.s.execute(stmt).mappings()}
