"""A mentor pack as an email draft (.eml) that Outlook or Thunderbird opens, ready to send.

The draft is addressed to the mentor, has a subject and a short note, and carries the pack's PDF
and .ics calendar as attachments. The ``X-Unsent: 1`` header makes Outlook open the file as an
unsent message (with a Send button) rather than as a received one; Thunderbird opens it and
"Edit as new message" sends it. Lines end CRLF, as mail on Windows expects. Pure Python.
"""

from __future__ import annotations

import os
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from tsa_desktop.formats.files import write_atomic
from tsa_desktop.formats.letters.data import Letterhead, MentorPack
from tsa_desktop.formats.letters.language import clean


def _set_address(message: EmailMessage, header: str, name: str, email: str) -> None:
    """Set an address header with its display name; leave it out if the address is unusable.

    Mentors' addresses are checked when they are imported, so this is for the odd one typed
    by hand: the draft is still written, and the ITT lead fills in the address.
    """
    try:
        message[header] = Address(display_name=clean(name).strip(), addr_spec=email.strip())
    except (ValueError, IndexError, TypeError):  # email's parser raises any of these
        pass


def _subject(pack: MentorPack) -> str:
    count = len(pack.placements)
    trainees = f"{count} trainee placement{'s' if count != 1 else ''}"
    return clean(f"Your mentor pack for {pack.academic_year}: {trainees}")


def _body(pack: MentorPack, letterhead: Letterhead) -> str:
    count = len(pack.placements)
    lines = [
        f"Dear {clean(pack.mentor_name)},",
        "",
        f"Thank you for mentoring with {clean(letterhead.alliance_name)} in "
        f"{pack.academic_year}. Attached are your mentor pack (PDF), with the "
        f"{'trainee' if count == 1 else 'trainees'} placed with you, their dates, contact "
        "details and rotation, and a calendar file (.ics) of the placements to open in Outlook "
        "or another calendar.",
        "",
        "Please contact each trainee before their placement begins. If anything is not as you "
        "expect, please reply to this email.",
    ]
    if pack.contact is not None and pack.contact.name.strip():
        reach = " or ".join(v for v in (pack.contact.email.strip(), pack.contact.phone.strip())
                            if v)
        lines.append("")
        lines.append(f"Your contact at the alliance is {clean(pack.contact.name)}"
                     + (f" ({clean(pack.contact.role)})" if pack.contact.role.strip() else "")
                     + (f": {reach}." if reach else "."))
    lines += ["", "With thanks,", ""]
    lines += [clean(v) for v in (letterhead.signoff_name, letterhead.signoff_role,
                                 letterhead.alliance_name) if v.strip()]
    return "\n".join(lines) + "\n"


def mentor_pack_email(pack: MentorPack, letterhead: Letterhead, pdf: str | os.PathLike[str],
                      calendar: str | os.PathLike[str]) -> EmailMessage:
    """The draft email to a mentor with their pack's PDF and calendar attached.

    Args:
        pack: The mentor pack (the mentor's name and email, the year, the placements).
        letterhead: The alliance: its email is the sender, its signatory signs the note.
        pdf: The pack's PDF, already written.
        calendar: The pack's .ics calendar, already written.
    """
    message = EmailMessage(policy=policy.SMTP)  # CRLF line ends; non-ASCII names encoded
    _set_address(message, "To", pack.mentor_name, pack.mentor_email)
    if letterhead.email.strip():
        _set_address(message, "From", letterhead.alliance_name, letterhead.email)
    message["Subject"] = _subject(pack)
    message["X-Unsent"] = "1"
    message.set_content(_body(pack, letterhead))
    pdf_path, ics_path = Path(pdf), Path(calendar)
    message.add_attachment(pdf_path.read_bytes(), maintype="application", subtype="pdf",
                           filename=pdf_path.name)
    message.add_attachment(ics_path.read_bytes(), maintype="text", subtype="calendar",
                           filename=ics_path.name)
    return message


def write_mentor_pack_email(path: str | os.PathLike[str], pack: MentorPack,
                            letterhead: Letterhead, pdf: str | os.PathLike[str],
                            calendar: str | os.PathLike[str]) -> Path:
    """Write :func:`mentor_pack_email` to an .eml file; an existing one is replaced."""
    return write_atomic(path, mentor_pack_email(pack, letterhead, pdf, calendar).as_bytes())


__all__ = ["mentor_pack_email", "write_mentor_pack_email"]
