"""The alliance profile (letterhead, sign-off) and the business settings."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from sqlalchemy import func, select

from tsa_desktop.db import models as m
from tsa_desktop.domain.errors import FieldProblem, ValidationError
from tsa_desktop.domain.settings import SETTINGS, SETTINGS_BY_KEY
from tsa_desktop.services.base import Service


@dataclass(frozen=True)
class AllianceProfileData:
    """The alliance's name, address and contact, used on letters and in the window title."""

    name: str = ""
    lead_school_id: int | None = None
    address: str = ""
    contact_name: str = ""
    contact_role: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    letter_sign_off: str = ""
    logo: bytes | None = None
    logo_filename: str | None = None
    trainee_letter_template: str | None = None
    school_letter_template: str | None = None


_PROFILE_FIELDS = [f.name for f in fields(AllianceProfileData)]


class AllianceService(Service):
    """Use cases for the alliance profile and settings."""

    def record_counts(self) -> dict[str, int]:
        """How many schools, providers, allocations, mentors and trainees the file holds (the
        start page's steps), in one cheap read."""
        tables = {"schools": m.School, "providers": m.Provider, "allocations": m.Allocation,
                  "mentors": m.Mentor, "trainees": m.Trainee}
        with self._read() as s:
            return {kind: s.scalar(select(func.count()).select_from(model)) or 0
                    for kind, model in tables.items()}

    def profile(self) -> AllianceProfileData:
        """The profile (empty until the ITT lead fills it in)."""
        with self._read() as s:
            row = s.get(m.AllianceProfile, 1)
            if row is None:
                return AllianceProfileData()
            return AllianceProfileData(**{k: getattr(row, k) for k in _PROFILE_FIELDS})

    def save_profile(self, data: AllianceProfileData) -> AllianceProfileData:
        """Replace the profile."""
        if not data.name.strip():
            raise ValidationError.single("name", "the alliance needs a name", kind="alliance_profile")
        with self._write() as s:
            row = s.get(m.AllianceProfile, 1) or m.AllianceProfile(id=1)
            for k in _PROFILE_FIELDS:
                setattr(row, k, getattr(data, k))
            s.add(row)
        return replace(data)

    def settings(self) -> dict[str, object]:
        """Every business setting: the stored value, or the default."""
        with self._read() as s:
            stored = {row.key: row.value for row in s.scalars(select(m.Setting))}
        result: dict[str, object] = {}
        for d in SETTINGS:
            try:
                result[d.key] = d.parse(stored[d.key]) if d.key in stored else d.default
            except ValueError:  # a hand-edited file: fall back rather than refuse to open
                result[d.key] = d.default
        return result

    def setting(self, key: str) -> object:
        """One business setting's value."""
        return self.settings()[key]

    def save_settings(self, values: dict[str, object]) -> dict[str, object]:
        """Store settings; every value is checked first and nothing is saved if any is wrong.

        Raises:
            ValidationError: naming each setting whose value is not accepted.
        """
        problems, clean = [], {}
        for key, value in values.items():
            d = SETTINGS_BY_KEY.get(key)
            if d is None:
                problems.append(FieldProblem(key, "is not a setting"))
                continue
            try:
                clean[key] = d.parse(value)
            except ValueError as exc:
                problems.append(FieldProblem(d.label, str(exc), value=str(value)))
        if problems:
            raise ValidationError(problems)
        with self._write() as s:
            for key, value in clean.items():
                text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
                s.merge(m.Setting(key=key, value=text))
        return self.settings()
