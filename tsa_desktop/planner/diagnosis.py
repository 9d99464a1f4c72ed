"""Why a trainee-block stayed empty: the first filter that leaves no school to choose from.

The filters run in the order a person would check them: schools of the right phase, within the
travel limit, with a mentor of the right phase and subject, trained and active, free in that
block, not full of kept placements, not already in the trainee's rotation (distinct-schools
rule), and not taken by the rest of the plan.
"""

from __future__ import annotations

from tsa_desktop.domain.rules import (SchoolInfo, mentor_suits, mentor_usable, school_hosts, school_takes,
                                      subject_words)
from tsa_desktop.planner.prepared import Prepared, Slot
from tsa_desktop.planner.state import PlanState


def _names(schools: list[SchoolInfo], most: int = 4) -> str:
    names = sorted(s.name for s in schools)
    if len(names) <= most:
        return ", ".join(names)
    return ", ".join(names[:most]) + f" and {len(names) - most} more"


def diagnose(prep: Prepared, state: PlanState, slot: Slot) -> str:
    """The reason, in plain words, that the slot could not be filled in this plan."""
    trainee, block = slot.trainee, slot.block
    phase = trainee.phase.label.lower()
    kind = subject_words(*slot.kind)
    settings, mode = prep.settings, trainee.travel_mode
    minutes, km = settings.minutes_limit(mode), settings.max_travel_km
    near = ""
    if trainee.home is not None:
        near = (f" within {minutes} min {mode.by} of home (estimate)" if minutes > 0
                else f" within {km:g} km of home" if km > 0 else "")

    schools = [s for s in prep.schools.values() if not s.closed and school_takes(s, trainee)]
    if not schools:
        return f"no school in the alliance takes {phase} trainees"
    hosting = [s for s in schools if school_hosts(s, block.id)]
    if not hosting:
        return f"no school that takes {phase} trainees is hosting in {block.name}"
    schools = hosting
    if near:
        schools = [s for s in schools
                   if (d := prep.km.get((trainee.id, s.id))) is None or not settings.too_far(d, mode)]
        if not schools:
            return f"no school that takes {phase} trainees is{near}"
    schools = [s for s in schools
               if any(mentor_suits(m, *slot.kind) for m in prep.mentors_at.get(s.id, ()))]
    if not schools:
        return f"no {kind} mentor at any school{near}"
    schools = [s for s in schools if any(mentor_suits(m, *slot.kind) and m.active and m.trained
                                         for m in prep.mentors_at.get(s.id, ()))]
    if not schools:
        return f"every {kind} mentor{near} is inactive or has not had mentor training"
    schools = [s for s in schools if any(mentor_suits(m, *slot.kind) and mentor_usable(m, block.id)
                                         for m in prep.mentors_at.get(s.id, ()))]
    if not schools:
        return f"no {kind} mentor free in {block.name}{near}"
    where = f"with a {kind} mentor free in {block.name}{near}"
    kept_full = [s for s in schools if not prep.open_for(slot, s.id)]
    schools = [s for s in schools if prep.open_for(slot, s.id)]
    if not schools:
        return (f"the schools {where} ({_names(kept_full)}) are already full with locked or "
                f"confirmed placements in {block.name}")
    repeats = [s for s in schools if not state.repeat_ok(trainee.id, s.id)]
    schools = [s for s in schools if state.repeat_ok(trainee.id, s.id)]
    if not schools:
        return (f"the only schools {where} ({_names(repeats)}) already have {trainee.name} in "
                f"other blocks; the rule is at least {prep.settings.min_distinct_schools} "
                "different schools")
    taken = [s for s in schools if not state.fits(slot, s.id)]
    free = [s for s in schools if state.fits(slot, s.id)]
    if not free:
        full = [s for s in taken if state.school_full(s.id, block.id)]
        busy = [s for s in taken if not state.school_full(s.id, block.id)]
        parts = []
        if busy:
            parts.append(f"{kind} mentors taken at {_names(busy)}")
        if full:
            parts.append(f"{_names(full)} full")
        return f"every place {where} is taken by other trainees in {block.name} ({'; '.join(parts)})"
    return (f"{_names(free, 1)} still has a place in {block.name}; the planner stopped before "
            "using it (try a longer time limit)")
