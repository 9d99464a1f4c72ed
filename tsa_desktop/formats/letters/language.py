"""The letter template language: placeholders, the wording's markup, and the templates. Pure Python.

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

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from tsa_desktop.formats.letters.data import LetterKind


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


__all__ = ["BlockPart", "BodyPart", "BulletsPart", "DEFAULT_SCHOOL_TEMPLATE",
           "DEFAULT_TRAINEE_TEMPLATE", "LetterTemplate", "SCHOOL_BLOCKS", "SCHOOL_PLACEHOLDERS",
           "TRAINEE_BLOCKS", "TRAINEE_PLACEHOLDERS", "TextPart", "block_placeholders", "clean",
           "compile_body", "compile_inline", "fill", "placeholders"]
