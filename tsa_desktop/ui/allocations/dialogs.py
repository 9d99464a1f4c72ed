"""The allocation edit dialog."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from tsa_desktop.domain.allocations import MAX_PLACES
from tsa_desktop.domain.enums import Phase, Route
from tsa_desktop.services.reference.schools import ProviderRow, SchoolRow
from tsa_desktop.ui.common.choices import route_choices, subject_choices, widen_choices
from tsa_desktop.ui.common.form import FieldSpec, FormDialog


def allocation_fields(schools: Sequence[SchoolRow], providers: Sequence[ProviderRow],
                      current_route: Route | None = None) -> tuple[FieldSpec, ...]:
    """The fields of the allocation dialog; the lead school first among the schools."""
    ordered = sorted(schools, key=lambda s: (not s.is_lead_school, s.name.casefold()))
    return (
        FieldSpec("academic_year", "Academic year", required=True, placeholder="e.g. 2026/27"),
        FieldSpec("route", "Route", "choice", route_choices(current_route), required=True),
        FieldSpec("phase", "Phase", "choice", [(p.code, p.label) for p in Phase], required=True),
        FieldSpec("subject", "Subject", "choice", subject_choices(), required=True),
        FieldSpec("lead_school_id", "Lead school", "choice",
                  [(None, "— choose the school that holds the places —")]
                  + [(s.id, s.name + (" (lead school)" if s.is_lead_school else "")) for s in ordered],
                  required=True, aliases=("lead_school",)),
        FieldSpec("provider_id", "Accredited provider", "choice",
                  [(None, "— not recorded —")] + [(p.id, p.name) for p in providers],
                  aliases=("accredited_provider",)),
        FieldSpec("places", "Places", "int", required=True, minimum=0, maximum=MAX_PLACES),
    )


def allocation_dialog(title: str, submit: Callable[[dict[str, Any]], Any], schools: Sequence[SchoolRow],
                      providers: Sequence[ProviderRow], values: dict[str, Any] | None = None,
                      parent: QWidget | None = None) -> FormDialog:
    """The add/edit allocation dialog. New allocations default to the alliance's lead school."""
    current = values.get("route") if values else None
    fields = allocation_fields(schools, providers, Route.parse(current) if current else None)
    if not values:
        lead = next((s for s in schools if s.is_lead_school), None)
        values = {"lead_school_id": lead.id if lead else None}
    dialog = FormDialog(title, fields, submit, values, parent)
    widen_choices(dialog)
    return dialog
