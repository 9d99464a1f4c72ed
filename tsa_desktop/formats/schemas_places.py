"""Import schemas for the alliance's organisations: schools (and GIAS extracts), providers,
allocations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from tsa_desktop.domain.enums import Phase, ProviderKind, Route, Subject, fold
from tsa_desktop.domain.schools import parse_establishment_status
from tsa_desktop.domain.values import (
    parse_academic_year,
    parse_bool,
    parse_easting,
    parse_email,
    parse_int,
    parse_northing,
    parse_postcode,
    parse_urn,
)
from tsa_desktop.formats.schemas_core import INVALID, Column, KeyedRecord, Schema
from tsa_desktop.formats.schemas_values import parse_subject, parse_text
from tsa_desktop.formats.tabular import Table

Report = Callable[[str, str, Any], None]


def _capacity(text: str) -> int:
    return parse_int(text, 0, 200)


def _places(text: str) -> int:
    return parse_int(text, 0, 1000)


def check_grid_pair(east: str, north: str) -> Callable[[dict[str, Any], Report], None]:
    """A row check: an easting needs its northing and the other way round."""

    def check(values: dict[str, Any], report: Report) -> None:
        e, n = values.get(east), values.get(north)
        if e is INVALID or n is INVALID:
            return
        if (e is None) != (n is None):
            missing = north if n is None else east
            report(missing, "give both easting and northing, or neither", None)

    return check


# --------------------------------------------------------------------------------------------
# Schools
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SchoolRecord(KeyedRecord):
    """A school from an import file, matched on its URN.

    ``None`` means the cell was empty or the column was not in the file
    (see :attr:`~tsa_desktop.formats.schemas_core.ParseResult.present_fields`).
    ``status`` is the establishment status as GIAS names it (Open, Closed, "Open, but proposed
    to close", "Proposed to open"). ``previous_urns`` is written by the export; an import reads
    it but leaves previous URNs to the GIAS links file (import school-links).
    """

    KEY = ("urn",)

    row: int = 0
    urn: str
    name: str
    phase: Phase
    type: str | None = None
    local_authority: str | None = None
    address_line_1: str | None = None
    address_line_2: str | None = None
    town: str | None = None
    postcode: str | None = None
    easting: int | None = None
    northing: int | None = None
    lead_school: bool | None = None
    capacity_per_block: int | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    status: str | None = None
    previous_urns: tuple[str, ...] | None = None


def _urns(text: str) -> tuple[str, ...]:
    """URNs separated by ``;`` (the schools export's previous_urns)."""
    found = []
    for part in text.split(";"):
        if part.strip():
            try:
                found.append(parse_urn(part))
            except ValueError as exc:
                raise ValueError(f"{part.strip()!r} {exc}") from None
    return tuple(found)


SCHOOL_COLUMNS = (
    Column("urn", parse_urn, required=True),
    Column("name", parse_text, required=True),
    Column("phase", Phase.parse, required=True),
    Column("type"),
    Column("local_authority"),
    Column("address_line_1"),
    Column("address_line_2"),
    Column("town"),
    Column("postcode", parse_postcode),
    Column("easting", parse_easting),
    Column("northing", parse_northing),
    Column("lead_school", parse_bool),
    Column("capacity_per_block", _capacity),
    Column("contact_name"),
    Column("contact_email", parse_email),
    Column("status", parse_establishment_status),
    Column("previous_urns", _urns),
)

#: GIAS "PhaseOfEducation (name)" for establishments we do not place trainees in by phase.
_GIAS_NO_PHASE = fold("Not applicable")


def _gias_phase_and_address(values: dict[str, Any], report: Report) -> str | None:
    locality, address3 = values.pop("locality", None), values.pop("address3", None)
    parts = [p for p in (locality, address3) if p not in (None, INVALID)]
    values["address_line_2"] = ", ".join(parts) or None

    text = values.pop("phase_text")
    values["phase"] = INVALID
    if text is INVALID:
        return None
    kind = values.get("type")
    kind = "" if kind in (None, INVALID) else kind
    try:
        values["phase"] = Phase.parse_gias(text, kind)
    except ValueError as exc:
        if fold(text) == _GIAS_NO_PHASE:
            # Independent schools, colleges and units: GIAS gives them no phase. Refusing the
            # whole extract for them would make "import as downloaded" useless.
            name = values.get("name") if values.get("name") is not INVALID else ""
            return (f"skipped {name or 'an establishment'}: GIAS gives no phase of education "
                    f"for this establishment ({kind or 'type not given'}); add it by hand if "
                    "trainees are placed there")
        report("phase_text", str(exc), text)
    return None


GIAS_COLUMNS = (
    Column("URN", parse_urn, required=True, attr="urn"),
    Column("EstablishmentName", parse_text, required=True, attr="name"),
    Column("PhaseOfEducation (name)", required=True, attr="phase_text"),
    Column("TypeOfEstablishment (name)", required=True, attr="type"),
    Column("LA (name)", attr="local_authority"),
    Column("Street", attr="address_line_1"),
    Column("Locality", attr="locality"),
    Column("Address3", attr="address3"),
    Column("Town", attr="town"),
    Column("Postcode", parse_postcode, attr="postcode"),
    Column("Easting", parse_easting, attr="easting"),
    Column("Northing", parse_northing, attr="northing"),
    Column("EstablishmentStatus (name)", parse_establishment_status, attr="status"),
)

#: The GIAS establishment extract ("edubase" CSV), read as it is downloaded.
GIAS_SCHOOLS: Schema[SchoolRecord] = Schema(
    kind="schools",
    title="a GIAS establishment extract",
    record_type=SchoolRecord,
    columns=GIAS_COLUMNS,
    checks=(_gias_phase_and_address, check_grid_pair("easting", "northing")),
    derived={"phase_text": "phase", "locality": "address_line_2", "address3": "address_line_2"},
    export=False,
)


def is_gias_extract(table: Table) -> bool:
    """True for a GIAS establishment extract: it names its columns URN, EstablishmentName, ..."""
    return table.has("EstablishmentName") and not table.has("name")


SCHOOLS: Schema[SchoolRecord] = Schema(
    kind="schools",
    record_type=SchoolRecord,
    columns=SCHOOL_COLUMNS,
    checks=(check_grid_pair("easting", "northing"),),
    variant=lambda table: GIAS_SCHOOLS if is_gias_extract(table) else None,
)


# --------------------------------------------------------------------------------------------
# Providers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ProviderRecord(KeyedRecord):
    """An accredited provider, matched on its name (case and spacing ignored)."""

    KEY = ("name",)
    FOLDED = frozenset({"name"})

    row: int = 0
    name: str
    kind: ProviderKind
    code: str | None = None


PROVIDERS: Schema[ProviderRecord] = Schema(
    kind="providers",
    record_type=ProviderRecord,
    columns=(
        Column("name", parse_text, required=True),
        Column("code"),
        Column("kind", ProviderKind.parse, required=True),
    ),
)


# --------------------------------------------------------------------------------------------
# Allocations
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AllocationRecord(KeyedRecord):
    """Places granted for a year, route, phase and subject to a lead school.

    ``lead_school_urn`` and ``accredited_provider`` (a provider's name) are references the
    import service resolves.
    """

    KEY = ("academic_year", "route", "phase", "subject", "lead_school_urn")

    row: int = 0
    academic_year: str
    route: Route
    phase: Phase
    subject: Subject
    lead_school_urn: str
    places: int
    accredited_provider: str | None = None


ALLOCATIONS: Schema[AllocationRecord] = Schema(
    kind="allocations",
    record_type=AllocationRecord,
    columns=(
        Column("academic_year", parse_academic_year, required=True),
        Column("route", Route.parse, required=True),
        Column("phase", Phase.parse, required=True),
        Column("subject", parse_subject, required=True),
        Column("lead_school_urn", parse_urn, required=True),
        Column("places", _places, required=True),
        Column("accredited_provider", parse_text),
    ),
)
