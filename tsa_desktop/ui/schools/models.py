"""Columns of the schools and providers tables."""

from __future__ import annotations

from tsa_desktop.services.reference.schools import ProviderRow, SchoolRow
from tsa_desktop.ui.core.table_model import Column

SCHOOL_COLUMNS: tuple[Column[SchoolRow], ...] = (
    Column("URN", lambda r: r.urn),
    Column("Name", lambda r: r.name, tooltip=lambda r: r.address or None),
    Column("Phase", lambda r: r.phase),
    Column("Type", lambda r: r.establishment_type),
    Column("Local authority", lambda r: r.local_authority),
    Column("Town", lambda r: r.town),
    Column("Postcode", lambda r: r.postcode),
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
