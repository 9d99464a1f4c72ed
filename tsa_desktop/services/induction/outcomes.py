"""The assessment outcomes file: one row per ECT (or NQT) and term, exported and imported.

``term`` is the key of the review or assessment: for an ECT the school term of induction (1, 2,
...), for an NQT the induction term (1, 2, 3); 0 is the interim assessment of a leaver.

Columns: email, trn, name, school, term, kind, due, completed, outcome. An import matches rows on
[email, term] and is all or nothing: a file with any bad row changes nothing, and the message names
every row, column and problem. Empty cells are missing values and leave what is recorded as it is,
so a file returned with only some outcomes filled in never clears the others; importing the same
file twice changes nothing the second time. ``name`` and ``school`` are for people reading the
file; a ``trn`` or ``kind`` that is given must agree with the NQT and term.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace

from sqlalchemy import select

from tsa_desktop.db import models as m
from tsa_desktop.domain.errors import FieldProblem, ValidationError
from tsa_desktop.domain.enums import AssessmentKind
from tsa_desktop.domain.induction import AssessmentData, validate_assessment
from tsa_desktop.domain.progress import SILENT, Progress
from tsa_desktop.domain.values import parse_academic_year, parse_email, parse_int, parse_trn
from tsa_desktop.services.base import Service
from tsa_desktop.services.induction.assessments import (
    AssessmentRow,
    apply_assessment,
    assessment_rows_for,
    load_briefs,
    stored_assessments,
)

#: The outcomes file's columns, in order.
OUTCOME_COLUMNS: tuple[str, ...] = (
    "email", "trn", "name", "school", "term", "kind", "due", "completed", "outcome",
)

# validate_assessment names fields as the dialog does; the file names them by its columns' headers.
_FILE_FIELD = {"due_date": "due", "completed_date": "completed"}


@dataclass(frozen=True)
class OutcomeImport:
    """What an outcomes import did.

    Attributes:
        rows: Data rows read.
        changed: Assessments whose recorded values changed.
        unchanged: Rows that matched what was recorded already.
    """

    rows: int
    changed: int
    unchanged: int

    def __str__(self) -> str:
        return f"{self.rows} rows: {self.changed} assessments changed, {self.unchanged} unchanged"


class OutcomeFileService(Service):
    """Export and import the assessment outcomes of NQTs."""

    #: Recording outcomes from a file is an import: office staff who may import may do it.
    permission = "import"

    def rows(self, year: str | None = None, today: dt.date | None = None) -> list[AssessmentRow]:
        """The assessments of a year's cohort (or every cohort), by year, NQT and term."""
        today = today or dt.date.today()
        with self._read() as s:
            cohorts = self._cohort_ids(s, year)
            result: list[AssessmentRow] = []
            for cohort_id in cohorts:
                for rows in assessment_rows_for(s, load_briefs(s, cohort_id), today).values():
                    result.extend(rows)
        return result

    def export(self, path: str | os.PathLike[str], year: str | None = None,
               today: dt.date | None = None) -> int:
        """Write the outcomes file (.csv or .xlsx by its ending).

        Returns:
            The number of rows written.

        Raises:
            ValidationError: the year has no cohort, or the file cannot be written.
        """
        from tsa_desktop.formats.tabular import write_table  # noqa: PLC0415 - pandas/openpyxl are slow to import

        data = [(r.email, r.trn, r.nqt_name, r.school, r.term, r.kind.code, r.due_date, r.completed_date,
                 r.outcome.code if r.outcome else None) for r in self.rows(year, today)]
        return write_table(path, OUTCOME_COLUMNS, data, sheet_name="Outcomes")

    def import_file(self, path: str | os.PathLike[str], progress: Progress = SILENT,
                    today: dt.date | None = None) -> OutcomeImport:
        """Read an outcomes file and record what it says, all or nothing.

        Raises:
            ValidationError: the file cannot be used or any row is wrong; nothing was changed.
            CancelledError: the user cancelled; nothing was changed.
        """
        from tsa_desktop.formats.tabular import read_table  # noqa: PLC0415

        today = today or dt.date.today()
        table = read_table(path)
        source = str(path)
        missing = [c for c in ("email", "term") if not table.has(c)]
        if missing:
            raise ValidationError([FieldProblem("file", f"has no column {c!r}; the outcomes file needs "
                                                f"{', '.join(OUTCOME_COLUMNS)}") for c in missing], source)
        with self._write() as s:
            by_email = {n.email: n for n in s.scalars(select(m.Nqt))}
            stored = stored_assessments(s, [n.id for n in by_email.values()])
            briefs = {b.id: b for b in load_briefs(s)}
            current = assessment_rows_for(s, briefs.values(), today)
            problems: list[FieldProblem] = []
            plan: list[tuple[m.Nqt, int, AssessmentData]] = []
            seen: dict[tuple[int, int], int] = {}
            unchanged = 0
            total = len(table)
            for done, row in enumerate(table.rows):
                if done % 200 == 0:
                    progress.check()
                    progress.report(done, total, f"Checking row {row.number}")
                found = _check_row(row, by_email, seen, problems, current)
                if found is None:
                    continue
                nqt, term = found
                before = next(a for a in current[nqt.id] if a.term == term)
                kind = before.kind
                merged = {
                    "due_date": row.get("due") or before.due_date,
                    "completed_date": row.get("completed") or before.completed_date,
                    "outcome": row.get("outcome") or (before.outcome.code if before.outcome else None),
                    "notes": before.notes,
                }
                try:
                    data = validate_assessment(merged, kind, today, nqt.start_date, row=row.number)
                except ValidationError as exc:
                    problems.extend(replace(p, field=_FILE_FIELD.get(p.field, p.field), label="")
                                    for p in exc.problems)
                    continue
                if data == _recorded(before):
                    unchanged += 1
                else:
                    plan.append((nqt, term, data))
            if problems:
                raise ValidationError(problems, source)
            progress.check()
            for done, (nqt, term, data) in enumerate(plan):
                if done % 200 == 0:
                    progress.report(done, len(plan), "Recording outcomes")
                apply_assessment(s, nqt, term, data, stored.get(nqt.id, {}).get(term))
            progress.report(len(plan), len(plan), "Done")
            return OutcomeImport(total, len(plan), unchanged)

    @staticmethod
    def _cohort_ids(s, year: str | None) -> list[int]:
        stmt = (select(m.InductionCohort.id)
                .join(m.AcademicYear, m.AcademicYear.id == m.InductionCohort.academic_year_id)
                .order_by(m.AcademicYear.name))
        if year is not None:
            try:
                year = parse_academic_year(year)
            except ValueError as exc:
                raise ValidationError.single("year", str(exc), year) from None
            stmt = stmt.where(m.AcademicYear.name == year)
            ids = list(s.scalars(stmt))
            if not ids:
                raise ValidationError.single("year", f"there is no induction cohort for {year}", year)
            return ids
        return list(s.scalars(stmt))


def _recorded(before: AssessmentRow) -> AssessmentData:
    """What an assessment holds now, scheduled ones included (their due date is the schedule's)."""
    return AssessmentData(before.due_date, before.completed_date, before.outcome, before.notes)


def _check_row(row, by_email: dict[str, m.Nqt], seen: dict[tuple[int, int], int],
               problems: list[FieldProblem], current: dict[int, list[AssessmentRow]]) -> tuple[m.Nqt, int] | None:
    """The ECT (or NQT) and term a row is about, or None after adding its problems."""
    n = row.number
    count = len(problems)
    email = term = None
    try:
        email = parse_email(row.get("email") or "")
    except ValueError as exc:
        problems.append(FieldProblem("email", "is required" if not row.get("email") else str(exc), n,
                                     row.get("email")))
    try:
        term = parse_int(row.get("term") or "", 0, 999)
    except ValueError:
        problems.append(FieldProblem("term", "must be a whole number (0 for an interim assessment)", n,
                                     row.get("term")))
    nqt = by_email.get(email) if email else None
    if email and nqt is None:
        problems.append(FieldProblem("email", "no early career teacher (or NQT) has this email", n, email))
    planned = None
    if nqt is not None and term is not None:
        planned = next((a for a in current.get(nqt.id, ()) if a.term == term), None)
        if planned is None:
            terms = ", ".join(str(a.term) for a in current.get(nqt.id, ())) or "none"
            problems.append(FieldProblem("term", f"{email} has no review or assessment for term {term} "
                                         f"(scheduled: {terms})", n, term))
    if nqt is not None and row.get("trn"):
        try:
            trn = parse_trn(row.get("trn"))
        except ValueError as exc:
            problems.append(FieldProblem("trn", str(exc), n, row.get("trn")))
        else:
            if trn != nqt.trn:
                problems.append(FieldProblem("trn", f"does not match the TRN recorded for {email}", n, trn))
    if planned is not None and row.get("kind"):
        try:
            kind = AssessmentKind.parse(row.get("kind"))
        except ValueError as exc:
            problems.append(FieldProblem("kind", str(exc), n, row.get("kind")))
        else:
            expected = planned.kind
            if kind is not expected:
                problems.append(FieldProblem("kind", f"term {term} ends in the {expected.label.lower()}", n,
                                             row.get("kind")))
    if nqt is not None and term is not None:
        first = seen.setdefault((nqt.id, term), n)
        if first != n:
            problems.append(FieldProblem("term", f"{email} term {term} is also on row {first}", n))
    if len(problems) > count or nqt is None or term is None:
        return None
    return nqt, term
