"""Journeys from a trainee's home to a school, in minutes, estimated from the straight line.

People judge a placement by how long the journey takes and how they travel, not by the
distance as the crow flies. Without a route planner (the program works offline), the journey
is estimated from the straight-line distance between the two grid references:

    minutes = straight-line km x detour factor / average speed (km/h) x 60 + fixed minutes

Each way of travelling has its own factors (resources/docs/journeys.md says where they come
from). The answer is an estimate and is always shown as one: "about 35 min by car (estimate)".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tsa_desktop.domain.enums import LabelledEnum
from tsa_desktop.domain.values import GridRef


class TravelMode(LabelledEnum):
    """How a trainee gets to their placement school."""

    CAR = ("car", "Car", "driving", "drive", "motorbike")
    PUBLIC_TRANSPORT = ("public_transport", "Public transport", "bus", "train", "tube", "bus or train",
                        "public")
    WALK_OR_CYCLE = ("walk_or_cycle", "Walk or cycle", "walk", "walking", "cycle", "cycling", "bike",
                     "bicycle")

    @property
    def by(self) -> str:
        """How a sentence says it: "by car", "by public transport", "walking or cycling"."""
        return {"car": "by car", "public_transport": "by public transport",
                "walk_or_cycle": "walking or cycling"}[self.code]


@dataclass(frozen=True)
class JourneyFactors:
    """How one way of travelling turns a straight line into minutes.

    Attributes:
        detour: Route distance over straight-line distance (roads and lines do not run straight).
        speed_kmh: Average door-to-door speed over the route, stops and traffic included.
        fixed_minutes: Time that does not grow with distance (parking; walking to the stop and
            waiting for the first bus or train).
    """

    detour: float
    speed_kmh: float
    fixed_minutes: float = 0.0

    def minutes(self, km: float) -> float:
        """Estimated minutes for a straight-line distance in km."""
        return km * self.detour / self.speed_kmh * 60.0 + self.fixed_minutes


#: The factors of each mode (sources in resources/docs/journeys.md).
FACTORS: dict[TravelMode, JourneyFactors] = {
    TravelMode.CAR: JourneyFactors(detour=1.3, speed_kmh=40.0, fixed_minutes=5.0),
    TravelMode.PUBLIC_TRANSPORT: JourneyFactors(detour=1.3, speed_kmh=20.0, fixed_minutes=10.0),
    TravelMode.WALK_OR_CYCLE: JourneyFactors(detour=1.2, speed_kmh=12.0),
}

#: The alliance's default limits in minutes, per mode (settings max_minutes_<mode>).
DEFAULT_LIMITS: dict[TravelMode, int] = {
    TravelMode.CAR: 45, TravelMode.PUBLIC_TRANSPORT: 60, TravelMode.WALK_OR_CYCLE: 45,
}


def limit_key(mode: TravelMode) -> str:
    """The settings key of a mode's limit in minutes."""
    return f"max_minutes_{mode.code}"


def journey_minutes(km: float, mode: TravelMode) -> int:
    """Estimated whole minutes (rounded up) for a straight-line distance in km."""
    minutes = FACTORS[mode].minutes(km)
    return max(1, math.ceil(minutes))


def minutes_between(home: GridRef | None, school: GridRef | None, mode: TravelMode) -> int | None:
    """Estimated minutes from home to school, or None when either place is not known."""
    if home is None or school is None:
        return None
    return journey_minutes(home.km_to(school), mode)


def describe_journey(km: float | None, mode: TravelMode, with_km: bool = False) -> str:
    """"about 35 min by car (estimate)", with ", 18.2 km" when asked; "journey unknown" without km."""
    if km is None:
        return "journey unknown"
    text = f"about {journey_minutes(km, mode)} min {mode.by} (estimate)"
    return f"{text}, {km:.1f} km" if with_km else text


def journey_problem(km: float, mode: TravelMode, km_limit: float, minutes_limit: int) -> str | None:
    """Why a journey is too long, in words, or None when it is within the limits (0: no limit).

    E.g. "about 83 min by car from home (estimate, 40.0 km; the limit is 45 min)".
    """
    minutes = journey_minutes(km, mode)
    if minutes_limit > 0 and minutes > minutes_limit:
        return (f"about {minutes} min {mode.by} from home (estimate, {km:.1f} km; the limit is "
                f"{minutes_limit} min)")
    if km_limit > 0 and km > km_limit:
        return f"{km:.1f} km from home (the limit is {km_limit:g} km; about {minutes} min {mode.by}, estimate)"
    return None
