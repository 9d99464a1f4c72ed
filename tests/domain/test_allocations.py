"""Allocation rules without a database: validation, fill, totals and the over-allocation refusal."""

from dataclasses import dataclass

import pytest

from tsa_desktop.domain.allocations import (
    AllocationRef,
    Fill,
    OverAllocationError,
    check_recruitment,
    places_cut_problem,
    totals_by_phase,
    totals_by_route,
    totals_by_subject,
    validate_allocation,
    year_total,
)
from tsa_desktop.domain.enums import Phase, Route, Subject
from tsa_desktop.domain.errors import ValidationError

GOOD = {"academic_year": "2026-27", "route": "School Direct (salaried)", "phase": "secondary",
        "subject": "G1", "lead_school_id": "3", "provider_id": "", "places": "6"}


def _fields(exc: ValidationError) -> list[str]:
    return [p.field for p in exc.problems]


def test_valid_allocation_is_parsed_from_labels_and_codes():
    data = validate_allocation(GOOD)
    assert data.academic_year == "2026/27" and data.route is Route.SCHOOL_DIRECT_SALARIED
    assert data.subject is Subject.MATHEMATICS and data.places == 6
    assert data.lead_school_id == 3 and data.provider_id is None


def test_every_problem_is_named_at_once():
    with pytest.raises(ValidationError) as info:
        validate_allocation({**GOOD, "academic_year": "2026", "places": "-1", "lead_school_id": None,
                             "route": "bus"})
    assert sorted(_fields(info.value)) == ["academic_year", "lead_school", "places", "route"]
    assert "Places: must be between 0 and 999" in str(info.value)
    assert "Lead school: is required" in str(info.value) and "lead_school" not in str(info.value)


def test_subject_must_fit_the_phase():
    with pytest.raises(ValidationError, match="Mathematics is a secondary subject; a primary place"):
        validate_allocation({**GOOD, "phase": "primary"})
    with pytest.raises(ValidationError, match="Primary is a primary subject; a secondary place"):
        validate_allocation({**GOOD, "subject": "00"})
    # Special schools train for either phase.
    assert validate_allocation({**GOOD, "phase": "special", "subject": "00"}).phase is Phase.SPECIAL


def test_historic_routes_only_for_historic_years():
    with pytest.raises(ValidationError, match="took no trainees after 2013/14"):
        validate_allocation({**GOOD, "route": "gtp"})
    assert validate_allocation({**GOOD, "route": "gtp", "academic_year": "2012/13"}).route is Route.GTP


def test_fill_rate_remaining_and_over():
    assert Fill(20, 17).percent() == "85%" and Fill(20, 17).remaining == 3 and Fill(20, 17).over == 0
    assert Fill(4, 5).over == 1 and Fill(4, 5).remaining == 0 and Fill(4, 5).full
    assert Fill(0, 0).rate is None and Fill(0, 0).percent() == "—"
    # A total keeps one allocation's over-recruitment beside another's spare places.
    total = Fill(1, 2) + Fill(3, 1)
    assert total == Fill(4, 3, over=1) and total.remaining == 2 and total.within == 2 and not total.full


@dataclass(frozen=True)
class _Row:
    route: Route
    phase: Phase
    subject: Subject
    places: int
    recruited: int


ROWS = [
    _Row(Route.SCHOOL_DIRECT_SALARIED, Phase.SECONDARY, Subject.PHYSICS, 4, 2),
    _Row(Route.SCHOOL_DIRECT_TUITION_FEE, Phase.SECONDARY, Subject.PHYSICS, 6, 6),
    _Row(Route.SCHOOL_DIRECT_TUITION_FEE, Phase.PRIMARY, Subject.PRIMARY, 30, 27),
    _Row(Route.SCITT, Phase.SECONDARY, Subject.ENGLISH, 10, 11),
]


def test_totals_by_route_phase_subject_and_year():
    assert [(t.name, t.places, t.recruited) for t in totals_by_route(ROWS)] == [
        ("School Direct (fee-funded)", 36, 33), ("School Direct (salaried)", 4, 2), ("SCITT", 10, 11)]
    assert [(t.name, t.fill) for t in totals_by_phase(ROWS)] == [
        ("Primary", Fill(30, 27)), ("Secondary", Fill(20, 19, over=1))]
    # Primary subjects first, then the others by name.
    assert [(t.name, t.fill) for t in totals_by_subject(ROWS)] == [
        ("Primary", Fill(30, 27)), ("English", Fill(10, 11)), ("Physics", Fill(10, 8))]
    assert year_total(ROWS).fill == Fill(50, 46, over=1)
    assert year_total(ROWS).fill.remaining == 5
    assert year_total([]).fill == Fill(0, 0)


REF = AllocationRef(7, "2026/27", Route.SCITT, Phase.SECONDARY, Subject.PHYSICS, "Weydon School", "Alliance SCITT", 2)


def test_recruiting_past_the_places_needs_a_reason():
    check_recruitment(REF, 1, None)  # the second of two places
    with pytest.raises(OverAllocationError) as info:
        check_recruitment(REF, 2, "  ")
    err = info.value
    assert err.allocation is REF and err.recruited == 2 and err.fill == Fill(2, 2)
    assert err.problems[0].field == "over_allocation_reason"
    assert "2026/27 SCITT, Secondary, Physics (lead school Weydon School) has 2 places and 2 trainees" in str(err)
    assert isinstance(err, ValidationError)
    check_recruitment(REF, 2, "Strong candidate; the provider agreed an extra place")


def test_places_cannot_be_cut_below_recruitment():
    assert places_cut_problem(10, 8, 8) is None
    assert "give at least 9 places" in places_cut_problem(10, 8, 9)
    # An allocation already over (each with a reason) keeps its places when other fields change.
    assert places_cut_problem(4, 4, 5) is None
    assert places_cut_problem(4, 6, 5) is None
