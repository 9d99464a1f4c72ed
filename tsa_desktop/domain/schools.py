"""Schools and accredited providers: what makes one valid."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from tsa_desktop.domain.enums import Phase, ProviderKind
from tsa_desktop.domain.validation import Collector, text_or_empty
from tsa_desktop.domain.values import (
    parse_bool,
    parse_easting,
    parse_email,
    parse_int,
    parse_name,
    parse_northing,
    parse_postcode,
    parse_urn,
)


@dataclass(frozen=True)
class SchoolData:
    """A school's editable fields, validated."""

    urn: str
    name: str
    phase: Phase
    establishment_type: str = ""
    local_authority: str = ""
    address_line_1: str = ""
    address_line_2: str = ""
    town: str = ""
    postcode: str = ""
    easting: int | None = None
    northing: int | None = None
    is_lead_school: bool = False
    capacity_per_block: int = 4
    contact_name: str = ""
    contact_email: str = ""


def validate_school(raw: Mapping[str, Any], row: int | None = None) -> SchoolData:
    """Check a school's fields as typed in the dialog or read from a file.

    Raises:
        ValidationError: naming every field that is wrong.
    """
    c = Collector(row, kind="schools")
    urn = c.required("urn", raw.get("urn"), parse_urn)
    name = c.required("name", raw.get("name"), parse_name)
    phase = c.required("phase", raw.get("phase"), Phase.parse)
    postcode = c.optional("postcode", raw.get("postcode"), parse_postcode, "")
    easting = c.optional("easting", raw.get("easting"), parse_easting)
    northing = c.optional("northing", raw.get("northing"), parse_northing)
    if (easting is None) != (northing is None) and not c.problems:
        c.add("northing" if northing is None else "easting", "give both easting and northing, or neither")
    lead = c.optional("lead_school", raw.get("is_lead_school", raw.get("lead_school")), parse_bool, False)
    capacity = c.optional("capacity_per_block", raw.get("capacity_per_block"),
                          lambda v: parse_int(v, 0, 200), 4)
    email = c.optional("contact_email", raw.get("contact_email"), parse_email, "")
    c.raise_if_any()
    return SchoolData(
        urn=urn, name=name, phase=phase,
        establishment_type=text_or_empty(raw.get("establishment_type", raw.get("type"))),
        local_authority=text_or_empty(raw.get("local_authority")),
        address_line_1=text_or_empty(raw.get("address_line_1")),
        address_line_2=text_or_empty(raw.get("address_line_2")),
        town=text_or_empty(raw.get("town")),
        postcode=postcode or "", easting=easting, northing=northing,
        is_lead_school=bool(lead), capacity_per_block=capacity if capacity is not None else 4,
        contact_name=text_or_empty(raw.get("contact_name")), contact_email=email or "",
    )


@dataclass(frozen=True)
class ProviderData:
    """An accredited provider's fields, validated."""

    name: str
    kind: ProviderKind
    code: str = ""


def validate_provider(raw: Mapping[str, Any], row: int | None = None) -> ProviderData:
    """Check a provider's fields.

    Raises:
        ValidationError: naming every field that is wrong.
    """
    c = Collector(row, kind="providers")
    name = c.required("name", raw.get("name"), parse_name)
    kind = c.required("kind", raw.get("kind"), ProviderKind.parse)
    c.raise_if_any()
    return ProviderData(name=name, kind=kind, code=text_or_empty(raw.get("code")))


# --- GIAS: establishment status and links ---------------------------------------------------------

#: GIAS's "EstablishmentStatus (name)" values, spelt as GIAS spells them.
ESTABLISHMENT_STATUSES: tuple[str, ...] = ("Open", "Closed", "Open, but proposed to close", "Proposed to open")
OPEN, CLOSED = "Open", "Closed"
_STATUS_LOOKUP = {" ".join(s.replace(",", " ").split()).casefold(): s for s in ESTABLISHMENT_STATUSES}


def parse_establishment_status(text: object) -> str:
    """An establishment status as GIAS names it (case, commas and spacing do not matter).

    Raises:
        ValueError: naming the statuses GIAS uses.
    """
    key = " ".join(str(text).replace(",", " ").split()).casefold()
    found = _STATUS_LOOKUP.get(key)
    if found is None:
        raise ValueError("unknown establishment status; accepted (as GIAS names them): "
                         + "; ".join(ESTABLISHMENT_STATUSES))
    return found


def is_successor_link(link_type: str) -> bool:
    """Whether a GIAS link type says the linked URN took over from this one ("Successor",
    "Successor - amalgamated", "Successor - merged", "Successor - Split School", ...)."""
    return link_type.strip().casefold().startswith("successor")
