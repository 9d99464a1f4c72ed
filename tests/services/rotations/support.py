"""Test support: a tiny alliance built record by record, where every distance is known.

Schools lie due east of the trainees' homes at whole kilometres, so the best plan can be worked
out by hand. Dates are fixed (year 2026/27, "today" 1 September 2026) so nothing depends on the
calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from tsa_desktop.db import models as m
from tsa_desktop.services.reference.years import ensure_year

YEAR = "2026/27"
TODAY = dt.date(2026, 9, 1)
HOME_E, HOME_N = 500_000, 150_000
_urn = iter(range(700_001, 799_999))
_n = iter(range(1, 100_000))


@dataclass
class Tiny:
    """Ids of what was built, by the names the test gave."""

    blocks: list[int] = field(default_factory=list)
    schools: dict[str, int] = field(default_factory=dict)
    mentors: dict[str, int] = field(default_factory=dict)
    trainees: dict[str, int] = field(default_factory=dict)


def build(ws, schools: dict[str, tuple[float, str]], mentors: dict[str, tuple[str, str, str]],
          trainees: dict[str, tuple[str, str, str]], *, capacity: int = 4, max_trainees: int = 1) -> Tiny:
    """Build a year with its three default blocks.

    Args:
        schools: name -> (km east of home, phase code).
        mentors: name -> (school name, phase code, subject codes separated by ;).
        trainees: name -> (phase code, subject code, route code); all enrolled, living at "home".
    """
    tiny = Tiny()
    with ws.db.transaction() as s:
        year = ensure_year(s, YEAR)
        tiny.blocks = list(s.scalars(select(m.PlacementBlock.id).where(m.PlacementBlock.academic_year_id == year.id)
                                     .order_by(m.PlacementBlock.position)))
        for name, (km, phase) in schools.items():
            school = m.School(urn=str(next(_urn)), name=name, phase=phase, easting=HOME_E + int(km * 1000),
                              northing=HOME_N, capacity_per_block=capacity)
            s.add(school)
            s.flush()
            tiny.schools[name] = school.id
        for name, (school, phase, subjects) in mentors.items():
            first, last = name.split(" ", 1)
            mentor = m.Mentor(email=f"mentor{next(_n)}@example.org", first_name=first, last_name=last,
                              school_id=tiny.schools[school], phase=phase, max_trainees=max_trainees,
                              initial_training_date=dt.date(2025, 7, 1), active=True)
            mentor.subjects = [m.MentorSubject(subject=code) for code in subjects.split(";") if code]
            s.add(mentor)
            s.flush()
            tiny.mentors[name] = mentor.id
        for name, (phase, subject, route) in trainees.items():
            first, last = name.split(" ", 1)
            trainee = m.Trainee(trainee_id=f"T{next(_n):06d}", first_names=first, last_name=last, route=route,
                                phase=phase, subject=subject, academic_year_id=year.id, status="enrolled",
                                home_easting=HOME_E, home_northing=HOME_N)
            s.add(trainee)
            s.flush()
            tiny.trainees[name] = trainee.id
    return tiny


def one_maths_trainee(ws, *, far_km: float = 10) -> Tiny:
    """One secondary maths trainee; maths mentors at schools 1, 2, 3 and ``far_km`` km away."""
    schools = {"One Academy": (1, "secondary"), "Two Academy": (2, "secondary"),
               "Three Academy": (3, "secondary"), "Far Academy": (far_km, "secondary")}
    mentors = {f"Mentor {n}": (school, "secondary", "G1") for n, school in
               zip(("Ann", "Bob", "Cat", "Dan"), schools)}
    return build(ws, schools, mentors, {"Amy Maths": ("secondary", "G1", "school_direct_tuition_fee")})


def execute(ws, *statements) -> None:
    """Run statements in one transaction (to set up data no service edits)."""
    with ws.db.transaction() as s:
        for stmt in statements:
            s.execute(stmt)
