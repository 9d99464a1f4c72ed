"""The mentor pack as PDF: a mentor's trainees for the year, with each trainee's rotation."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from tsa_desktop.domain.progress import SILENT, Progress
from tsa_desktop.formats.files import write_atomic
from tsa_desktop.formats.letters.data import (Contact, Letterhead, MentorPack, MentorPlacement,
                                              TutoredNqt)
from tsa_desktop.formats.letters.language import clean
from tsa_desktop.formats.letters.page import Furniture, LetterheadFlowable, Run, Start, make_doc
from tsa_desktop.formats.letters.styles import (CELL_PADDING, FRAME_WIDTH, GRID_TABLE,
                                                KEY_VALUE_TABLE, email_markup,
                                                binary_streams, dates_cell, markup,
                                                markup_lines, muted, text_styles)
from tsa_desktop.formats.letters.values import long_date, short_date

# Block, dates, trainee, contact; and NQT, school, induction began, status.
_SUMMARY_COLUMNS = (30 * mm, 34 * mm, 52 * mm, FRAME_WIDTH - 116 * mm)
_NQT_COLUMNS = (46 * mm, 40 * mm, 28 * mm, FRAME_WIDTH - 114 * mm)


def _key_values(rows: Sequence[tuple[str, str]]) -> Table:
    st = text_styles()
    data = [[Paragraph(f"<b>{markup(key)}</b>", st.small), Paragraph(value, st.small)]
            for key, value in rows if value]
    return Table(data, colWidths=[38 * mm, FRAME_WIDTH - 38 * mm], style=KEY_VALUE_TABLE,
                 hAlign="LEFT", spaceAfter=4)


def _contact_text(contact: Contact | None) -> str:
    if contact is None:
        return ""
    head = markup(contact.name) + (f", {markup(contact.role)}" if contact.role.strip() else "")
    rest = " · ".join(markup(v) for v in (contact.email, contact.phone) if v.strip())
    return head + (f"<br/>{rest}" if rest else "")


def _pack_summary(placements: Sequence[MentorPlacement]) -> Table:
    st = text_styles()
    head = [Paragraph(h, st.cell_head) for h in ("Block", "Dates", "Trainee", "Contact")]
    rows = [head]
    for p in placements:
        who = f"<b>{markup(p.trainee_name)}</b>"
        if p.subject.strip():
            who += "<br/>" + muted(markup(p.subject))
        reach = "<br/>".join(v for v in (
            email_markup(p.trainee_email, _SUMMARY_COLUMNS[3] - CELL_PADDING, st.cell),
            markup_lines(p.trainee_phone)) if v) or muted("not recorded")
        rows.append([Paragraph(markup(p.block_name), st.cell),
                     Paragraph(dates_cell(p.start, p.end), st.cell),
                     Paragraph(who, st.cell), Paragraph(reach, st.cell)])
    return Table(rows, colWidths=list(_SUMMARY_COLUMNS),
                 style=GRID_TABLE, repeatRows=1, spaceAfter=6)


def _pack_nqts(nqts: Sequence[TutoredNqt]) -> Table:
    st = text_styles()
    rows = [[Paragraph(h, st.cell_head) for h in ("Early career teacher", "School", "Induction began",
                                                  "You are; dates this year")]]
    for n in sorted(nqts, key=lambda n: n.name.casefold()):
        email = email_markup(n.email, _NQT_COLUMNS[0] - CELL_PADDING, st.cell)
        who = f"<b>{markup(n.name)}</b>" + (f"<br/>{muted(email)}" if email else "")
        began = markup(long_date(n.start_date)) if n.start_date else muted("not recorded")
        dates = "".join(f"<br/>{markup(d.strftime('%d/%m/%Y'))}: {markup(what)}" for what, d in n.dates)
        rows.append([Paragraph(who, st.cell), Paragraph(markup(n.school_name), st.cell),
                     Paragraph(began, st.cell), Paragraph(f"{markup(n.role)} ({markup(n.status)}){dates}", st.cell)])
    return Table(rows, colWidths=list(_NQT_COLUMNS),
                 style=GRID_TABLE, repeatRows=1, spaceAfter=6)


def _pack_trainee(p: MentorPlacement) -> list[Flowable]:
    st = text_styles()
    where = markup(p.school_name)
    if p.school_address:
        where += "<br/>" + muted(markup_lines(*p.school_address))
    parts: list[Flowable] = [
        Paragraph(f"{markup(p.trainee_name)} <font color='#5A6573' size='10'>· "
                  f"{markup(p.block_name)}</font>", st.heading),
        _key_values([
            ("Dates", f"{markup(long_date(p.start))} to {markup(long_date(p.end))}"),
            ("Subject", markup(p.subject)),
            ("Email", markup(p.trainee_email)),
            ("Telephone", markup(p.trainee_phone)),
            ("School", where),
        ]),
    ]
    rotation = [(p.block_name, p.start, p.end, p.school_name, True)] + [
        (o.block_name, o.start, o.end, o.school_name, False) for o in p.other_placements]
    rotation.sort(key=lambda r: (r[1], r[2], r[0]))
    head = [Paragraph(h, st.cell_head) for h in ("Block", "Dates", "School")]
    rows = [head]
    for block, start, end, school, here in rotation:
        school_text = markup(school) + (" " + muted("(with you)") if here else "")
        cell = st.cell
        rows.append([Paragraph(f"<b>{markup(block)}</b>" if here else markup(block), cell),
                     Paragraph(f"{markup(short_date(start))} to {markup(short_date(end))}", cell),
                     Paragraph(school_text, cell)])
    parts.append(Paragraph("<b>Rotation this year</b>", st.small))
    parts.append(Spacer(1, 1.5 * mm))
    parts.append(Table(rows, colWidths=[38 * mm, 62 * mm, FRAME_WIDTH - 100 * mm],
                       style=GRID_TABLE, spaceAfter=4))
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
    st = text_styles()
    furniture = Furniture(letterhead)
    run = Run(furniture, progress, 1)
    placements = sorted(pack.placements, key=lambda p: (p.start, p.trainee_name.casefold()))
    mentor = markup(pack.mentor_name) + (
        f" · {muted(markup(pack.mentor_email))}" if pack.mentor_email.strip() else "")
    lead = (markup(pack.lead_mentor_name) + (f" · {muted(markup(pack.lead_mentor_email))}"
                                         if pack.lead_mentor_email.strip() else "")
            if pack.lead_mentor_name.strip() else muted("not assigned"))
    story: list[Flowable] = [
        Start(run, clean(f"Mentor pack {pack.academic_year}: {pack.mentor_name}")),
        LetterheadFlowable(furniture),
        Spacer(1, 3 * mm),
        Paragraph(f"Mentor pack {markup(pack.academic_year)}", st.title),
        _key_values([
            ("Mentor", mentor),
            ("School", markup(pack.school_name)),
            ("Lead mentor", lead),
            ("Alliance contact", _contact_text(pack.contact)),
            ("Prepared", markup(long_date(pack.generated))),
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
                               f"{markup(pack.academic_year)}.", st.body))
    if pack.nqts:
        story.append(Paragraph("Early career teachers you mentor or are induction tutor to", st.heading))
        story.append(_pack_nqts(pack.nqts))
    buffer = io.BytesIO()
    with binary_streams():
        make_doc(buffer, furniture, run, f"Mentor pack {clean(pack.academic_year)}").build(story)
    return buffer.getvalue()


def write_mentor_pack(path: str | os.PathLike[str], pack: MentorPack, letterhead: Letterhead,
                      *, progress: Progress = SILENT) -> Path:
    """Write :func:`mentor_pack_pdf` to a file; an existing file is replaced only on success."""
    return write_atomic(path, mentor_pack_pdf(pack, letterhead, progress=progress))
