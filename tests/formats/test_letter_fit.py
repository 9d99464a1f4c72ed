"""Letters that fit: a three-placement letter on one page, email addresses broken only at @ or dots."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from tests.formats.alliance import CONTACT, oak_tree_letterhead
from tsa_desktop.formats.letters import (DEFAULT_TRAINEE_TEMPLATE, HostedTrainee,
                                         Letterhead, PlacementRow, SchoolLetter, TraineeLetter)
from tsa_desktop.formats.letters.layout import letters_pdf
from tsa_desktop.formats.letters.styles import email_markup, text_styles

D = dt.date
LONG_EMAIL = "olena.kovalenko-smithson@riverside-alliance.example.sch.uk"
@pytest.fixture(scope="module")
def letterhead() -> Letterhead:
    # The fullest letterhead an alliance is likely to have: logo, four address lines, a note.
    return oak_tree_letterhead("Registered charity 1234567")


def three_placements() -> tuple[PlacementRow, ...]:
    return (
        PlacementRow("Autumn block A", D(2025, 9, 8), D(2025, 10, 24),
                     "Riverside Alliance Primary Academy", ("4 Ash Road", "Northfield NF2 1AB"),
                     "Olena Kovalenko-Smithson", LONG_EMAIL),
        PlacementRow("Spring block B", D(2026, 1, 12), D(2026, 3, 27),
                     "Smith & Jones Church of England Academy", ("1 High Street", "Eastwood"),
                     "Nguyễn Thị Lan", "n.lan@smithandjones-academy.example.sch.uk"),
        PlacementRow("Summer block C", D(2026, 4, 20), D(2026, 6, 26), "St Zoë's Primary",
                     ("Church Walk", "Westbury WB1 2CD"), "Gareth Pryce", "g.pryce@stz.sch.uk"),
    )


def letter(**changes) -> TraineeLetter:
    values = dict(
        letter_date=D(2025, 9, 1), first_names="Siân", last_name="Łukasz-Zoë",
        academic_year="2025/26", placements=three_placements(), contact=CONTACT,
        address_lines=("Flat 2", "7 Willow Court", "Northfield NF3 9ZZ"),
        what_to_bring=("photo ID and your DBS certificate",
                       "your trainee file, with the Teachers' Standards and your current targets",
                       "your timetable of the alliance's training days, so that your mentor "
                       "can plan around them",
                       "a packed lunch on your first day"),
        reference="T0042")
    values.update(changes)
    return TraineeLetter(**values)


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_three_placements_and_the_signature_fit_one_page(letterhead):
    pages = page_texts(letters_pdf([letter()], letterhead,
                                   trainee_template=DEFAULT_TRAINEE_TEMPLATE))
    assert len(pages) == 1
    assert "Yours sincerely," in pages[0] and "Dr Helen Marsh" in pages[0]


def test_many_letters_of_three_placements_take_one_page_each(letterhead):
    letters = [letter(reference=f"T{i:04d}") for i in range(5)]
    assert len(page_texts(letters_pdf(letters, letterhead))) == 5


def test_school_letter_with_three_trainees_fits_one_page(letterhead):
    trainees = tuple(HostedTrainee(f"Trainee {n}", D(2026, 1, 12), D(2026, 3, 27),
                                   "Olena Kovalenko-Smithson", f"trainee.{n}@example.ac.uk",
                                   "Secondary mathematics", "School Direct (salaried)",
                                   LONG_EMAIL) for n in range(3))
    school = SchoolLetter(D(2026, 1, 5), "Riverside Alliance Primary Academy",
                          "Mrs Zoë Adeyemi", "2025/26", "Spring block B", D(2026, 1, 12),
                          D(2026, 3, 27), trainees, CONTACT, "ITT Coordinator",
                          ("4 Ash Road", "Northfield NF2 1AB"), "S1", "Mrs Adeyemi")
    assert len(page_texts(letters_pdf([school], letterhead))) == 1


def _email_lines(text: str) -> list[str]:
    """The consecutive lines of a page that together print LONG_EMAIL."""
    lines = [line.strip() for line in text.splitlines()]
    start = next(i for i, line in enumerate(lines) if line and LONG_EMAIL.startswith(line))
    out: list[str] = []
    for line in lines[start:]:
        if not LONG_EMAIL.startswith("".join(out) + line):
            break
        out.append(line)
    return out


def _breaks_at_at_or_dot(lines: list[str]) -> bool:
    return all(before.endswith("@") or after.startswith(".")
               for before, after in zip(lines, lines[1:]))


def test_long_mentor_email_breaks_only_at_the_at_sign_or_a_dot(letterhead):
    text = page_texts(letters_pdf([letter()], letterhead))[0]
    lines = _email_lines(text)
    assert "".join(lines) == LONG_EMAIL
    assert len(lines) >= 2  # the address is wider than the column
    assert _breaks_at_at_or_dot(lines)
    assert "riverside-allianc\n" not in text


@pytest.mark.parametrize("width", [40, 60, 90, 120, 200, 400])
def test_email_markup_breaks_at_at_or_dots_within_the_width(width):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    style = text_styles().cell
    lines = email_markup(LONG_EMAIL, width, style).split("<br/>")
    assert "".join(lines) == LONG_EMAIL
    assert _breaks_at_at_or_dot(lines)
    pieces = re.split(r"(?<=@)|(?=\.)", LONG_EMAIL)
    for line in lines:
        # A line is over the width only when it is one piece that cannot be broken.
        assert stringWidth(line, style.fontName, style.fontSize) <= width or line in pieces


def test_email_markup_escapes_and_skips_empty():
    style = text_styles().cell
    assert email_markup("", 100, style) == ""
    assert email_markup("a<b>&c@x.org", 400, style) == "a&lt;b&gt;&amp;c@x.org"
