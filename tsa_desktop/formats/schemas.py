"""The import and export file formats, one schema per KIND of INTERFACES.md.

Use::

    table = read_table(path)
    result = parse_table("trainees", table)     # a GIAS extract is recognised for "schools"
    result.raise_if_problems()                  # all or nothing: any problem refuses the file
    for record in result.records: ...           # frozen dataclasses, matched on record.key

and for exports::

    write_table(path, EXPORT_COLUMNS["trainees"], export_rows("trainees", records))

The schemas check what one file shows on its own: values, required columns, duplicate keys.
References to other records (a school URN, a mentor's email, a provider's name, a block's name)
are carried as given; the import service checks them against the database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tsa_desktop.domain.errors import FieldProblem, ValidationError
from tsa_desktop.domain.values import parse_trn, parse_urn
from tsa_desktop.formats.schemas_core import (
    INVALID,
    Column,
    KeyedRecord,
    ParseResult,
    Schema,
    export_value,
    fold_key,
)
from tsa_desktop.formats.schemas_induction import ECTS, NQTS, NqtRecord
from tsa_desktop.formats.schemas_people import (
    MENTORS,
    PLACEMENTS,
    TRAINEES,
    MentorRecord,
    PlacementRecord,
    TraineeRecord,
)
from tsa_desktop.formats.schemas_places import (
    ALLOCATIONS,
    GIAS_SCHOOLS,
    PROVIDERS,
    SCHOOLS,
    AllocationRecord,
    ProviderRecord,
    SchoolRecord,
    is_gias_extract,
)
from tsa_desktop.formats.schemas_register import REGISTER_TRAINEES, is_register_file
from tsa_desktop.formats.tabular import Table

#: A trainees file may also be Register trainee teachers' bulk-create CSV, read as it is.
TRAINEES = dataclasses.replace(
    TRAINEES, variant=lambda table: REGISTER_TRAINEES if is_register_file(table) else None)

__all__ = [
    "ALLOCATIONS", "ECTS", "EXPORT_COLUMNS", "EXPORT_KINDS", "GIAS_SCHOOLS", "INVALID", "KINDS",
    "MENTORS", "NQTS", "PLACEMENTS", "PROVIDERS", "REGISTER_PLACEMENTS",
    "REGISTER_PLACEMENT_COLUMNS", "REGISTER_PLACEMENTS_CSV_BOM", "REGISTER_MAX_PLACEMENTS",
    "SCHEMAS", "SCHOOLS", "TRAINEES", "AllocationRecord", "Column", "KeyedRecord",
    "MentorRecord", "NqtRecord", "ParseResult", "PlacementRecord", "ProviderRecord",
    "RegisterPlacement", "Schema", "SchoolRecord", "TraineeRecord", "export_row", "export_rows",
    "export_value", "fold_key", "get_schema", "is_gias_extract", "parse_table",
    "register_placement_row", "register_placement_rows",
]

#: The import kinds, in the order they depend on one another (schools before trainees ...).
KINDS: tuple[str, ...] = (
    "schools", "providers", "allocations", "trainees", "mentors", "placements", "nqts", "ects",
)

SCHEMAS: dict[str, Schema[Any]] = {
    "schools": SCHOOLS,
    "providers": PROVIDERS,
    "allocations": ALLOCATIONS,
    "trainees": TRAINEES,
    "mentors": MENTORS,
    "placements": PLACEMENTS,
    "nqts": NQTS,
    "ects": ECTS,  # the same records as nqts, with today's induction columns
}

#: The export kind for Register trainee teachers' bulk placement upload.
REGISTER_PLACEMENTS = "register-placements"

#: Register trainee teachers' bulk placement CSV, exactly as Register names its columns.
REGISTER_PLACEMENT_COLUMNS: tuple[str, ...] = (
    "TRN", "Trainee ITT start date",
    "Placement 1 URN", "Placement 2 URN", "Placement 3 URN", "Placement 4 URN", "Placement 5 URN",
)
REGISTER_MAX_PLACEMENTS = 5

#: Register reads its upload as plain UTF-8 and matches the header exactly, so a byte-order
#: mark would turn "TRN" into an unknown column: pass ``bom=REGISTER_PLACEMENTS_CSV_BOM`` to
#: write_table for this kind.
REGISTER_PLACEMENTS_CSV_BOM = False

#: Export headers per kind: the import headers, so that export-then-import changes nothing.
EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    **{kind: schema.column_names for kind, schema in SCHEMAS.items()},
    REGISTER_PLACEMENTS: REGISTER_PLACEMENT_COLUMNS,
}

#: Every kind ``tsa-desktop export`` writes.
EXPORT_KINDS: tuple[str, ...] = (*KINDS, REGISTER_PLACEMENTS)


def get_schema(kind: str) -> Schema[Any]:
    """The schema of an import kind.

    Raises:
        ValidationError: for an unknown kind, listing the kinds there are.
    """
    schema = SCHEMAS.get(kind.strip().lower())
    if schema is None:
        raise ValidationError.single("kind", f"unknown import kind; accepted: {', '.join(KINDS)}", kind)
    return schema


def parse_table(kind: str, table: Table) -> ParseResult[Any]:
    """Parse a table read from a file as the given kind (a GIAS extract for ``schools``).

    Raises:
        ValidationError: for an unknown kind. Problems in the file are returned, not raised.
    """
    return get_schema(kind).parse(table)


def export_row(kind: str, record: Any) -> list[object]:
    """One record as cells in ``EXPORT_COLUMNS[kind]`` order."""
    return get_schema(kind).export_row(record)


def export_rows(kind: str, records: Iterable[Any]) -> list[list[object]]:
    """Records as rows in ``EXPORT_COLUMNS[kind]`` order, ready for write_table."""
    schema = get_schema(kind)
    return [schema.export_row(r) for r in records]


# --------------------------------------------------------------------------------------------
# Register trainee teachers: bulk placement upload
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterPlacement:
    """What one row of Register's bulk placement file needs: a trainee and where they went.

    Attributes:
        trn: The trainee's TRN (Register finds the trainee by it); None when not known.
        start_date: The trainee's ITT start date, or None.
        urns: The placement schools' URNs in placement order; repeats are dropped.
        trainee_id: Our own id of the trainee, for messages.
    """

    trn: str | None
    start_date: dt.date | None
    urns: Sequence[str]
    trainee_id: str = ""


def register_placement_row(trn: str, start_date: dt.date | None, urns: Sequence[str]) -> list[str]:
    """One row of Register's bulk placement CSV, in REGISTER_PLACEMENT_COLUMNS order.

    The start date is written DD/MM/YYYY, as Register asks; unused placement cells are empty.

    Args:
        trn: Seven digits.
        start_date: The trainee's ITT start date; None leaves the cell empty.
        urns: School URNs in placement order; a school placed twice counts once.

    Raises:
        ValueError: the TRN or a URN is not valid, or there are more than five schools.
    """
    try:
        clean_trn = parse_trn(trn)
    except ValueError as exc:
        raise ValueError(f"TRN {trn!r} {exc}") from None
    distinct: list[str] = []
    for urn in urns:
        try:
            clean = parse_urn(urn)
        except ValueError as exc:
            raise ValueError(f"placement URN {urn!r} {exc}") from None
        if clean not in distinct:
            distinct.append(clean)
    if len(distinct) > REGISTER_MAX_PLACEMENTS:
        raise ValueError(
            f"has {len(distinct)} placement schools; Register's file takes "
            f"{REGISTER_MAX_PLACEMENTS}: add the others in Register by hand"
        )
    cells = distinct + [""] * (REGISTER_MAX_PLACEMENTS - len(distinct))
    date_text = start_date.strftime("%d/%m/%Y") if start_date is not None else ""
    return [clean_trn, date_text, *cells]


def register_placement_rows(
    entries: Iterable[RegisterPlacement],
) -> tuple[list[list[str]], list[FieldProblem]]:
    """Rows of Register's bulk placement CSV, and a note for every trainee left out.

    A trainee without a TRN cannot be matched by Register and is left out; so is one with
    more than five placement schools (Register takes those by hand) and one without a start
    date (Register needs it). Trainees with no
    placement school are left out silently: there is nothing to upload for them.

    Returns:
        (rows, notes). Each note names the trainee (``trainee_id`` or TRN) and the reason.
    """
    rows: list[list[str]] = []
    notes: list[FieldProblem] = []
    for entry in entries:
        who = entry.trainee_id or (entry.trn or "")
        if not entry.urns:
            continue
        if not entry.trn:
            notes.append(FieldProblem("TRN", f"trainee {who} has no TRN: Register cannot match "
                                              "them; add their placements in Register by hand"))
            continue
        try:
            row = register_placement_row(entry.trn, entry.start_date, entry.urns)
        except ValueError as exc:
            notes.append(FieldProblem("Placement URN", f"trainee {who}: {exc}"))
            continue
        if entry.start_date is None:
            # Register matches the row on TRN and ITT start date: one without a date is refused.
            notes.append(FieldProblem("Trainee ITT start date", f"trainee {who} has no start date: Register "
                                                                "needs it; add it, or their placements in Register by hand"))
            continue
        rows.append(row)
    return rows, notes
