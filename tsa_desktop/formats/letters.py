"""Placement letters and mentor packs as PDF, with reportlab platypus.

The data classes and the template language live in :mod:`tsa_desktop.formats.templates` (pure
Python) and are re-exported here. This module decides how a letter looks: an A4 page with the
letterhead (logo left, alliance address right), the recipient's address and the date, a bold
subject line, the salutation, the template's paragraphs with a table of placements, the closing
and signatory, and a footer on every page.

Every value is escaped before reportlab sees it (see the template module); text is set in DejaVu
Sans, shipped in ``resources/fonts`` and embedded (subset) in every PDF, so Siân, Łukasz,
Nguyễn Thị, Zoë and Олена print exactly on a machine without the font. DejaVu has no CJK glyphs.

Example:
    >>> pdf = letters_pdf([letter], Letterhead("Oak Tree Teaching School Alliance"))
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Flowable, Frame, KeepTogether,
                                PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle)

from tsa_desktop.domain.progress import SILENT, Progress
from tsa_desktop.formats.files import write_atomic
from tsa_desktop.formats.templates import (DEFAULT_SCHOOL_TEMPLATE, DEFAULT_TRAINEE_TEMPLATE,
                                           SCHOOL_BLOCKS, SCHOOL_PLACEHOLDERS, TRAINEE_BLOCKS,
                                           TRAINEE_PLACEHOLDERS, BlockPart, BulletsPart, Contact,
                                           HostedTrainee, LetterTemplate, Letterhead, MentorPack,
                                           MentorPlacement, OtherPlacement, PlacementRow,
                                           SchoolLetter, TextPart, TraineeLetter, TutoredNqt, clean, fill,
                                           fingerprint, long_date, placeholders, school_values,
                                           short_date, sorted_rows, sorted_trainees,
                                           trainee_values)

Letter = TraineeLetter | SchoolLetter

# --------------------------------------------------------------------------------------------
# Resources and fonts
# --------------------------------------------------------------------------------------------

RESOURCES_ENV = "TSA_DESKTOP_RESOURCES"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
_font_lock = threading.Lock()
_fonts_registered = False


def resources_dir() -> Path:
    """The folder of shipped resources (fonts, logo, samples).

    Looked for, in order: the folder named by the environment variable ``TSA_DESKTOP_RESOURCES``;
    ``resources`` inside a PyInstaller bundle (``sys._MEIPASS``); ``resources`` at the root of
    the source tree.
    """
    override = os.environ.get(RESOURCES_ENV)
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def register_fonts() -> str:
    """Register DejaVu Sans (regular, bold, oblique, bold oblique) with reportlab, once.

    Safe to call from several threads; later calls return at once.

    Returns:
        The family name to use in paragraph styles.

    Raises:
        FileNotFoundError: naming the font file when the resources are incomplete.
    """
    global _fonts_registered
    if _fonts_registered:
        return FONT
    with _font_lock:
        if not _fonts_registered:
            folder = resources_dir() / "fonts"
            for name, file_name in _FONT_FILES.items():
                path = folder / file_name
                if not path.is_file():
                    raise FileNotFoundError(f"letter font missing: {path} (set {RESOURCES_ENV} "
                                            "to the folder that holds fonts/)")
                pdfmetrics.registerFont(TTFont(name, str(path)))
            pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                          boldItalic=FONT_BOLD_ITALIC)
            _fonts_registered = True
    return FONT


_a85_lock = threading.Lock()
_a85_users = 0
_a85_saved: object = None


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Write PDF streams as binary instead of ASCII85 while our documents are built.

    Without the optional rl_accel extension reportlab ASCII85-encodes every page and image in
    pure Python: that was a third of the time of one-file-per-letter runs, and it makes streams
    a quarter bigger. Binary streams are plain PDF that every reader opens. The setting is
    reportlab-global, so it is counted in and out rather than set for good.
    """
    global _a85_users, _a85_saved
    with _a85_lock:
        if _a85_users == 0:
            _a85_saved = rl_config.useA85
            rl_config.useA85 = 0
        _a85_users += 1
    try:
        yield
    finally:
        with _a85_lock:
            _a85_users -= 1
            if _a85_users == 0:
                rl_config.useA85 = _a85_saved


def default_logo() -> bytes:
    """The neutral logo shipped in ``resources/letters``, for an alliance without its own."""
    return (resources_dir() / "letters" / "default-logo.png").read_bytes()


# --------------------------------------------------------------------------------------------
# Page geometry and styles
# --------------------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 16 * mm
MARGIN_BOTTOM = 24 * mm
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
LOGO_MAX_WIDTH = 55 * mm
LOGO_MAX_HEIGHT = 24 * mm
# Logos are often phone photos or print-resolution files; more pixels than this only swell the
# PDF (and every one-letter file repeats them).
LOGO_MAX_PIXELS = 900

ACCENT = colors.HexColor("#1F3A5F")
RULE = colors.HexColor("#9AA8B8")
GRID = colors.HexColor("#C5CED8")
ZEBRA = colors.HexColor("#F1F4F8")
MUTED = colors.HexColor("#5A6573")


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    body_keep: ParagraphStyle
    subject: ParagraphStyle
    bullet: ParagraphStyle
    small: ParagraphStyle
    right: ParagraphStyle
    right_small: ParagraphStyle
    alliance: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    footer: ParagraphStyle
    signoff: ParagraphStyle


@lru_cache(maxsize=1)
def _styles() -> _Styles:
    font = register_fonts()
    # bulletFontName defaults to Helvetica, which has no glyphs beyond Latin-1 and is not embedded.
    body = ParagraphStyle("body", fontName=font, bulletFontName=font, fontSize=10, leading=13.5,
                          spaceAfter=7, alignment=TA_LEFT)
    return _Styles(
        body=body,
        body_keep=ParagraphStyle("body_keep", parent=body, keepWithNext=1),
        subject=ParagraphStyle("subject", parent=body, fontName=FONT_BOLD, spaceBefore=2,
                               spaceAfter=9),
        bullet=ParagraphStyle("bullet", parent=body, leftIndent=16, bulletIndent=5,
                              spaceAfter=2),
        small=ParagraphStyle("small", parent=body, fontSize=9, leading=12, spaceAfter=0),
        right=ParagraphStyle("right", parent=body, alignment=TA_RIGHT, spaceAfter=0),
        right_small=ParagraphStyle("right_small", parent=body, fontSize=8.5, leading=11,
                                   alignment=TA_RIGHT, spaceAfter=0, textColor=MUTED),
        alliance=ParagraphStyle("alliance", parent=body, fontName=FONT_BOLD, fontSize=13,
                                leading=16, alignment=TA_RIGHT, textColor=ACCENT, spaceAfter=2),
        cell=ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11, spaceAfter=0),
        cell_head=ParagraphStyle("cell_head", parent=body, fontName=FONT_BOLD, fontSize=8.5,
                                 leading=11, spaceAfter=0, textColor=colors.white),
        title=ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=16, leading=20,
                             textColor=ACCENT, spaceAfter=8),
        heading=ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=11.5,
                               leading=15, textColor=ACCENT, spaceBefore=10, spaceAfter=5),
        footer=ParagraphStyle("footer", parent=body, fontSize=7.5, leading=9.5,
                              alignment=1, textColor=MUTED, spaceAfter=0),
        signoff=ParagraphStyle("signoff", parent=body, spaceAfter=0),
    )


_GRID_TABLE = TableStyle([
    # A cell's own font defaults to Helvetica, which the PDF would then list unembedded.
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
    ("LINEBELOW", (0, 0), (-1, -1), 0.5, GRID),
    ("BOX", (0, 0), (-1, -1), 0.5, GRID),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 5),
    ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ("TOPPADDING", (0, 0), (-1, -1), 4),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
])


_PLAIN_TABLE = TableStyle([
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
])

_KEY_VALUE_TABLE = TableStyle([
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
])


def _x(value: object) -> str:
    """A value as paragraph markup: clean, then escaped, so it always prints literally."""
    return escape(clean(value))


def _lines(*values: str) -> str:
    """Escaped non-empty values, one a line."""
    return "<br/>".join(_x(v) for v in values if v and str(v).strip())


def _muted(text: str) -> str:
    return f'<font color="#5A6573">{text}</font>' if text else ""


# --------------------------------------------------------------------------------------------
# The letterhead and page furniture, built once per run and drawn on every letter
# --------------------------------------------------------------------------------------------


def _load_logo(data: bytes) -> tuple[ImageReader, float, float]:
    """Read (and shrink) a logo; return the reader and its printed width and height."""
    try:
        from PIL import Image as PILImage  # reportlab depends on Pillow

        with PILImage.open(io.BytesIO(data)) as image:
            image.load()
            if max(image.size) > LOGO_MAX_PIXELS:
                image = image.copy()
                image.thumbnail((LOGO_MAX_PIXELS, LOGO_MAX_PIXELS))
            if image.mode not in ("RGB", "RGBA", "L", "LA"):
                image = image.convert("RGBA" if "transparency" in image.info else "RGB")
            reader = ImageReader(image.copy())
            width_px, height_px = image.size
    except Exception as exc:  # Pillow raises many kinds for a bad file
        raise ValueError("the letterhead logo cannot be read: use a PNG or JPEG image") from exc
    scale = min(LOGO_MAX_WIDTH / width_px, LOGO_MAX_HEIGHT / height_px)
    return reader, width_px * scale, height_px * scale


class _Furniture:
    """The letterhead, footer and continuation header of one run of letters.

    Paragraph parsing and wrapping is the costly part of platypus; the letterhead is the same on
    every letter, so it is parsed and wrapped once and drawn many times.
    """

    def __init__(self, letterhead: Letterhead):
        st = _styles()
        self.letterhead = letterhead
        self.logo: tuple[ImageReader, float, float] | None = (
            _load_logo(letterhead.logo) if letterhead.logo else None)
        logo_width = self.logo[1] + 8 * mm if self.logo else 0
        self.text_width = FRAME_WIDTH - logo_width
        details = _lines(*letterhead.address_lines)
        contact = _lines(*(v for v in (
            f"Tel {letterhead.phone}" if letterhead.phone else "", letterhead.email)))
        self.name_para = Paragraph(_x(letterhead.alliance_name), st.alliance)
        self.detail_para = Paragraph("<br/>".join(p for p in (details, contact) if p),
                                     st.right_small)
        _, name_height = self.name_para.wrap(self.text_width, PAGE_HEIGHT)
        _, detail_height = self.detail_para.wrap(self.text_width, PAGE_HEIGHT)
        self.name_height = name_height + st.alliance.spaceAfter
        self.detail_height = detail_height
        self.height = max(self.name_height + detail_height, self.logo[2] if self.logo else 0)

        footer_bits = [letterhead.alliance_name, ", ".join(
            a for a in letterhead.address_lines if a.strip()), letterhead.phone,
            letterhead.email, letterhead.website]
        footer = " · ".join(_x(b) for b in footer_bits if b and b.strip())
        if letterhead.footer_note.strip():
            footer += "<br/>" + _x(letterhead.footer_note)
        self.footer_para = Paragraph(footer, st.footer)
        _, self.footer_height = self.footer_para.wrap(FRAME_WIDTH, MARGIN_BOTTOM)

    def draw_letterhead(self, canv, x: float, y_top: float) -> None:
        if self.logo:
            reader, width, height = self.logo
            canv.drawImage(reader, x, y_top - height, width, height, mask="auto")
        right = x + FRAME_WIDTH - self.text_width
        self.name_para.drawOn(canv, right, y_top - self.name_para.height)
        self.detail_para.drawOn(canv, right, y_top - self.name_height - self.detail_height)

    def draw_footer(self, canv) -> None:
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        top = MARGIN_BOTTOM - 8 * mm
        canv.line(MARGIN_LEFT, top, PAGE_WIDTH - MARGIN_RIGHT, top)
        self.footer_para.drawOn(canv, MARGIN_LEFT, top - 2.5 * mm - self.footer_height)
        canv.restoreState()


class _LetterheadFlowable(Flowable):
    """The letterhead at the top of a letter's first page, with a rule beneath it."""

    _GAP = 4 * mm

    def __init__(self, furniture: _Furniture):
        super().__init__()
        self.furniture = furniture

    def wrap(self, avail_width, avail_height):
        return FRAME_WIDTH, self.furniture.height + self._GAP * 2

    def draw(self):
        canv = self.canv
        height = self.furniture.height + self._GAP * 2
        self.furniture.draw_letterhead(canv, 0, height)
        canv.saveState()
        canv.setStrokeColor(ACCENT)
        canv.setLineWidth(1.2)
        canv.line(0, self._GAP * 0.6, FRAME_WIDTH, self._GAP * 0.6)
        canv.restoreState()


class _Run:
    """State shared by the page callbacks and markers while one document is built."""

    def __init__(self, furniture: _Furniture, progress: Progress, total: int):
        self.furniture = furniture
        self.progress = progress
        self.total = total
        self.done = 0
        self.start_page = 1
        self.running_head = ""

    def on_page_end(self, canv, doc) -> None:
        self.furniture.draw_footer(canv)
        page = canv.getPageNumber()
        if page != self.start_page:
            # A continuation sheet says whose letter it is, as UK business letters do.
            canv.saveState()
            canv.setFont(FONT, 8)
            canv.setFillColor(MUTED)
            text = f"{self.running_head} · page {page - self.start_page + 1}"
            canv.drawString(MARGIN_LEFT, PAGE_HEIGHT - MARGIN_TOP + 5 * mm, text)
            canv.restoreState()


class _Start(Flowable):
    """A zero-size marker at the start of each letter: page numbers, progress and cancel."""

    def __init__(self, run: _Run, running_head: str):
        super().__init__()
        self.run = run
        self.running_head = running_head

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        run = self.run
        run.progress.check()
        run.start_page = self.canv.getPageNumber()
        run.running_head = self.running_head
        run.done += 1
        run.progress.report(run.done, run.total, f"Letter {run.done} of {run.total}")


def _doc(target, furniture: _Furniture, run: _Run, title: str) -> BaseDocTemplate:
    doc = BaseDocTemplate(
        target, pagesize=A4, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title,
        author=clean(furniture.letterhead.alliance_name), subject=title, creator="tsa-desktop",
        # The canvas's default font is Helvetica, which would otherwise be listed in every PDF.
        initialFontName=FONT,
    )
    frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, FRAME_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate("letter", [frame], onPageEnd=run.on_page_end)])
    return doc


# --------------------------------------------------------------------------------------------
# Letters
# --------------------------------------------------------------------------------------------


def _address_block(left: str, right: str) -> Table:
    st = _styles()
    return Table([[Paragraph(left, st.body), Paragraph(right, st.right)]],
                 colWidths=[FRAME_WIDTH * 0.62, FRAME_WIDTH * 0.38], style=_PLAIN_TABLE)


def _date_and_ref(day, reference: str) -> str:
    text = _x(long_date(day))
    if reference.strip():
        text += "<br/>" + _muted("Our ref: " + _x(reference))
    return text


def _dates_cell(start, end) -> str:
    return f"{_x(short_date(start))}<br/>{_muted('to')} {_x(short_date(end))}"


def _name_and_email(name: str, email: str, missing: str) -> str:
    if not name.strip():
        return _muted(_x(missing))
    text = _x(name)
    if email.strip():
        text += "<br/>" + _muted(_x(email))
    return text


def _placements_table(letter: TraineeLetter) -> Table:
    st = _styles()
    head = [Paragraph(h, st.cell_head) for h in ("Block", "Dates", "School", "Mentor")]
    rows = [head]
    for row in sorted_rows(letter):
        school = f"<b>{_x(row.school_name)}</b>"
        if row.school_address:
            school += "<br/>" + _muted(_lines(*row.school_address))
        rows.append([
            Paragraph(_x(row.block_name), st.cell),
            Paragraph(_dates_cell(row.start, row.end), st.cell),
            Paragraph(school, st.cell),
            Paragraph(_name_and_email(row.mentor_name, row.mentor_email, "to be confirmed"),
                      st.cell),
        ])
    return Table(rows, colWidths=[31 * mm, 33 * mm, 58 * mm, FRAME_WIDTH - 122 * mm],
                 style=_GRID_TABLE, repeatRows=1, spaceBefore=2, spaceAfter=9)


def _trainees_table(letter: SchoolLetter) -> Table:
    st = _styles()
    head = [Paragraph(h, st.cell_head) for h in ("Trainee", "Dates", "Mentor")]
    rows = [head]
    for trainee in sorted_trainees(letter):
        who = f"<b>{_x(trainee.name)}</b>"
        detail = _lines(*(v for v in (trainee.subject, trainee.route, trainee.email)))
        if detail:
            who += "<br/>" + _muted(detail)
        rows.append([
            Paragraph(who, st.cell),
            Paragraph(_dates_cell(trainee.start, trainee.end), st.cell),
            Paragraph(_name_and_email(trainee.mentor_name, trainee.mentor_email,
                                      "to be confirmed"), st.cell),
        ])
    return Table(rows, colWidths=[68 * mm, 36 * mm, FRAME_WIDTH - 104 * mm],
                 style=_GRID_TABLE, repeatRows=1, spaceBefore=2, spaceAfter=9)


def _bullets(items: Sequence[str]) -> list[Flowable]:
    st = _styles()
    flowables: list[Flowable] = [Paragraph(item, st.bullet, bulletText="•") for item in items]
    if flowables:
        flowables.append(Spacer(1, 7))
    return flowables


def _body(template: LetterTemplate, values: dict[str, str],
          blocks: dict[str, Callable[[], list[Flowable]]]) -> list[Flowable]:
    st = _styles()
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
    st = _styles()
    parts: list[Flowable] = [Paragraph(fill(template.compiled_closing, values), st.signoff),
                             Spacer(1, 14 * mm)]
    if letterhead.signoff_name.strip():
        parts.append(Paragraph(f"<b>{_x(letterhead.signoff_name)}</b>", st.signoff))
    if letterhead.signoff_role.strip():
        parts.append(Paragraph(_x(letterhead.signoff_role), st.signoff))
    parts.append(Paragraph(_x(letterhead.alliance_name), st.signoff))
    return KeepTogether(parts)


def _letter_story(letter: Letter, furniture: _Furniture, run: _Run,
                  trainee_template: LetterTemplate, school_template: LetterTemplate
                  ) -> list[Flowable]:
    st = _styles()
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
                [_x(item) for item in letter.what_to_bring if item.strip()]),
        }
    else:
        template = school_template
        values = school_values(letter, letterhead)
        recipient = [letter.recipient_name, letter.recipient_role, letter.school_name,
                     *letter.school_address]
        head = f"{letter.recipient_name}, {letter.school_name} · {long_date(letter.letter_date)}"
        blocks = {"trainees_table": lambda: [_trainees_table(letter)]}
    story: list[Flowable] = [
        _Start(run, clean(head)),
        _LetterheadFlowable(furniture),
        Spacer(1, 2 * mm),
        _address_block(_lines(*recipient), _date_and_ref(letter.letter_date, letter.reference)),
        Spacer(1, 8 * mm),
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
           progress: Progress, title: str, furniture: _Furniture | None = None) -> None:
    furniture = furniture or _Furniture(letterhead)
    run = _Run(furniture, progress, len(letters))
    story: list[Flowable] = []
    for i, letter in enumerate(letters):
        # Parsing paragraphs is a good share of the time: let a cancel in early.
        progress.check()
        if i:
            story.append(PageBreak())
        story.extend(_letter_story(letter, furniture, run, trainee_template, school_template))
    if not story:
        raise ValueError("there are no letters to print")
    with _binary_streams():
        _doc(target, furniture, run, title).build(story)


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
    furniture = _Furniture(letterhead)
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


# --------------------------------------------------------------------------------------------
# File names
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# Mentor pack
# --------------------------------------------------------------------------------------------


def _key_values(rows: Sequence[tuple[str, str]]) -> Table:
    st = _styles()
    data = [[Paragraph(f"<b>{_x(key)}</b>", st.small), Paragraph(value, st.small)]
            for key, value in rows if value]
    return Table(data, colWidths=[38 * mm, FRAME_WIDTH - 38 * mm], style=_KEY_VALUE_TABLE,
                 hAlign="LEFT", spaceAfter=4)


def _contact_text(contact: Contact | None) -> str:
    if contact is None:
        return ""
    head = _x(contact.name) + (f", {_x(contact.role)}" if contact.role.strip() else "")
    rest = " · ".join(_x(v) for v in (contact.email, contact.phone) if v.strip())
    return head + (f"<br/>{rest}" if rest else "")


def _pack_summary(placements: Sequence[MentorPlacement]) -> Table:
    st = _styles()
    head = [Paragraph(h, st.cell_head) for h in ("Block", "Dates", "Trainee", "Contact")]
    rows = [head]
    for p in placements:
        who = f"<b>{_x(p.trainee_name)}</b>"
        if p.subject.strip():
            who += "<br/>" + _muted(_x(p.subject))
        reach = _lines(p.trainee_email, p.trainee_phone) or _muted("not recorded")
        rows.append([Paragraph(_x(p.block_name), st.cell),
                     Paragraph(_dates_cell(p.start, p.end), st.cell),
                     Paragraph(who, st.cell), Paragraph(reach, st.cell)])
    return Table(rows, colWidths=[30 * mm, 34 * mm, 52 * mm, FRAME_WIDTH - 116 * mm],
                 style=_GRID_TABLE, repeatRows=1, spaceAfter=6)


def _pack_nqts(nqts: Sequence[TutoredNqt]) -> Table:
    st = _styles()
    rows = [[Paragraph(h, st.cell_head) for h in ("Early career teacher", "School", "Induction began",
                                                  "You are; dates this year")]]
    for n in sorted(nqts, key=lambda n: n.name.casefold()):
        who = f"<b>{_x(n.name)}</b>" + (f"<br/>{_muted(_x(n.email))}" if n.email.strip() else "")
        began = _x(long_date(n.start_date)) if n.start_date else _muted("not recorded")
        dates = "".join(f"<br/>{_x(d.strftime('%d/%m/%Y'))}: {_x(what)}" for what, d in n.dates)
        rows.append([Paragraph(who, st.cell), Paragraph(_x(n.school_name), st.cell),
                     Paragraph(began, st.cell), Paragraph(f"{_x(n.role)} ({_x(n.status)}){dates}", st.cell)])
    return Table(rows, colWidths=[46 * mm, 40 * mm, 28 * mm, FRAME_WIDTH - 114 * mm],
                 style=_GRID_TABLE, repeatRows=1, spaceAfter=6)


def _pack_trainee(p: MentorPlacement) -> list[Flowable]:
    st = _styles()
    where = _x(p.school_name)
    if p.school_address:
        where += "<br/>" + _muted(_lines(*p.school_address))
    parts: list[Flowable] = [
        Paragraph(f"{_x(p.trainee_name)} <font color='#5A6573' size='10'>· "
                  f"{_x(p.block_name)}</font>", st.heading),
        _key_values([
            ("Dates", f"{_x(long_date(p.start))} to {_x(long_date(p.end))}"),
            ("Subject", _x(p.subject)),
            ("Email", _x(p.trainee_email)),
            ("Telephone", _x(p.trainee_phone)),
            ("School", where),
        ]),
    ]
    rotation = [(p.block_name, p.start, p.end, p.school_name, True)] + [
        (o.block_name, o.start, o.end, o.school_name, False) for o in p.other_placements]
    rotation.sort(key=lambda r: (r[1], r[2], r[0]))
    head = [Paragraph(h, st.cell_head) for h in ("Block", "Dates", "School")]
    rows = [head]
    for block, start, end, school, here in rotation:
        school_text = _x(school) + (" " + _muted("(with you)") if here else "")
        cell = st.cell
        rows.append([Paragraph(f"<b>{_x(block)}</b>" if here else _x(block), cell),
                     Paragraph(f"{_x(short_date(start))} to {_x(short_date(end))}", cell),
                     Paragraph(school_text, cell)])
    parts.append(Paragraph("<b>Rotation this year</b>", st.small))
    parts.append(Spacer(1, 1.5 * mm))
    parts.append(Table(rows, colWidths=[38 * mm, 62 * mm, FRAME_WIDTH - 100 * mm],
                       style=_GRID_TABLE, spaceAfter=4))
    return [KeepTogether(parts)]


def mentor_pack_pdf(pack: MentorPack, letterhead: Letterhead, *,
                    progress: Progress = SILENT) -> bytes:
    """A mentor's trainees for the year as a PDF.

    The first page has the letterhead, the mentor, school, lead mentor and alliance contact,
    and a table of the mentor's placements; then a section per placement with the trainee's
    contact details and their whole rotation.

    Raises:
        ValueError: a logo that cannot be read.
        CancelledError: the user cancelled.
    """
    st = _styles()
    furniture = _Furniture(letterhead)
    run = _Run(furniture, progress, 1)
    placements = sorted(pack.placements, key=lambda p: (p.start, p.trainee_name.casefold()))
    mentor = _x(pack.mentor_name) + (
        f" · {_muted(_x(pack.mentor_email))}" if pack.mentor_email.strip() else "")
    lead = (_x(pack.lead_mentor_name) + (f" · {_muted(_x(pack.lead_mentor_email))}"
                                         if pack.lead_mentor_email.strip() else "")
            if pack.lead_mentor_name.strip() else _muted("not assigned"))
    story: list[Flowable] = [
        _Start(run, clean(f"Mentor pack {pack.academic_year}: {pack.mentor_name}")),
        _LetterheadFlowable(furniture),
        Spacer(1, 3 * mm),
        Paragraph(f"Mentor pack {_x(pack.academic_year)}", st.title),
        _key_values([
            ("Mentor", mentor),
            ("School", _x(pack.school_name)),
            ("Lead mentor", lead),
            ("Alliance contact", _contact_text(pack.contact)),
            ("Prepared", _x(long_date(pack.generated))),
        ]),
        Paragraph("Your trainees", st.heading),
    ]
    if placements:
        story.append(_pack_summary(placements))
        story.append(Paragraph(
            "Please contact each trainee before their placement begins. If you have a concern "
            "about a trainee, speak first to your lead mentor, then to the alliance contact.",
            st.small))
        story.append(CondPageBreak(60 * mm))
        for placement in placements:
            progress.check()
            story.extend(_pack_trainee(placement))
    else:
        story.append(Paragraph(f"No trainees are placed with you in "
                               f"{_x(pack.academic_year)}.", st.body))
    if pack.nqts:
        story.append(Paragraph("Early career teachers you mentor or are induction tutor to", st.heading))
        story.append(_pack_nqts(pack.nqts))
    buffer = io.BytesIO()
    with _binary_streams():
        _doc(buffer, furniture, run, f"Mentor pack {clean(pack.academic_year)}").build(story)
    return buffer.getvalue()


def write_mentor_pack(path: str | os.PathLike[str], pack: MentorPack, letterhead: Letterhead,
                      *, progress: Progress = SILENT) -> Path:
    """Write :func:`mentor_pack_pdf` to a file; an existing file is replaced only on success."""
    return write_atomic(path, mentor_pack_pdf(pack, letterhead, progress=progress))


__all__ = [
    "Contact", "DEFAULT_SCHOOL_TEMPLATE", "DEFAULT_TRAINEE_TEMPLATE", "FONT", "HostedTrainee",
    "Letter", "LetterTemplate", "Letterhead", "MentorPack", "MentorPlacement", "OtherPlacement",
    "TutoredNqt",
    "PlacementRow", "RESOURCES_ENV", "SCHOOL_BLOCKS", "SCHOOL_PLACEHOLDERS", "SchoolLetter",
    "TRAINEE_BLOCKS", "TRAINEE_PLACEHOLDERS", "TraineeLetter", "default_logo", "fingerprint",
    "letter_file_names", "letters_pdf", "mentor_pack_pdf", "placeholders", "register_fonts",
    "resources_dir", "safe_file_name", "write_letter_files", "write_letters_pdf",
    "write_mentor_pack",
]
