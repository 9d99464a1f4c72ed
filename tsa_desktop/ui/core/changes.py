"""What changed, and who changed it: the notices that keep every page up to date.

A change names the areas of data it touched (an enum, so that a page cannot listen for an area
nobody sends) and the object that started it, so that a page which already shows its own edit
in place (the rotation grid) can let that notice pass instead of reloading.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Iterable


class Area(StrEnum):
    """An area of the alliance's data that pages show."""

    ALLIANCE = "alliance"  #: the alliance's details and settings (letterhead, travel limits)
    YEARS = "years"  #: academic years and their placement blocks
    SCHOOLS = "schools"
    PROVIDERS = "providers"
    ALLOCATIONS = "allocations"
    TRAINEES = "trainees"
    PLACEMENTS = "placements"
    MENTORS = "mentors"
    QA = "qa"  #: quality-assurance visits and lead mentors
    INDUCTION = "induction"  #: induction cohorts, sessions and assessments
    NQTS = "nqts"  #: early career teachers' (and NQTs') records
    LETTERS = "letters"  #: letter wording and what has been printed


@dataclass(frozen=True)
class Change:
    """A notice that data changed.

    Attributes:
        areas: The areas touched.
        source: Whatever started the change (a page, a dialog), or None.
    """

    areas: frozenset[Area]
    source: object | None = None

    @classmethod
    def of(cls, *areas: Area | Iterable[Area], source: object | None = None) -> Change:
        """A change of ``areas`` (each an Area or an iterable of them)."""
        flat: set[Area] = set()
        for area in areas:
            if isinstance(area, Area):
                flat.add(area)
            elif isinstance(area, str):
                raise TypeError(f"areas are Area members, not text: {area!r}")
            else:
                flat.update(Area(a) for a in area)
        return cls(frozenset(flat), source)

    @classmethod
    def everything(cls, source: object | None = None) -> Change:
        """Every area (an anonymisation, a restore)."""
        return cls(frozenset(Area), source)

    def touches(self, areas: Iterable[Area]) -> bool:
        """Whether this change concerns any of ``areas``."""
        return not self.areas.isdisjoint(areas)
