"""Columns of the letters table: one row per letter, with whether it is produced and current."""

from __future__ import annotations

from tsa_desktop.services.letters.data import PreparedLetter
from tsa_desktop.ui.core.table_model import Column

_STATUS_COLOURS = {"not_produced": "#5a6573", "up_to_date": "#1e7b34", "out_of_date": "#b03a2e"}
_STATUS_ORDER = {"out_of_date": 0, "not_produced": 1, "up_to_date": 2}


def _status_tooltip(row: PreparedLetter) -> str:
    if row.status.state == "out_of_date":
        return ("Something in this letter changed after it was produced (a school, mentor, date, "
                "name or the contact). Produce it again and send the new one.")
    if row.status.state == "up_to_date":
        return "Produced, and the data has not changed since."
    return "Not produced yet."


def _copies(row: PreparedLetter) -> str | None:
    copies = len(row.letters) - 1
    if copies <= 0:
        return None
    return f"With a copy to {copies} mentor{'s' if copies != 1 else ''}"


def _sort_name(row: PreparedLetter) -> str:
    """Trainees sort by family name, as the letters are printed; schools by name."""
    letter = row.letters[0]
    if row.key.kind == "trainee":
        return f"{letter.last_name} {letter.first_names}"
    return row.recipient


LETTER_COLUMNS: tuple[Column[PreparedLetter], ...] = (
    Column("To", lambda r: r.recipient, sort_key=_sort_name, tooltip=_copies),
    Column("Reference", lambda r: r.reference),
    Column("Block", lambda r: r.block),
    Column("Status", lambda r: str(r.status),
           sort_key=lambda r: (_STATUS_ORDER[r.status.state],
                              r.status.produced_at.isoformat() if r.status.produced_at else ""),
           tooltip=_status_tooltip, colour=lambda r: _STATUS_COLOURS[r.status.state]),
    Column("Placements", lambda r: r.placement_count, numeric=True),
    Column("Schools or trainees", lambda r: r.details, tooltip=lambda r: r.details or None),
    Column("Mentors", lambda r: r.mentors, tooltip=lambda r: r.mentors or None),
)

#: The status column, for tests and for sorting by it.
STATUS_COLUMN = 3
