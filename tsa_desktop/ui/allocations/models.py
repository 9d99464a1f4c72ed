"""Columns of the allocations table and of the totals beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tsa_desktop.domain.allocations import Fill, FillTotal
from tsa_desktop.services.reference.allocations import AllocationRow
from tsa_desktop.ui.core.table_model import Column

OVER_COLOUR = "#b71c1c"
FULL_COLOUR = "#2e7d32"


def fill_colour(fill: Fill) -> str | None:
    """Red text when recruitment went past the places, green when they are exactly filled."""
    if fill.over:
        return OVER_COLOUR
    if fill.places and fill.full:
        return FULL_COLOUR
    return None


def _total_colour(fill: Fill) -> str | None:
    # A total may be over in one allocation and short in another: its own column says "over".
    return FULL_COLOUR if fill.places and fill.full else None


def left_text(fill: Fill) -> str:
    """Places still to fill, or how many were recruited over them."""
    return f"{fill.over} over" if fill.over else str(fill.remaining)


def _rate_key(fill: Fill) -> float:
    rate = fill.rate
    return -1.0 if rate is None else rate


def _over_tooltip(row: AllocationRow) -> str | None:
    if not row.fill.over:
        return None
    return (f"{row.fill.over} over the allocation; {row.over_reasons} of the trainees recruited past the "
            "places have a reason recorded (see the Trainees page)")


ALLOCATION_COLUMNS: tuple[Column[AllocationRow], ...] = (
    Column("Route", lambda r: r.route),
    Column("Phase", lambda r: r.phase),
    Column("Subject", lambda r: r.subject, tooltip=lambda r: f"DfE subject code {r.subject.code}"),
    Column("Lead school", lambda r: r.lead_school),
    Column("Accredited provider", lambda r: r.provider),
    Column("Places", lambda r: r.places, numeric=True),
    Column("Recruited", lambda r: r.recruited, numeric=True, tooltip=_over_tooltip,
           colour=lambda r: fill_colour(r.fill)),
    Column("Fill", lambda r: r.fill.percent(), sort_key=lambda r: _rate_key(r.fill), numeric=True,
           colour=lambda r: fill_colour(r.fill)),
    Column("Left", lambda r: left_text(r.fill), sort_key=lambda r: r.fill.remaining - r.fill.over, numeric=True,
           tooltip=_over_tooltip, colour=lambda r: OVER_COLOUR if r.fill.over else None),
)


@dataclass(frozen=True)
class TotalLine:
    """One line of the totals table; ``heading`` is shown on the first line of each group."""

    heading: str
    total: FillTotal


def total_lines(groups: Sequence[Sequence[FillTotal]], overall: FillTotal) -> list[TotalLine]:
    """Lines for the totals table: each group under its heading, then the year's total."""
    lines = []
    for group in groups:
        for i, total in enumerate(group):
            lines.append(TotalLine(f"By {total.group.lower()}" if i == 0 else "", total))
    lines.append(TotalLine("Year", overall))
    return lines


TOTAL_COLUMNS: tuple[Column[TotalLine], ...] = (
    Column("", lambda r: r.heading),
    Column("", lambda r: r.total.name),
    Column("Places", lambda r: r.total.places, numeric=True),
    Column("Recruited", lambda r: r.total.recruited, numeric=True, colour=lambda r: _total_colour(r.total.fill)),
    Column("Fill", lambda r: r.total.fill.percent(), numeric=True, colour=lambda r: _total_colour(r.total.fill)),
    Column("Left", lambda r: r.total.fill.remaining, numeric=True),
    Column("Over", lambda r: r.total.fill.over or None, numeric=True,
           colour=lambda r: OVER_COLOUR if r.total.fill.over else None),
)
