"""The page furniture of a run of letters: letterhead, footer, continuation header, progress.

Paragraph parsing and wrapping is the costly part of platypus; the letterhead is the same on
every letter of a run, so :class:`Furniture` parses and wraps it once and draws it many times.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from tsa_desktop.domain.progress import Progress
from tsa_desktop.formats.letters.data import Letterhead
from tsa_desktop.formats.letters.language import clean
from tsa_desktop.formats.letters.styles import (ACCENT, FONT, FRAME_WIDTH, LOGO_MAX_HEIGHT,
                                                LOGO_MAX_PIXELS, LOGO_MAX_WIDTH, MARGIN_BOTTOM,
                                                MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MUTED,
                                                PAGE_HEIGHT, PAGE_WIDTH, RULE, markup,
                                                markup_lines, text_styles)

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


class Furniture:
    """The letterhead, footer and continuation header of one run of letters.

    Paragraph parsing and wrapping is the costly part of platypus; the letterhead is the same on
    every letter, so it is parsed and wrapped once and drawn many times.
    """

    def __init__(self, letterhead: Letterhead):
        st = text_styles()
        self.letterhead = letterhead
        self.logo: tuple[ImageReader, float, float] | None = (
            _load_logo(letterhead.logo) if letterhead.logo else None)
        logo_width = self.logo[1] + 8 * mm if self.logo else 0
        self.text_width = FRAME_WIDTH - logo_width
        details = markup_lines(*letterhead.address_lines)
        contact = markup_lines(*(v for v in (
            f"Tel {letterhead.phone}" if letterhead.phone else "", letterhead.email)))
        self.name_para = Paragraph(markup(letterhead.alliance_name), st.alliance)
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
        footer = " · ".join(markup(b) for b in footer_bits if b and b.strip())
        if letterhead.footer_note.strip():
            footer += "<br/>" + markup(letterhead.footer_note)
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


class LetterheadFlowable(Flowable):
    """The letterhead at the top of a letter's first page, with a rule beneath it."""

    _GAP = 4 * mm

    def __init__(self, furniture: Furniture):
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


class Run:
    """State shared by the page callbacks and markers while one document is built."""

    def __init__(self, furniture: Furniture, progress: Progress, total: int, *,
                 steps_before: int = 0):
        self.furniture = furniture
        self.progress = progress
        self.total = total
        # Progress counts steps: the letters read before the layout began, then each laid out.
        self.steps_before = steps_before
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


class Start(Flowable):
    """A zero-size marker at the start of each letter: page numbers, progress and cancel."""

    def __init__(self, run: Run, running_head: str):
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
        run.progress.report(run.steps_before + run.done, run.steps_before + run.total,
                            f"Setting out letter {run.done} of {run.total}")


def make_doc(target, furniture: Furniture, run: Run, title: str) -> BaseDocTemplate:
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
