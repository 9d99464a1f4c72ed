"""Letter data from the database: what each letter says, whom it is to, and whether it is current.

One read gathers the year's placements with their trainee, block, school and mentor as plain
:class:`PlacementFacts`; everything after that is pure Python. The services module decides the
scope (year, block, trainee) and does the reading and writing.

Which placements a letter lists: confirmed and completed ones of offered and enrolled trainees.
Proposed placements wait until they are confirmed; a cancelled placement that was in a letter
already makes that letter out of date until a new one is produced.

Fingerprints: each placement remembers the fingerprint of the letter data it was printed with.
For trainee letters that is the letter for that one placement (so a rotation letter and a block
letter agree about the placement); for school letters it is the school's letter for the block
(so a trainee added to or moved out of a school's block makes the school's letter out of date).
The printed date, the letterhead and the wording are not counted: a letter goes out of date
when the facts in it change, not when the ITT lead rewords the template.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.formats.letters import (Contact, HostedTrainee, Letter, LetterKind, Letterhead,
                                         PlacementRow, SchoolLetter, TraineeLetter, fingerprint)
from tsa_desktop.services.reference.letterhead import route_label, subject_label

#: Trainees who get letters, and placements that letters list.
LETTER_TRAINEE_STATUSES = ("offered", "enrolled")
LETTER_PLACEMENT_STATUSES = ("confirmed", "completed")
#: Stored on a cancelled placement once a newer letter no longer lists it.
WITHDRAWN_FROM_LETTER = "cancelled"

StatusState = Literal["not_produced", "up_to_date", "out_of_date"]


@dataclass(frozen=True)
class PlacementFacts:
    """One placement with everything a letter says about it, read in one go."""

    id: int
    status: str
    trainee_id: int
    trainee_ref: str
    trainee_status: str
    first_names: str
    last_name: str
    trainee_email: str
    phase: str
    subject: str
    route: str
    block_id: int
    block_name: str
    block_position: int
    block_start: dt.date
    block_end: dt.date
    school_id: int
    school_urn: str
    school_name: str
    school_address: tuple[str, ...]
    school_contact: str
    mentor_id: int | None
    mentor_name: str
    mentor_email: str
    letter_at: dt.datetime | None
    letter_fp: str | None
    school_letter_at: dt.datetime | None
    school_letter_fp: str | None

    @property
    def trainee_name(self) -> str:
        return " ".join(p for p in (self.first_names.strip(), self.last_name.strip()) if p)

    @property
    def printable(self) -> bool:
        """Listed in letters: confirmed or completed, of a trainee who is still training."""
        return (self.status in LETTER_PLACEMENT_STATUSES
                and self.trainee_status in LETTER_TRAINEE_STATUSES)


def load_facts(s: Session, year_id: int) -> list[PlacementFacts]:
    """Every placement of a year, by block then trainee."""
    stmt = (
        select(m.Placement, m.Trainee, m.PlacementBlock, m.School, m.Mentor)
        .join(m.Trainee, m.Placement.trainee_id == m.Trainee.id)
        .join(m.PlacementBlock, m.Placement.block_id == m.PlacementBlock.id)
        .join(m.School, m.Placement.school_id == m.School.id)
        .outerjoin(m.Mentor, m.Placement.mentor_id == m.Mentor.id)
        .where(m.PlacementBlock.academic_year_id == year_id)
        .order_by(m.PlacementBlock.position, m.PlacementBlock.start_date, m.Trainee.last_name,
                  m.Trainee.first_names, m.Placement.id)
    )
    facts = []
    for p, t, b, sch, mt in s.execute(stmt):
        address = tuple(v.strip() for v in (sch.address_line_1, sch.address_line_2, sch.town,
                                             sch.postcode) if v and v.strip())
        facts.append(PlacementFacts(
            id=p.id, status=p.status, trainee_id=t.id, trainee_ref=t.trainee_id,
            trainee_status=t.status, first_names=t.first_names, last_name=t.last_name,
            trainee_email=t.email or "", phase=t.phase, subject=t.subject, route=t.route,
            block_id=b.id, block_name=b.name, block_position=b.position,
            block_start=b.start_date, block_end=b.end_date, school_id=sch.id,
            school_urn=sch.urn, school_name=sch.name, school_address=address,
            school_contact=(sch.contact_name or "").strip(),
            mentor_id=mt.id if mt else None,
            mentor_name=f"{mt.first_name} {mt.last_name}".strip() if mt else "",
            mentor_email=mt.email if mt else "",
            letter_at=p.letter_produced_at, letter_fp=p.letter_fingerprint,
            school_letter_at=p.school_letter_produced_at,
            school_letter_fp=p.school_letter_fingerprint,
        ))
    return facts


# --------------------------------------------------------------------------------------------
# Status
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterStatus:
    """Whether a letter was produced and still says what the data says.

    Attributes:
        state: not_produced, up_to_date or out_of_date.
        produced_at: When (UTC) the letter was last produced; for an out-of-date letter, the
            production that the data has changed since.
    """

    state: StatusState
    produced_at: dt.datetime | None = None

    @property
    def needs_producing(self) -> bool:
        return self.state != "up_to_date"

    @property
    def produced_on(self) -> dt.date | None:
        """The local date of production (stored times are UTC)."""
        if self.produced_at is None:
            return None
        return self.produced_at.replace(tzinfo=dt.timezone.utc).astimezone().date()

    def __str__(self) -> str:
        if self.state == "not_produced":
            return "Not produced"
        day = self.produced_on.strftime("%d/%m/%Y") if self.produced_on else "?"
        if self.state == "up_to_date":
            return f"Up to date ({day})"
        return f"Out of date: changed since {day}"


def letter_status(printed: Iterable[tuple[dt.datetime | None, str | None, str]],
                  withdrawn: Iterable[dt.datetime] = ()) -> LetterStatus:
    """The status of a letter from its placements.

    Args:
        printed: For each placement the letter lists: when its letter was produced, the
            fingerprint stored then, and the fingerprint of the data now.
        withdrawn: When letters were produced that list placements since cancelled.
    """
    printed = list(printed)
    changed = [at for at, stored, now in printed if at is not None and stored != now]
    changed += list(withdrawn)
    produced = [at for at, _, _ in printed if at is not None]
    missing = any(at is None for at, _, _ in printed)
    if not produced and not changed:
        return LetterStatus("not_produced")
    if not changed and not missing:
        return LetterStatus("up_to_date", max(produced))
    return LetterStatus("out_of_date", max(changed or produced))


# --------------------------------------------------------------------------------------------
# Letters
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterKey:
    """Which letter: to a trainee (for a block, or the whole year) or to a school for a block.

    Attributes:
        kind: ``"trainee"`` or ``"school"``.
        record_id: The trainee's or the school's database id.
        block_id: The block; None for a trainee's letter about the whole year.
    """

    kind: LetterKind
    record_id: int
    block_id: int | None


@dataclass(frozen=True)
class Mark:
    """What to record on a placement once its letter is produced."""

    placement_id: int
    fingerprint: str


@dataclass(frozen=True)
class PreparedLetter:
    """One letter (a school's letter comes with a copy for each of its mentors), ready to print.

    Attributes:
        key: Which letter.
        recipient: The trainee or the school.
        reference: The trainee id, or the school's URN.
        block: The block, or "Whole year".
        details: The schools (trainee letter) or trainees (school letter) it lists.
        mentors: The mentors it names.
        letters: What to print: the letter, then any copies to mentors.
        marks: The placements it lists, with the fingerprints to store once it is produced.
        withdrawn: Cancelled placements that an earlier letter listed and this one replaces.
        status: Whether it was produced and is still current.
    """

    key: LetterKey
    recipient: str
    reference: str
    block: str
    details: str
    mentors: str
    letters: tuple[Letter, ...]
    marks: tuple[Mark, ...]
    withdrawn: tuple[int, ...]
    status: LetterStatus

    @property
    def placement_count(self) -> int:
        return len(self.marks)


@dataclass(frozen=True)
class LetterContext:
    """What every letter of a run shares."""

    letter_date: dt.date
    academic_year: str
    letterhead: Letterhead
    contact: Contact
    what_to_bring: tuple[str, ...]


def _distinct(values: Iterable[str]) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))


def _row(f: PlacementFacts) -> PlacementRow:
    return PlacementRow(f.block_name, f.block_start, f.block_end, f.school_name, f.school_address,
                        f.mentor_name, f.mentor_email)


def _trainee_letter(ctx: LetterContext, first: PlacementFacts,
                    rows: Sequence[PlacementFacts]) -> TraineeLetter:
    return TraineeLetter(
        letter_date=ctx.letter_date, first_names=first.first_names, last_name=first.last_name,
        academic_year=ctx.academic_year, placements=tuple(_row(f) for f in rows),
        contact=ctx.contact, email=first.trainee_email, what_to_bring=ctx.what_to_bring,
        reference=first.trainee_ref)


def trainee_letters(ctx: LetterContext, facts: Sequence[PlacementFacts],
                    block_id: int | None) -> list[PreparedLetter]:
    """A letter to each trainee with placements to list: their year, or one block of it.

    Args:
        ctx: What the letters share.
        facts: The year's placements (already narrowed to one trainee, if asked).
        block_id: One block, or None for each trainee's whole rotation.
    """
    by_trainee: dict[int, list[PlacementFacts]] = defaultdict(list)
    for f in facts:
        if block_id is None or f.block_id == block_id:
            by_trainee[f.trainee_id].append(f)
    out = []
    for group in by_trainee.values():
        rows = [f for f in group if f.printable]
        if not rows:
            continue
        first = rows[0]
        letter = _trainee_letter(ctx, first, rows)
        marks = tuple(Mark(f.id, fingerprint(_trainee_letter(ctx, f, [f]))) for f in rows)
        withdrawn = [f for f in group if not f.printable and f.letter_at is not None
                     and f.letter_fp != WITHDRAWN_FROM_LETTER]
        status = letter_status(
            [(f.letter_at, f.letter_fp, mark.fingerprint) for f, mark in zip(rows, marks)],
            [f.letter_at for f in withdrawn])
        block = rows[0].block_name if block_id is not None else "Whole year"
        out.append(PreparedLetter(
            key=LetterKey("trainee", first.trainee_id, block_id), recipient=first.trainee_name,
            reference=first.trainee_ref, block=block,
            details=_distinct(f.school_name for f in rows),
            mentors=_distinct(f.mentor_name for f in rows), letters=(letter,), marks=marks,
            withdrawn=tuple(f.id for f in withdrawn), status=status))
    out.sort(key=lambda p: (p.letters[0].last_name.casefold(),
                            p.letters[0].first_names.casefold(), p.reference))
    return out


def _hosted(f: PlacementFacts) -> HostedTrainee:
    return HostedTrainee(f.trainee_name, f.block_start, f.block_end, f.mentor_name,
                         f.trainee_email, subject_label(f.phase, f.subject),
                         route_label(f.route), f.mentor_email)


def _school_letter(ctx: LetterContext, first: PlacementFacts, rows: Sequence[PlacementFacts],
                   recipient: str, role: str, salutation: str) -> SchoolLetter:
    return SchoolLetter(
        letter_date=ctx.letter_date, school_name=first.school_name, recipient_name=recipient,
        academic_year=ctx.academic_year, block_name=first.block_name,
        block_start=first.block_start, block_end=first.block_end,
        trainees=tuple(_hosted(f) for f in rows), contact=ctx.contact, recipient_role=role,
        school_address=first.school_address, reference=f"URN {first.school_urn}",
        salutation_name=salutation)


def school_letters(ctx: LetterContext, facts: Sequence[PlacementFacts],
                   block_id: int | None, trainee_id: int | None = None) -> list[PreparedLetter]:
    """A letter to each host school for each block, with a copy to each of its mentors.

    The school's letter goes to its contact (or "The ITT Coordinator") and lists every trainee
    it hosts in the block with their mentor; each mentor's copy lists that mentor's trainees.

    Args:
        ctx: What the letters share.
        facts: The year's placements.
        block_id: One block, or None for every block.
        trainee_id: Only the schools that host this trainee.
    """
    groups: dict[tuple[int, int], list[PlacementFacts]] = defaultdict(list)
    for f in facts:
        if block_id is None or f.block_id == block_id:
            groups[(f.school_id, f.block_id)].append(f)
    out = []
    for (school_id, group_block), group in groups.items():
        rows = [f for f in group if f.printable]
        if not rows or (trainee_id is not None
                        and all(f.trainee_id != trainee_id for f in rows)):
            continue
        first = rows[0]
        contact = first.school_contact
        letter = _school_letter(ctx, first, rows, contact or "The ITT Coordinator", "",
                                contact or "Colleague")
        current = fingerprint(letter)
        copies = []
        for mentor_id in dict.fromkeys(f.mentor_id for f in rows if f.mentor_id is not None):
            theirs = [f for f in rows if f.mentor_id == mentor_id]
            name = theirs[0].mentor_name
            if name.casefold() != contact.casefold():
                copies.append(_school_letter(ctx, first, theirs, name, "Mentor", name))
        withdrawn = [f for f in group if not f.printable and f.school_letter_at is not None
                     and f.school_letter_fp != WITHDRAWN_FROM_LETTER]
        status = letter_status([(f.school_letter_at, f.school_letter_fp, current) for f in rows],
                               [f.school_letter_at for f in withdrawn])
        out.append(PreparedLetter(
            key=LetterKey("school", school_id, group_block), recipient=first.school_name,
            reference=f"URN {first.school_urn}", block=first.block_name,
            details=_distinct(f.trainee_name for f in rows),
            mentors=_distinct(f.mentor_name for f in rows), letters=(letter, *copies),
            marks=tuple(Mark(f.id, current) for f in rows),
            withdrawn=tuple(f.id for f in withdrawn), status=status))
    positions = {f.block_id: (f.block_position, f.block_start) for f in facts}
    out.sort(key=lambda p: (p.recipient.casefold(), positions[p.key.block_id], p.reference))
    return out


# --------------------------------------------------------------------------------------------
# Letterhead and contact from the alliance profile
# --------------------------------------------------------------------------------------------
