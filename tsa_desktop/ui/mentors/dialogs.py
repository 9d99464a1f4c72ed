"""The mentor, training, QA visit and lead mentor dialogs, and turning their values into service input."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any, Callable, Sequence

from PySide6.QtWidgets import QWidget

from tsa_desktop.domain.enums import Phase, QaOutcome
from tsa_desktop.services.mentors.pool import MentorRow
from tsa_desktop.ui.common.form import FieldSpec, FormDialog

Choices = Sequence[tuple[Any, str]]
Submit = Callable[[dict[str, Any]], Any]

_BLOCK_PREFIX = "unavailable_"


def _block_field(block_id: int) -> str:
    return f"{_BLOCK_PREFIX}{block_id}"


def mentor_fields(schools: Choices, leads: Choices, blocks: Choices) -> list[FieldSpec]:
    """The mentor form: identity, school, subjects, capacity, lead mentor, training, availability.

    Args:
        schools: (school id, name) pairs.
        leads: (mentor id, label) pairs of lead mentors.
        blocks: (block id, name) pairs of the year shown; one "not available" box each.
    """
    specs = [
        FieldSpec("first_name", "First name", required=True),
        FieldSpec("last_name", "Last name", required=True),
        FieldSpec("email", "Email", required=True, placeholder="name@school.sch.uk"),
        FieldSpec("phone", "Telephone"),
        FieldSpec("school_id", "School", "choice", schools, required=True),
        FieldSpec("phase", "Phase", "choice", [(p.code, p.label) for p in Phase], required=True),
        FieldSpec("subjects", "Subjects", placeholder="separated by ;  e.g. Mathematics; Physics"),
        FieldSpec("max_trainees", "Trainees per block", "choice",
                  [(1, "One trainee"), (2, "Two (pair and share)")]),
        FieldSpec("is_lead_mentor", "Lead mentor", "check"),
        FieldSpec("lead_mentor_id", "Quality-assured by", "choice", [(None, "— no lead mentor —"), *leads]),
        FieldSpec("initial_training_date", "Initial mentor training", "date"),
        FieldSpec("initial_training_hours", "Training hours", placeholder="e.g. 12"),
        FieldSpec("refresher_date", "Last refresher training", "date"),
    ]
    specs += [FieldSpec(_block_field(bid), f"Not available in {name}", "check",
                        aliases=("unavailable_block_ids",)) for bid, name in blocks]
    specs.append(FieldSpec("active", "Active (in the pool)", "check"))
    return specs


def mentor_form_values(row: MentorRow | None, blocks: Choices) -> dict[str, Any]:
    """The form's starting values: a mentor's, or a new mentor's defaults."""
    if row is None:
        return {"max_trainees": 1, "active": True}
    values = asdict(row.data())
    values["subjects"] = "; ".join(s.label for s in row.subjects)
    if row.initial_training_hours is not None:
        values["initial_training_hours"] = f"{row.initial_training_hours:g}"
    for bid, _name in blocks:
        values[_block_field(bid)] = bid in row.unavailable_block_ids
    return values


def mentor_input(values: dict[str, Any], blocks: Choices, before: frozenset[int] = frozenset()) -> dict[str, Any]:
    """The form's values as ``validate_mentor`` takes them.

    The form shows one year's blocks; unavailability in other years' blocks (``before``) is kept.
    """
    shown = {bid for bid, _name in blocks}
    ticked = {bid for bid in shown if values.get(_block_field(bid))}
    raw = {k: v for k, v in values.items() if not k.startswith(_BLOCK_PREFIX)}
    raw["unavailable_block_ids"] = frozenset((set(before) - shown) | ticked)
    return raw


def mentor_dialog(title: str, submit: Submit, schools: Choices, leads: Choices, blocks: Choices,
                  row: MentorRow | None = None, parent: QWidget | None = None) -> FormDialog:
    """The add/edit mentor dialog; ``submit`` gets the raw form values."""
    return FormDialog(title, mentor_fields(schools, leads, blocks), submit,
                      mentor_form_values(row, blocks), parent)


TRAINING_FIELDS = (
    FieldSpec("initial_training_date", "Initial mentor training", "date"),
    FieldSpec("initial_training_hours", "Training hours", placeholder="e.g. 12"),
    FieldSpec("refresher_date", "Last refresher training", "date"),
)


def training_dialog(row: MentorRow, submit: Submit, refresher_years: int,
                    parent: QWidget | None = None) -> FormDialog:
    """Record a mentor's training dates."""
    hours = row.initial_training_hours
    dialog = FormDialog(f"Training of {row.name}", TRAINING_FIELDS, submit, {
        "initial_training_date": row.initial_training_date,
        "initial_training_hours": "" if hours is None else f"{hours:g}",
        "refresher_date": row.refresher_date,
    }, parent)
    dialog.setToolTip(f"A refresher is due {refresher_years} years after the last training.")
    return dialog


def qa_visit_fields(leads: Choices, mentors: Choices, interval_days: int) -> list[FieldSpec]:
    """The QA visit form."""
    return [
        FieldSpec("lead_mentor_id", "Lead mentor", "choice", leads, required=True),
        FieldSpec("mentor_id", "Mentor visited", "choice", mentors, required=True),
        FieldSpec("visit_date", "Date of visit", "date", required=True),
        FieldSpec("focus", "Focus", placeholder="e.g. Joint lesson observation and feedback"),
        FieldSpec("outcome", "Outcome", "choice", [(o.code, o.label) for o in QaOutcome], required=True),
        FieldSpec("notes", "Notes", "multiline"),
        FieldSpec("next_due", "Next visit due", "date",
                  placeholder=f"empty: {interval_days} days on (sooner after a concern)"),
    ]


def qa_visit_dialog(title: str, submit: Submit, leads: Choices, mentors: Choices, interval_days: int,
                    values: dict[str, Any] | None = None, parent: QWidget | None = None) -> FormDialog:
    """Record or edit a QA visit; a new visit defaults to today."""
    start = {"visit_date": dt.date.today(), "outcome": QaOutcome.SECURE.code, **(values or {})}
    return FormDialog(title, qa_visit_fields(leads, mentors, interval_days), submit, start, parent)


def choose_dialog(title: str, label: str, choices: Choices, submit: Submit, current: Any = None,
                  parent: QWidget | None = None) -> FormDialog:
    """Pick one item (a mentor to designate, a lead mentor to assign to)."""
    return FormDialog(title, [FieldSpec("choice", label, "choice", choices, required=True)], submit,
                      {"choice": current} if current is not None else None, parent)
