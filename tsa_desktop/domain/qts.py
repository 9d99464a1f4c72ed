"""Register trainee teachers' own rule before recommending QTS.

Register keeps each trainee's placements as URNs. Before a trainee is recommended for QTS it
needs at least two placements, or for salaried routes one at the employing school and at least
one other (shared/DOMAIN.md). The alliance's own rule (three different schools) is stricter and is
checked with the rotations; this one is checked when a trainee's status moves to QTS awarded.
"""

from __future__ import annotations

from dataclasses import dataclass

from tsa_desktop.domain.enums import Route


@dataclass(frozen=True)
class PlacedSchool:
    """A placement that counts towards QTS: a confirmed or completed one, at this school."""

    school_id: int
    school: str


def qts_placement_problem(name: str, route: Route, placements: list[PlacedSchool],
                          employing_school_id: int | None, employing_school: str = "") -> str | None:
    """Why Register would refuse the trainee's QTS recommendation, in words; None when it would not.

    Args:
        name: The trainee's name, for the message.
        route: Their route (salaried routes need a placement at the employing school).
        placements: Their confirmed and completed placements.
        employing_school_id: The school employing a salaried trainee.
        employing_school: That school's name.
    """
    where = ", ".join(p.school for p in placements) or "none"
    count = len(placements)
    if count < 2:
        return (f"Register trainee teachers needs at least two placements before QTS; {name} has "
                f"{count} confirmed or completed ({where})")
    if route.salaried and employing_school_id is not None:
        at_employer = [p for p in placements if p.school_id == employing_school_id]
        elsewhere = [p for p in placements if p.school_id != employing_school_id]
        if not at_employer:
            return (f"Register trainee teachers needs a salaried trainee to have a placement at the employing "
                    f"school, {employing_school or 'the employing school'}, before QTS; {name} has none "
                    f"there ({where})")
        if not elsewhere:
            return (f"Register trainee teachers needs a salaried trainee to have a placement at a school other "
                    f"than the employing school before QTS; every placement of {name} is at {employing_school}")
    return None
