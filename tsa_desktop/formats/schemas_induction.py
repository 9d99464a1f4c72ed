"""The induction files: ``nqts`` and ``ects``, two names for the same records.

``nqts`` keeps its columns (academic_year required). ``ects`` reads the same columns with
academic_year optional (taken from start_date), plus date_of_birth, mentor_email (the ECT's
mentor, from the mentor pool), programme (provider_led or school_led) and reduced_terms; its
export adds induction_regime, terms_required, terms_counted, expected_end_date and status.
Reading an ``ects`` export back changes nothing: status and terms_counted are read as values
of the record, while induction_regime, terms_required and expected_end_date, which follow from
the dates, are checked for their form and otherwise ignored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tsa_desktop.domain.enums import InductionProgramme, InductionRegime, NqtStatus
from tsa_desktop.domain.induction import parse_terms
from tsa_desktop.domain.values import parse_academic_year, parse_date, parse_email, parse_trn, parse_urn
from tsa_desktop.formats.schemas_core import Column, KeyedRecord, Schema
from tsa_desktop.formats.schemas_values import parse_fte, parse_text


@dataclass(frozen=True, kw_only=True)
class NqtRecord(KeyedRecord):
    """An early career teacher (or NQT) in induction, matched on ``email`` (lower case).

    ``employing_school_urn``, ``induction_tutor_email`` and ``mentor_email`` are references;
    ``academic_year`` names the induction cohort's year (None: the year of ``start_date``).
    The last five fields are what an ``ects`` export adds.
    """

    KEY = ("email",)

    row: int = 0
    email: str
    trn: str | None = None
    first_names: str
    last_name: str
    academic_year: str | None = None
    employing_school_urn: str
    induction_tutor_email: str | None = None
    appropriate_body: str | None = None
    start_date: dt.date | None = None
    fte: float | None = None
    date_of_birth: dt.date | None = None
    mentor_email: str | None = None
    programme: InductionProgramme | None = None
    reduced_terms: float | None = None
    induction_regime: InductionRegime | None = None
    terms_required: float | None = None
    terms_counted: float | None = None
    expected_end_date: dt.date | None = None
    status: NqtStatus | None = None


def _nqt_columns(year_required: bool) -> tuple[Column, ...]:
    return (
        Column("email", parse_email, required=True),
        Column("trn", parse_trn),
        Column("first_names", parse_text, required=True),
        Column("last_name", parse_text, required=True),
        Column("academic_year", parse_academic_year, required=year_required),
        Column("employing_school_urn", parse_urn, required=True),
        Column("induction_tutor_email", parse_email),
        Column("appropriate_body"),
        Column("start_date", parse_date),
        Column("fte", parse_fte),
    )


def _programme(text: str) -> InductionProgramme:
    return InductionProgramme.parse(text)


def _year_or_start(values: dict[str, Any], report) -> None:  # noqa: ANN001 - the schema's report
    """An ECT's row needs its academic year or its start date (the year is taken from it)."""
    if values.get("academic_year") is None and values.get("start_date") is None:
        report("academic_year", "give the academic year or the start date (the year is taken from it)")


NQTS: Schema[NqtRecord] = Schema(
    kind="nqts",
    record_type=NqtRecord,
    columns=_nqt_columns(year_required=True),
)

#: What an ``ects`` file reads and writes beyond the ``nqts`` columns.
ECT_IMPORT_COLUMNS: tuple[Column, ...] = (
    Column("date_of_birth", parse_date),
    Column("mentor_email", parse_email),
    Column("programme", _programme),
    Column("reduced_terms", parse_terms),
)
ECT_EXPORT_COLUMNS: tuple[Column, ...] = (
    Column("induction_regime", InductionRegime.parse),
    Column("terms_required", parse_terms),
    Column("terms_counted", parse_terms),
    Column("expected_end_date", parse_date),
    Column("status", NqtStatus.parse),
)

ECTS: Schema[NqtRecord] = Schema(
    kind="ects",
    record_type=NqtRecord,
    columns=(*_nqt_columns(year_required=False), *ECT_IMPORT_COLUMNS, *ECT_EXPORT_COLUMNS),
    checks=(_year_or_start,),
)
