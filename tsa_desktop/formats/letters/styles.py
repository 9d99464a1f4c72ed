"""How letters look: the shipped fonts, the page geometry, colours, paragraph and table styles.

Text is set in DejaVu Sans, shipped in ``resources/fonts`` and embedded (subset) in every PDF, so
Siân, Łukasz, Nguyễn Thị, Zoë and Олена print exactly on a machine without the font. DejaVu has no
CJK glyphs. Every value is escaped (:func:`markup`) before reportlab sees it.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Iterator
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
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import TableStyle

from tsa_desktop.formats.letters.language import clean
from tsa_desktop.formats.letters.values import short_date

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
    return Path(__file__).resolve().parents[3] / "resources"


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
def binary_streams() -> Iterator[None]:
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
class Styles:
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
def text_styles() -> Styles:
    font = register_fonts()
    # bulletFontName defaults to Helvetica, which has no glyphs beyond Latin-1 and is not embedded.
    # Leading and spacing are set so that a trainee letter with three placements, the default
    # wording and a four-line letterhead ends with its signature on the first page.
    body = ParagraphStyle("body", fontName=font, bulletFontName=font, fontSize=10, leading=13,
                          spaceAfter=6, alignment=TA_LEFT)
    return Styles(
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


GRID_TABLE = TableStyle([
    # A cell's own font defaults to Helvetica, which the PDF would then list unembedded.
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
    ("LINEBELOW", (0, 0), (-1, -1), 0.5, GRID),
    ("BOX", (0, 0), (-1, -1), 0.5, GRID),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 5),
    ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
])


PLAIN_TABLE = TableStyle([
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
])

KEY_VALUE_TABLE = TableStyle([
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
])


def markup(value: object) -> str:
    """A value as paragraph markup: clean, then escaped, so it always prints literally."""
    return escape(clean(value))


def markup_lines(*values: str) -> str:
    """Escaped non-empty values, one a line."""
    return "<br/>".join(markup(v) for v in values if v and str(v).strip())


def muted(text: str) -> str:
    return f'<font color="#5A6573">{text}</font>' if text else ""


def dates_cell(start, end) -> str:
    return f"{markup(short_date(start))}<br/>{muted('to')} {markup(short_date(end))}"


#: Left plus right padding of a cell in :data:`GRID_TABLE`.
CELL_PADDING = 10


def email_markup(email: str, width: float, style: ParagraphStyle) -> str:
    """An email address as markup that wraps only after ``@`` or before a dot, never mid-word.

    reportlab breaks a word too long for its column wherever the column ends
    ("riverside-allianc" / "e.example"); an address is instead split here into lines that each
    fit ``width``, at the places a reader expects. A single piece longer than the width (rare)
    is left whole for reportlab to place.

    Args:
        email: The address as recorded.
        width: The width available for the text, in points.
        style: The paragraph style it is set in (font and size).
    """
    text = clean(email).strip()
    if not text:
        return ""
    pieces = [p for p in re.split(r"(?<=@)|(?=\.)", text) if p]
    lines: list[str] = []
    for piece in pieces:
        if lines and pdfmetrics.stringWidth(lines[-1] + piece, style.fontName,
                                            style.fontSize) <= width:
            lines[-1] += piece
        else:
            lines.append(piece)
    return "<br/>".join(escape(line) for line in lines)
