"""Placement letters as PDF: an A4 letter to a trainee or a host school, one or many.

Each letter: the letterhead (logo left, alliance address right), the recipient's address and the
date, a bold subject line, the salutation, the template's paragraphs with a table of placements,
the closing and signatory, and a footer on every page.

Example:
    >>> pdf = letters_pdf([letter], Letterhead("Oak Tree Teaching School Alliance"))
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table

from tsa_desktop.domain.progress import SILENT, Progress
from tsa_desktop.formats.files import write_atomic
from tsa_desktop.formats.letters.data import Letter, Letterhead, SchoolLetter, TraineeLetter
from tsa_desktop.formats.letters.language import (DEFAULT_SCHOOL_TEMPLATE,
                                                  DEFAULT_TRAINEE_TEMPLATE, BlockPart,
                                                  BulletsPart, LetterTemplate, TextPart, clean,
                                                  fill)
from tsa_desktop.formats.letters.names import letter_file_names
from tsa_desktop.formats.letters.page import Furniture, LetterheadFlowable, Run, Start, make_doc
from tsa_desktop.formats.letters.styles import (CELL_PADDING, FRAME_WIDTH, GRID_TABLE,
                                                PLAIN_TABLE, email_markup,
                                                binary_streams, dates_cell, markup,
                                                markup_lines, muted, text_styles)
from tsa_desktop.formats.letters.values import (long_date, school_values, sorted_rows,
                                                sorted_trainees, trainee_values)

def _address_block(left: str, right: str) -> Table:
    st = text_styles()
    return Table([[Paragraph(left, st.body), Paragraph(right, st.right)]],
                 colWidths=[FRAME_WIDTH * 0.62, FRAME_WIDTH * 0.38], style=PLAIN_TABLE)


def _date_and_ref(day, reference: str) -> str:
    text = markup(long_date(day))
    if reference.strip():
        text += "<br/>" + muted("Our ref: " + markup(reference))
    return text


def _name_and_email(name: str, email: str, missing: str, width: float) -> str:
    if not name.strip():
        return muted(markup(missing))
    text = markup(name)
    if email.strip():
        text += "<br/>" + muted(email_markup(email, width - CELL_PADDING, text_styles().cell))
    return text


# Block, dates, school, mentor: "Autumn block A" and "to Fri 24 Oct 2025" each on one line,
# and a mentor's column wide enough for most school email addresses on one or two lines.
_PLACEMENT_COLUMNS = (29 * mm, 32 * mm, 53 * mm, FRAME_WIDTH - 114 * mm)
_TRAINEE_COLUMNS = (68 * mm, 36 * mm, FRAME_WIDTH - 104 * mm)


def _placements_table(letter: TraineeLetter) -> Table:
    st = text_styles()
    head = [Paragraph(h, st.cell_head) for h in ("Block", "Dates", "School", "Mentor")]
    rows = [head]
    for row in sorted_rows(letter):
        school = f"<b>{markup(row.school_name)}</b>"
        if row.school_address:
            school += "<br/>" + muted(markup_lines(*row.school_address))
        rows.append([
            Paragraph(markup(row.block_name), st.cell),
            Paragraph(dates_cell(row.start, row.end), st.cell),
            Paragraph(school, st.cell),
            Paragraph(_name_and_email(row.mentor_name, row.mentor_email, "to be confirmed",
                                      _PLACEMENT_COLUMNS[3]), st.cell),
        ])
    return Table(rows, colWidths=list(_PLACEMENT_COLUMNS),
                 style=GRID_TABLE, repeatRows=1, spaceBefore=2, spaceAfter=8)


def _trainees_table(letter: SchoolLetter) -> Table:
    st = text_styles()
    head = [Paragraph(h, st.cell_head) for h in ("Trainee", "Dates", "Mentor")]
    rows = [head]
    for trainee in sorted_trainees(letter):
        who = f"<b>{markup(trainee.name)}</b>"
        detail = "<br/>".join(v for v in (
            markup_lines(trainee.subject, trainee.route),
            email_markup(trainee.email, _TRAINEE_COLUMNS[0] - CELL_PADDING, st.cell)) if v)
        if detail:
            who += "<br/>" + muted(detail)
        rows.append([
            Paragraph(who, st.cell),
            Paragraph(dates_cell(trainee.start, trainee.end), st.cell),
            Paragraph(_name_and_email(trainee.mentor_name, trainee.mentor_email,
                                      "to be confirmed", _TRAINEE_COLUMNS[2]), st.cell),
        ])
    return Table(rows, colWidths=list(_TRAINEE_COLUMNS),
                 style=GRID_TABLE, repeatRows=1, spaceBefore=2, spaceAfter=8)


def _bullets(items: Sequence[str]) -> list[Flowable]:
    st = text_styles()
    flowables: list[Flowable] = [Paragraph(item, st.bullet, bulletText="•") for item in items]
    if flowables:
        flowables.append(Spacer(1, 7))
    return flowables


def _body(template: LetterTemplate, values: dict[str, str],
          blocks: dict[str, Callable[[], list[Flowable]]]) -> list[Flowable]:
    st = text_styles()
    out: list[Flowable] = []
    parts = template.compiled_body
    for i, part in enumerate(parts):
        if isinstance(part, TextPart):
            text = fill(part.parts, values)
            # A lead-in such as "Please bring with you:" must not be left at the foot of a page.
            lead_in = text.rstrip().endswith(":") and i + 1 < len(parts)
            out.append(Paragraph(text, st.body_keep if lead_in else st.body))
        elif isinstance(part, BulletsPart):
            out.extend(_bullets([fill(item, values) for item in part.items]))
        elif isinstance(part, BlockPart):
            made = blocks[part.name]()
            if made:
                out.extend(made)
            elif i and isinstance(parts[i - 1], TextPart) and out and _ends_with_colon(out[-1]):
                # "Please bring with you:" means nothing without the list that follows it.
                out.pop()
    return out


def _ends_with_colon(flowable: Flowable) -> bool:
    return isinstance(flowable, Paragraph) and flowable.text.rstrip().endswith(":")


def _sign_off(template: LetterTemplate, values: dict[str, str], letterhead: Letterhead
              ) -> Flowable:
    st = text_styles()
    parts: list[Flowable] = [Paragraph(fill(template.compiled_closing, values), st.signoff),
                             Spacer(1, 12 * mm)]
    if letterhead.signoff_name.strip():
        parts.append(Paragraph(f"<b>{markup(letterhead.signoff_name)}</b>", st.signoff))
    if letterhead.signoff_role.strip():
        parts.append(Paragraph(markup(letterhead.signoff_role), st.signoff))
    parts.append(Paragraph(markup(letterhead.alliance_name), st.signoff))
    return KeepTogether(parts)


def _letter_story(letter: Letter, furniture: Furniture, run: Run,
                  trainee_template: LetterTemplate, school_template: LetterTemplate
                  ) -> list[Flowable]:
    st = text_styles()
    letterhead = furniture.letterhead
    if isinstance(letter, TraineeLetter):
        template = trainee_template
        values = trainee_values(letter, letterhead)
        recipient = [letter.full_name, *letter.address_lines]
        if not letter.address_lines and letter.email.strip():
            recipient.append(letter.email)
        head = f"{letter.full_name} · {long_date(letter.letter_date)}"
        blocks = {
            "placements_table": lambda: [_placements_table(letter)],
            "what_to_bring_list": lambda: _bullets(
                [markup(item) for item in letter.what_to_bring if item.strip()]),
        }
    else:
        template = school_template
        values = school_values(letter, letterhead)
        recipient = [letter.recipient_name, letter.recipient_role, letter.school_name,
                     *letter.school_address]
        head = f"{letter.recipient_name}, {letter.school_name} · {long_date(letter.letter_date)}"
        blocks = {"trainees_table": lambda: [_trainees_table(letter)]}
    story: list[Flowable] = [
        Start(run, clean(head)),
        LetterheadFlowable(furniture),
        Spacer(1, 2 * mm),
        _address_block(markup_lines(*recipient),
                       _date_and_ref(letter.letter_date, letter.reference)),
        Spacer(1, 6 * mm),
    ]
    subject = fill(template.compiled_subject, values)
    if subject:
        story.append(Paragraph(subject, st.subject))
    story.append(Paragraph(fill(template.compiled_salutation, values), st.body))
    story.extend(_body(template, values, blocks))
    story.append(_sign_off(template, values, letterhead))
    return story


def _check_templates(trainee_template: LetterTemplate, school_template: LetterTemplate) -> None:
    if trainee_template.kind != "trainee":
        raise ValueError("trainee_template must be a trainee letter template")
    if school_template.kind != "school":
        raise ValueError("school_template must be a school letter template")


def _build(target, letters: Sequence[Letter], letterhead: Letterhead,
           trainee_template: LetterTemplate, school_template: LetterTemplate,
           progress: Progress, title: str, furniture: Furniture | None = None) -> None:
    furniture = furniture or Furniture(letterhead)
    count = len(letters)
    # Reading the letters (parsing their paragraphs) is a quarter of the time of a big batch:
    # it is reported as the first half of the steps, so a progress bar moves from the start.
    run = Run(furniture, progress, count, steps_before=count)
    story: list[Flowable] = []
    for i, letter in enumerate(letters):
        progress.check()
        if i:
            story.append(PageBreak())
        story.extend(_letter_story(letter, furniture, run, trainee_template, school_template))
        progress.report(i + 1, 2 * count, f"Reading letter {i + 1} of {count}")
    if not story:
        raise ValueError("there are no letters to print")
    with binary_streams():
        make_doc(target, furniture, run, title).build(story)


def _title(letters: Sequence[Letter]) -> str:
    years = sorted({letter.academic_year for letter in letters})
    return "Placement letters" + (f" {years[0]}" if len(years) == 1 else "")


def letters_pdf(letters: Sequence[Letter], letterhead: Letterhead, *,
                trainee_template: LetterTemplate = DEFAULT_TRAINEE_TEMPLATE,
                school_template: LetterTemplate = DEFAULT_SCHOOL_TEMPLATE,
                progress: Progress = SILENT) -> bytes:
    """Render letters, each starting on a new page, into one PDF.

    Args:
        letters: Trainee and school letters, in the order to print them.
        letterhead: The alliance's letterhead and signatory.
        trainee_template: The wording of trainee letters.
        school_template: The wording of school letters.
        progress: Receives ``report(done, total)`` per letter and may cancel.

    Returns:
        The PDF.

    Raises:
        ValueError: no letters, a template of the wrong kind, or a logo that cannot be read.
        CancelledError: the user cancelled.
    """
    _check_templates(trainee_template, school_template)
    buffer = io.BytesIO()
    _build(buffer, letters, letterhead, trainee_template, school_template, progress,
           _title(letters))
    return buffer.getvalue()


def write_letters_pdf(path: str | os.PathLike[str], letters: Sequence[Letter],
                      letterhead: Letterhead, *,
                      trainee_template: LetterTemplate = DEFAULT_TRAINEE_TEMPLATE,
                      school_template: LetterTemplate = DEFAULT_SCHOOL_TEMPLATE,
                      progress: Progress = SILENT) -> Path:
    """Render letters into one PDF file; an existing file is replaced only on success.

    Args and raises as :func:`letters_pdf`; also OSError when the file cannot be written (for
    example it is open in a PDF reader on Windows).

    Returns:
        The path written.
    """
    data = letters_pdf(letters, letterhead, trainee_template=trainee_template,
                       school_template=school_template, progress=progress)
    return write_atomic(path, data)


def write_letter_files(folder: str | os.PathLike[str], letters: Sequence[Letter],
                       letterhead: Letterhead, *,
                       trainee_template: LetterTemplate = DEFAULT_TRAINEE_TEMPLATE,
                       school_template: LetterTemplate = DEFAULT_SCHOOL_TEMPLATE,
                       progress: Progress = SILENT) -> list[Path]:
    """Render one PDF per letter into a folder, named by :func:`letter_file_names`.

    The files are made in a hidden working folder inside ``folder`` and moved into place only
    when all of them are done, so a cancel or an error leaves the folder as it was. Files of the
    same name are replaced.

    Returns:
        The paths written, in the order of ``letters``.

    Raises:
        As :func:`letters_pdf`, and OSError when the folder cannot be written.
    """
    _check_templates(trainee_template, school_template)
    if not letters:
        raise ValueError("there are no letters to print")
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    names = letter_file_names(letters)
    furniture = Furniture(letterhead)
    work = Path(tempfile.mkdtemp(prefix=".tsa-letters-", dir=target))
    try:
        made: list[Path] = []
        for i, (letter, name) in enumerate(zip(letters, names)):
            progress.check()
            path = work / name
            _build(str(path), [letter], letterhead, trainee_template, school_template,
                   SILENT, _title([letter]), furniture)
            made.append(path)
            progress.report(i + 1, len(letters), f"Letter {i + 1} of {len(letters)}")
        progress.check()
        final = []
        for path in made:
            os.replace(path, target / path.name)
            final.append(target / path.name)
        return final
    finally:
        shutil.rmtree(work, ignore_errors=True)
