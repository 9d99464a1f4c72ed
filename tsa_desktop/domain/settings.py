"""Business settings: what they are called, their defaults and what values they accept."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Callable

from tsa_desktop.domain.journeys import TravelMode, journey_problem, limit_key

from tsa_desktop.domain.values import parse_bool, parse_float, parse_int


@dataclass(frozen=True)
class SettingDef:
    """One business setting.

    Attributes:
        key: Stored key.
        label: What the settings dialog calls it.
        default: The value when nothing is stored.
        parse: Turns stored or typed text into the value; raises ValueError.
    """

    key: str
    label: str
    default: object
    parse: Callable[[object], object]


SETTINGS: tuple[SettingDef, ...] = (
    SettingDef("min_distinct_schools", "Minimum distinct schools per trainee", 3,
               lambda v: parse_int(v, 1, 10)),
    SettingDef("min_days_in_school", "Minimum days in school over the year", 120,
               lambda v: parse_int(v, 0, 366)),
    SettingDef("max_travel_km", "Travel limit from home to school also in km (0 for none)", 0.0,
               lambda v: parse_float(v, 0, 500)),
    SettingDef("max_minutes_car", "Journey limit by car (minutes, 0 for none)", 45,
               lambda v: parse_int(v, 0, 300)),
    SettingDef("max_minutes_public_transport", "Journey limit by public transport (minutes, 0 for none)", 60,
               lambda v: parse_int(v, 0, 300)),
    SettingDef("max_minutes_walk_or_cycle", "Journey limit walking or cycling (minutes, 0 for none)", 45,
               lambda v: parse_int(v, 0, 300)),
    SettingDef("refresher_years", "Mentor refresher training due after (years)", 2,
               lambda v: parse_int(v, 1, 10)),
    SettingDef("allow_pair_and_share", "Allow pair and share (two trainees, one mentor)", True,
               parse_bool),
    SettingDef("qa_visit_interval_days", "Lead mentor QA visit due every (days)", 365,
               lambda v: parse_int(v, 30, 1000)),
    SettingDef("retention_years", "Anonymise trainees and NQTs after (years)", 6,
               lambda v: parse_int(v, 1, 50)),
)

SETTINGS_BY_KEY: dict[str, SettingDef] = {s.key: s for s in SETTINGS}


def defaults() -> dict[str, object]:
    """Every setting at its default."""
    return {s.key: s.default for s in SETTINGS}


def _default(key: str) -> object:
    return SETTINGS_BY_KEY[key].default


@dataclass(frozen=True)
class RuleSettings:
    """The business settings the rules use; defaults are those of ``domain.settings``."""

    min_distinct_schools: int = _default("min_distinct_schools")  # type: ignore[assignment]
    min_days_in_school: int = _default("min_days_in_school")  # type: ignore[assignment]
    max_travel_km: float = _default("max_travel_km")  # type: ignore[assignment]
    max_minutes_car: int = _default("max_minutes_car")  # type: ignore[assignment]
    max_minutes_public_transport: int = _default("max_minutes_public_transport")  # type: ignore[assignment]
    max_minutes_walk_or_cycle: int = _default("max_minutes_walk_or_cycle")  # type: ignore[assignment]
    refresher_years: int = _default("refresher_years")  # type: ignore[assignment]
    allow_pair_and_share: bool = _default("allow_pair_and_share")  # type: ignore[assignment]

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> "RuleSettings":
        """Build from stored settings (key to value or text); missing keys take defaults."""
        kwargs = {}
        for name in cls.__dataclass_fields__:
            if name in values:
                kwargs[name] = SETTINGS_BY_KEY[name].parse(values[name])
        return cls(**kwargs)

    def minutes_limit(self, mode: TravelMode) -> int:
        """The alliance's journey limit in minutes for a way of travelling (0: none)."""
        return getattr(self, limit_key(mode))

    def too_far(self, km: float, mode: TravelMode) -> str | None:
        """Why a journey of ``km`` (straight line) is beyond the limits, or None."""
        return journey_problem(km, mode, self.max_travel_km, self.minutes_limit(mode))
