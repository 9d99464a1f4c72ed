"""Synthetic alliances for tests and benchmarks, sized from real ones (see DOMAIN.md).

"alliance" is one real alliance: 121 trainees (27 primary, 93 secondary, 1 special), 12 primary
and 12 secondary schools, 216 mentors (43 primary, 168 secondary, 5 special). "large" is the size
MEASURED.md benchmarked: 1,000 trainees, 150 schools, 1,200 mentors. Same seed, same data.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from tsa_desktop.domain.enums import Phase, Route, Subject, TraineeStatus
from tsa_desktop.domain.rules import (
    BlockInfo,
    MentorInfo,
    RotationSnapshot,
    RuleSettings,
    SchoolInfo,
    TraineeInfo,
)
from tsa_desktop.domain.values import GridRef


#: The synthetic alliances' journey limit by car: about 25 km as the crow flies (the limit these
#: worlds were built and measured with when the limit was in km).
SYNTHETIC_CAR_MINUTES = 55


@dataclass(frozen=True)
class Size:
    """How many of each thing, by phase (primary, secondary, special), and the area's side."""

    trainees: tuple[int, int, int]
    schools: tuple[int, int, int]
    mentors: tuple[int, int, int]
    side_km: float


SIZES: dict[str, Size] = {
    "small": Size((6, 12, 0), (3, 4, 0), (8, 24, 0), 15),
    "alliance": Size((27, 93, 1), (12, 12, 0), (43, 168, 5), 30),
    "large": Size((380, 600, 20), (60, 80, 10), (430, 720, 50), 70),
}

#: Secondary subjects with rough shares of trainees (and of mentors).
SECONDARY_SUBJECTS: dict[Subject, int] = {
    Subject.MATHEMATICS: 15, Subject.ENGLISH: 14, Subject.BIOLOGY: 7, Subject.CHEMISTRY: 6,
    Subject.PHYSICS: 6, Subject.HISTORY: 6, Subject.GEOGRAPHY: 6, Subject.FRENCH: 4,
    Subject.SPANISH: 4, Subject.COMPUTING: 5, Subject.PHYSICAL_EDUCATION: 6,
    Subject.ART_AND_DESIGN: 4, Subject.MUSIC: 3, Subject.RELIGIOUS_EDUCATION: 4,
    Subject.DESIGN_TECHNOLOGY: 4, Subject.DRAMA: 3, Subject.BUSINESS_STUDIES: 3,
}
PRIMARY_SUBJECTS = (Subject.PRIMARY, Subject.PRIMARY, Subject.PRIMARY, Subject.PRIMARY_MATHEMATICS,
                    Subject.PRIMARY_ENGLISH, Subject.PRIMARY_PE)
PHASES = (Phase.PRIMARY, Phase.SECONDARY, Phase.SPECIAL)
FIRST = ("Amy", "Ben", "Cara", "Dev", "Ella", "Finn", "Gita", "Hugo", "Isla", "Jay", "Kofi", "Lena",
         "Milo", "Nia", "Omar", "Pia", "Ravi", "Sara", "Tom", "Uma", "Vic", "Wren", "Yusuf", "Zara")
LAST = ("Adams", "Baker", "Chen", "Davies", "Evans", "Fox", "Green", "Hughes", "Iqbal", "Jones",
        "Khan", "Lewis", "Moore", "Nowak", "Owen", "Patel", "Quinn", "Reid", "Shah", "Taylor")
PLACES = ("Hill", "Vale", "Moor", "Brook", "Oak", "Elm", "Ash", "Park", "Green", "Field", "Lea",
          "Down", "Ford", "Wick", "Cross", "Bridge", "Mill", "Stone", "Kings", "Queens")


def synthetic_snapshot(size: str = "alliance", seed: int = 0, *,
                       settings: RuleSettings | None = None) -> RotationSnapshot:
    """A made-up alliance year with no placements yet.

    Args:
        size: "small", "alliance" or "large".
        seed: The same seed gives the same alliance.
        settings: Rule settings; by default a 55-minute limit by car (about 25 km) and pair and
            share allowed.
    """
    spec = SIZES[size]
    rng = random.Random(seed)
    origin = (500_000, 150_000)

    def spot() -> GridRef:
        return GridRef(origin[0] + int(rng.uniform(0, spec.side_km) * 1000),
                       origin[1] + int(rng.uniform(0, spec.side_km) * 1000))

    blocks = (BlockInfo(1, "Autumn", dt.date(2025, 9, 8), dt.date(2025, 12, 12), 40, 1),
              BlockInfo(2, "Spring", dt.date(2026, 1, 5), dt.date(2026, 3, 27), 40, 2),
              BlockInfo(3, "Summer", dt.date(2026, 4, 13), dt.date(2026, 7, 10), 45, 3))
    schools: list[SchoolInfo] = []
    by_phase: dict[Phase, list[SchoolInfo]] = {p: [] for p in PHASES}
    kinds = {Phase.PRIMARY: ("Primary School", 8), Phase.SECONDARY: ("Academy", 12),
             Phase.SPECIAL: ("Special School", 4)}
    for phase, count in zip(PHASES, spec.schools):
        suffix, capacity = kinds[phase]
        for _ in range(count):
            sid = len(schools) + 1
            name = f"{PLACES[sid % len(PLACES)]} {suffix} {sid}"
            school = SchoolInfo(sid, name, phase, spot(), capacity)
            schools.append(school)
            by_phase[phase].append(school)

    subjects, weights = list(SECONDARY_SUBJECTS), list(SECONDARY_SUBJECTS.values())
    mentors: list[MentorInfo] = []
    for phase, count in zip(PHASES, spec.mentors):
        # Special mentors work in special schools, or in mainstream schools when there are none.
        homes = by_phase[phase] or by_phase[Phase.PRIMARY] + by_phase[Phase.SECONDARY]
        for i in range(count):
            school = homes[i % len(homes)] if i < len(homes) else rng.choice(homes)
            if phase is Phase.SECONDARY:
                taught = {rng.choices(subjects, weights)[0]}
                if rng.random() < 0.4:
                    taught.add(rng.choices(subjects, weights)[0])
            else:
                taught = {Subject.PRIMARY}
            trained = None if rng.random() < 0.04 else dt.date(2021 + rng.randrange(5), 7, 1)
            unavailable = frozenset({rng.choice(blocks).id}) if rng.random() < 0.06 else frozenset()
            mentors.append(MentorInfo(
                len(mentors) + 1, _person(rng), school.id, phase, frozenset(taught),
                2 if rng.random() < 0.3 else 1, unavailable, rng.random() > 0.03, trained,
                dt.date(2025, 7, 1) if trained and rng.random() < 0.3 else None))

    trainees: list[TraineeInfo] = []
    for phase, count in zip(PHASES, spec.trainees):
        for _ in range(count):
            home = spot()
            if phase is Phase.SECONDARY:
                subject = rng.choices(subjects, weights)[0]
            elif phase is Phase.PRIMARY:
                subject = rng.choice(PRIMARY_SUBJECTS)
            else:
                subject = Subject.PRIMARY
            route = rng.choice((Route.SCHOOL_DIRECT_SALARIED, Route.SCHOOL_DIRECT_TUITION_FEE,
                                Route.SCHOOL_DIRECT_TUITION_FEE, Route.SCITT))
            employer = None
            pool = by_phase[phase] or by_phase[Phase.PRIMARY]
            if route.salaried:
                near = sorted(pool, key=lambda s: home.km_to(s.location))[:4]  # type: ignore[arg-type]
                employer = rng.choice(near).id
            status = TraineeStatus.OFFERED if rng.random() < 0.1 else TraineeStatus.ENROLLED
            trainees.append(TraineeInfo(len(trainees) + 1, _person(rng), phase, subject, route,
                                        employer, home, status))
    return RotationSnapshot(tuple(trainees), blocks, tuple(schools), tuple(mentors), (),
                            settings or RuleSettings(max_minutes_car=SYNTHETIC_CAR_MINUTES))


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"
