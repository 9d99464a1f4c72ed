"""What letters and mentor packs say, as plain data: the letter types and the pack. Pure Python.

The layouts (:mod:`.layout`, :mod:`.pack`) decide how they look; the services build them from the
database; the calendar export reads :class:`MentorPack`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

LetterKind = Literal["trainee", "school"]


@dataclass(frozen=True)
class Letterhead:
    """The alliance's letterhead and signatory, shared by every letter of a run.

    Attributes:
        alliance_name: Printed at the top right and in the footer.
        address_lines: The alliance's postal address, one line each.
        phone: Telephone number, as it should be printed.
        email: The alliance's email address.
        logo: PNG or JPEG bytes for the top left, or None for a text-only letterhead.
        signoff_name: Who signs the letters.
        signoff_role: Their role, e.g. "ITT Lead".
        website: Printed in the footer when given.
        footer_note: A line at the very bottom, e.g. a company or charity number.
    """

    alliance_name: str
    address_lines: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    logo: bytes | None = None
    signoff_name: str = ""
    signoff_role: str = ""
    website: str = ""
    footer_note: str = ""


@dataclass(frozen=True)
class Contact:
    """The person at the alliance to contact about a placement.

    Attributes:
        name: Full name.
        role: e.g. "Placements Coordinator".
        email: Email address.
        phone: Telephone number.
    """

    name: str
    role: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class PlacementRow:
    """One placement as a trainee letter lists it.

    Attributes:
        block_name: e.g. "Autumn block A".
        start: First day in school.
        end: Last day in school (inclusive).
        school_name: The host school.
        school_address: Its postal address, one line each.
        mentor_name: The mentor, or "" when not yet assigned.
        mentor_email: The mentor's email, or "".
    """

    block_name: str
    start: dt.date
    end: dt.date
    school_name: str
    school_address: tuple[str, ...] = ()
    mentor_name: str = ""
    mentor_email: str = ""


@dataclass(frozen=True)
class TraineeLetter:
    """A placement letter to a trainee: their rotation for the year, or one block of it.

    Attributes:
        letter_date: The date printed on the letter (not part of the fingerprint).
        first_names: The trainee's first names as recorded.
        last_name: The trainee's family name.
        academic_year: e.g. "2025/26".
        placements: The rows of the table; printed in date order.
        contact: The alliance contact for this placement.
        address_lines: The trainee's postal address; when empty the email is printed instead.
        email: The trainee's email address.
        preferred_name: The name to greet them by; when empty, ``first_names`` is used.
        what_to_bring: Items for the "what to bring" list.
        reference: Our reference (e.g. the trainee id); printed and used in file names.
    """

    letter_date: dt.date
    first_names: str
    last_name: str
    academic_year: str
    placements: tuple[PlacementRow, ...]
    contact: Contact
    address_lines: tuple[str, ...] = ()
    email: str = ""
    preferred_name: str = ""
    what_to_bring: tuple[str, ...] = ()
    reference: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_names.strip(), self.last_name.strip()) if p)


@dataclass(frozen=True)
class HostedTrainee:
    """One trainee a school hosts in a block, as a school letter lists it.

    Attributes:
        name: The trainee's full name.
        start: First day in school.
        end: Last day in school (inclusive).
        mentor_name: Their mentor at the school, or "" when not yet assigned.
        email: The trainee's email.
        subject: Phase and subject as shown, e.g. "Secondary mathematics".
        route: The route label, e.g. "School Direct (salaried)".
        mentor_email: The mentor's email, or "".
    """

    name: str
    start: dt.date
    end: dt.date
    mentor_name: str = ""
    email: str = ""
    subject: str = ""
    route: str = ""
    mentor_email: str = ""


@dataclass(frozen=True)
class SchoolLetter:
    """A placement letter to a host school (or one mentor) for one block.

    Attributes:
        letter_date: The date printed on the letter (not part of the fingerprint).
        school_name: The host school.
        recipient_name: Who the letter is to: the mentor, or the school's ITT coordinator.
        academic_year: e.g. "2025/26".
        block_name: e.g. "Spring block B".
        block_start: First day of the block.
        block_end: Last day of the block (inclusive).
        trainees: The trainees hosted in the block; printed by start date, then name.
        contact: The alliance contact for this placement.
        recipient_role: e.g. "ITT Coordinator" or "Mentor"; printed under the name.
        school_address: The school's postal address, one line each.
        reference: Our reference; printed and used in file names.
        salutation_name: How to greet them, e.g. "Mrs Adeyemi" for "Mrs Zoë Adeyemi"; when
            empty, ``recipient_name`` is used.
    """

    letter_date: dt.date
    school_name: str
    recipient_name: str
    academic_year: str
    block_name: str
    block_start: dt.date
    block_end: dt.date
    trainees: tuple[HostedTrainee, ...]
    contact: Contact
    recipient_role: str = ""
    school_address: tuple[str, ...] = ()
    reference: str = ""
    salutation_name: str = ""


@dataclass(frozen=True)
class OtherPlacement:
    """A trainee's placement elsewhere in the year, so a mentor sees the whole rotation.

    Attributes:
        block_name: The block.
        start: First day.
        end: Last day (inclusive).
        school_name: The school.
    """

    block_name: str
    start: dt.date
    end: dt.date
    school_name: str


@dataclass(frozen=True)
class MentorPlacement:
    """One of a mentor's placements, for the mentor pack and the calendar.

    Attributes:
        placement_id: The placement's database id; it makes the calendar UID stable.
        block_name: The block.
        start: First day in school.
        end: Last day in school (inclusive).
        school_name: The school where the placement happens.
        trainee_name: The trainee's full name.
        trainee_email: The trainee's email.
        trainee_phone: The trainee's telephone number.
        subject: Phase and subject as shown.
        school_address: The school's address, for the calendar's LOCATION.
        other_placements: The trainee's other placements this year.
    """

    placement_id: int | str
    block_name: str
    start: dt.date
    end: dt.date
    school_name: str
    trainee_name: str
    trainee_email: str = ""
    trainee_phone: str = ""
    subject: str = ""
    school_address: tuple[str, ...] = ()
    other_placements: tuple[OtherPlacement, ...] = ()


@dataclass(frozen=True)
class TutoredNqt:
    """An early career teacher (or NQT) the mentor supports (the mentor's view and pack).

    Attributes:
        id: The record's id.
        name: The teacher.
        email: Their email, or "".
        school_name: Their employing school.
        start_date: When their induction started, or None.
        status: Their induction status in words.
        role: What the mentor is to them: "Induction tutor", "Mentor" or both.
        dates: Their reviews and assessments due in the year: (what, when), by date.
    """

    id: int
    name: str
    email: str
    school_name: str
    start_date: dt.date | None
    status: str
    role: str = "Induction tutor"
    dates: tuple[tuple[str, dt.date], ...] = ()


@dataclass(frozen=True)
class MentorPack:
    """A mentor's trainees for the year.

    Attributes:
        generated: The date printed on the pack (not part of the fingerprint).
        academic_year: e.g. "2025/26".
        mentor_name: The mentor.
        mentor_email: The mentor's email.
        school_name: The mentor's school.
        placements: The mentor's placements; printed by start date.
        lead_mentor_name: The mentor's lead mentor, or "".
        lead_mentor_email: The lead mentor's email, or "".
        contact: The alliance contact, or None.
        nqts: The early career teachers the mentor mentors or is induction tutor to this year.
    """

    generated: dt.date
    academic_year: str
    mentor_name: str
    mentor_email: str
    school_name: str
    placements: tuple[MentorPlacement, ...]
    lead_mentor_name: str = ""
    lead_mentor_email: str = ""
    contact: Contact | None = None
    nqts: tuple[TutoredNqt, ...] = ()


#: A placement letter of either kind: the one type that the layouts, names and services share.
Letter = TraineeLetter | SchoolLetter

__all__ = ["Contact", "HostedTrainee", "Letter", "LetterKind", "Letterhead", "MentorPack",
           "MentorPlacement", "OtherPlacement", "PlacementRow", "SchoolLetter", "TraineeLetter",
           "TutoredNqt"]
