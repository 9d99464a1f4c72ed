"""The values a letter prints: UK dates, placeholder values, the order of rows, fingerprints.

Pure Python. A fingerprint is a hash of what a letter says, to tell whether a letter already sent
is out of date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Mapping

from tsa_desktop.formats.letters.data import (HostedTrainee, Letter, Letterhead, MentorPack,
                                              PlacementRow, SchoolLetter, TraineeLetter)
from tsa_desktop.formats.letters.language import LetterTemplate, clean


# --------------------------------------------------------------------------------------------
# Dates as a UK letter writes them; our own names so a Windows locale cannot change them
# --------------------------------------------------------------------------------------------

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def long_date(day: dt.date) -> str:
    """``3 September 2025``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def day_date(day: dt.date) -> str:
    """``Wednesday 3 September 2025``."""
    return f"{_DAYS[day.weekday()]} {long_date(day)}"


def short_date(day: dt.date) -> str:
    """``Wed 3 Sep 2025``, for table cells."""
    return f"{_DAYS[day.weekday()][:3]} {day.day} {_MONTHS[day.month - 1][:3]} {day.year}"


# --------------------------------------------------------------------------------------------
# Placeholder values
# --------------------------------------------------------------------------------------------

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten", "eleven", "twelve")


def _common_values(letter: Letter, letterhead: Letterhead) -> dict[str, str]:
    contact = letter.contact
    return {
        "letter_date": long_date(letter.letter_date),
        "academic_year": letter.academic_year,
        "reference": letter.reference,
        "alliance_name": letterhead.alliance_name,
        "alliance_phone": letterhead.phone,
        "alliance_email": letterhead.email,
        "contact_name": contact.name,
        "contact_role": contact.role,
        "contact_email": contact.email,
        "contact_phone": contact.phone,
        "signoff_name": letterhead.signoff_name,
        "signoff_role": letterhead.signoff_role,
    }


def sorted_rows(letter: TraineeLetter) -> list[PlacementRow]:
    """The placements in the order the letter prints them: by start date, then block."""
    return sorted(letter.placements, key=lambda r: (r.start, r.end, r.block_name))


def sorted_trainees(letter: SchoolLetter) -> list[HostedTrainee]:
    """The trainees in the order the letter prints them: by start date, then name."""
    return sorted(letter.trainees, key=lambda t: (t.start, t.name.casefold(), t.end))


def trainee_values(letter: TraineeLetter, letterhead: Letterhead) -> dict[str, str]:
    """The value of every trainee placeholder for one letter."""
    rows = sorted_rows(letter)
    first = rows[0] if rows else None
    values = _common_values(letter, letterhead)
    values.update({
        "trainee_first_name": letter.preferred_name.strip() or letter.first_names.strip(),
        "trainee_name": letter.full_name,
        "trainee_last_name": letter.last_name.strip(),
        "trainee_email": letter.email,
        "placement_count": str(len(rows)),
        "school_count": str(len({r.school_name.casefold() for r in rows})),
        "first_start_date": long_date(first.start) if first else "",
        "last_end_date": long_date(max(r.end for r in rows)) if rows else "",
        "first_school_name": first.school_name if first else "",
        "first_mentor_name": first.mentor_name if first else "",
        "first_block_name": first.block_name if first else "",
    })
    return values


def school_values(letter: SchoolLetter, letterhead: Letterhead) -> dict[str, str]:
    """The value of every school placeholder for one letter."""
    count = len(letter.trainees)
    words = _NUMBER_WORDS[count] if count < len(_NUMBER_WORDS) else str(count)
    values = _common_values(letter, letterhead)
    values.update({
        "recipient_name": letter.recipient_name,
        "recipient_salutation": letter.salutation_name.strip() or letter.recipient_name,
        "recipient_role": letter.recipient_role,
        "school_name": letter.school_name,
        "block_name": letter.block_name,
        "block_start_date": long_date(letter.block_start),
        "block_end_date": long_date(letter.block_end),
        "trainee_count": str(count),
        "trainee_count_words": f"{words} trainee{'' if count == 1 else 's'}",
    })
    return values


# --------------------------------------------------------------------------------------------
# Fingerprints
# --------------------------------------------------------------------------------------------

_FINGERPRINT_VERSION = 1
# The date a letter is printed on changes every day without the letter going out of date.
_UNDATED = {"letter_date", "generated"}


def _canonical(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.init and f.name not in _UNDATED}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return "sha256:" + hashlib.sha256(value).hexdigest()
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    return value


def fingerprint(letter: Letter | MentorPack, *,
                letterhead: Letterhead | None = None,
                template: LetterTemplate | None = None) -> str:
    """A hash of what a letter says, to tell whether a letter already sent is out of date.

    The date printed on the letter is left out: a letter does not go out of date overnight.
    Rows are hashed in the order the letter prints them, so the order the caller lists them in
    does not matter. Pass ``letterhead`` and ``template`` to count changes to them too.

    Returns:
        64 hexadecimal digits, the same in every process and on every machine.
    """
    payload: dict[str, object] = {
        "v": _FINGERPRINT_VERSION,
        "type": type(letter).__name__,
        "data": _canonical(letter),
    }
    if isinstance(letter, TraineeLetter):
        payload["data"]["placements"] = _canonical(sorted_rows(letter))  # type: ignore[index]
    elif isinstance(letter, SchoolLetter):
        payload["data"]["trainees"] = _canonical(sorted_trainees(letter))  # type: ignore[index]
    elif isinstance(letter, MentorPack):
        payload["data"]["placements"] = _canonical(  # type: ignore[index]
            sorted(letter.placements, key=lambda p: (p.start, p.trainee_name, str(p.placement_id))))
    if letterhead is not None:
        payload["letterhead"] = _canonical(letterhead)
    if template is not None:
        payload["template"] = _canonical(template)
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


__all__ = ["day_date", "fingerprint", "long_date", "school_values", "short_date", "sorted_rows",
           "sorted_trainees", "trainee_values"]
