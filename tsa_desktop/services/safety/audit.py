"""The audit trail as people read it: a record's history, and the latest changes to the file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select

from tsa_desktop.db import audit
from tsa_desktop.db import models as m
from tsa_desktop.domain.labels import field_label
from tsa_desktop.services.base import Service


@dataclass(frozen=True)
class FieldChange:
    """One value that changed: before and after (None when the record was added or deleted).

    Attributes:
        field: The column, as the trail stores it ("contact_name").
        before: The value before.
        after: The value after.
        label: The field as the window names it ("Contact name", domain/labels.py).
    """

    field: str
    before: Any
    after: Any
    label: str = ""

    def __str__(self) -> str:
        return f"{self.label or self.field}: {_shown(self.before)} → {_shown(self.after)}"


@dataclass(frozen=True)
class AuditRow:
    """One entry of the audit trail.

    Attributes:
        at: When, in UTC (as stored).
        user: Who: the signed-in user, or the computer login when the file has no sign-in.
        computer: On which computer.
        table: The table changed ("trainees").
        record_id: The record, or None for a change to many records at once.
        action: insert, update, delete, or another word for bulk work (import, anonymise...).
        summary: One line a person can read.
        changes: The values before and after.
    """

    id: int
    at: dt.datetime
    user: str
    computer: str
    table: str
    record_id: int | None
    action: str
    summary: str
    changes: tuple[FieldChange, ...]

    @property
    def local_time(self) -> dt.datetime:
        """``at`` in this computer's time zone, for showing."""
        return self.at.replace(tzinfo=dt.timezone.utc).astimezone().replace(tzinfo=None)

    @property
    def details(self) -> str:
        """The changes, one a line."""
        return "\n".join(str(c) for c in self.changes)


def audit_row(entry: m.AuditEntry) -> AuditRow:
    """Copy an ORM entry into a plain row."""
    table = entry.table_name
    changes = tuple(
        FieldChange(name, *(list(pair) + [None, None])[:2], label=field_label(table, name))
        if isinstance(pair, list) else FieldChange(name, None, pair, label=field_label(table, name))
        for name, pair in sorted(audit.loads(entry.changes).items())
        if name != audit.ADDED_IDS
    )
    return AuditRow(entry.id, entry.at, entry.user, entry.computer, entry.table_name, entry.record_id,
                    entry.action, entry.summary, changes)


class AuditService(Service):
    """Read the audit trail."""

    def history(self, table: str, record_id: int, limit: int = 1000) -> list[AuditRow]:
        """Every change to one record and to its parts (a mentor's subjects...), newest first.

        Args:
            table: The record's table, e.g. "schools".
            record_id: Its id.
            limit: At most this many entries.
        """
        self._require("view_history")
        e = m.AuditEntry
        stmt = (select(e)
                .where(or_(and_(e.table_name == table, e.record_id == record_id),
                           and_(e.parent_table == table, e.parent_id == record_id)))
                .order_by(e.id.desc()).limit(limit))
        imports = (select(e).where(e.table_name == table, e.action == "import", e.record_id.is_(None))
                   .order_by(e.id.desc()))
        with self._read() as s:
            rows = list(s.scalars(stmt))
            # The import that added the record names it only by an id range (see record_import).
            rows += [x for x in s.scalars(imports) if audit.added_by_import(x.changes, record_id)]
            rows.sort(key=lambda x: x.id, reverse=True)
            return [audit_row(x) for x in rows[:limit]]

    def recent(self, limit: int = 500, search: str = "", table: str | None = None) -> list[AuditRow]:
        """The latest entries of the whole file, newest first.

        Args:
            limit: At most this many.
            search: Words that the summary, the user or the table must contain.
            table: Only this table.
        """
        self._require("view_audit")
        e = m.AuditEntry
        stmt = select(e).order_by(e.id.desc()).limit(limit)
        if table:
            stmt = stmt.where(or_(e.table_name == table, e.parent_table == table))
        for word in search.split():
            like = f"%{word}%"
            stmt = stmt.where(or_(e.summary.ilike(like), e.user.ilike(like), e.table_name.ilike(like)))
        with self._read() as s:
            return [audit_row(x) for x in s.scalars(stmt)]

    def count(self) -> int:
        """How many entries the trail holds."""
        from sqlalchemy import func

        with self._read() as s:
            return s.scalar(select(func.count()).select_from(m.AuditEntry)) or 0


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if value == "":
        return "(empty)"
    return str(value)
