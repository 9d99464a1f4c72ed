"""Trainee rules without a database: fields, the status lifecycle and choosing the allocation."""

import datetime as dt

import pytest

from tsa_desktop.domain.allocations import AllocationRef
from tsa_desktop.domain.enums import Phase, Route, Subject, TraineeStatus
from tsa_desktop.domain.errors import ValidationError
from tsa_desktop.domain.trainees import (
    AllocationChoiceError,
    NoMatchingAllocationError,
    StatusTransitionError,
    allowed_next,
    check_status_date,
    check_transition,
    choose_allocation,
    validate_status_change,
    validate_trainee,
)

GOOD = {"trainee_id": "T260500", "first_names": "Robin", "last_name": "Example", "route": "scitt",
        "phase": "Secondary", "subject": "Physics", "academic_year": "2026/27", "trn": "0123456",
        "email": "Robin.Example@Trainee.example", "start_date": "01/09/2026", "home_postcode": "gu9 8ql"}


def _fields(exc):
    return sorted(p.field for p in exc.problems)


def test_valid_trainee():
    data = validate_trainee(GOOD)
    assert data.trn == "0123456" and data.email == "robin.example@trainee.example"
    assert data.start_date == dt.date(2026, 9, 1) and data.home_postcode == "GU9 8QL"
    assert data.subject is Subject.PHYSICS and data.allocation_id is None and data.name == "Robin Example"


def test_salaried_routes_need_an_employing_school():
    with pytest.raises(ValidationError) as info:
        validate_trainee({**GOOD, "route": "School Direct (salaried)"})
    assert _fields(info.value) == ["employing_school"]
    assert "required for School Direct (salaried) trainees" in str(info.value)
    assert validate_trainee({**GOOD, "route": "school_direct_salaried", "employing_school_id": 4}).employing_school_id == 4


def test_every_problem_named():
    with pytest.raises(ValidationError) as info:
        validate_trainee({**GOOD, "trainee_id": "T 1", "trn": "123", "first_names": " ", "phase": "primary",
                          "home_easting": "480000"})
    assert _fields(info.value) == ["first_names", "home_northing", "subject", "trainee_id", "trn"]


def test_lifecycle_transitions_name_the_allowed_statuses():
    check_transition(TraineeStatus.OFFERED, TraineeStatus.ENROLLED)
    with pytest.raises(StatusTransitionError) as info:
        check_transition(TraineeStatus.OFFERED, TraineeStatus.QTS_AWARDED)
    assert str(info.value) == ("Status: a trainee who is Offered can become Enrolled, Deferred or Withdrawn, "
                               "not QTS awarded")
    assert info.value.allowed == (TraineeStatus.ENROLLED, TraineeStatus.DEFERRED, TraineeStatus.WITHDRAWN)
    with pytest.raises(StatusTransitionError, match="QTS awarded is final"):
        check_transition(TraineeStatus.QTS_AWARDED, TraineeStatus.ENROLLED)
    assert allowed_next(TraineeStatus.WITHDRAWN) == (TraineeStatus.OFFERED,)


def test_status_dates_run_forwards():
    check_status_date(dt.date(2026, 9, 1), dt.date(2026, 9, 1), TraineeStatus.OFFERED)
    with pytest.raises(ValidationError, match="on or after 01/09/2026, the date of the previous change \\(Offered\\)"):
        check_status_date(dt.date(2026, 8, 31), dt.date(2026, 9, 1), TraineeStatus.OFFERED)
    change = validate_status_change({"status": "enrolled", "changed_on": ""}, today=dt.date(2026, 9, 7))
    assert change.changed_on == dt.date(2026, 9, 7) and change.status is TraineeStatus.ENROLLED
    with pytest.raises(ValidationError) as info:
        validate_status_change({"status": "graduated", "changed_on": "31/02/2026"})
    assert _fields(info.value) == ["changed_on", "status"]


def _ref(aid, route=Route.SCITT, subject=Subject.PHYSICS, lead="Weydon School"):
    return AllocationRef(aid, "2026/27", route, Phase.SECONDARY, subject, lead, "", 4)


CANDIDATES = [_ref(1), _ref(2, subject=Subject.CHEMISTRY), _ref(3, route=Route.SCHOOL_DIRECT_SALARIED)]


def test_exactly_one_match_is_chosen_automatically():
    assert choose_allocation(CANDIDATES, "2026/27", Route.SCITT, Phase.SECONDARY, Subject.PHYSICS).id == 1


def test_no_match_names_what_is_missing():
    with pytest.raises(NoMatchingAllocationError) as info:
        choose_allocation(CANDIDATES, "2026/27", Route.SCITT, Phase.SECONDARY, Subject.HISTORY)
    assert str(info.value) == ("Allocation: there is no 2026/27 allocation for SCITT, Secondary, History; "
                               "add one on the Allocations page first, or correct the route, phase or subject")


def test_several_matches_need_a_choice_unless_the_current_one_still_fits():
    both = [*CANDIDATES, _ref(4, lead="Farnham Heath School")]
    with pytest.raises(AllocationChoiceError) as info:
        choose_allocation(both, "2026/27", Route.SCITT, Phase.SECONDARY, Subject.PHYSICS)
    assert [a.id for a in info.value.options] == [1, 4] and "2 allocations" in str(info.value)
    assert choose_allocation(both, "2026/27", Route.SCITT, Phase.SECONDARY, Subject.PHYSICS, chosen_id=4).id == 4
    assert choose_allocation(both, "2026/27", Route.SCITT, Phase.SECONDARY, Subject.PHYSICS, current_id=4).id == 4


def test_a_chosen_allocation_that_does_not_match_is_refused():
    with pytest.raises(AllocationChoiceError, match="Chemistry.*is not for 2026/27 SCITT, Secondary, Physics"):
        choose_allocation(CANDIDATES, "2026/27", Route.SCITT, Phase.SECONDARY, Subject.PHYSICS, chosen_id=2)


def test_a_status_change_starts_at_the_usual_next_status():
    from tsa_desktop.domain.enums import TraineeStatus as S
    from tsa_desktop.domain.trainees import allowed_next, usual_next

    assert usual_next(S.OFFERED) is S.ENROLLED
    assert usual_next(S.ENROLLED) is S.QTS_AWARDED  # not Deferred, the first in lifecycle order
    assert usual_next(S.DEFERRED) is S.ENROLLED
    assert usual_next(S.WITHDRAWN) is S.OFFERED
    assert usual_next(S.QTS_AWARDED) is None
    for status in S:
        assert usual_next(status) is None or usual_next(status) in allowed_next(status)
