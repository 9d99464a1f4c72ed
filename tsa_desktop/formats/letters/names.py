"""Safe, unique file names for one PDF per letter, on Windows, macOS and Linux."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from tsa_desktop.formats.letters.data import Letter, TraineeLetter

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)
_MAX_STEM = 80  # characters; leaves room for " (12).pdf" and for 3-byte UTF-8 under 255 bytes


def safe_file_name(stem: str, suffix: str = ".pdf") -> str:
    """A file name made from ``stem`` that is safe on Windows, macOS and Linux.

    Path separators, characters Windows forbids and control codes become ``_``; leading and
    trailing dots and spaces go; Windows device names (CON, NUL, COM1...) get a leading ``_``;
    letters such as ``â`` and ``Ł`` are kept.
    """
    text = unicodedata.normalize("NFC", stem)
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .,;")
    if len(text) > _MAX_STEM:
        text = text[:_MAX_STEM].rstrip(" .,;")
    if not text:
        text = "letter"
    if _RESERVED.match(text):
        text = "_" + text
    return text + suffix


def _stem(letter: Letter) -> str:
    if isinstance(letter, TraineeLetter):
        name = ", ".join(p for p in (letter.last_name.strip(), letter.first_names.strip()) if p)
        parts = [name or "trainee"]
    else:
        parts = [letter.school_name, letter.block_name, letter.recipient_name]
    if letter.reference.strip():
        parts.append(letter.reference.strip())
    return " - ".join(p.strip() for p in parts if p.strip())


def letter_file_names(letters: Sequence[Letter], suffix: str = ".pdf") -> list[str]:
    """Safe, unique file names for one file per letter, in the order of ``letters``.

    Trainee letters are named ``Last, First names - reference``; school letters ``School -
    Block - Recipient - reference``. Names that would clash (ignoring case, as Windows does)
    get `` (2)``, `` (3)``...
    """
    seen: set[str] = set()
    names: list[str] = []
    for letter in letters:
        base = safe_file_name(_stem(letter), "")
        name, n = base, 1
        while (name + suffix).casefold() in seen:
            n += 1
            name = f"{base} ({n})"
        seen.add((name + suffix).casefold())
        names.append(name + suffix)
    return names
