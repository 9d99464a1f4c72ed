"""Benchmark: 500 one-page trainee letters into one PDF, ours against bare reportlab platypus.

Each letter has the letterhead (logo and address), the trainee's address and the date, three
paragraphs and a three-row table of placements, in DejaVu Sans (embedded). The bare version
builds the same pages straight from platypus, with no templates, escaping or progress; the ratio
says what the letters module costs on top (target: at most 2x).

Run:
    .venv/bin/python bench/letters.py [--count 500] [--files 100] [--repeat 3]

Names are invented by pairing common first names and surnames; none is a real person.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import (Image, PageBreak, Paragraph, SimpleDocTemplate,  # noqa: E402
                                Spacer, Table, TableStyle)

from tsa_desktop.formats.letters import (Contact, Letterhead, LetterTemplate,  # noqa: E402
                                         PlacementRow, TraineeLetter, long_date, short_date)
from tsa_desktop.formats.letters.layout import letters_pdf, write_letter_files  # noqa: E402
from tsa_desktop.formats.letters.styles import (ACCENT, FONT_BOLD, GRID, ZEBRA,  # noqa: E402
                                                default_logo, register_fonts)

FIRST = ["Siân", "Łukasz", "Zoë", "Олена", "Thị Lan", "Amara", "Callum", "Freya", "Idris",
         "Niamh", "Oluwaseun", "Priya", "Rhys", "Saoirse", "Tomasz", "Yusuf"]
LAST = ["Nguyễn", "Ashworth", "Brennan", "Chowdhury", "Davies-Kerr", "Evans", "Fairbairn",
        "Greenhalgh", "Hussain", "Iwanicka", "Jones", "Kovalenko", "Llewellyn", "Mbeki-Hart"]
SCHOOLS = ["Beech Lane Primary", "Oak Tree Academy", "St Aidan's C of E Primary",
           "Northfield Community School", "Willow Brook Infants", "Riverside Junior School"]
MENTORS = ["Gareth Pryce", "Helen Okafor", "Marta Zielińska", "Owen Tremayne", "Ruth Abiodun"]

BENCH_TEMPLATE = LetterTemplate(
    kind="trainee",
    subject="School placements {academic_year}",
    salutation="Dear {trainee_first_name},",
    body=(
        "I am pleased to confirm your school placements with {alliance_name} for the academic "
        "year {academic_year}. Your placements are set out below, with the school and the "
        "mentor who will support you in each.\n\n"
        "{placements_table}\n\n"
        "Please contact your mentor at least a week before each placement begins to introduce "
        "yourself and to agree your timetable. On your first day, arrive by 8.15am and report "
        "to the school reception, where you will be signed in and shown the school's "
        "safeguarding procedures.\n\n"
        "If anything here is not as you expect, please contact {contact_name} "
        "({contact_role}) at {contact_email} or on {contact_phone} as soon as possible."
    ),
)

CONTACT = Contact("Priya Ramsden", "Placements Coordinator", "placements@oaktree-tsa.org.uk",
                    "01632 960 123")


def make_letters(count: int) -> list[TraineeLetter]:
    blocks = [("Autumn block A", dt.date(2025, 9, 8), dt.date(2025, 10, 24)),
              ("Spring block B", dt.date(2026, 1, 12), dt.date(2026, 3, 27)),
              ("Summer block C", dt.date(2026, 4, 20), dt.date(2026, 6, 26))]
    out = []
    for i in range(count):
        rows = tuple(
            PlacementRow(name, start, end, SCHOOLS[(i + k) % len(SCHOOLS)],
                           (f"{10 + k} School Road", f"Northfield NF{k + 1} {i % 9}AB"),
                           MENTORS[(i + 2 * k) % len(MENTORS)],
                           f"mentor{(i + k) % 40}@school{k}.sch.uk")
            for k, (name, start, end) in enumerate(blocks))
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
        out.append(TraineeLetter(
            dt.date(2025, 9, 1), first, last, "2025/26", rows, CONTACT,
            (f"{i + 1} Willow Court", "Northfield", f"NF3 {i % 10}ZZ"),
            f"trainee{i}@example.ac.uk", reference=f"T{i:04d}"))
    return out


def letterhead() -> Letterhead:
    return Letterhead("Oak Tree Teaching School Alliance",
                        ("c/o Oak Tree Primary School", "12 Beech Lane", "Northfield", "NF4 7QD"),
                        "01632 960 100", "itt@oaktree-tsa.org.uk", default_logo(),
                        "Dr Helen Marsh", "ITT Lead")


def ours(letters, head) -> bytes:
    return letters_pdf(letters, head, trainee_template=BENCH_TEMPLATE)


def bare(letters, head) -> bytes:
    """The same pages, written the plain platypus way."""
    font = register_fonts()
    body = ParagraphStyle("b", fontName=font, bulletFontName=font, fontSize=10, leading=13.5,
                          spaceAfter=7)
    bold = ParagraphStyle("bb", parent=body, fontName=FONT_BOLD)
    right = ParagraphStyle("r", parent=body, alignment=2, spaceAfter=0)
    small_right = ParagraphStyle("sr", parent=right, fontSize=8.5, leading=11)
    name_style = ParagraphStyle("n", parent=right, fontName=FONT_BOLD, fontSize=13, leading=16)
    cell = ParagraphStyle("c", parent=body, fontSize=8.5, leading=11, spaceAfter=0)
    cell_head = ParagraphStyle("ch", parent=cell, fontName=FONT_BOLD, textColor=colors.white)
    grid = TableStyle([("FONTNAME", (0, 0), (-1, -1), font),
                       ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
                       ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
                       ("LINEBELOW", (0, 0), (-1, -1), 0.5, GRID),
                       ("BOX", (0, 0), (-1, -1), 0.5, GRID),
                       ("VALIGN", (0, 0), (-1, -1), "TOP")])
    plain = TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    width = A4[0] - 40 * mm
    e = escape
    story = []
    for i, letter in enumerate(letters):
        if i:
            story.append(PageBreak())
        logo = Image(io.BytesIO(head.logo), width=55 * mm, height=55 * mm * 240 / 640)
        address = "<br/>".join(e(a) for a in head.address_lines)
        story.append(Table(
            [[logo, [Paragraph(e(head.alliance_name), name_style),
                     Paragraph(f"{address}<br/>Tel {e(head.phone)}<br/>{e(head.email)}",
                               small_right)]]],
            colWidths=[63 * mm, width - 63 * mm], style=plain))
        story.append(Spacer(1, 8 * mm))
        to = "<br/>".join(e(x) for x in (letter.full_name, *letter.address_lines))
        story.append(Table([[Paragraph(to, body), Paragraph(
            f"{long_date(letter.letter_date)}<br/>Our ref: {e(letter.reference)}", right)]],
            colWidths=[width * 0.62, width * 0.38], style=plain))
        story.append(Spacer(1, 8 * mm))
        story.append(Paragraph(f"School placements {e(letter.academic_year)}", bold))
        story.append(Paragraph(f"Dear {e(letter.first_names)},", body))
        story.append(Paragraph(
            f"I am pleased to confirm your school placements with {e(head.alliance_name)} for "
            f"the academic year {e(letter.academic_year)}. Your placements are set out below, "
            "with the school and the mentor who will support you in each.", body))
        rows = [[Paragraph(h, cell_head) for h in ("Block", "Dates", "School", "Mentor")]]
        for r in letter.placements:
            rows.append([
                Paragraph(e(r.block_name), cell),
                Paragraph(f"{short_date(r.start)}<br/>to {short_date(r.end)}", cell),
                Paragraph(f"<b>{e(r.school_name)}</b><br/>"
                          + "<br/>".join(e(a) for a in r.school_address), cell),
                Paragraph(f"{e(r.mentor_name)}<br/>{e(r.mentor_email)}", cell)])
        story.append(Table(rows, colWidths=[31 * mm, 33 * mm, 58 * mm, width - 122 * mm],
                           style=grid, repeatRows=1))
        story.append(Spacer(1, 9))
        story.append(Paragraph(
            "Please contact your mentor at least a week before each placement begins to "
            "introduce yourself and to agree your timetable. On your first day, arrive by 8.15am "
            "and report to the school reception, where you will be signed in and shown the "
            "school's safeguarding procedures.", body))
        c = letter.contact
        story.append(Paragraph(
            f"If anything here is not as you expect, please contact {e(c.name)} ({e(c.role)}) "
            f"at {e(c.email)} or on {e(c.phone)} as soon as possible.", body))
        story.append(Paragraph("Yours sincerely,", body))
        story.append(Spacer(1, 14 * mm))
        story.append(Paragraph(f"<b>{e(head.signoff_name)}</b><br/>{e(head.signoff_role)}", body))

    def footer(canv, doc):
        canv.saveState()
        canv.setFont(font, 7.5)
        canv.drawCentredString(A4[0] / 2, 12 * mm,
                               f"{head.alliance_name} · {head.phone} · {head.email}")
        canv.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=16 * mm, bottomMargin=24 * mm, initialFontName=font)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def timed(fn, *args, repeat: int) -> tuple[float, bytes]:
    times, result = [], b""
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=500, help="letters (default 500)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; median (default 3)")
    parser.add_argument("--files", type=int, default=0,
                        help="also time one file per letter for this many letters")
    parser.add_argument("--keep", type=Path, help="write both PDFs into this folder")
    args = parser.parse_args(argv)

    letters, head = make_letters(args.count), letterhead()
    register_fonts()
    bare(letters[:2], head)  # warm both paths: font parsing and imports are not the subject
    ours(letters[:2], head)

    # Alternate the two so that a noisy machine treats both alike.
    t_ours: list[float] = []
    t_bare: list[float] = []
    ours_pdf = bare_pdf = b""
    for _ in range(args.repeat):
        t, bare_pdf = timed(bare, letters, head, repeat=1)
        t_bare.append(t)
        t, ours_pdf = timed(ours, letters, head, repeat=1)
        t_ours.append(t)
    # The letters module writes binary streams (see letters._binary_streams); time bare
    # platypus that way too so the ratio can be read both ways.
    from reportlab import rl_config

    saved, rl_config.useA85 = rl_config.useA85, 0
    try:
        t_bare_bin = statistics.median(timed(bare, letters, head, repeat=1)[0]
                                       for _ in range(args.repeat))
    finally:
        rl_config.useA85 = saved
    mine, base = statistics.median(t_ours), statistics.median(t_bare)
    n_ours, n_bare = pages(ours_pdf), pages(bare_pdf)
    print(f"letters: {args.count}, runs: {args.repeat} (median), Python {sys.version.split()[0]}")
    print(f"bare platypus : {base:6.2f} s  {n_bare} pages  {n_bare / base:6.1f} pages/s  "
          f"{len(bare_pdf) / 1e6:.2f} MB")
    print(f"tsa letters   : {mine:6.2f} s  {n_ours} pages  {n_ours / mine:6.1f} pages/s  "
          f"{len(ours_pdf) / 1e6:.2f} MB")
    print(f"bare platypus, binary streams: {t_bare_bin:6.2f} s  "
          f"{n_bare / t_bare_bin:6.1f} pages/s")
    print(f"ratio ours/bare: {mine / base:.2f}x (target <= 2x); "
          f"against bare with binary streams: {mine / t_bare_bin:.2f}x")
    if n_ours != args.count:
        print(f"WARNING: {n_ours} pages for {args.count} letters (expected one page each)")
    if args.files:
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            write_letter_files(folder, letters[:args.files], head,
                                 trainee_template=BENCH_TEMPLATE)
            elapsed = time.perf_counter() - start
        print(f"one file per letter: {args.files} files in {elapsed:.2f} s "
              f"({args.files / elapsed:.1f} files/s)")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        (args.keep / "ours.pdf").write_bytes(ours_pdf)
        (args.keep / "bare.pdf").write_bytes(bare_pdf)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
