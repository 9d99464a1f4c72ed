"""Value parsing and validation shared by dialogs, imports and the command line.

Each ``parse_*`` function takes what a person typed or a spreadsheet held and returns the clean
value, or raises ``ValueError`` with a message that says what would be accepted. Callers wrap
that message in a :class:`~tsa_desktop.domain.errors.FieldProblem` naming the field and row.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

_URN = re.compile(r"^\d{6}$")
_TRN = re.compile(r"^\d{7}$")
# The UK postcode shapes (A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA), plus GIR 0AA.
_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_YEAR = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_urn(text: object) -> str:
    """A school's unique reference number: exactly six digits, kept as text."""
    value = _text(text)
    if value.endswith(".0") and value[:-2].isdigit():  # a number that went through a spreadsheet
        value = value[:-2]
    if not _URN.match(value):
        raise ValueError("must be six digits, e.g. 100001")
    return value


def parse_trn(text: object) -> str:
    """A teacher reference number: exactly seven digits, kept as text (leading zeros stay)."""
    value = _text(text)
    if value.endswith(".0") and value[:-2].isdigit():
        value = value[:-2]
    if not _TRN.match(value):
        raise ValueError("must be seven digits, e.g. 1234567")
    return value


def parse_postcode(text: object) -> str:
    """A UK postcode, returned in capitals with one space before the inward code."""
    value = re.sub(r"\s+", "", _text(text).upper())
    if not _POSTCODE.match(value):
        raise ValueError("is not a UK postcode, e.g. GU10 3BE")
    return f"{value[:-3]} {value[-3:]}"


def parse_email(text: object) -> str:
    """An email address; stored in lower case so that it can be a key."""
    value = _text(text)
    if not _EMAIL.match(value):
        raise ValueError("is not an email address, e.g. name@school.sch.uk")
    return value.lower()


def parse_academic_year(text: object) -> str:
    """An academic year written ``2025/26``; ``2025-26`` and ``2025/2026`` are accepted."""
    value = _text(text)
    match = _YEAR.match(value)
    if match:
        start = int(match.group(1))
        end = match.group(2)
        # Two digits are the end year's last two: 1999/00 ends in 2000.
        if (int(end) == start + 1) if len(end) == 4 else (int(end) == (start + 1) % 100):
            return f"{start}/{(start + 1) % 100:02d}"
    raise ValueError("must be an academic year such as 2025/26")


def academic_year_start(year: str) -> int:
    """The calendar year in which an academic year (``2025/26``) starts."""
    return int(parse_academic_year(year)[:4])


def academic_year_of(day: dt.date) -> str:
    """The academic year (1 September to 31 August) that contains a date."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def parse_date(text: object) -> dt.date:
    """A date, ISO (2025-09-01) or day first (01/09/2025). Never month first."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    value = _text(text)
    if "T" in value or " " in value:  # a spreadsheet datetime such as 2025-09-01 00:00:00
        value = value.replace("T", " ").split(" ")[0]
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    match = _DMY.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    raise ValueError("must be a date, ISO 2025-09-01 or day first 01/09/2025")


def parse_bool(text: object) -> bool:
    """Yes or no, as people write it in spreadsheets."""
    if isinstance(text, bool):
        return text
    value = _text(text).casefold()
    if value in ("yes", "y", "true", "1", "x", "lead"):
        return True
    if value in ("no", "n", "false", "0", ""):
        return False
    raise ValueError("must be yes or no")


def parse_int(text: object, low: int | None = None, high: int | None = None) -> int:
    """A whole number, optionally within ``low`` to ``high`` inclusive."""
    value = _text(text)
    try:
        number = float(value)
    except ValueError:
        raise ValueError("must be a whole number") from None
    if not number.is_integer():
        raise ValueError("must be a whole number")
    result = int(number)
    _check_range(result, low, high)
    return result


def parse_float(text: object, low: float | None = None, high: float | None = None) -> float:
    """A decimal number, optionally within ``low`` to ``high`` inclusive."""
    try:
        result = float(_text(text))
    except ValueError:
        raise ValueError("must be a number") from None
    if math.isnan(result) or math.isinf(result):
        raise ValueError("must be a number")
    _check_range(result, low, high)
    return result


#: Characters a one-line text (a name, an address line, an identifier) cannot hold: line breaks,
#: and the control characters (NUL, tab, ...) that spreadsheets drop or show as boxes.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x84\x86-\x9f\n\r\u2028\u2029]")


def check_one_line(value: str) -> str:
    """Refuse text that would not survive a round trip through a spreadsheet or a letter.

    A name with a NUL byte is written to an XLSX export without it, so the next import of that
    export finds the name "changed"; a line break inside a name breaks letters and lists. Free-text
    notes may hold line breaks and do not use this.

    Raises:
        ValueError: saying which kind of character it holds.
    """
    found = _CONTROL.search(value)
    if found is None:
        return value
    if _LINE_BREAKS.match(found.group()):
        raise ValueError("contains a line break; it must be one line")
    if found.group() == "\t":
        raise ValueError("contains a tab character; use spaces")
    what = "a NUL byte" if found.group() == "\x00" else f"an invisible control character (code {ord(found.group())})"
    raise ValueError(f"contains {what} that cannot be kept; remove it")


def parse_name(text: object, what: str = "name") -> str:
    """A person's or school's name: any text on one line, trimmed, not empty. "NULL" is a name."""
    value = _text(text)
    if not value:
        raise ValueError(f"{what} is required")
    if len(value) > 200:
        raise ValueError("is longer than 200 characters")
    return check_one_line(value)


def _check_range(value: float, low: float | None, high: float | None) -> None:
    if low is not None and high is not None and not low <= value <= high:
        raise ValueError(f"must be between {_number(low)} and {_number(high)}")
    if low is not None and value < low:
        raise ValueError(f"must be at least {_number(low)}")
    if high is not None and value > high:
        raise ValueError(f"must be at most {_number(high)}")


def _number(value: float) -> str:
    """A bound as people write it: 1,300,000 rather than 1.3e+06; 0.1 stays 0.1."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()


@dataclass(frozen=True)
class GridRef:
    """An Ordnance Survey grid reference in metres (as GIAS gives them)."""

    easting: int
    northing: int

    def km_to(self, other: "GridRef") -> float:
        """Straight-line distance in kilometres; grid metres make this exact enough."""
        return math.hypot(self.easting - other.easting, self.northing - other.northing) / 1000.0


def parse_easting(text: object) -> int:
    """An OS easting in metres (0 to 700,000)."""
    return parse_int(text, 0, 700_000)


def parse_northing(text: object) -> int:
    """An OS northing in metres (0 to 1,300,000)."""
    return parse_int(text, 0, 1_300_000)
