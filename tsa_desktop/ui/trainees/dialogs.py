"""The trainee edit dialog and the status change dialog."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from tsa_desktop.domain.enums import Phase, Route
from tsa_desktop.domain.errors import DomainError
from tsa_desktop.domain.journeys import TravelMode
from tsa_desktop.domain.trainees import allowed_next, usual_next
from tsa_desktop.services.reference.allocations import AllocationRow
from tsa_desktop.services.reference.schools import SchoolRow
from tsa_desktop.services.reference.trainees import TraineeRow
from tsa_desktop.ui.common.choices import route_choices, subject_choices, widen_choices
from tsa_desktop.ui.common.form import FieldSpec, FormDialog

log = logging.getLogger(__name__)

#: Finds the allocations a trainee may belong to: (year, route, phase, subject) -> rows.
Matching = Callable[[str, str, str, str], Sequence[AllocationRow]]


def trainee_fields(years: Sequence[str], schools: Sequence[SchoolRow],
                   current_route: Route | None = None) -> tuple[FieldSpec, ...]:
    """The trainee dialog's fields. The allocation list is filled as route, phase and subject change."""
    return (
        FieldSpec("trainee_id", "Trainee ID", required=True, placeholder="the alliance's reference, e.g. T260001"),
        FieldSpec("first_names", "First names", required=True),
        FieldSpec("last_name", "Last name", required=True),
        FieldSpec("academic_year", "Academic year", "choice", [(y, y) for y in years], required=True),
        FieldSpec("route", "Route", "choice", route_choices(current_route), required=True),
        FieldSpec("phase", "Phase", "choice", [(p.code, p.label) for p in Phase], required=True),
        FieldSpec("subject", "Subject", "choice", subject_choices(), required=True),
        FieldSpec("allocation_id", "Allocation", "choice", [(None, "Chosen automatically")],
                  aliases=("allocation",)),
        FieldSpec("employing_school_id", "Employing school", "choice",
                  [(None, "— none —")] + [(s.id, s.name) for s in sorted(schools, key=lambda s: s.name.casefold())],
                  aliases=("employing_school",)),
        FieldSpec("start_date", "Start date", "date"),
        FieldSpec("trn", "TRN", placeholder="seven digits, if known"),
        FieldSpec("email", "Email"),
        FieldSpec("phone", "Phone"),
        FieldSpec("home_postcode", "Home postcode"),
        FieldSpec("home_easting", "Home easting (m)",
                  placeholder="found from the postcode when left empty"),
        FieldSpec("home_northing", "Home northing (m)"),
        FieldSpec("travel_mode", "Travels to school", "choice", [(m.code, m.label) for m in TravelMode]),
        FieldSpec("over_allocation_reason", "Reason for recruiting past the allocation", "multiline"),
    )


def allocation_label(row: AllocationRow) -> str:
    """How an allocation is offered: lead school, provider and fill."""
    provider = f", {row.provider}" if row.provider else ""
    return f"{row.lead_school}{provider}: {row.recruited} of {row.places} places filled"


class TraineeDialog(FormDialog):
    """The add/edit trainee dialog.

    The allocation list offers the allocations that match the year, route, phase and subject
    chosen, refreshed as they change; "Chosen automatically" lets the service pick the one match.

    Args:
        matching: Finds the matching allocations (a service call).
    """

    def __init__(self, title: str, submit: Callable[[dict[str, Any]], Any], years: Sequence[str],
                 schools: Sequence[SchoolRow], matching: Matching, values: dict[str, Any] | None = None,
                 parent: QWidget | None = None) -> None:
        values = dict(values or {})
        current = values.get("route")
        super().__init__(title, trainee_fields(years, schools, Route.parse(current) if current else None),
                         submit, values, parent)
        self._matching = matching
        self.setMinimumWidth(600)
        widen_choices(self)
        for name in ("academic_year", "route", "phase", "subject"):
            combo = self.widgets[name]
            assert isinstance(combo, QComboBox)
            combo.currentIndexChanged.connect(self.refresh_allocations)
        self.refresh_allocations()
        if values.get("allocation_id") is not None:
            self.set_values({"allocation_id": values["allocation_id"]})

    @property
    def allocation_box(self) -> QComboBox:
        box = self.widgets["allocation_id"]
        assert isinstance(box, QComboBox)
        return box

    def refresh_allocations(self) -> None:
        """Offer the allocations that match what is chosen now, keeping the choice if it still fits."""
        values = self.values()
        try:
            rows = list(self._matching(values["academic_year"], values["route"], values["phase"], values["subject"]))
        except DomainError:
            rows = []
        except Exception:  # the list is a convenience: the service checks the choice on OK anyway
            log.exception("could not list the matching allocations")
            rows = []
        box, keep = self.allocation_box, self.allocation_box.currentData()
        box.blockSignals(True)
        try:
            box.clear()
            if not rows:
                box.addItem("No allocation matches: add one on the Allocations page", None)
            elif len(rows) == 1:
                box.addItem(f"Chosen automatically: {allocation_label(rows[0])}", None)
            else:
                box.addItem(f"Choose one of {len(rows)} allocations…", None)
                for row in rows:
                    box.addItem(allocation_label(row), row.id)
            index = box.findData(keep)
            box.setCurrentIndex(index if index >= 0 else 0)
            box.setToolTip("\n".join(box.itemText(i) for i in range(box.count())))
        finally:
            box.blockSignals(False)


def trainee_values(row: TraineeRow) -> dict[str, Any]:
    """A trainee's fields as the dialog takes them."""
    data = row.data()
    return {
        "trainee_id": data.trainee_id, "first_names": data.first_names, "last_name": data.last_name,
        "academic_year": data.academic_year, "route": data.route.code, "phase": data.phase.code,
        "subject": data.subject.code, "allocation_id": data.allocation_id,
        "employing_school_id": data.employing_school_id, "start_date": data.start_date, "trn": data.trn,
        "email": data.email, "phone": data.phone, "home_postcode": data.home_postcode,
        "home_easting": data.home_easting, "home_northing": data.home_northing,
        "travel_mode": data.travel_mode.code, "over_allocation_reason": data.over_allocation_reason,
    }


def status_dialog(row: TraineeRow, submit: Callable[[dict[str, Any]], Any], today: dt.date | None = None,
                  parent: QWidget | None = None) -> FormDialog | None:
    """The dialog to move a trainee along the lifecycle; None when their status is final."""
    choices = allowed_next(row.status)
    if not choices:
        return None
    since = f" since {row.status_since:%d/%m/%Y}" if row.status_since else ""
    fields = (
        FieldSpec("status", "New status", "choice", [(s.code, s.label) for s in choices], required=True),
        FieldSpec("changed_on", "Date", "date", required=True),
        FieldSpec("note", "Note", "multiline"),
    )
    start = usual_next(row.status) or choices[0]
    dialog = FormDialog(f"Change status of {row.name} ({row.status.label}{since})", fields, submit,
                        {"status": start.code, "changed_on": today or dt.date.today()}, parent)
    widen_choices(dialog)
    return dialog


def final_status_message(row: TraineeRow) -> str:
    """Why a trainee's status cannot change any more."""
    return f"{row.name} is {row.status.label}: that status is final and cannot change."

