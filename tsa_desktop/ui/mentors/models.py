"""Columns of the mentor tables: the pool, its counts, training, lead mentors, QA and the mentor's view."""

from __future__ import annotations

from tsa_desktop.domain.mentors import QaState, TrainingState
from tsa_desktop.services.mentors.view import TutoredNqt, ViewPlacement
from tsa_desktop.services.mentors.pool import LeadMentorRow, MentorRow, PoolCount, TrainingRow
from tsa_desktop.services.mentors.qa import QaStatusRow, QaVisitRow
from tsa_desktop.ui.core.table_model import Column

ERROR_COLOUR = "#b03a2e"
WARNING_COLOUR = "#b9770e"
MUTED_COLOUR = "#7b7d7d"


def training_colour(state: TrainingState) -> str | None:
    """Red for never trained (an error in the rotation check), amber for an overdue refresher."""
    return {TrainingState.NEVER_TRAINED: ERROR_COLOUR,
            TrainingState.REFRESHER_OVERDUE: WARNING_COLOUR}.get(state)


def qa_colour(state: QaState) -> str | None:
    return {QaState.OVERDUE: ERROR_COLOUR, QaState.NEVER_VISITED: WARNING_COLOUR,
            QaState.NO_LEAD_MENTOR: MUTED_COLOUR}.get(state)


def _load(r: MentorRow) -> str:
    """Trainees this year, and the ECTs they mentor when there are any: "1", "1 + 2 ECTs"."""
    ects = r.load.ects
    return f"{r.load.placements}" + (f" + {ects} ECT{'s' if ects != 1 else ''}" if ects else "")


MENTOR_COLUMNS: tuple[Column[MentorRow], ...] = (
    Column("Name", lambda r: r.name, sort_key=lambda r: r.sort_name, tooltip=lambda r: r.email),
    Column("School", lambda r: r.school_name),
    Column("Phase", lambda r: r.phase),
    Column("Subjects", lambda r: r.subject_names),
    Column("Training", lambda r: r.training.state, sort_key=lambda r: list(TrainingState).index(r.training.state),
           colour=lambda r: training_colour(r.training.state), tooltip=lambda r: r.training.describe()),
    Column("Per block", lambda r: r.capacity, numeric=True,
           tooltip=lambda r: "Pair and share: two trainees together" if r.capacity == 2 else "One trainee"),
    Column("Load", _load, sort_key=lambda r: r.load.total, numeric=True, tooltip=lambda r: r.load_summary),
    Column("Availability", lambda r: r.availability,
           colour=lambda r: WARNING_COLOUR if r.unavailable_blocks else None),
    Column("Lead mentor", lambda r: r.lead_mentor_name),
    Column("Lead", lambda r: r.is_lead_mentor, tooltip=lambda r: f"Quality-assures {r.mentees} mentors"
           if r.is_lead_mentor else None),
    Column("Active", lambda r: r.active),
)

POOL_COUNT_COLUMNS: tuple[Column[PoolCount], ...] = (
    Column("Group", lambda r: r.label),
    Column("Mentors", lambda r: r.mentors, numeric=True),
    Column("Active", lambda r: r.active, numeric=True),
    Column("Lead mentors", lambda r: r.lead_mentors, numeric=True),
    Column("Training flagged", lambda r: r.training_flagged, numeric=True,
           colour=lambda r: WARNING_COLOUR if r.training_flagged else None,
           tooltip=lambda _r: "Active mentors never trained or with an overdue refresher"),
    Column("Places a block", lambda r: r.places_per_block, numeric=True,
           tooltip=lambda _r: "Trainees the active, trained mentors can take in one block"),
)

TRAINING_COLUMNS: tuple[Column[TrainingRow], ...] = (
    Column("Mentor", lambda r: r.mentor.name, sort_key=lambda r: r.mentor.sort_name,
           tooltip=lambda r: r.mentor.email),
    Column("School", lambda r: r.mentor.school_name),
    Column("Status", lambda r: r.mentor.training.state,
           sort_key=lambda r: list(TrainingState).index(r.mentor.training.state),
           colour=lambda r: training_colour(r.mentor.training.state),
           tooltip=lambda r: r.mentor.training.describe()),
    Column("Refresher due", lambda r: r.mentor.training.refresher_due),
    Column("Assigned this year", lambda r: r.assigned or "—",
           colour=lambda r: training_colour(r.mentor.training.state) if r.assignments else None,
           tooltip=lambda r: "Flagged wherever assigned: the rotation check reports these placements"
           if r.assignments else None),
    Column("Phase", lambda r: r.mentor.phase),
    Column("Initial training", lambda r: r.mentor.initial_training_date),
    Column("Hours", lambda r: r.mentor.initial_training_hours, numeric=True),
    Column("Last refresher", lambda r: r.mentor.refresher_date),
)

LEAD_COLUMNS: tuple[Column[LeadMentorRow], ...] = (
    Column("Lead mentor", lambda r: r.mentor.name, sort_key=lambda r: r.mentor.sort_name,
           tooltip=lambda r: r.mentor.email),
    Column("School", lambda r: r.mentor.school_name),
    Column("Phase", lambda r: r.mentor.phase),
    Column("Mentors", lambda r: r.active_mentees, numeric=True,
           tooltip=lambda r: f"{r.mentees} in all, {r.active_mentees} active"),
    Column("Overdue", lambda r: r.overdue, numeric=True,
           colour=lambda r: ERROR_COLOUR if r.overdue else None),
    Column("Last visit", lambda r: r.last_visit),
)

QA_VISIT_COLUMNS: tuple[Column[QaVisitRow], ...] = (
    Column("Date", lambda r: r.visit_date),
    Column("Mentor", lambda r: r.mentor_name),
    Column("School", lambda r: r.school_name),
    Column("Lead mentor", lambda r: r.lead_mentor_name),
    Column("Focus", lambda r: r.focus, tooltip=lambda r: r.focus or None),
    Column("Outcome", lambda r: r.outcome),
    Column("Next due", lambda r: r.next_due),
    Column("Notes", lambda r: r.notes, tooltip=lambda r: r.notes or None),
)

QA_MENTEE_COLUMNS: tuple[Column[QaStatusRow], ...] = (
    Column("Mentor", lambda r: r.mentor_name, sort_key=lambda r: r.mentor_sort_name),
    Column("School", lambda r: r.school_name),
    Column("QA", lambda r: r.state, sort_key=lambda r: list(QaState).index(r.state),
           colour=lambda r: qa_colour(r.state)),
    Column("Last visit", lambda r: r.last_visit),
    Column("Outcome", lambda r: r.last_outcome),
    Column("Next due", lambda r: r.next_due),
    Column("Days overdue", lambda r: r.days_overdue, numeric=True),
)

#: The same with the lead mentor, for lists across every lead mentor (the overdue list).
QA_STATUS_COLUMNS: tuple[Column[QaStatusRow], ...] = (
    *QA_MENTEE_COLUMNS[:2], Column("Lead mentor", lambda r: r.lead_mentor_name), *QA_MENTEE_COLUMNS[2:],
)

VIEW_PLACEMENT_COLUMNS: tuple[Column[ViewPlacement], ...] = (
    Column("Block", lambda r: r.block_name, sort_key=lambda r: r.start),
    Column("Dates", lambda r: f"{r.start:%d/%m/%Y} – {r.end:%d/%m/%Y}", sort_key=lambda r: r.start),
    Column("Trainee", lambda r: r.trainee_name,
           tooltip=lambda r: f"Paired with {r.paired_with}" if r.paired_with else None),
    Column("Email", lambda r: r.trainee_email),
    Column("Telephone", lambda r: r.trainee_phone),
    Column("Other placements", lambda r: r.elsewhere or "—", tooltip=lambda r: rotation_text(r) or None),
    Column("Subject", lambda r: r.subject, tooltip=lambda r: r.route),
    Column("School", lambda r: r.school_name, tooltip=lambda r: ", ".join(r.school_address) or None),
    Column("Status", lambda r: r.status),
)


def rotation_text(r: ViewPlacement) -> str:
    """The trainee's other placements, one a line: block, dates, school and mentor."""
    return "\n".join(f"{o.block_name}, {o.start:%d/%m/%Y} to {o.end:%d/%m/%Y}: {o.school_name}"
                     + (f" with {o.mentor_name}" if o.mentor_name else "") for o in r.other_placements)


NQT_COLUMNS: tuple[Column[TutoredNqt], ...] = (
    Column("Early career teacher", lambda r: r.name, tooltip=lambda r: r.email or None),
    Column("School", lambda r: r.school_name),
    Column("You are", lambda r: r.role),
    Column("Started", lambda r: r.start_date),
    Column("Status", lambda r: r.status),
    Column("Reviews and assessments this year", lambda r: ", ".join(f"{d:%d/%m}" for _what, d in r.dates),
           tooltip=lambda r: "; ".join(f"{d:%d/%m/%Y} {what}" for what, d in r.dates) or None),
)
