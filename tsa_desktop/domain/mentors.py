"""Mentors and lead mentors: what makes a mentor record valid, training status, QA visits, load.

Training follows the rotation rules (:mod:`tsa_desktop.domain.rules`): a mentor who never had
mentor training may not be assigned (an error there), and one whose refresher is overdue may be
but is flagged (a warning there). The dates come from :func:`~tsa_desktop.domain.rules.refresher_due`
so that the Mentors page and the rotation checks can never disagree about who is overdue.

Quality assurance: each mentor may have a lead mentor, who visits them and records the visit
(date, focus, outcome, notes, next due). A mentor's next visit is due on the date the last visit
recorded, or, when none was recorded, ``qa_visit_interval_days`` after it (sooner after a cause
for concern). An active mentor with a lead mentor but no visit yet is due now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from tsa_desktop.domain.enums import LabelledEnum, Phase, QaOutcome, Subject
from tsa_desktop.domain.rules import MentorInfo, RuleSettings, mentor_capacity, refresher_due
from tsa_desktop.domain.settings import SETTINGS_BY_KEY
from tsa_desktop.domain.validation import Collector, text_or_empty
from tsa_desktop.domain.values import parse_bool, parse_date, parse_email, parse_float, parse_int, parse_name

#: A refresher falling due within this many days is shown as "due soon" (about half a term).
DUE_SOON_DAYS = 42

#: After a cause for concern the next visit is due within this many days, or sooner if the
#: alliance's usual interval is shorter: a concern is followed up within the term.
CONCERN_FOLLOW_UP_DAYS = 90


# --- validation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MentorData:
    """A mentor's editable fields, validated.

    Attributes:
        unavailable_block_ids: The placement blocks (of any year) in which the mentor cannot
            take a trainee; mentors are available unless listed.
    """

    email: str
    first_name: str
    last_name: str
    school_id: int
    phase: Phase
    subjects: tuple[Subject, ...] = ()
    is_lead_mentor: bool = False
    lead_mentor_id: int | None = None
    initial_training_date: dt.date | None = None
    initial_training_hours: float | None = None
    refresher_date: dt.date | None = None
    max_trainees: int = 1
    active: bool = True
    phone: str = ""
    unavailable_block_ids: frozenset[int] = field(default_factory=frozenset)


def parse_subject_list(value: Any, parse_one: Callable[[Any], Subject] = Subject.parse,
                       accepted: str | None = None) -> tuple[Subject, ...]:
    """Subjects as a list, or as text separated by ``;`` (codes or names); repeats dropped.

    Args:
        value: The list, or the text.
        parse_one: Reads one subject (import files also take "G1 Mathematics").
        accepted: The accepted values to name in the error; None gives a short example instead
            (the full list of codes is long for a dialog).

    Raises:
        ValueError: naming each subject that is not known.
    """
    items = value.split(";") if isinstance(value, str) else list(value)
    found: list[Subject] = []
    bad: list[str] = []
    for item in items:
        if isinstance(item, str) and not item.strip():
            continue
        try:
            subject = parse_one(item.strip() if isinstance(item, str) else item)
        except ValueError:
            bad.append(str(item).strip())
            continue
        if subject not in found:
            found.append(subject)
    if bad:
        listed = ", ".join(repr(b) for b in bad)
        comma = any("," in b for b in bad)
        if accepted is not None:
            hint = "; separate subjects with ';', not ','" if comma else ""
            raise ValueError(f"unknown subject {listed}{hint}; accepted: {accepted}")
        hint = "separate subjects with ';'" if comma else "give DfE subject names or codes, e.g. Mathematics or G1"
        raise ValueError(f"unknown subject {listed}; {hint}")
    return tuple(found)


def _id(value: Any) -> int:
    return parse_int(value, 1)


def _hours(value: Any) -> float:
    return parse_float(value, 0.5, 500)


def validate_mentor(raw: Mapping[str, Any], row: int | None = None) -> MentorData:
    """Check a mentor's fields as typed in the dialog or given by a script.

    Args:
        raw: Field name to value; ``school_id`` and ``lead_mentor_id`` are record ids, dates are
            dates or text (ISO or day first), ``subjects`` a list or text separated by ``;``.
        row: The file row, for messages about imports.

    Raises:
        ValidationError: naming every field that is wrong.
    """
    c = Collector(row, kind="mentors")
    email = c.required("email", raw.get("email"), parse_email)
    first = c.required("first_name", raw.get("first_name"), lambda v: parse_name(v, "first name"))
    last = c.required("last_name", raw.get("last_name"), lambda v: parse_name(v, "last name"))
    school_id = c.required("school_id", raw.get("school_id"), _id)
    phase = c.required("phase", raw.get("phase"), Phase.parse)
    subjects = c.optional("subjects", raw.get("subjects"), parse_subject_list, ())
    lead = c.optional("is_lead_mentor", raw.get("is_lead_mentor"), parse_bool, False)
    lead_of = c.optional("lead_mentor_id", raw.get("lead_mentor_id"), _id)
    trained = c.optional("initial_training_date", raw.get("initial_training_date"), parse_date)
    hours = c.optional("initial_training_hours", raw.get("initial_training_hours"), _hours)
    refresher = c.optional("refresher_date", raw.get("refresher_date"), parse_date)
    max_trainees = c.optional("max_trainees", raw.get("max_trainees"), lambda v: parse_int(v, 1, 2), 1)
    active = c.optional("active", raw.get("active"), parse_bool, True)
    if refresher is not None and trained is None:
        c.add("refresher_date", "a refresher needs the initial training date too")
    elif refresher is not None and trained is not None and refresher < trained:
        c.add("refresher_date", f"is before the initial training ({trained:%d/%m/%Y})",
              f"{refresher:%d/%m/%Y}")
    if hours is not None and trained is None:
        c.add("initial_training_hours", "give the initial training date as well")
    unavailable = raw.get("unavailable_block_ids") or ()
    c.raise_if_any()
    return MentorData(
        email=email, first_name=first, last_name=last, school_id=school_id, phase=phase,
        subjects=subjects or (), is_lead_mentor=bool(lead), lead_mentor_id=lead_of,
        initial_training_date=trained, initial_training_hours=hours, refresher_date=refresher,
        max_trainees=max_trainees or 1, active=True if active is None else active,
        phone=text_or_empty(raw.get("phone")),
        unavailable_block_ids=frozenset(int(b) for b in unavailable),
    )


@dataclass(frozen=True)
class QaVisitData:
    """A lead mentor's quality-assurance visit to a mentor, validated."""

    lead_mentor_id: int
    mentor_id: int
    visit_date: dt.date
    outcome: QaOutcome
    focus: str = ""
    notes: str = ""
    next_due: dt.date | None = None


def validate_qa_visit(raw: Mapping[str, Any], today: dt.date | None = None) -> QaVisitData:
    """Check a QA visit as typed. A visit is logged once it has happened.

    Args:
        raw: ``lead_mentor_id``, ``mentor_id``, ``visit_date``, ``outcome``, ``focus``,
            ``notes``, ``next_due`` (empty: worked out from the interval setting).
        today: The date a visit may not be after; today if None.

    Raises:
        ValidationError: naming every field that is wrong.
    """
    today = today or dt.date.today()
    c = Collector(kind="qa_visits")
    lead = c.required("lead_mentor_id", raw.get("lead_mentor_id"), _id)
    mentor = c.required("mentor_id", raw.get("mentor_id"), _id)
    visit = c.required("visit_date", raw.get("visit_date"), parse_date)
    outcome = c.required("outcome", raw.get("outcome"), QaOutcome.parse)
    next_due = c.optional("next_due", raw.get("next_due"), parse_date)
    if visit is not None and visit > today:
        c.add("visit_date", "is in the future; record a visit once it has taken place",
              f"{visit:%d/%m/%Y}")
    if visit is not None and next_due is not None and next_due <= visit:
        c.add("next_due", f"must be after the visit ({visit:%d/%m/%Y})", f"{next_due:%d/%m/%Y}")
    if lead is not None and lead == mentor:
        c.add("mentor_id", "a lead mentor does not quality-assure themselves")
    c.raise_if_any()
    return QaVisitData(lead_mentor_id=lead, mentor_id=mentor, visit_date=visit, outcome=outcome,
                       focus=text_or_empty(raw.get("focus")), notes=text_or_empty(raw.get("notes")),
                       next_due=next_due)


# --- training -------------------------------------------------------------------------------------


class TrainingState(LabelledEnum):
    """Where a mentor stands with mentor training."""

    NEVER_TRAINED = ("never_trained", "Never trained")
    REFRESHER_OVERDUE = ("refresher_overdue", "Refresher overdue")
    REFRESHER_DUE_SOON = ("refresher_due_soon", "Refresher due soon")
    CURRENT = ("current", "Trained")

    @property
    def flagged(self) -> bool:
        """True for the states the rotation rules report (never trained, refresher overdue)."""
        return self in (TrainingState.NEVER_TRAINED, TrainingState.REFRESHER_OVERDUE)

    @property
    def severity(self) -> str:
        """"error", "warning" or "" as the rotation rules rate a mentor in this state."""
        return {TrainingState.NEVER_TRAINED: "error",
                TrainingState.REFRESHER_OVERDUE: "warning"}.get(self, "")


@dataclass(frozen=True)
class TrainingStatus:
    """A mentor's training as of a day.

    Attributes:
        state: Never trained, overdue, due soon or current.
        last_trained: The later of the initial training and the refresher, or None.
        refresher_due: When the next refresher falls due, or None if never trained.
    """

    state: TrainingState
    last_trained: dt.date | None
    refresher_due: dt.date | None

    @property
    def flagged(self) -> bool:
        return self.state.flagged

    def describe(self, name: str = "") -> str:
        """In words, e.g. "refresher overdue since 01/09/2026"."""
        who = f"{name}: " if name else ""
        if self.state is TrainingState.NEVER_TRAINED:
            return f"{who}never had mentor training; may not be assigned a trainee"
        assert self.refresher_due is not None
        due = f"{self.refresher_due:%d/%m/%Y}"
        if self.state is TrainingState.REFRESHER_OVERDUE:
            return f"{who}refresher training overdue since {due}"
        if self.state is TrainingState.REFRESHER_DUE_SOON:
            return f"{who}refresher training due on {due}"
        return f"{who}trained; refresher due on {due}"


def training_status(mentor: MentorInfo, refresher_years: int, today: dt.date) -> TrainingStatus:
    """A mentor's training status, judged as the rotation rules judge it.

    Args:
        mentor: The mentor (``trained`` and ``refresher`` dates are used).
        refresher_years: The ``refresher_years`` setting.
        today: The day to judge against.
    """
    last = max((d for d in (mentor.trained, mentor.refresher) if d is not None), default=None)
    due = refresher_due(mentor, refresher_years)
    if due is None:
        state = TrainingState.NEVER_TRAINED
    elif due < today:  # the same comparison as rules.placement_problems
        state = TrainingState.REFRESHER_OVERDUE
    elif (due - today).days <= DUE_SOON_DAYS:
        state = TrainingState.REFRESHER_DUE_SOON
    else:
        state = TrainingState.CURRENT
    return TrainingStatus(state, last, due)


# --- quality assurance ----------------------------------------------------------------------------


class QaState(LabelledEnum):
    """Where a mentor stands with quality-assurance visits."""

    NO_LEAD_MENTOR = ("no_lead_mentor", "No lead mentor")
    NEVER_VISITED = ("never_visited", "No visit yet")
    OVERDUE = ("overdue", "Visit overdue")
    DUE_SOON = ("due_soon", "Visit due soon")
    UP_TO_DATE = ("up_to_date", "Up to date")

    @property
    def overdue(self) -> bool:
        """True where a visit should already have happened."""
        return self in (QaState.NEVER_VISITED, QaState.OVERDUE)


@dataclass(frozen=True)
class QaVisitInfo:
    """A recorded visit as the QA rules see it."""

    mentor_id: int
    visit_date: dt.date
    outcome: QaOutcome
    next_due: dt.date | None = None


@dataclass(frozen=True)
class QaStatus:
    """A mentor's QA position as of a day.

    Attributes:
        last_visit: The latest visit, or None.
        next_due: When the next visit is due; None when never visited or without a lead mentor.
    """

    state: QaState
    last_visit: QaVisitInfo | None
    next_due: dt.date | None

    def days_overdue(self, today: dt.date) -> int | None:
        """Days since the visit fell due (None unless the state is OVERDUE)."""
        if self.state is not QaState.OVERDUE or self.next_due is None:
            return None
        return (today - self.next_due).days


def default_next_due(visit_date: dt.date, outcome: QaOutcome, interval_days: int) -> dt.date:
    """When the next visit falls due if the visit did not say: sooner after a concern."""
    days = interval_days
    if outcome is QaOutcome.CONCERN:
        days = min(interval_days, CONCERN_FOLLOW_UP_DAYS)
    return visit_date + dt.timedelta(days=days)


def qa_status(has_lead_mentor: bool, visits: Iterable[QaVisitInfo], interval_days: int,
              today: dt.date) -> QaStatus:
    """A mentor's QA state from their visits.

    Args:
        has_lead_mentor: Whether somebody quality-assures the mentor.
        visits: The mentor's visits, in any order.
        interval_days: The ``qa_visit_interval_days`` setting.
        today: The day to judge against.
    """
    last = max(visits, key=lambda v: v.visit_date, default=None)
    if not has_lead_mentor:
        return QaStatus(QaState.NO_LEAD_MENTOR, last, None)
    if last is None:
        return QaStatus(QaState.NEVER_VISITED, None, None)
    due = last.next_due or default_next_due(last.visit_date, last.outcome, interval_days)
    if due < today:
        state = QaState.OVERDUE
    elif (due - today).days <= DUE_SOON_DAYS:
        state = QaState.DUE_SOON
    else:
        state = QaState.UP_TO_DATE
    return QaStatus(state, last, due)


def qa_interval(settings: Mapping[str, object]) -> int:
    """The QA visit interval in days from stored settings (default when missing)."""
    d = SETTINGS_BY_KEY["qa_visit_interval_days"]
    return int(settings.get(d.key, d.default))  # type: ignore[arg-type]


# --- load -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MentorLoad:
    """What a mentor carries in a year: trainees per block, the ECTs they mentor, those they tutor.

    An ECT's mentor supports them every week of the year, so each ECT counts with the ITT
    trainees in every block: a mentor who may take one trainee a block and mentors an ECT has
    no place left for a trainee.

    Attributes:
        trainees_by_block: Block id to the number of (not cancelled) placements with the mentor.
        nqts: ECTs and NQTs in the year's induction cohort with the mentor as induction tutor.
        capacity: Trainees the mentor may take in one block (two only for pair and share).
        ects: ECTs in induction during the year with the mentor as their mentor.
    """

    trainees_by_block: Mapping[int, int]
    nqts: int
    capacity: int
    ects: int = 0

    @property
    def placements(self) -> int:
        """Placements over the year."""
        return sum(self.trainees_by_block.values())

    @property
    def total(self) -> int:
        """Placements over the year, ECTs mentored and those tutored: the people the mentor supports."""
        return self.placements + self.ects + self.nqts

    def in_block(self, block_id: int) -> int:
        """Trainees placed with the mentor in a block plus the ECTs they mentor."""
        return self.trainees_by_block.get(block_id, 0) + self.ects

    def over_capacity_blocks(self) -> list[int]:
        """Blocks in which the mentor has more trainees and ECTs than they may take."""
        return [b for b in self.trainees_by_block if self.in_block(b) > self.capacity]

    def free_places(self, block_id: int) -> int:
        """How many more trainees the mentor could take in a block (never below zero)."""
        return max(0, self.capacity - self.in_block(block_id))


def mentor_load(mentor: MentorInfo, block_ids: Iterable[int], nqts: int,
                settings: RuleSettings | None = None, ects: int = 0) -> MentorLoad:
    """A mentor's load from the block of each of their placements.

    Args:
        mentor: The mentor (for the pair-and-share capacity).
        block_ids: One block id per placement (not cancelled) with the mentor in the year.
        nqts: ECTs and NQTs the mentor tutors in the year.
        settings: For ``allow_pair_and_share``; defaults when None.
        ects: ECTs the mentor mentors during the year.
    """
    counts: dict[int, int] = {}
    for block_id in block_ids:
        counts[block_id] = counts.get(block_id, 0) + 1
    return MentorLoad(counts, nqts, mentor_capacity(mentor, settings or RuleSettings()), ects)
