"""Mentor rules: validation, training status as the rotation rules judge it, QA due dates, load."""

from __future__ import annotations

import datetime as dt

import pytest

from tsa_desktop.domain.enums import Phase, QaOutcome, Route, Subject
from tsa_desktop.domain.errors import ValidationError
from tsa_desktop.domain.mentors import (
    CONCERN_FOLLOW_UP_DAYS,
    QaState,
    QaVisitInfo,
    TrainingState,
    default_next_due,
    mentor_load,
    parse_subject_list,
    qa_status,
    training_status,
    validate_mentor,
    validate_qa_visit,
)
from tsa_desktop.domain.rules import (
    BlockInfo,
    MentorInfo,
    PlacementInfo,
    RotationSnapshot,
    RuleSettings,
    SchoolInfo,
    Severity,
    TraineeInfo,
    check_rotations,
)

TODAY = dt.date(2026, 11, 23)
D = dt.date


def mentor(trained=None, refresher=None, max_trainees=1) -> MentorInfo:
    return MentorInfo(7, "Ann Hill", 10, Phase.SECONDARY, frozenset({Subject.PHYSICS}), max_trainees,
                      trained=trained, refresher=refresher)


GOOD = {"email": " Ann.Hill@Hill.sch.uk ", "first_name": "Ann", "last_name": "Hill", "school_id": "3",
        "phase": "secondary", "subjects": "Physics; F1; physics", "initial_training_date": "01/09/2024",
        "initial_training_hours": "12", "max_trainees": 2}


# --- validation -----------------------------------------------------------------------------------


def test_a_valid_mentor_is_cleaned():
    data = validate_mentor(GOOD)
    assert data.email == "ann.hill@hill.sch.uk"
    assert data.subjects == (Subject.PHYSICS, Subject.CHEMISTRY)
    assert data.initial_training_date == D(2024, 9, 1) and data.initial_training_hours == 12.0
    assert data.max_trainees == 2 and data.active and not data.is_lead_mentor


def test_every_problem_is_reported_at_once_naming_the_field():
    raw = {**GOOD, "email": "ann.hill", "phase": "college", "subjects": "Physics, Maths",
           "max_trainees": "3", "first_name": " ", "refresher_date": "2024-01-01"}
    with pytest.raises(ValidationError) as caught:
        validate_mentor(raw)
    fields = {p.field for p in caught.value.problems}
    assert fields == {"email", "phase", "subjects", "max_trainees", "first_name", "refresher_date"}
    text = str(caught.value)
    assert "separate subjects with ';'" in text
    assert "Last refresher training: is before the initial training (01/09/2024)" in text
    assert "refresher_date" not in text and "max_trainees" not in text


def test_refresher_or_hours_without_initial_training_refused():
    raw = {**GOOD, "initial_training_date": "", "refresher_date": "2025-01-01"}
    with pytest.raises(ValidationError, match="Last refresher training: a refresher needs the initial training"):
        validate_mentor(raw)
    with pytest.raises(ValidationError, match="Training hours: give the initial training date"):
        validate_mentor({**GOOD, "initial_training_date": None})


def test_subjects_accept_codes_names_and_spreadsheet_numbers():
    assert parse_subject_list(["G1", "Maths", 0]) == (Subject.MATHEMATICS, Subject.PRIMARY)
    with pytest.raises(ValueError, match="unknown subject 'Basket weaving'"):
        parse_subject_list("Physics; Basket weaving")


def test_qa_visit_validation():
    ok = validate_qa_visit({"lead_mentor_id": 1, "mentor_id": 2, "visit_date": "20/11/2026",
                            "outcome": "Requires improvement", "focus": " Feedback "}, TODAY)
    assert ok.outcome is QaOutcome.DEVELOPING and ok.focus == "Feedback" and ok.next_due is None
    with pytest.raises(ValidationError) as caught:
        validate_qa_visit({"lead_mentor_id": 1, "mentor_id": 1, "visit_date": "2026-12-01",
                           "outcome": "", "next_due": "2026-11-01"}, TODAY)
    messages = [str(p) for p in caught.value.problems]
    assert "Outcome: is required" in messages
    assert any(m.startswith("Date of visit: is in the future") for m in messages)
    assert any(m.startswith("Next visit due: must be after the visit (01/12/2026)") for m in messages)
    assert "Mentor visited: a lead mentor does not quality-assure themselves" in messages


# --- training -------------------------------------------------------------------------------------


def test_never_trained_is_flagged_as_an_error():
    status = training_status(mentor(), 2, TODAY)
    assert status.state is TrainingState.NEVER_TRAINED and status.flagged
    assert status.state.severity == "error" and status.refresher_due is None
    assert "never had mentor training" in status.describe()


def test_refresher_due_counts_from_the_later_of_training_and_refresher():
    status = training_status(mentor(D(2020, 9, 1), D(2025, 1, 10)), 2, TODAY)
    assert status.last_trained == D(2025, 1, 10) and status.refresher_due == D(2027, 1, 10)
    assert status.state is TrainingState.CURRENT and not status.flagged


def test_overdue_and_due_soon_follow_the_setting():
    trained = mentor(D(2024, 11, 1))
    assert training_status(trained, 2, TODAY).state is TrainingState.REFRESHER_OVERDUE
    assert training_status(trained, 2, TODAY).state.severity == "warning"
    assert training_status(trained, 3, TODAY).state is TrainingState.CURRENT
    # Due on 1 December 2026: eight days away is "due soon", not yet flagged.
    soon = training_status(mentor(D(2024, 12, 1)), 2, TODAY)
    assert soon.state is TrainingState.REFRESHER_DUE_SOON and not soon.flagged
    # Due today is not yet overdue, as in the rotation rules.
    assert training_status(mentor(D(2024, 11, 23)), 2, TODAY).state is TrainingState.REFRESHER_DUE_SOON


@pytest.mark.parametrize("trained, code", [(None, "mentor_untrained"), (D(2024, 1, 1), "refresher_overdue"),
                                           (D(2026, 1, 1), None)])
def test_training_status_agrees_with_the_rotation_check(trained, code):
    m = mentor(trained)
    block = BlockInfo(1, "Autumn", D(2026, 10, 5), D(2026, 12, 11), 40, 1)
    snap = RotationSnapshot(
        (TraineeInfo(1, "Zoe", Phase.SECONDARY, Subject.PHYSICS, Route.SCITT),), (block,),
        (SchoolInfo(10, "Hill School", Phase.SECONDARY),), (m,), (PlacementInfo(1, 1, 1, 10, m.id),),
        RuleSettings(min_distinct_schools=1, min_days_in_school=0))
    codes = {p.code: p.severity for p in check_rotations(snap, TODAY)}
    status = training_status(m, 2, TODAY)
    if code is None:
        assert not status.flagged and not {"mentor_untrained", "refresher_overdue"} & set(codes)
    else:
        assert status.flagged and codes[code].value == status.state.severity


# --- quality assurance ----------------------------------------------------------------------------


def visit(day, outcome=QaOutcome.SECURE, next_due=None):
    return QaVisitInfo(5, day, outcome, next_due)


def test_qa_states():
    assert qa_status(False, [], 365, TODAY).state is QaState.NO_LEAD_MENTOR
    never = qa_status(True, [], 365, TODAY)
    assert never.state is QaState.NEVER_VISITED and never.state.overdue
    recent = qa_status(True, [visit(D(2025, 1, 1)), visit(D(2026, 6, 1))], 365, TODAY)
    assert recent.state is QaState.UP_TO_DATE and recent.next_due == D(2027, 6, 1)
    late = qa_status(True, [visit(D(2025, 10, 1))], 365, TODAY)
    assert late.state is QaState.OVERDUE and late.days_overdue(TODAY) == (TODAY - D(2026, 10, 1)).days


def test_recorded_next_due_wins_and_a_concern_is_followed_up_sooner():
    agreed = qa_status(True, [visit(D(2026, 6, 1), next_due=D(2026, 11, 1))], 365, TODAY)
    assert agreed.state is QaState.OVERDUE and agreed.next_due == D(2026, 11, 1)
    assert default_next_due(D(2026, 9, 1), QaOutcome.CONCERN, 365) == D(2026, 9, 1) + dt.timedelta(
        days=CONCERN_FOLLOW_UP_DAYS)
    assert default_next_due(D(2026, 9, 1), QaOutcome.CONCERN, 60) == D(2026, 10, 31)
    assert default_next_due(D(2026, 9, 1), QaOutcome.SECURE, 365) == D(2027, 9, 1)


# --- load -----------------------------------------------------------------------------------------


def test_load_counts_placements_per_block_and_nqts():
    load = mentor_load(mentor(D(2026, 1, 1), max_trainees=2), [1, 1, 2], nqts=2)
    assert load.trainees_by_block == {1: 2, 2: 1} and load.placements == 3 and load.total == 5
    assert load.capacity == 2 and load.free_places(2) == 1 and load.over_capacity_blocks() == []
    single = mentor_load(mentor(D(2026, 1, 1), max_trainees=2), [1, 1], nqts=0,
                         settings=RuleSettings(allow_pair_and_share=False))
    assert single.capacity == 1 and single.over_capacity_blocks() == [1] and single.free_places(1) == 0
