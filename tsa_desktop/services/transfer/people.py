"""Importing mentors (with their subjects) and NQTs (into the induction cohort of their year)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import func, insert, select

from tsa_desktop.db import models as m
from tsa_desktop.domain.values import academic_year_start
from tsa_desktop.formats.schemas import MentorRecord, NqtRecord
from tsa_desktop.services.transfer.base import (
    Importer,
    bulk_insert,
    code,
    delete_where_in,
    school_problem,
    text,
    values_of,
)
from tsa_desktop.services.reference.years import ensure_year


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


# --- NQTs ------------------------------------------------------------------------------------------

NQT_FIELDS = {
    "email": ("email", None),
    "trn": ("trn", None),
    "first_names": ("first_names", None),
    "last_name": ("last_name", None),
    "appropriate_body": ("appropriate_body", text),
    "start_date": ("start_date", None),
    "fte": ("fte", _full_time_if_none),
}

NQT_DEFAULTS: dict[str, Any] = {
    "trn": None, "induction_tutor_id": None, "induction_tutor_name": "", "induction_tutor_email": "",
    "appropriate_body": "", "start_date": None, "fte": 1.0, "terms_counted": 0.0, "extension_terms": 0.0,
    "status": "in_progress", "trainee_id": None, "anonymised_at": None, "version": 1,
}


class NqtImporter(Importer):
    """NQTs matched on email, each in the induction cohort of their year (started if need be).

    An induction tutor whose email is a mentor's is linked to that mentor; any other tutor's
    email is kept on the NQT's record.
    """

    kind = "nqts"
    table = m.Nqt.__table__

    def plan(self) -> None:
        t = self.table
        columns = ("email", "trn", "first_names", "last_name", "cohort_id", "employing_school_id",
                   "induction_tutor_id", "induction_tutor_name", "induction_tutor_email", "appropriate_body",
                   "start_date", "fte")
        stored = self.stored(select(t.c.id, t.c.version, *(t.c[c] for c in columns)),
                             lambda r: r["email"].lower())
        cohorts = dict(self.s.execute(
            select(m.AcademicYear.name, m.InductionCohort.id)
            .join(m.InductionCohort, m.InductionCohort.academic_year_id == m.AcademicYear.id)).all())
        fields = self.fields(NQT_FIELDS)
        has_tutor = "induction_tutor_email" in self.present
        self._new_cohorts: dict[str, list[dict[str, Any]]] = {}
        self._rescheduled: list[int] = []
        outside_pool = 0
        records: list[NqtRecord] = self.records
        for r in records:
            current = stored.get(r.email)
            school_id = school_problem(self.problems, self.lookups, r.row, "employing_school_urn",
                                       r.employing_school_urn)
            start = r.start_date if "start_date" in self.present else (current["start_date"] if current else None)
            if start is not None and not self._in_year(start, r.academic_year):
                self.problems.add(r.row, "start_date", f"is outside the induction year {r.academic_year} "
                                  "(1 September to 31 August)", start.strftime("%d/%m/%Y"))
            if school_id is None:
                continue
            values = values_of(r, fields)
            values["employing_school_id"] = school_id
            values["cohort_id"] = cohorts.get(r.academic_year)
            if has_tutor:
                outside_pool += self._tutor(r, current, values)
            outcome = self.changes.sort(current, values, NQT_DEFAULTS)
            if values["cohort_id"] is None:
                row = self.changes.inserts[-1] if outcome == "added" else self.changes.updates[-1]
                self._new_cohorts.setdefault(r.academic_year, []).append(row)
            if (outcome == "updated" and current is not None
                    and (current["start_date"], current["fte"]) != (values.get("start_date", current["start_date"]),
                                                                     values.get("fte", current["fte"]))):
                self._rescheduled.append(current["id"])
        self._check_trns(records, stored)
        for year in self._new_cohorts:
            self.notes.append(f"the {year} induction cohort was started")
        if outside_pool:
            self.notes.append(f"{outside_pool} induction tutor{'s are' if outside_pool != 1 else ' is'} not in "
                              "the mentor pool: their emails were kept; add their names on the Induction page")

    @staticmethod
    def _in_year(day: dt.date, year: str) -> bool:
        start = academic_year_start(year)
        return dt.date(start, 9, 1) <= day <= dt.date(start + 1, 8, 31)

    def _tutor(self, r: NqtRecord, current: dict[str, Any] | None, values: dict[str, Any]) -> int:
        """Set the tutor columns; 1 when the tutor is not in the mentor pool, else 0."""
        email = r.induction_tutor_email
        mentor = self.lookups.mentors.get(email) if email is not None else None
        if mentor is not None or email is None:
            # One of the pool is named by the link alone (the Induction page refuses both).
            values.update(induction_tutor_id=mentor[0] if mentor else None,
                          induction_tutor_email="", induction_tutor_name="")
            return 0
        same = current is not None and (current["induction_tutor_email"] or "").lower() == email
        values.update(induction_tutor_id=None, induction_tutor_email=email,
                      induction_tutor_name=current["induction_tutor_name"] if same else "")
        return 1

    def _check_trns(self, records: list[NqtRecord], stored: dict[str, dict[str, Any]]) -> None:
        # A TRN belongs to one person: after the import no two NQTs may share one.
        owner = {email: row["trn"] for email, row in stored.items()}
        if "trn" in self.present:
            owner.update((r.email, r.trn) for r in records)
        holders: dict[str, list[str]] = defaultdict(list)
        for email, trn in owner.items():
            if trn:
                holders[trn].append(email)
        for r in records:
            trn = owner.get(r.email)
            others = [e for e in holders.get(trn, ()) if e != r.email] if trn else []
            if others and "trn" in self.present:
                self.problems.add(r.row, "trn", f"is also the TRN of the NQT {others[0]}", trn)

    def apply_before(self) -> None:
        for year, rows in self._new_cohorts.items():
            academic_year = ensure_year(self.s, year)
            cohort_id = self.s.execute(insert(m.InductionCohort).values(
                academic_year_id=academic_year.id, name=f"NQT induction {academic_year.name}")
            ).inserted_primary_key[0]
            for row in rows:
                row["cohort_id"] = cohort_id

    def apply_more(self) -> None:
        if not self._rescheduled:
            return
        # The due dates of assessments not yet done follow a new start date or FTE, as an edit
        # on the Induction page makes them.
        from tsa_desktop.services.induction.assessments import refresh_due_dates  # noqa: PLC0415

        with_assessments = set(self.s.scalars(select(m.NqtAssessment.nqt_id).distinct().where(
            m.NqtAssessment.nqt_id.in_(self._rescheduled))))
        for nqt_id in sorted(with_assessments):
            nqt = self.s.get(m.Nqt, nqt_id)
            if nqt is not None:
                refresh_due_dates(self.s, nqt)
        self.s.flush()
