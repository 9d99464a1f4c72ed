"""Business settings: what they are called, their defaults and what values they accept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

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
    SettingDef("max_travel_km", "Travel limit from home to school (km, 0 for none)", 25.0,
               lambda v: parse_float(v, 0, 500)),
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
