"""The allocation edit dialog, and the question asked before recruiting past an allocation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QInputDialog, QSizePolicy, QWidget

from tsa_desktop.domain.allocations import MAX_PLACES, OverAllocationError
from tsa_desktop.domain.enums import Phase, Route, Subject
from tsa_desktop.services.reference.schools import ProviderRow, SchoolRow
from tsa_desktop.ui.common.form import FieldSpec, FormDialog


def route_choices(current: Route | None = None) -> list[tuple[str, str]]:
    """Current routes; a historic one only when the record already has it."""
    return [(r.code, r.label) for r in Route if not r.historic or r is current]


def subject_choices() -> list[tuple[str, str]]:
    """The primary subjects first, then the others by name, each with its DfE code."""
    ordered = sorted(Subject, key=lambda s: (not s.is_primary, s.code if s.is_primary else s.label.casefold()))
    return [(s.code, f"{s.label} ({s.code})") for s in ordered]


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


def widen_choices(dialog: FormDialog) -> None:
    """Let every drop-down take the form's width, so that long school names are not cut short."""
    for widget in dialog.widgets.values():
        if isinstance(widget, QComboBox):
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)


def over_allocation_question(exc: OverAllocationError) -> str:
    """What the user is asked before a trainee is recruited past an allocation's places."""
    fill = exc.fill
    return (f"The allocation {exc.allocation.describe()} has {fill.places} place"
            f"{'' if fill.places == 1 else 's'}, and {fill.recruited} trainee"
            f"{' is' if fill.recruited == 1 else 's are'} recruited against it already.\n\n"
            f"Recruiting this trainee makes {fill.recruited + 1}. To go ahead, say why "
            "(the reason is kept with the trainee):")


def ask_over_allocation_reason(parent: QWidget | None, exc: OverAllocationError) -> str | None:
    """Ask for the reason to recruit past an allocation; None when the user cancels."""
    text, ok = QInputDialog.getMultiLineText(parent, "Recruit past the allocation?", over_allocation_question(exc))
    text = text.strip()
    return text if ok and text else None
