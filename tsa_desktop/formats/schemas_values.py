"""Cell parsers the import schemas need beyond :mod:`tsa_desktop.domain.values`.

Each takes a cell's text, already trimmed and not empty, and returns the clean value or raises
``ValueError`` saying what would be accepted.
"""

from __future__ import annotations

import re

from tsa_desktop.domain.enums import Subject
from tsa_desktop.domain.mentors import parse_subject_list
from tsa_desktop.domain.values import check_one_line, parse_float

#: Longest text a free-text column takes (names, addresses, block names).
MAX_TEXT = 200


def parse_text(text: str) -> str:
    """Names, addresses and other one-line text: kept as given (trimmed by the reader), at most
    :data:`MAX_TEXT` characters, without line breaks or control characters (NUL, tab, ...).

    For the reader's trimmed, non-empty cells this is :func:`~tsa_desktop.domain.values.parse_name`
    without its second trim, which costs a tenth of an import's parsing time.
    """
    if len(text) > MAX_TEXT:
        raise ValueError(f"is longer than {MAX_TEXT} characters")
    return check_one_line(text)


_CODE_THEN_NAME = re.compile(r"^([A-Za-z0-9]{2})\s*[-:\u2013]?\s+(.+)$")
_NAME_THEN_CODE = re.compile(r"^(.+?)\s*\(([A-Za-z0-9]{2})\)$")


def parse_subject(text: str) -> Subject:
    """A subject by DfE code or name, or both as lists print them: "G1 Mathematics",
    "G1 - Mathematics", "Mathematics (G1)". When both are given they must agree.
    """
    try:
        return Subject.parse(text)
    except ValueError as exc:
        error = exc
    match = _CODE_THEN_NAME.match(text)
    code, name = (match.group(1), match.group(2)) if match else (None, None)
    if match is None:
        match = _NAME_THEN_CODE.match(text)
        if match is not None:
            name, code = match.group(1), match.group(2)
    if code is not None and name is not None:
        try:
            by_code, by_name = Subject.parse(code), Subject.parse(name)
        except ValueError:
            raise error from None
        if by_code is by_name:
            return by_code
        raise ValueError(
            f"code {by_code.code} is {by_code.label}, not {name}; give the code or the name"
        ) from None
    raise error


def parse_subjects(text: str) -> tuple[Subject, ...]:
    """Subjects separated by ``;`` (codes or names); repeats are dropped, order is kept."""
    return parse_subject_list(text, parse_subject, accepted=Subject.accepted())


def parse_fte(text: str) -> float:
    """Full-time equivalent from 0.1 to 1.0; a percentage such as ``60%`` is read as 0.6."""
    value = text.strip()
    if value.endswith("%"):
        return round(parse_float(value[:-1], 10, 100) / 100, 4)
    try:
        return parse_float(value, 0.1, 1.0)
    except ValueError as exc:
        raise ValueError("must be between 0.1 and 1.0 (full time is 1.0)") from exc
