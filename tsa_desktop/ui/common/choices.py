"""Choices and questions that the allocations and trainees dialogs share: routes, subjects,
drop-downs as wide as the form, and the question asked before recruiting past an allocation."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QSizePolicy

from tsa_desktop.domain.allocations import OverAllocationError
from tsa_desktop.domain.enums import Route, Subject
from tsa_desktop.ui.common.form import FormDialog


def route_choices(current: Route | None = None) -> list[tuple[str, str]]:
    """Current routes; a historic one only when the record already has it."""
    return [(r.code, r.label) for r in Route if not r.historic or r is current]


def subject_choices() -> list[tuple[str, str]]:
    """The primary subjects first, then the others by name, each with its DfE code."""
    ordered = sorted(Subject, key=lambda s: (not s.is_primary, s.code if s.is_primary else s.label.casefold()))
    return [(s.code, f"{s.label} ({s.code})") for s in ordered]


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
