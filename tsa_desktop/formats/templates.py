"""Letter data, the letter template language and content fingerprints. Pure Python.

This module holds what a letter *says*; :mod:`tsa_desktop.formats.letters` decides how it looks
and owns reportlab. Keeping the data classes free of reportlab lets the calendar export and the
services build letter data without paying for the PDF library's import.

The template language
---------------------
The ITT lead edits the wording of letters. A :class:`LetterTemplate` has four texts: ``subject``,
``salutation``, ``body`` and ``closing``. In each of them:

* ``{name}`` inserts a value. Only plain names from a fixed list are accepted
  (:data:`TRAINEE_PLACEHOLDERS`, :data:`SCHOOL_PLACEHOLDERS`); anything else (an unknown name,
  ``{0}``, ``{a.b}``, ``{a[0]}``, ``{a!r}``, ``{a:>9}``) is refused with a ``ValueError`` that
  names it. ``{{`` and ``}}`` print a single brace.
* ``**bold**`` and ``*italic*`` are the only markup; ``\\*`` prints an asterisk. Everything
  else, including ``<`` and ``&``, prints as typed.
* In ``body``, a blank line starts a new paragraph and a single line break is kept. Lines that
  begin with ``- `` are bullet points.
* In ``body``, a block placeholder standing alone in its own paragraph inserts a block:
  ``{placements_table}`` and ``{what_to_bring_list}`` (trainee letters) or ``{trainees_table}``
  (school letters). A paragraph ending in a colon just before a list block that turns out
  empty (a trainee with nothing to bring) is left out with it.

Values are always escaped before they reach the PDF, so a name such as ``Tom <Smith``,
``Smith & Jones`` or ``<b>x</b>`` prints literally and a value can never be read as markup
(reportlab would otherwise follow ``<img src=...>`` to a local file).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from xml.sax.saxutils import escape

LetterKind = Literal["trainee", "school"]

# --------------------------------------------------------------------------------------------
# Letter data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Letterhead:
    """The alliance's letterhead and signatory, shared by every letter of a run.

    Attributes:
        alliance_name: Printed at the top right and in the footer.
        address_lines: The alliance's postal address, one line each.
        phone: Telephone number, as it should be printed.
        email: The alliance's email address.
        logo: PNG or JPEG bytes for the top left, or None for a text-only letterhead.
        signoff_name: Who signs the letters.
        signoff_role: Their role, e.g. "ITT Lead".
        website: Printed in the footer when given.
        footer_note: A line at the very bottom, e.g. a company or charity number.
    """

    alliance_name: str
    address_lines: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    logo: bytes | None = None
    signoff_name: str = ""
    signoff_role: str = ""
    website: str = ""
    footer_note: str = ""


@dataclass(frozen=True)
class Contact:
    """The person at the alliance to contact about a placement.

    Attributes:
        name: Full name.
        role: e.g. "Placements Coordinator".
        email: Email address.
        phone: Telephone number.
    """

    name: str
    role: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class PlacementRow:
    """One placement as a trainee letter lists it.

    Attributes:
        block_name: e.g. "Autumn block A".
        start: First day in school.
        end: Last day in school (inclusive).
        school_name: The host school.
        school_address: Its postal address, one line each.
        mentor_name: The mentor, or "" when not yet assigned.
        mentor_email: The mentor's email, or "".
    """

    block_name: str
    start: dt.date
    end: dt.date
    school_name: str
    school_address: tuple[str, ...] = ()
    mentor_name: str = ""
    mentor_email: str = ""


@dataclass(frozen=True)
class TraineeLetter:
    """A placement letter to a trainee: their rotation for the year, or one block of it.

    Attributes:
        letter_date: The date printed on the letter (not part of the fingerprint).
        first_names: The trainee's first names as recorded.
        last_name: The trainee's family name.
        academic_year: e.g. "2025/26".
        placements: The rows of the table; printed in date order.
        contact: The alliance contact for this placement.
        address_lines: The trainee's postal address; when empty the email is printed instead.
        email: The trainee's email address.
        preferred_name: The name to greet them by; when empty, ``first_names`` is used.
        what_to_bring: Items for the "what to bring" list.
        reference: Our reference (e.g. the trainee id); printed and used in file names.
    """

    letter_date: dt.date
    first_names: str
    last_name: str
    academic_year: str
    placements: tuple[PlacementRow, ...]
    contact: Contact
    address_lines: tuple[str, ...] = ()
    email: str = ""
    preferred_name: str = ""
    what_to_bring: tuple[str, ...] = ()
    reference: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_names.strip(), self.last_name.strip()) if p)


@dataclass(frozen=True)
class HostedTrainee:
    """One trainee a school hosts in a block, as a school letter lists it.

    Attributes:
        name: The trainee's full name.
        start: First day in school.
        end: Last day in school (inclusive).
        mentor_name: Their mentor at the school, or "" when not yet assigned.
        email: The trainee's email.
        subject: Phase and subject as shown, e.g. "Secondary mathematics".
        route: The route label, e.g. "School Direct (salaried)".
        mentor_email: The mentor's email, or "".
    """

    name: str
    start: dt.date
    end: dt.date
    mentor_name: str = ""
    email: str = ""
    subject: str = ""
    route: str = ""
    mentor_email: str = ""


@dataclass(frozen=True)
class SchoolLetter:
    """A placement letter to a host school (or one mentor) for one block.

    Attributes:
        letter_date: The date printed on the letter (not part of the fingerprint).
        school_name: The host school.
        recipient_name: Who the letter is to: the mentor, or the school's ITT coordinator.
        academic_year: e.g. "2025/26".
        block_name: e.g. "Spring block B".
        block_start: First day of the block.
        block_end: Last day of the block (inclusive).
        trainees: The trainees hosted in the block; printed by start date, then name.
        contact: The alliance contact for this placement.
        recipient_role: e.g. "ITT Coordinator" or "Mentor"; printed under the name.
        school_address: The school's postal address, one line each.
        reference: Our reference; printed and used in file names.
        salutation_name: How to greet them, e.g. "Mrs Adeyemi" for "Mrs Zoë Adeyemi"; when
            empty, ``recipient_name`` is used.
    """

    letter_date: dt.date
    school_name: str
    recipient_name: str
    academic_year: str
    block_name: str
    block_start: dt.date
    block_end: dt.date
    trainees: tuple[HostedTrainee, ...]
    contact: Contact
    recipient_role: str = ""
    school_address: tuple[str, ...] = ()
    reference: str = ""
    salutation_name: str = ""


@dataclass(frozen=True)
class OtherPlacement:
    """A trainee's placement elsewhere in the year, so a mentor sees the whole rotation.

    Attributes:
        block_name: The block.
        start: First day.
        end: Last day (inclusive).
        school_name: The school.
    """

    block_name: str
    start: dt.date
    end: dt.date
    school_name: str


@dataclass(frozen=True)
class MentorPlacement:
    """One of a mentor's placements, for the mentor pack and the calendar.

    Attributes:
        placement_id: The placement's database id; it makes the calendar UID stable.
        block_name: The block.
        start: First day in school.
        end: Last day in school (inclusive).
        school_name: The school where the placement happens.
        trainee_name: The trainee's full name.
        trainee_email: The trainee's email.
        trainee_phone: The trainee's telephone number.
        subject: Phase and subject as shown.
        school_address: The school's address, for the calendar's LOCATION.
        other_placements: The trainee's other placements this year.
    """

    placement_id: int | str
    block_name: str
    start: dt.date
    end: dt.date
    school_name: str
    trainee_name: str
    trainee_email: str = ""
    trainee_phone: str = ""
    subject: str = ""
    school_address: tuple[str, ...] = ()
    other_placements: tuple[OtherPlacement, ...] = ()


@dataclass(frozen=True)
class TutoredNqt:
    """An early career teacher (or NQT) the mentor supports (the mentor's view and pack).

    Attributes:
        id: The record's id.
        name: The teacher.
        email: Their email, or "".
        school_name: Their employing school.
        start_date: When their induction started, or None.
        status: Their induction status in words.
        role: What the mentor is to them: "Induction tutor", "Mentor" or both.
        dates: Their reviews and assessments due in the year: (what, when), by date.
    """

    id: int
    name: str
    email: str
    school_name: str
    start_date: dt.date | None
    status: str
    role: str = "Induction tutor"
    dates: tuple[tuple[str, dt.date], ...] = ()


@dataclass(frozen=True)
class MentorPack:
    """A mentor's trainees for the year.

    Attributes:
        generated: The date printed on the pack (not part of the fingerprint).
        academic_year: e.g. "2025/26".
        mentor_name: The mentor.
        mentor_email: The mentor's email.
        school_name: The mentor's school.
        placements: The mentor's placements; printed by start date.
        lead_mentor_name: The mentor's lead mentor, or "".
        lead_mentor_email: The lead mentor's email, or "".
        contact: The alliance contact, or None.
        nqts: The early career teachers the mentor mentors or is induction tutor to this year.
    """

    generated: dt.date
    academic_year: str
    mentor_name: str
    mentor_email: str
    school_name: str
    placements: tuple[MentorPlacement, ...]
    lead_mentor_name: str = ""
    lead_mentor_email: str = ""
    contact: Contact | None = None
    nqts: tuple[TutoredNqt, ...] = ()


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
# Placeholders
# --------------------------------------------------------------------------------------------

_COMMON_PLACEHOLDERS: dict[str, str] = {
    "letter_date": "The date of the letter, e.g. 3 September 2025",
    "academic_year": "The academic year, e.g. 2025/26",
    "reference": "Our reference, or nothing",
    "alliance_name": "The alliance's name",
    "alliance_phone": "The alliance's telephone number",
    "alliance_email": "The alliance's email address",
    "contact_name": "The alliance contact's name",
    "contact_role": "The alliance contact's role",
    "contact_email": "The alliance contact's email",
    "contact_phone": "The alliance contact's telephone number",
    "signoff_name": "Who signs the letter",
    "signoff_role": "The signatory's role",
}

#: Placeholders of trainee letters: name -> what it inserts.
TRAINEE_PLACEHOLDERS: Mapping[str, str] = {
    "trainee_first_name": "The trainee's preferred name, or first names",
    "trainee_name": "The trainee's full name",
    "trainee_last_name": "The trainee's family name",
    "trainee_email": "The trainee's email",
    "placement_count": "How many placements the letter lists, e.g. 3",
    "school_count": "How many different schools, e.g. 3",
    "first_start_date": "The first day of the first placement listed",
    "last_end_date": "The last day of the last placement listed",
    "first_school_name": "The school of the first placement listed",
    "first_mentor_name": "The mentor of the first placement listed",
    "first_block_name": "The block of the first placement listed",
    **_COMMON_PLACEHOLDERS,
}

#: Placeholders of school letters: name -> what it inserts.
SCHOOL_PLACEHOLDERS: Mapping[str, str] = {
    "recipient_name": "Who the letter is to, e.g. Mrs Zoë Adeyemi",
    "recipient_salutation": "How to greet them, e.g. Mrs Adeyemi (the name if not given)",
    "recipient_role": "Their role, or nothing",
    "school_name": "The host school",
    "block_name": "The placement block",
    "block_start_date": "The first day of the block",
    "block_end_date": "The last day of the block",
    "trainee_count": "How many trainees the school hosts in the block, e.g. 2",
    "trainee_count_words": "The same in words: one trainee, two trainees...",
    **_COMMON_PLACEHOLDERS,
}

#: Block placeholders (alone in a paragraph of the body): name -> what it inserts.
TRAINEE_BLOCKS: Mapping[str, str] = {
    "placements_table": "The table of placements: block, dates, school, mentor",
    "what_to_bring_list": "The bullet list of what to bring (nothing if the list is empty)",
}
SCHOOL_BLOCKS: Mapping[str, str] = {
    "trainees_table": "The table of trainees: trainee, dates, mentor",
}


def placeholders(kind: LetterKind) -> Mapping[str, str]:
    """The inline placeholders a template of ``kind`` may use, with what each inserts."""
    return TRAINEE_PLACEHOLDERS if kind == "trainee" else SCHOOL_PLACEHOLDERS


def block_placeholders(kind: LetterKind) -> Mapping[str, str]:
    """The block placeholders a body of ``kind`` may use, with what each inserts."""
    return TRAINEE_BLOCKS if kind == "trainee" else SCHOOL_BLOCKS


# --------------------------------------------------------------------------------------------
# The template language
# --------------------------------------------------------------------------------------------

# A compiled inline text: pre-escaped markup strings, and placeholder names to look up.
_Inline = tuple[str | tuple[str], ...]

_TOKEN = re.compile(r"\{\{|\}\}|\\\*|\*\*|\*|\{[^{}]*\}|\{|\}")
_NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")
_BULLET = re.compile(r"^\s*- ")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class TextPart:
    """A compiled paragraph of a template body."""

    parts: _Inline


@dataclass(frozen=True)
class BulletsPart:
    """A compiled bullet list of a template body."""

    items: tuple[_Inline, ...]


@dataclass(frozen=True)
class BlockPart:
    """A block placeholder in a template body."""

    name: str


BodyPart = TextPart | BulletsPart | BlockPart


def _compile_inline(text: str, names: Mapping[str, str], blocks: Mapping[str, str],
                    where: str, line: int) -> _Inline:
    """Compile one line of template text into escaped markup and placeholder names."""
    parts: list[str | tuple[str]] = []
    buffer: list[str] = []
    open_marks: list[str] = []
    pos = 0

    def flush_literal(upto: int) -> None:
        if upto > pos:
            buffer.append(escape(text[pos:upto]))

    for match in _TOKEN.finditer(text):
        flush_literal(match.start())
        token = match.group()
        pos = match.end()
        if token == "{{":
            buffer.append("{")
        elif token == "}}":
            buffer.append("}")
        elif token == "\\*":
            buffer.append("*")
        elif token in ("**", "*"):
            tag = "b" if token == "**" else "i"
            if open_marks and open_marks[-1] == tag:
                open_marks.pop()
                buffer.append(f"</{tag}>")
            elif tag in open_marks:
                raise ValueError(f"{where}, line {line}: {'**' if tag == 'b' else '*'} closes "
                                 "before the emphasis opened inside it; close the inner one first")
            else:
                open_marks.append(tag)
                buffer.append(f"<{tag}>")
        elif token in ("{", "}"):
            raise ValueError(f"{where}, line {line}: a lone {token!r}; write {token * 2!r} to "
                             "print a brace, or {name} for a placeholder")
        else:
            name = token[1:-1]
            if not _NAME.match(name):
                raise ValueError(f"{where}, line {line}: {token} is not a placeholder; "
                                 "placeholders are plain names such as {academic_year}")
            if name in blocks:
                raise ValueError(f"{where}, line {line}: {{{name}}} must stand alone in its "
                                 "own paragraph, with blank lines around it")
            if name not in names:
                raise ValueError(f"{where}, line {line}: unknown placeholder {{{name}}}; "
                                 f"known placeholders: {', '.join(sorted(names))}")
            if buffer:
                parts.append("".join(buffer))
                buffer.clear()
            parts.append((name,))
    flush_literal(len(text))
    if open_marks:
        mark = "**" if open_marks[-1] == "b" else "*"
        raise ValueError(f"{where}, line {line}: {mark} is opened but not closed "
                         "(write \\* for an asterisk)")
    if buffer:
        parts.append("".join(buffer))
    return tuple(parts)


def _compile_lines(lines: list[tuple[int, str]], names: Mapping[str, str],
                   blocks: Mapping[str, str], where: str) -> _Inline:
    """Compile lines that print as one paragraph, keeping the line breaks."""
    parts: list[str | tuple[str]] = []
    for i, (number, line) in enumerate(lines):
        if i:
            parts.append("<br/>")
        parts.extend(_compile_inline(line.strip(), names, blocks, where, number))
    return tuple(parts)


def compile_body(text: str, kind: LetterKind, where: str = "body") -> tuple[BodyPart, ...]:
    """Compile a template body into paragraphs, bullet lists and blocks.

    Args:
        text: The body as the ITT lead wrote it.
        kind: ``"trainee"`` or ``"school"``: which placeholders are allowed.
        where: How error messages name the text.

    Raises:
        ValueError: naming the line and the problem (unknown placeholder, unclosed ``**``...).
    """
    names, blocks = placeholders(kind), block_placeholders(kind)
    out: list[BodyPart] = []
    paragraph: list[tuple[int, str]] = []

    def close_paragraph() -> None:
        if not paragraph:
            return
        only = paragraph[0][1].strip() if len(paragraph) == 1 else ""
        if only.startswith("{") and only.endswith("}") and only[1:-1] in blocks:
            out.append(BlockPart(only[1:-1]))
            paragraph.clear()
            return
        run: list[tuple[int, str]] = []
        run_is_bullets = False
        for number, line in paragraph + [(0, "")]:
            is_bullet = bool(_BULLET.match(line))
            if run and (number == 0 or is_bullet != run_is_bullets):
                if run_is_bullets:
                    out.append(BulletsPart(tuple(
                        _compile_inline(_BULLET.sub("", l, count=1).strip(), names, blocks,
                                        where, n) for n, l in run)))
                else:
                    out.append(TextPart(_compile_lines(run, names, blocks, where)))
                run = []
            run.append((number, line))
            run_is_bullets = is_bullet
        paragraph.clear()

    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"),
                                  start=1):
        if line.strip():
            paragraph.append((number, line))
        else:
            close_paragraph()
    close_paragraph()
    return tuple(out)


def compile_inline(text: str, kind: LetterKind, where: str) -> _Inline:
    """Compile a one-paragraph text (subject, salutation, closing); line breaks are kept."""
    lines = [(n, line) for n, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1)
             if line.strip()]
    return _compile_lines(lines, placeholders(kind), block_placeholders(kind), where)


def clean(value: object) -> str:
    """Text as it should be printed: NFC (so Nguyễn is one glyph per letter), no control codes."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", str(value)))


def fill(parts: _Inline, values: Mapping[str, str]) -> str:
    """Render compiled text to reportlab paragraph markup; every value is escaped."""
    return "".join(p if isinstance(p, str) else escape(clean(values[p[0]])) for p in parts)


@dataclass(frozen=True)
class LetterTemplate:
    """The editable wording of one kind of letter.

    The texts are checked when the template is made, so a template that exists is valid.

    Attributes:
        kind: ``"trainee"`` or ``"school"``.
        subject: The bold line above the salutation.
        salutation: e.g. ``Dear {trainee_first_name},``.
        body: Paragraphs, bullets and block placeholders.
        closing: e.g. ``Yours sincerely,``.

    Raises:
        ValueError: naming the text, line and problem.
    """

    kind: LetterKind
    subject: str
    salutation: str
    body: str
    closing: str = "Yours sincerely,"
    compiled_subject: _Inline = field(init=False, repr=False, compare=False)
    compiled_salutation: _Inline = field(init=False, repr=False, compare=False)
    compiled_body: tuple[BodyPart, ...] = field(init=False, repr=False, compare=False)
    compiled_closing: _Inline = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in ("trainee", "school"):
            raise ValueError(f"letter kind must be 'trainee' or 'school', not {self.kind!r}")
        label = f"{self.kind} letter"
        # Frozen: the compiled forms are derived once and never change.
        object.__setattr__(self, "compiled_subject",
                           compile_inline(self.subject, self.kind, f"{label} subject"))
        object.__setattr__(self, "compiled_salutation",
                           compile_inline(self.salutation, self.kind, f"{label} salutation"))
        object.__setattr__(self, "compiled_body",
                           compile_body(self.body, self.kind, f"{label} body"))
        object.__setattr__(self, "compiled_closing",
                           compile_inline(self.closing, self.kind, f"{label} closing"))


DEFAULT_TRAINEE_TEMPLATE = LetterTemplate(
    kind="trainee",
    subject="School placements {academic_year}",
    salutation="Dear {trainee_first_name},",
    body="""\
I am pleased to confirm your school placements with {alliance_name} for the academic year \
{academic_year}. Your placements are set out below, with the school and the mentor who will \
support you in each.

{placements_table}

Please contact your mentor at least a week before each placement begins to introduce yourself \
and to agree your timetable. On your first day, arrive by 8.15am and report to the school \
reception, where you will be signed in and shown the school's safeguarding procedures.

Please bring with you:

{what_to_bring_list}

If anything here is not as you expect, or your circumstances change, please contact \
{contact_name} ({contact_role}) at {contact_email} or on {contact_phone} as soon as possible.

We wish you every success in your training.""",
    closing="Yours sincerely,",
)

DEFAULT_SCHOOL_TEMPLATE = LetterTemplate(
    kind="school",
    subject="Trainee placement: {block_name} {academic_year}",
    salutation="Dear {recipient_salutation},",
    body="""\
Thank you for offering a placement to {trainee_count_words} from {alliance_name} during \
{block_name}, from {block_start_date} to {block_end_date}. The placement details are below.

{trainees_table}

Each trainee has been asked to contact their mentor before the placement begins. Please make \
sure they receive the school's safeguarding and behaviour policies, a timetable and a staff \
login on their first day.

Mentors should complete the weekly review with their trainee and the placement report at the \
end of the block. If there is a concern about a trainee's progress, wellbeing or attendance, \
please contact {contact_name} ({contact_role}) at {contact_email} or on {contact_phone} without \
delay.

Thank you for your continued support of the partnership.""",
    closing="Yours sincerely,",
)


# --------------------------------------------------------------------------------------------
# Placeholder values
# --------------------------------------------------------------------------------------------

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten", "eleven", "twelve")


def _common_values(letter: TraineeLetter | SchoolLetter, letterhead: Letterhead) -> dict[str, str]:
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


def fingerprint(letter: TraineeLetter | SchoolLetter | MentorPack, *,
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


__all__ = [
    "BlockPart", "BodyPart", "BulletsPart", "Contact", "DEFAULT_SCHOOL_TEMPLATE",
    "DEFAULT_TRAINEE_TEMPLATE", "HostedTrainee", "LetterKind", "LetterTemplate", "Letterhead",
    "MentorPack", "MentorPlacement", "OtherPlacement", "PlacementRow",
    "SCHOOL_BLOCKS", "SCHOOL_PLACEHOLDERS", "SchoolLetter", "TRAINEE_BLOCKS",
    "TRAINEE_PLACEHOLDERS", "TextPart", "TraineeLetter", "block_placeholders", "clean", "compile_body",
    "compile_inline", "day_date", "fill", "fingerprint", "long_date", "placeholders",
    "school_values", "short_date", "sorted_rows", "sorted_trainees", "trainee_values",
]
