"""Importing mentors (with their subjects); ECTs and NQTs are in ``transfer.induction``."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import func, select

from tsa_desktop.db import models as m
from tsa_desktop.formats.schemas import MentorRecord
from tsa_desktop.services.transfer.base import (
    Importer,
    bulk_insert,
    code,
    delete_where_in,
    school_problem,
    values_of,
)


def _false_if_none(value: bool | None) -> bool:
    return bool(value)


def _one_if_none(value: int | None) -> int:
    return 1 if value is None else value


def _full_time_if_none(value: float | None) -> float:
    return 1.0 if value is None else value


MENTOR_FIELDS = {
    "email": ("email", None),
    "first_name": ("first_name", None),
    "last_name": ("last_name", None),
    "phase": ("phase", code),
    "lead_mentor": ("is_lead_mentor", _false_if_none),
    "initial_training_date": ("initial_training_date", None),
    "refresher_date": ("refresher_date", None),
    "max_trainees": ("max_trainees", _one_if_none),
}

MENTOR_DEFAULTS: dict[str, Any] = {
    "is_lead_mentor": False, "lead_mentor_id": None, "initial_training_date": None,
    "initial_training_hours": None, "refresher_date": None, "max_trainees": 1, "active": True,
    "phone": "", "version": 1,
}


class MentorImporter(Importer):
    """Mentors matched on email. The file's subjects replace the mentor's subjects."""

    kind = "mentors"
    table = m.Mentor.__table__

    def plan(self) -> None:
        t = self.table
        columns = ("email", "first_name", "last_name", "school_id", "phase", "is_lead_mentor",
                   "initial_training_date", "refresher_date", "max_trainees")
        stored = self.stored(select(t.c.id, t.c.version, *(t.c[c] for c in columns)),
                             lambda r: r["email"].lower())
        has_subjects = "subjects" in self.present
        subjects: dict[int, set[str]] = defaultdict(set)
        if has_subjects:
            for mentor_id, subject in self.s.execute(select(m.MentorSubject.mentor_id, m.MentorSubject.subject)):
                subjects[mentor_id].add(subject)
        mentees = Counter(self.s.scalars(select(m.Mentor.lead_mentor_id)
                                         .where(m.Mentor.lead_mentor_id.is_not(None))))
        fields = self.fields(MENTOR_FIELDS)
        #: email -> subject codes, for mentors whose subjects are to be written.
        self._subjects: dict[str, list[str]] = {}
        self._replace: list[int] = []
        records: list[MentorRecord] = self.records
        for r in records:
            current = stored.get(r.email)
            school_id = school_problem(self.problems, self.lookups, r.row, "school_urn", r.school_urn)
            self._check_training(r, current)
            if (current is not None and current["is_lead_mentor"] and "lead_mentor" in self.present
                    and not r.lead_mentor and mentees.get(current["id"])):
                n = mentees[current["id"]]
                self.problems.add(r.row, "lead_mentor", f"{r.first_name} {r.last_name} quality-assures "
                                  f"{n} mentor{'s' if n != 1 else ''}; give them another lead mentor first",
                                  "no")
            if school_id is None:
                continue
            values = values_of(r, fields)
            values["school_id"] = school_id
            wanted = [s.code for s in r.subjects or ()]
            changed = has_subjects and current is not None and set(wanted) != subjects.get(current["id"], set())
            outcome = self.changes.sort(current, values, MENTOR_DEFAULTS, also_changed=changed)
            if has_subjects and (outcome == "added" or changed):
                self._subjects[r.email] = wanted
                if changed:
                    self._replace.append(current["id"])

    def _check_training(self, r: MentorRecord, current: dict[str, Any] | None) -> None:
        # A date the file leaves out is the stored one: the pair is checked as it will be stored.
        def merged(name: str) -> dt.date | None:
            if name in self.present:
                return getattr(r, name)
            return current[name] if current is not None else None

        first, refresher = merged("initial_training_date"), merged("refresher_date")
        if refresher is None:
            return
        if first is None:
            self.problems.add(r.row, "refresher_date", "a refresher needs the initial training date too",
                              refresher.isoformat())
        elif refresher < first and not {"initial_training_date", "refresher_date"} <= self.present:
            # (Both in the file: the file's own check has said so already.)
            self.problems.add(r.row, "refresher_date",
                              f"is before the initial training ({first:%d/%m/%Y})", refresher.isoformat())

    def apply_before(self) -> None:
        self._last_id = self.s.scalar(select(func.max(m.Mentor.id))) or 0

    def apply_more(self) -> None:
        if not self._subjects:
            return
        table = m.MentorSubject.__table__
        delete_where_in(self.s, table, "mentor_id", self._replace)
        ids = {email.lower(): mid for mid, email in self.s.execute(
            select(m.Mentor.id, m.Mentor.email).where(
                m.Mentor.id.in_(self._replace) | (m.Mentor.id > self._last_id)))
            if email.lower() in self._subjects}
        bulk_insert(self.s, table, [{"mentor_id": ids[email], "subject": c}
                                    for email, codes in self._subjects.items() for c in codes])
