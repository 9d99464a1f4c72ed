"""The school and provider edit dialogs."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtWidgets import QWidget

from tsa_desktop.domain.enums import Phase, ProviderKind
from tsa_desktop.ui.common.form import FieldSpec, FormDialog

SCHOOL_FIELDS = (
    FieldSpec("urn", "URN", required=True, placeholder="six digits, e.g. 100001"),
    FieldSpec("name", "Name", required=True),
    FieldSpec("phase", "Phase", "choice", [(p.code, p.label) for p in Phase], required=True),
    FieldSpec("establishment_type", "Type of establishment", placeholder="e.g. Academy converter"),
    FieldSpec("local_authority", "Local authority"),
    FieldSpec("address_line_1", "Address"),
    FieldSpec("address_line_2", ""),
    FieldSpec("town", "Town"),
    FieldSpec("postcode", "Postcode", placeholder="e.g. GU9 8QL"),
    FieldSpec("easting", "Easting (m)", placeholder="OS grid, from GIAS"),
    FieldSpec("northing", "Northing (m)"),
    FieldSpec("is_lead_school", "Lead school", "check", aliases=("lead_school",)),
    FieldSpec("capacity_per_block", "Trainees per block", "int", minimum=0, maximum=200),
    FieldSpec("contact_name", "Contact name"),
    FieldSpec("contact_email", "Contact email"),
)

PROVIDER_FIELDS = (
    FieldSpec("name", "Name", required=True, placeholder="e.g. University of Roehampton"),
    FieldSpec("code", "Provider code"),
    FieldSpec("kind", "Kind", "choice", [(k.code, k.label) for k in ProviderKind], required=True),
)


def school_dialog(title: str, submit: Callable[[dict[str, Any]], Any], values: dict[str, Any] | None = None,
                  parent: QWidget | None = None) -> FormDialog:
    """The add/edit school dialog; new schools default to four trainees per block."""
    return FormDialog(title, SCHOOL_FIELDS, submit, values or {"capacity_per_block": 4}, parent)


def provider_dialog(title: str, submit: Callable[[dict[str, Any]], Any], values: dict[str, Any] | None = None,
                    parent: QWidget | None = None) -> FormDialog:
    """The add/edit accredited provider dialog."""
    return FormDialog(title, PROVIDER_FIELDS, submit, values, parent)
