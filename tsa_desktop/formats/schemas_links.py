"""The GIAS links file ("links" download of Get Information about Schools), read as downloaded.

Each row links one establishment (URN) to another (LinkURN): "Successor" when the linked one took
over (an academy conversion, an amalgamation, a merger), "Predecessor" the other way round, and
other kinds (sixth form centre links, ...). Only successors move anything; other rows are read
and left alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tsa_desktop.domain.values import parse_date, parse_urn
from tsa_desktop.formats.schemas_core import INVALID, Column, KeyedRecord, Schema
from tsa_desktop.formats.schemas_values import parse_text

Report = Callable[[str, str, Any], None]


@dataclass(frozen=True, kw_only=True)
class SchoolLinkRecord(KeyedRecord):
    """One link between two GIAS establishments, matched on the pair of URNs."""

    KEY = ("urn", "link_urn")

    row: int = 0
    urn: str
    link_urn: str
    link_name: str | None = None
    link_type: str
    established: dt.date | None = None


def _not_itself(values: dict[str, Any], report: Report) -> None:
    urn, link = values.get("urn"), values.get("link_urn")
    if urn not in (None, INVALID) and urn == link:
        report("link_urn", "is the establishment's own URN", link)


SCHOOL_LINKS: Schema[SchoolLinkRecord] = Schema(
    kind="school-links",
    title="a GIAS links file",
    record_type=SchoolLinkRecord,
    columns=(
        Column("URN", parse_urn, required=True, attr="urn"),
        Column("LinkURN", parse_urn, required=True, attr="link_urn"),
        Column("LinkName", parse_text, attr="link_name"),
        Column("LinkType", parse_text, required=True, attr="link_type"),
        Column("LinkEstablishedDate", parse_date, attr="established"),
    ),
    checks=(_not_itself,),
    export=False,
)
