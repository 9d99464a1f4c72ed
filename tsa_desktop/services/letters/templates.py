"""The editable wording of letters as the alliance profile stores it.

A template is kept in ``AllianceProfile.trainee_letter_template`` / ``school_letter_template`` as
JSON: its four texts and, for trainee letters, the "what to bring" list. ``None`` means "the
default wording", so that improvements to the defaults reach alliances that never edited them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from tsa_desktop.domain.errors import FieldProblem, ValidationError
from tsa_desktop.formats.letters import (DEFAULT_SCHOOL_TEMPLATE, DEFAULT_TRAINEE_TEMPLATE,
                                         LetterKind, LetterTemplate)

#: What a trainee is asked to bring when nobody has edited the list.
DEFAULT_WHAT_TO_BRING: tuple[str, ...] = (
    "photo ID and your DBS certificate",
    "your trainee file, with the Teachers' Standards and your current targets",
    "your timetable of the alliance's training days, so that your mentor can plan around them",
    "a packed lunch on your first day",
)

TEXT_FIELDS = ("subject", "salutation", "body", "closing")
KIND_LABELS: dict[str, str] = {"trainee": "trainee letter", "school": "school letter"}
_MAX_ITEMS = 20
_MAX_TEXT = 20_000


@dataclass(frozen=True)
class TemplateText:
    """The wording of one kind of letter, as typed (not yet checked).

    Attributes:
        kind: ``"trainee"`` or ``"school"``.
        subject: The bold line above the salutation.
        salutation: e.g. ``Dear {trainee_first_name},``.
        body: Paragraphs, bullets and block placeholders.
        closing: e.g. ``Yours sincerely,``.
        what_to_bring: Items of the "what to bring" list (trainee letters only).
        customised: False while the alliance uses the default wording.
        problem: Why the stored wording could not be read (the default is shown instead).
    """

    kind: LetterKind
    subject: str
    salutation: str
    body: str
    closing: str
    what_to_bring: tuple[str, ...] = ()
    customised: bool = False
    problem: str = ""

    def compile(self) -> LetterTemplate:
        """The checked template.

        Raises:
            ValidationError: naming the text (subject, salutation, body or closing), the line
                and the problem, e.g. an unknown placeholder.
        """
        problems = []
        for name in TEXT_FIELDS:
            if len(getattr(self, name)) > _MAX_TEXT:
                problems.append(FieldProblem(name, f"is longer than {_MAX_TEXT:,} characters"))
        if len(self.what_to_bring) > _MAX_ITEMS:
            problems.append(FieldProblem("what_to_bring", f"has more than {_MAX_ITEMS} items"))
        if problems:
            raise ValidationError(problems, kind="letter_templates")
        try:
            return LetterTemplate(self.kind, self.subject, self.salutation, self.body, self.closing)
        except ValueError as exc:
            raise ValidationError(FieldProblem(_field_of(str(exc), self.kind), str(exc)),
                                  kind="letter_templates") from exc

    def same_wording(self, other: TemplateText) -> bool:
        """True when both say the same (whether customised or not)."""
        return all(getattr(self, f) == getattr(other, f) for f in (*TEXT_FIELDS, "what_to_bring"))


def _field_of(message: str, kind: LetterKind) -> str:
    """Which text a LetterTemplate error is about: its messages start "trainee letter body, ..."."""
    prefix = KIND_LABELS[kind] + " "
    if message.startswith(prefix):
        word = message[len(prefix):].split(",", 1)[0].split(" ", 1)[0]
        if word in TEXT_FIELDS:
            return word
    return "body"


def default_text(kind: LetterKind) -> TemplateText:
    """The wording the program ships with."""
    template = DEFAULT_TRAINEE_TEMPLATE if kind == "trainee" else DEFAULT_SCHOOL_TEMPLATE
    return TemplateText(kind, template.subject, template.salutation, template.body,
                        template.closing, DEFAULT_WHAT_TO_BRING if kind == "trainee" else ())


def load_text(kind: LetterKind, stored: str | None) -> TemplateText:
    """The wording stored in the profile, or the default when nothing is stored.

    Raises:
        ValidationError: the stored text is not a template this program wrote.
    """
    if stored is None or not stored.strip():
        return default_text(kind)
    try:
        raw = json.loads(stored)
        if not isinstance(raw, dict) or not all(isinstance(raw.get(f), str) for f in TEXT_FIELDS):
            raise ValueError("it lacks the subject, salutation, body or closing")
        items = raw.get("what_to_bring", [])
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ValueError("its what-to-bring list is not a list of texts")
    except ValueError as exc:
        raise ValidationError(FieldProblem(
            f"{KIND_LABELS[kind]} template",
            f"the saved wording cannot be read ({exc}); open Letters > Templates and save it "
            "again or reset it to the default")) from exc
    return TemplateText(kind, *(raw[f] for f in TEXT_FIELDS),
                        what_to_bring=tuple(items) if kind == "trainee" else (), customised=True)


def load_text_for_editing(kind: LetterKind, stored: str | None) -> TemplateText:
    """As :func:`load_text`, but an unreadable stored text gives the default with ``problem`` set."""
    try:
        return load_text(kind, stored)
    except ValidationError as exc:
        return replace(default_text(kind), problem=str(exc))


def dump_text(text: TemplateText) -> str | None:
    """What to store: None for the default wording, JSON otherwise."""
    if text.same_wording(default_text(text.kind)):
        return None
    data: dict[str, object] = {f: getattr(text, f) for f in TEXT_FIELDS}
    if text.kind == "trainee":
        data["what_to_bring"] = list(text.what_to_bring)
    return json.dumps(data, ensure_ascii=False, indent=1)


def clean_items(lines: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """A what-to-bring list from text (one item a line) or a sequence; blank lines and list
    marks that people type ("- ", "• ") are dropped."""
    source = lines.splitlines() if isinstance(lines, str) else list(lines)
    items = []
    for line in source:
        item = line.strip()
        for mark in ("- ", "• ", "* "):
            if item.startswith(mark):
                item = item[len(mark):].strip()
        if item:
            items.append(item)
    return tuple(items)
