"""What the cell editor offers: schools (suitable ones first), mentors with their load, partners.

Judged by the rules' helpers over a :class:`~tsa_desktop.services.rotations.grid.RotationGrid`, so the
dialog only lists what it is given and never decides what suits whom.
"""

from __future__ import annotations

from dataclasses import dataclass

from tsa_desktop.domain.enums import PlacementStatus
from tsa_desktop.domain.journeys import describe_journey, journey_minutes
from tsa_desktop.domain.rules import (
    MentorInfo,
    mentor_capacity,
    mentor_suits,
    mentor_usable,
    needs_subject_mentor,
    school_takes,
    subject_words,
)
from tsa_desktop.services.rotations.grid import RotationGrid


@dataclass(frozen=True)
class SchoolChoice:
    """A school the cell editor offers.

    Attributes:
        suitable: The school takes the trainee's phase, is within the journey limits, has room,
            and has a suitable mentor free in the block.
        note: Why it suits or not, in words ("about 25 min by car (estimate), 8.2 km, 2 suitable
            mentors free").
        km: Straight-line distance from the trainee's home, None when not known.
        minutes: Estimated journey by the trainee's way of travelling, None when not known.
    """

    id: int
    name: str
    suitable: bool
    note: str
    km: float | None = None
    minutes: int | None = None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.note})"


@dataclass(frozen=True)
class MentorChoice:
    """A mentor of the chosen school, with their load.

    Attributes:
        suits: Right phase (and subject), active, trained, available and with room in the block.
        in_block: Trainees they have in this block (this cell's own placement not counted).
        capacity: Trainees they may take in one block (2 only for pair and share).
        in_year: Trainees they have over the year.
    """

    id: int
    name: str
    suits: bool
    in_block: int
    capacity: int
    in_year: int
    note: str = ""

    @property
    def label(self) -> str:
        load = f"{self.in_block}/{self.capacity} this block, {self.in_year} this year"
        return f"{self.name} — {load}" + (f" ({self.note})" if self.note else "")


def _others(grid: RotationGrid, group, trainee_id: int) -> list:
    # The trainee's own placement in the cell is being replaced, so it does not count.
    return [p for p in group if p.trainee_id != trainee_id]


def school_choices(grid: RotationGrid, trainee_id: int, block_id: int) -> list[SchoolChoice]:
    """Every school, the suitable ones first (shortest journey first), then the rest by name.

    A closed school, or one not hosting in the block, is left out (unless the cell is there now).
    """
    trainee = grid.index.trainees.get(trainee_id)
    if trainee is None:
        return [SchoolChoice(s.id, s.name, False, s.phase.label.lower()) for s in
                sorted(grid.schools.values(), key=lambda s: s.name.casefold())]
    mode = trainee.travel_mode
    in_rotation = {p.school_id for p in grid.index.by_trainee.get(trainee_id, ()) if p.block_id != block_id}
    load = _year_load(grid, trainee_id, block_id)
    placed_now = grid.cell(trainee_id, block_id)
    current = placed_now.school_id if placed_now is not None else None
    good, other = [], []
    for school in grid.schools.values():
        km = trainee.home.km_to(school.location) if trainee.home and school.location else None
        minutes = journey_minutes(km, mode) if km is not None else None
        where = describe_journey(km, mode, with_km=True)
        too_far = grid.settings.too_far(km, mode) if km is not None else None
        reason = refusal(grid, school.id, block_id)
        if reason is not None:
            if school.id != current:
                continue  # closed or not hosting: never offered, shown only as the cell's own school
        elif not school_takes(school, trainee):
            reason = f"a {school.phase.label.lower()} school"
        elif too_far:
            reason = f"too far: {too_far}"
        else:
            placed = _others(grid, grid.index.by_school_block.get((school.id, block_id), []), trainee_id)
            free = sum(1 for m in mentor_choices(grid, school.id, trainee_id, block_id, load) if m.suits)
            if school.capacity_per_block is not None and len(placed) >= school.capacity_per_block:
                reason = f"full: {len(placed)} of {school.capacity_per_block} places taken"
            elif not free:
                reason = f"no {_kind(grid, trainee_id)} mentor free"
            else:
                note = f"{where}, {free} suitable mentor{'s' if free != 1 else ''} free"
                if school.id in in_rotation:
                    note += ", already in this rotation"
                # A school already in the rotation comes after the others: it does not help
                # towards the distinct-schools rule.
                good.append((school.id in in_rotation, minutes if minutes is not None else 1e9,
                             school.name.casefold(), SchoolChoice(school.id, school.name, True, note, km, minutes)))
                continue
        other.append((school.name.casefold(), SchoolChoice(school.id, school.name, False, reason, km, minutes)))
    return [c for *_, c in sorted(good, key=lambda g: g[:3])] + [c for _, c in sorted(other, key=lambda g: g[0])]


def refusal(grid: RotationGrid, school_id: int, block_id: int) -> str | None:
    """Why a school may take nobody in the block ("closed, according to GIAS", "not hosting in
    Spring block B (staffing)"), or None when it may. Such a school is never offered or accepted."""
    school = grid.schools.get(school_id)
    if school is None:
        return None
    if school.closed:
        return "closed, according to GIAS"
    reason = school.not_hosting_reason(block_id)
    if reason is not None:
        block = grid.block(block_id)
        return f"not hosting in {block.name if block else 'this block'}" + (f" ({reason})" if reason else "")
    return None


def _kind(grid: RotationGrid, trainee_id: int) -> str:
    t = grid.index.trainees[trainee_id]
    return subject_words(t.phase, t.subject if needs_subject_mentor(t) else None)


def _year_load(grid: RotationGrid, trainee_id: int, block_id: int) -> dict[int, int]:
    load: dict[int, int] = {}
    for p in grid.index.active:
        if p.mentor_id is not None and not (p.trainee_id == trainee_id and p.block_id == block_id):
            load[p.mentor_id] = load.get(p.mentor_id, 0) + 1
    return load


def mentor_choices(grid: RotationGrid, school_id: int, trainee_id: int, block_id: int,
                   year_load: dict[int, int] | None = None) -> list[MentorChoice]:
    """The school's mentors: those who suit and have room first (least loaded first), then the rest."""
    trainee = grid.index.trainees.get(trainee_id)
    if year_load is None:
        year_load = _year_load(grid, trainee_id, block_id)
    out = []
    for m in grid.mentors_at(school_id):
        group = _others(grid, grid.index.by_mentor_block.get((m.id, block_id), []), trainee_id)
        cap = mentor_capacity(m, grid.settings)
        why = _unsuitable(grid, m, trainee, block_id, len(group), cap)
        out.append(MentorChoice(m.id, m.name, why is None, len(group), cap, year_load.get(m.id, 0), why or ""))
    out.sort(key=lambda c: (not c.suits, c.in_block, c.in_year, c.name.casefold()))
    return out


def _unsuitable(grid: RotationGrid, m: MentorInfo, trainee, block_id: int, load: int, cap: int) -> str | None:
    if trainee is not None:
        subject = trainee.subject if needs_subject_mentor(trainee) else None
        if not mentor_suits(m, trainee.phase, subject):
            if not mentor_suits(m, trainee.phase, None):
                return f"a {m.phase.label.lower()} mentor"
            return f"does not teach {trainee.subject.label.lower()}"
    if not m.active:
        return "no longer active"
    if m.trained is None:
        return "never had mentor training"
    if not mentor_usable(m, block_id):
        return "not available in this block"
    if load >= cap:
        return "full in this block"
    return None


def suggest_mentor(grid: RotationGrid, school_id: int, trainee_id: int, block_id: int) -> int | None:
    """The mentor to name when a school is dropped on a cell: the least loaded who suits, or None."""
    current = grid.cell(trainee_id, block_id)
    choices = mentor_choices(grid, school_id, trainee_id, block_id)
    if current is not None and current.school_id == school_id and current.mentor_id is not None:
        return current.mentor_id
    best = next((c for c in choices if c.suits), None)
    return best.id if best else None


def partner_choices(grid: RotationGrid, trainee_id: int, block_id: int, school_id: int) -> list[tuple[int, str]]:
    """Trainees who could share a mentor with this one (pair and share): placed at the school
    in the same block."""
    out = []
    for p in grid.index.by_school_block.get((school_id, block_id), []):
        if p.trainee_id != trainee_id and p.status is not PlacementStatus.CANCELLED:
            who = grid.trainee_name(p.trainee_id)
            mentor = grid.mentor_name(p.mentor_id)
            out.append((p.trainee_id, f"{who} (with {mentor})" if mentor else who))
    return sorted(out, key=lambda o: o[1].casefold())
