"""Columns of the trainees table."""

from __future__ import annotations

from tsa_desktop.domain.enums import TraineeStatus
from tsa_desktop.services.reference.trainees import TraineeRow
from tsa_desktop.ui.core.table_model import Column

_STATUS_COLOUR = {
    TraineeStatus.WITHDRAWN: "#757575",
    TraineeStatus.DEFERRED: "#a15c00",
    TraineeStatus.QTS_AWARDED: "#2e7d32",
}


def placed_at(row: TraineeRow) -> str:
    """The schools a trainee is placed at, in block order, each once."""
    return ", ".join(dict.fromkeys(p.school for p in row.placements))


def _placements_tooltip(row: TraineeRow) -> str | None:
    return "\n".join(f"{p.block}: {p.school}" for p in row.placements) or None


def _over_tooltip(row: TraineeRow) -> str | None:
    reason = row.over_allocation_reason
    return f"Recruited past the allocation's places: {reason}" if reason else None


TRAINEE_COLUMNS: tuple[Column[TraineeRow], ...] = (
    Column("Trainee ID", lambda r: r.trainee_id),
    Column("Name", lambda r: r.name, sort_key=lambda r: f"{r.last_name} {r.first_names}",
           tooltip=lambda r: r.email or None),
    Column("Route", lambda r: r.route),
    Column("Phase", lambda r: r.phase),
    Column("Subject", lambda r: r.subject),
    Column("Status", lambda r: r.status, sort_key=lambda r: list(TraineeStatus).index(r.status),
           colour=lambda r: _STATUS_COLOUR.get(r.status)),
    Column("Since", lambda r: r.status_since,
           tooltip=lambda r: f"{r.status.label} since {r.status_since:%d/%m/%Y}" if r.status_since else None),
    Column("Employing school", lambda r: r.employing_school),
    Column("Placed at", placed_at, tooltip=_placements_tooltip),
    Column("Allocation", lambda r: r.allocation_lead_school,
           tooltip=lambda r: f"Allocation held by {r.allocation_lead_school}" if r.allocation_lead_school else None),
    Column("Over allocation", lambda r: bool(r.over_allocation_reason), tooltip=_over_tooltip,
           colour=lambda r: "#b71c1c" if r.over_allocation_reason else None),
    Column("TRN", lambda r: r.trn),
    Column("Start", lambda r: r.start_date),
    Column("Travels", lambda r: r.travel_mode,
           tooltip=lambda r: None if r.home_easting is not None else
           "Journey unknown: no home postcode, or one the postcode directory does not hold"),
)
