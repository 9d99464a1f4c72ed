"""The audit trail: who changed what, when, with the values before and after.

:func:`install` attaches session events to a session factory (``Database`` does it for the
factory its changes go through), so that every insert, update and delete of an ORM object writes
an :class:`~tsa_desktop.db.models.AuditEntry` row in the same transaction as the change itself:
the change and its record are saved together or not at all.

Statements that bypass the unit of work (``session.execute(insert(Model), rows)``, bulk
``update()``/``delete()``) are counted as they run and written as one summary entry per table
and action when the transaction commits, unless the service described the whole operation itself
with :func:`record_bulk`. Statements sent straight to a Connection are not seen.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

from sqlalchemy import insert, inspect, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from tsa_desktop.db.events import listen_once
from tsa_desktop.db.models import AuditEntry
from tsa_desktop.domain.labels import RECORDS, field_label

AUDIT_TABLE = AuditEntry.__tablename__

#: Values that never go into the audit trail; a change to them is recorded as "(changed)".
SECRET_COLUMNS = frozenset({("users", "password_hash")})

#: Columns not worth recording: the ORM bumps them on every update.
NOISE_COLUMNS = frozenset({"version"})

#: Parts of a record: a change to a row of the key table also shows in the history of the row
#: its column points at (a mentor's subjects in the mentor's history, a placement in the
#: trainee's).
PARENTS: dict[str, tuple[str, str]] = {
    "mentor_subjects": ("mentors", "mentor_id"),
    "mentor_unavailability": ("mentors", "mentor_id"),
    "qa_visits": ("mentors", "mentor_id"),
    "trainee_status_changes": ("trainees", "trainee_id"),
    "placements": ("trainees", "trainee_id"),
    "nqt_assessments": ("nqts", "nqt_id"),
    "session_attendance": ("nqts", "nqt_id"),
}

#: What a row of a table is called in a summary line.
NOUNS: dict[str, str] = {table: labels.noun for table, labels in RECORDS.items()}

_VERBS = {"insert": "Added", "update": "Changed", "delete": "Deleted"}

#: The key of an import entry's ``changes`` that holds the first and last id it added.
ADDED_IDS = "added_ids"
_PENDING, _COVERED, _BEFORE = "audit_pending", "audit_covered", "audit_before"


def install(factory: sessionmaker) -> None:
    """Record every change made through sessions of ``factory`` in the audit trail."""
    listen_once(factory, "audit", ("before_flush", _read_unknown_before), ("after_flush", _after_flush),
                ("do_orm_execute", _count_bulk_statement), ("before_commit", _write_bulk_summaries),
                ("after_rollback", _forget))


def record_bulk(session: Session, table: str, action: str, summary: str, also: tuple[str, ...] = ()) -> None:
    """Record one entry for a bulk change (an import, the demo) that the service describes.

    The automatic per-table summary of bulk statements is then left out for ``table`` and the
    tables in ``also`` (e.g. a trainee import that also writes status changes).

    Args:
        session: The session the change is made in (the entry commits with it).
        table: The table changed, e.g. "trainees".
        action: What was done: "import", "insert", "update", "delete", "anonymise"...
        summary: One line a person can read, e.g. "Imported trainees.csv: 12 added, 3 changed".
        also: Other tables the same operation changed.
    """
    session.info.setdefault(_COVERED, set()).update((table, *also))
    _insert(session, [_row(session, table, None, action, {}, summary)])


def record_import(session: Session, table: str, summary: str,
                  changed: Mapping[int, tuple[Mapping[str, Any], Mapping[str, list[Any]]]],
                  added_ids: tuple[int, int] | None, also: tuple[str, ...] = ()) -> None:
    """Record an import: one entry for the whole file, and one per record it changed.

    The import writes its rows in bulk, past the unit of work that records ordinary edits; this
    records the same before and after for each record an import updated, and the ids of the
    records it added (in the import's own entry, which each of those records' history shows:
    writing an entry per added record would double the time of a large import).

    Args:
        session: The import's session.
        table: The table imported into.
        summary: The import's line, e.g. "Imported trainees from a.csv: 3 added, 1 updated".
        changed: For each updated record id: the record as it was stored, and ``{column:
            [before, after]}``.
        added_ids: The first and last id of the records added, or None.
        also: Other tables the import wrote.
    """
    session.info.setdefault(_COVERED, set()).update((table, *also))
    entry = _row(session, table, None, "import", {}, summary)
    if added_ids is not None:
        entry["changes"] = json.dumps({ADDED_IDS: list(added_ids)})
    rows = [entry]
    noun = NOUNS.get(table, table)
    for record_id, (stored, fields) in changed.items():
        changes = {k: ["(secret)", "(changed)"] if (table, k) in SECRET_COLUMNS else [_plain(b), _plain(a)]
                   for k, (b, a) in fields.items() if k not in NOISE_COLUMNS}
        label = _label(table, {**stored, **{k: a for k, (_b, a) in fields.items()}})
        line = f"Changed {noun} {label}".rstrip() + (f": {_fields(table, changes)}" if changes else "")
        rows.append(_row(session, table, record_id, "update", changes, f"{line} (import)"))
    _insert(session, rows)


def record_entries(session: Session, table: str,
                   entries: list[tuple[int | None, str, dict[str, list[Any]], str, tuple[str, int] | None]]) -> None:
    """Record changes a service wrote in bulk, one entry a record, as the service describes them.

    The automatic per-table summary of bulk statements is then left out for ``table``.

    Args:
        session: The session the change is made in (the entries commit with it).
        table: The table changed, e.g. "placements".
        entries: For each record: its id, the action ("insert", "update", "delete"), ``{field:
            [before, after]}`` as a person reads them, a summary line, and the (table, id) of
            the record it is part of (a placement's trainee), or None.
    """
    session.info.setdefault(_COVERED, set()).add(table)
    rows = []
    for record_id, action, changes, summary, parent in entries:
        row = _row(session, table, record_id, action, {k: [_plain(b), _plain(a)] for k, (b, a) in changes.items()},
                   summary)
        if parent is not None:
            row["parent_table"], row["parent_id"] = parent
        rows.append(row)
    _insert(session, rows)


def added_by_import(entry_changes: str, record_id: int) -> bool:
    """Whether an import's entry (its ``changes``) added the record ``record_id``."""
    span = loads(entry_changes).get(ADDED_IDS)
    return isinstance(span, list) and len(span) == 2 and span[0] <= record_id <= span[1]


def redact(session: Session, table: str, record_ids: list[int], reason: str) -> int:
    """Remove the values of earlier entries about some records (after anonymising them).

    Returns:
        The number of entries redacted.
    """
    if not record_ids:
        return 0
    t = AuditEntry.__table__
    total = 0
    for start in range(0, len(record_ids), 500):  # SQLite limits the parameters of one statement
        chunk = record_ids[start:start + 500]
        result = session.connection().execute(
            update(t)
            .where(or_((t.c.table_name == table) & t.c.record_id.in_(chunk),
                       (t.c.parent_table == table) & t.c.parent_id.in_(chunk)))
            .values(changes="{}", summary=f"(details removed: {reason})")
        )
        total += result.rowcount or 0
    return total


def redact_older_than(session: Session, before: dt.datetime, reason: str) -> int:
    """Remove the values of every entry made before ``before`` (retention of the trail itself)."""
    t = AuditEntry.__table__
    result = session.connection().execute(
        update(t).where(t.c.at < before, t.c.changes != "{}")
        .values(changes="{}", summary=f"(details removed: {reason})")
    )
    return result.rowcount or 0


def loads(changes: str) -> dict[str, list[Any]]:
    """An entry's ``changes`` column as ``{field: [before, after]}``."""
    try:
        value = json.loads(changes or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# --- events ---------------------------------------------------------------------------------------


def _read_unknown_before(session: Session, _flush_context: Any, _instances: Any) -> None:
    """Read the stored value of each column the session changes without knowing what it was.

    That is a column marked changed with ``flag_modified`` (to move a version on), or one set
    without being loaded first: its history has no "before", and the entry would wrongly say it
    was empty. Rare, so one small SELECT each is cheap; the flush has not written yet.
    """
    for obj in session.dirty:
        state = inspect(obj)
        if isinstance(obj, AuditEntry) or state.key is None:
            continue
        keys = [a.key for a in state.mapper.column_attrs
                if a.key not in NOISE_COLUMNS and state.attrs[a.key].history.added
                and not state.attrs[a.key].history.deleted]
        found: dict[str, Any] = {}
        if keys:
            mapper = state.mapper
            where = [column == value for column, value in zip(mapper.primary_key, state.key[1])]
            row = session.connection().execute(
                select(*(mapper.column_attrs[k].columns[0] for k in keys)).where(*where)).first()
            if row is not None:
                found = dict(zip(keys, row))
        state.info[_BEFORE] = found


def _after_flush(session: Session, flush_context: Any) -> None:
    # session.new/dirty and attribute history still show the flush's changes here, and new rows
    # already have their ids. Deletes are taken from the flush itself: session.deleted lacks the
    # rows deleted as orphans (a mentor's subject taken off the list).
    rows = []
    for obj in session.new:
        rows.extend(_entry(session, obj, "insert"))
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            rows.extend(_entry(session, obj, "update"))
    for state, (is_delete, list_only) in list(flush_context.states.items()):
        obj = state.obj()
        if is_delete and not list_only and obj is not None:
            rows.extend(_entry(session, obj, "delete"))
    _insert(session, rows)


def _count_bulk_statement(state: Any) -> Any:
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    table = getattr(getattr(state.statement, "table", None), "name", None)
    if table is None or table == AUDIT_TABLE:
        return None
    result = state.invoke_statement()
    if state.is_insert:
        params = state.parameters
        count = len(params) if isinstance(params, list) else 1
        action = "insert"
    else:
        count = max(getattr(result, "rowcount", 0) or 0, 0)
        action = "update" if state.is_update else "delete"
    if count:
        state.session.info.setdefault(_PENDING, Counter())[(table, action)] += count
    return result


def _write_bulk_summaries(session: Session) -> None:
    pending: Counter = session.info.pop(_PENDING, Counter())
    covered: set[str] = session.info.pop(_COVERED, set())
    rows = []
    for (table, action), count in pending.items():
        if table in covered:
            continue
        noun = NOUNS.get(table, table)
        summary = f"{_VERBS[action]} {count} {noun} row{'s' if count != 1 else ''} at once"
        rows.append(_row(session, table, None, action, {}, summary))
    _insert(session, rows)


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_COVERED, None)


# --- building rows --------------------------------------------------------------------------------


def _entry(session: Session, obj: Any, action: str) -> list[dict]:
    if isinstance(obj, AuditEntry):
        return []
    state = inspect(obj)
    table = state.mapper.local_table.name
    values: dict[str, Any] = {}
    changes: dict[str, list[Any]] = {}
    stored = state.info.pop(_BEFORE, {}) if action == "update" else {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key not in state.dict and action != "update":
            continue  # never load anything here: only what the session already holds
        secret = (table, key) in SECRET_COLUMNS
        if action == "update":
            history = state.attrs[key].history
            if key in NOISE_COLUMNS or not (history.added or history.deleted):
                continue
            after = history.added[0] if history.added else None
            if history.deleted:
                before = history.deleted[0]
            elif key in stored:  # see _read_unknown_before
                before = stored[key]
                if _plain(before) == _plain(after):
                    continue  # flagged as changed, but the same value
            else:
                before = None
            changes[key] = ["(secret)", "(changed)"] if secret else [_plain(before), _plain(after)]
            values[key] = after
        else:
            value = state.dict[key]
            values[key] = value
            if key in NOISE_COLUMNS or value is None or value == "":
                continue  # an empty value tells the reader nothing
            shown = "(secret)" if secret else _plain(value)
            changes[key] = [None, shown] if action == "insert" else [shown, None]
    if action == "update" and not changes:
        return []
    for key in state.mapper.column_attrs.keys():
        if key not in values and key in state.dict:
            values[key] = state.dict[key]
    record_id = values.get("id")
    summary = f"{_VERBS[action]} {NOUNS.get(table, table)} {_label(table, values)}".rstrip()
    if action == "update":
        summary += ": " + _fields(table, changes)
    row = _row(session, table, record_id if isinstance(record_id, int) else None, action, changes, summary)
    parent = PARENTS.get(table)
    if parent is not None and isinstance(values.get(parent[1]), int):
        row["parent_table"], row["parent_id"] = parent[0], values[parent[1]]
    return [row]


def _row(session: Session, table: str, record_id: int | None, action: str, changes: dict, summary: str) -> dict:
    db = session.info.get("db")
    return {
        "at": dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
        "user": (getattr(db, "user", None) or "unknown")[:120],
        "computer": (getattr(db, "computer", None) or "")[:120],
        "table_name": table,
        "record_id": record_id,
        "action": action,
        "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
        "summary": summary,
        "parent_table": None,
        "parent_id": None,
    }


def _insert(session: Session, rows: list[dict]) -> None:
    if rows:
        session.connection().execute(insert(AuditEntry.__table__), rows)


def _fields(table: str, changes: Mapping[str, Any]) -> str:
    """The fields changed, as the window names them ("Lead school, Contact name")."""
    return ", ".join(field_label(table, key) for key in changes)


def _label(table: str, values: dict[str, Any]) -> str:
    """The words that tell a person which record this is."""
    first = values.get("first_names") or values.get("first_name")
    if first or values.get("last_name"):
        return f"{first or ''} {values.get('last_name') or ''}".strip()
    for key in ("name", "username", "topic", "email", "trainee_id", "urn", "key", "subject", "status"):
        if values.get(key):
            return str(values[key])
    return f"#{values['id']}" if values.get("id") is not None else ""


def _plain(value: Any) -> Any:
    """A value as JSON can hold it."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"({len(value)} bytes)"
    return str(value)
