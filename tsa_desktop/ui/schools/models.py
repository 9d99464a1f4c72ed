"""Columns of the schools and providers tables."""

from __future__ import annotations

from tsa_desktop.services.reference.schools import ProviderRow, SchoolRow
from tsa_desktop.ui.core.table_model import Column

SCHOOL_COLUMNS: tuple[Column[SchoolRow], ...] = (
    Column("URN", lambda r: r.urn,
           tooltip=lambda r: ("Previous URN" + ("s" if len(r.previous_urns) > 1 else "") + ": "
                              + ", ".join(r.previous_urns)) if r.previous_urns else None),
    Column("Name", lambda r: r.name, tooltip=lambda r: r.address or None),
    Column("Phase", lambda r: r.phase),
    Column("Type", lambda r: r.establishment_type),
    Column("Local authority", lambda r: r.local_authority),
    Column("Town", lambda r: r.town),
    Column("Postcode", lambda r: r.postcode),
    Column("Previous URNs", lambda r: ", ".join(r.previous_urns)),
    Column("Status", lambda r: r.establishment_status,
           tooltip=lambda r: ("Closed in GIAS: kept for history, never offered or planned"
                              if r.closed else None)),
    Column("Lead", lambda r: r.is_lead_school),
    Column("Per block", lambda r: r.capacity_per_block, numeric=True),
    Column("Mentors", lambda r: r.mentor_count, numeric=True),
    Column("Placements", lambda r: r.placement_count, numeric=True),
    Column("Contact", lambda r: r.contact_name, tooltip=lambda r: r.contact_email or None),
)

PROVIDER_COLUMNS: tuple[Column[ProviderRow], ...] = (
    Column("Name", lambda r: r.name),
    Column("Code", lambda r: r.code),
    Column("Kind", lambda r: r.kind),
    Column("Allocations", lambda r: r.allocation_count, numeric=True),
)
