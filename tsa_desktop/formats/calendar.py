"""A mentor's placements as an iCalendar (.ics) file, for Outlook, Google and Apple calendars.

Each placement is one all-day event spanning its days in school. RFC 5545 makes an all-day
event's DTEND exclusive, so a placement that ends on Friday 24 October has
``DTEND;VALUE=DATE:20251025``. Each event's UID is derived from the placement's id and a
namespace the caller gives (the database's identity), so importing a newer export updates the
events in the mentor's calendar instead of duplicating them. Events are marked transparent: a
placement lasts weeks and must not show the mentor as busy all term.

The icalendar library escapes commas, semicolons, backslashes and line breaks and folds long
lines; values are only cleaned of control codes here.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from icalendar import Calendar, Event

from tsa_desktop.formats.files import write_atomic
from tsa_desktop.formats.letters import MentorPack, MentorPlacement, clean, long_date

PRODID = "-//tsa-desktop//Placement calendar//EN"
UID_DOMAIN = "tsa-desktop"
_UID_UNSAFE = re.compile(r"[^A-Za-z0-9.\-]+")


def placement_uid(placement_id: int | str, namespace: str = "") -> str:
    """The stable UID of a placement's event.

    Args:
        placement_id: The placement's database id.
        namespace: Tells one database's placement 17 from another's, e.g. the database's UUID;
            anything but letters, digits, dots and hyphens becomes a hyphen.

    Returns:
        ``placement-17@<namespace>.tsa-desktop``, or ``placement-17@tsa-desktop`` without a
        namespace.
    """
    ident = _UID_UNSAFE.sub("-", str(placement_id)).strip("-")
    if not ident:
        raise ValueError("a placement id is needed for a calendar UID")
    ns = _UID_UNSAFE.sub("-", namespace).strip("-.").lower()
    return f"placement-{ident}@{ns}.{UID_DOMAIN}" if ns else f"placement-{ident}@{UID_DOMAIN}"


def _description(pack: MentorPack, p: MentorPlacement) -> str:
    lines = [
        f"Trainee: {p.trainee_name}",
        f"Subject: {p.subject}" if p.subject.strip() else "",
        f"Email: {p.trainee_email}" if p.trainee_email.strip() else "",
        f"Telephone: {p.trainee_phone}" if p.trainee_phone.strip() else "",
        f"Block: {p.block_name}, {long_date(p.start)} to {long_date(p.end)}",
        f"Mentor: {pack.mentor_name}",
        f"Lead mentor: {pack.lead_mentor_name}" if pack.lead_mentor_name.strip() else "",
    ]
    if pack.contact is not None:
        reach = ", ".join(v for v in (pack.contact.email, pack.contact.phone) if v.strip())
        lines.append(f"Alliance contact: {pack.contact.name}" + (f" ({reach})" if reach else ""))
    return "\n".join(clean(line) for line in lines if line)


def mentor_calendar(pack: MentorPack, namespace: str = "", *,
                    stamp: dt.datetime | None = None) -> bytes:
    """A mentor's placements as iCalendar data.

    Args:
        pack: The mentor's placements (the same data as the mentor pack PDF).
        namespace: Makes UIDs unique across databases; see :func:`placement_uid`.
        stamp: The DTSTAMP of every event; now (UTC) when not given. A naive datetime is taken
            as UTC.

    Returns:
        The .ics file's bytes (UTF-8, CRLF line ends).

    Raises:
        ValueError: a placement ends before it starts, or has no id.
    """
    if stamp is None:
        stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    elif stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    else:
        stamp = stamp.astimezone(dt.timezone.utc)

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = clean(f"Placements {pack.academic_year}: {pack.mentor_name}")
    cal.add("name", name)  # RFC 7986
    cal.add("x-wr-calname", name)  # what Outlook and Apple Calendar read
    for p in sorted(pack.placements, key=lambda p: (p.start, p.end, str(p.placement_id))):
        if p.end < p.start:
            raise ValueError(f"placement {p.placement_id} ends ({p.end}) before it starts "
                             f"({p.start})")
        event = Event()
        event.add("uid", placement_uid(p.placement_id, namespace))
        event.add("dtstamp", stamp)
        event.add("dtstart", p.start)
        # All-day DTEND is exclusive (RFC 5545 3.6.1): the day after the last day in school.
        event.add("dtend", p.end + dt.timedelta(days=1))
        event.add("summary", clean(f"Trainee placement: {p.trainee_name} ({p.block_name})"))
        location = ", ".join(part for part in (p.school_name, *p.school_address) if part.strip())
        if location:
            event.add("location", clean(location))
        event.add("description", _description(pack, p))
        event.add("categories", ["Placement"])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


def write_mentor_calendar(path: str | os.PathLike[str], pack: MentorPack, namespace: str = "",
                          *, stamp: dt.datetime | None = None) -> Path:
    """Write :func:`mentor_calendar` to a file; an existing file is replaced only on success."""
    return write_atomic(path, mentor_calendar(pack, namespace, stamp=stamp))


__all__ = ["PRODID", "mentor_calendar", "placement_uid", "write_mentor_calendar"]
