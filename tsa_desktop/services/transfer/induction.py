"""Importing ECTs and NQTs (kinds ``ects`` and ``nqts``: the same records) into their cohorts.

Each record joins the induction cohort of its academic year (started if need be); an ``ects``
file may leave the year out and the start date gives it. The regime (ECT, or NQT for an
induction started before 1 September 2021) is set from the start date. The induction tutor and
the ECT's mentor are matched to the mentor pool by email; one person named as both is noted,
not refused.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import insert, select

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import InductionProgramme, NqtStatus
from tsa_desktop.domain.induction_schedule import reduction_problem, regime_for, terms_required
from tsa_desktop.domain.values import academic_year_of, academic_year_start
from tsa_desktop.formats.schemas import NqtRecord
from tsa_desktop.services.reference.years import ensure_year
from tsa_desktop.services.transfer.base import Importer, code, school_problem, text, values_of


def _full_time_if_none(value: float | None) -> float:
    return 1.0 if value is None else value


def _zero_if_none(value: float | None) -> float:
    return 0.0 if value is None else value


def _programme_code(value: InductionProgramme | None) -> str:
    return "" if value is None else value.code


NQT_FIELDS = {
    "email": ("email", None),
    "trn": ("trn", None),
    "first_names": ("first_names", None),
    "last_name": ("last_name", None),
    "appropriate_body": ("appropriate_body", text),
    "start_date": ("start_date", None),
    "fte": ("fte", _full_time_if_none),
    "date_of_birth": ("date_of_birth", None),
    "programme": ("programme", _programme_code),
    "reduced_terms": ("reduced_terms", _zero_if_none),
    "terms_counted": ("terms_counted", _zero_if_none),
    "status": ("status", code),
}

NQT_DEFAULTS: dict[str, Any] = {
    "trn": None, "induction_tutor_id": None, "induction_tutor_name": "", "induction_tutor_email": "",
    "appropriate_body": "", "start_date": None, "fte": 1.0, "terms_counted": 0.0, "extension_terms": 0.0,
    "status": "in_progress", "trainee_id": None, "anonymised_at": None, "version": 1,
    "induction_regime": "ect", "date_of_birth": None, "mentor_id": None, "programme": "", "reduced_terms": 0.0,
    "left_date": None,
}

_STORED = ("email", "trn", "first_names", "last_name", "cohort_id", "employing_school_id", "induction_tutor_id",
           "induction_tutor_name", "induction_tutor_email", "appropriate_body", "start_date", "fte",
           "date_of_birth", "mentor_id", "programme", "reduced_terms", "terms_counted", "extension_terms",
           "status", "induction_regime")

#: Columns whose change moves the due dates of assessments not yet done.
_SCHEDULE = ("start_date", "fte", "reduced_terms")


class NqtImporter(Importer):
    """ECTs and NQTs matched on email, each in the induction cohort of their year.

    An induction tutor whose email is a mentor's is linked to that mentor; any other tutor's
    email is kept on the record. The ECT's mentor must be in the mentor pool.
    """

    kind = "nqts"
    table = m.Nqt.__table__

    def plan(self) -> None:
        t = self.table
        stored = self.stored(select(t.c.id, t.c.version, *(t.c[c] for c in _STORED)),
                             lambda r: r["email"].lower())
        cohorts = dict(self.s.execute(
            select(m.AcademicYear.name, m.InductionCohort.id)
            .join(m.InductionCohort, m.InductionCohort.academic_year_id == m.AcademicYear.id)).all())
        fields = self.fields(NQT_FIELDS)
        has_tutor = "induction_tutor_email" in self.present
        self._new_cohorts: dict[str, list[dict[str, Any]]] = {}
        self._rescheduled: list[int] = []
        outside_pool = both_roles = 0
        records: list[NqtRecord] = self.records
        for r in records:
            current = stored.get(r.email)
            school_id = school_problem(self.problems, self.lookups, r.row, "employing_school_urn",
                                       r.employing_school_urn)
            start = r.start_date if "start_date" in self.present else (current["start_date"] if current else None)
            year = r.academic_year or (academic_year_of(start) if start is not None else None)
            if year is None:  # an nqts file requires the year; an ects file's check asks for one of the two
                continue
            if start is not None and not self._in_year(start, year):
                self.problems.add(r.row, "start_date", f"is outside the induction year {year} "
                                  "(1 September to 31 August)", start.strftime("%d/%m/%Y"))
            values = values_of(r, fields)
            values["induction_regime"] = regime_for(start).code
            if "status" in values and values["status"] is None:  # an empty cell keeps the status
                values["status"] = current["status"] if current else NqtStatus.IN_PROGRESS.code
            mentor_ok = self._mentor(r, values)
            self._check_terms(r, current, values)
            if school_id is None or not mentor_ok:
                continue
            values["employing_school_id"] = school_id
            values["cohort_id"] = cohorts.get(year)
            if has_tutor:
                outside_pool += self._tutor(r, current, values)
            tutor = values.get("induction_tutor_id", current["induction_tutor_id"] if current else None)
            mentor = values.get("mentor_id", current["mentor_id"] if current else None)
            both_roles += tutor is not None and tutor == mentor
            outcome = self.changes.sort(current, values, NQT_DEFAULTS)
            if values["cohort_id"] is None:
                row = self.changes.inserts[-1] if outcome == "added" else self.changes.updates[-1]
                self._new_cohorts.setdefault(year, []).append(row)
            if (outcome == "updated" and current is not None
                    and any(current[c] != values.get(c, current[c]) for c in _SCHEDULE)):
                self._rescheduled.append(current["id"])
        self._check_trns(records, stored)
        for year in self._new_cohorts:
            self.notes.append(f"the {year} induction cohort was started")
        if outside_pool:
            self.notes.append(f"{outside_pool} induction tutor{'s are' if outside_pool != 1 else ' is'} not in "
                              "the mentor pool: their emails were kept; add their names on the Induction page")
        if both_roles:
            self.notes.append(f"{both_roles} early career teacher{'s have' if both_roles != 1 else ' has'} "
                              "the same person as induction tutor and mentor; the two roles should be held "
                              "by two different people")

    @staticmethod
    def _in_year(day: dt.date, year: str) -> bool:
        start = academic_year_start(year)
        return dt.date(start, 9, 1) <= day <= dt.date(start + 1, 8, 31)

    def _mentor(self, r: NqtRecord, values: dict[str, Any]) -> bool:
        """Link the ECT's mentor from the pool; False (with a problem) for an email not in it."""
        if "mentor_email" not in self.present:
            return True
        if r.mentor_email is None:
            values["mentor_id"] = None
            return True
        mentor = self.lookups.mentors.get(r.mentor_email)
        if mentor is None:
            self.problems.add(r.row, "mentor_email", "is not in the mentor pool; import or add the mentor "
                              "first (the ECT's mentor comes from the pool)", r.mentor_email)
            return False
        values["mentor_id"] = mentor[0]
        return True

    def _check_terms(self, r: NqtRecord, current: dict[str, Any] | None, values: dict[str, Any]) -> None:
        """A reduction leaves at least one term; terms counted are at most those required."""
        regime = regime_for(values.get("start_date", current["start_date"] if current else None))
        reduced = values.get("reduced_terms", current["reduced_terms"] if current else 0.0) or 0.0
        problem = reduction_problem(regime, reduced)
        if problem and "reduced_terms" in self.present:
            self.problems.add(r.row, "reduced_terms", problem, f"{reduced:g}")
            return
        counted = values.get("terms_counted", current["terms_counted"] if current else 0.0) or 0.0
        extension = float(current["extension_terms"] or 0) if current else 0.0
        required = terms_required(regime, reduced, extension)
        if counted > required and "terms_counted" in self.present:
            self.problems.add(r.row, "terms_counted", f"is more than the {required:g} terms required",
                              f"{counted:g}")
        birth, start = values.get("date_of_birth"), values.get("start_date")
        if birth is not None and start is not None and birth.year > start.year - 18:
            self.problems.add(r.row, "date_of_birth", "would make them younger than 18 when induction starts",
                              birth.strftime("%d/%m/%Y"))

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
        # A TRN belongs to one person: after the import no two records may share one.
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
                self.problems.add(r.row, "trn", f"is also the TRN of the early career teacher {others[0]}", trn)

    def apply_before(self) -> None:
        from tsa_desktop.services.induction.cohorts import cohort_title  # noqa: PLC0415

        for year, rows in self._new_cohorts.items():
            academic_year = ensure_year(self.s, year)
            cohort_id = self.s.execute(insert(m.InductionCohort).values(
                academic_year_id=academic_year.id, name=cohort_title(academic_year.name))
            ).inserted_primary_key[0]
            for row in rows:
                row["cohort_id"] = cohort_id

    def apply_more(self) -> None:
        if not self._rescheduled:
            return
        # The due dates of assessments not yet done follow a new start date, FTE or reduction,
        # as an edit on the Induction page makes them.
        from tsa_desktop.services.induction.assessments import refresh_due_dates  # noqa: PLC0415

        with_assessments = set(self.s.scalars(select(m.NqtAssessment.nqt_id).distinct().where(
            m.NqtAssessment.nqt_id.in_(self._rescheduled))))
        for nqt_id in sorted(with_assessments):
            nqt = self.s.get(m.Nqt, nqt_id)
            if nqt is not None:
                refresh_due_dates(self.s, nqt)
        self.s.flush()


class EctImporter(NqtImporter):
    """The ``ects`` kind: the same records, with today's induction columns."""

    kind = "ects"
