"""The mentor's .ics calendar, read back with icalendar."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from tsa_desktop.formats.calendar import (PRODID, mentor_calendar, placement_uid,
                                          write_mentor_calendar)
from tsa_desktop.formats.letters import Contact, MentorPack, MentorPlacement

D = dt.date
STAMP = dt.datetime(2025, 9, 1, 12, 30, tzinfo=dt.timezone.utc)
TRICKY_SCHOOL = "St Mary's, Church; Lane\\Annexe\nSecond line"


def pack(**changes) -> MentorPack:
    values = dict(
        generated=D(2025, 9, 1), academic_year="2025/26", mentor_name="Олена Коваленко",
        mentor_email="o.kovalenko@lukasz.sch.uk", school_name="Łukasz Street Primary",
        placements=(
            MentorPlacement(101, "Autumn block A", D(2025, 9, 8), D(2025, 10, 24),
                            "Łukasz Street Primary", "Siân Zoë Nguyễn Thị", "sian@example.ac.uk",
                            "07700 900123", "Primary with mathematics",
                            ("4 Ash Road", "Northfield NF2 1AB")),
            MentorPlacement(102, "Spring block B", D(2026, 1, 12), D(2026, 3, 27),
                            TRICKY_SCHOOL, "Łukasz <b>Brontë</b>", "lukasz@example.ac.uk"),
            MentorPlacement(103, "One day", D(2026, 5, 1), D(2026, 5, 1), "Oak School",
                            "Zoë Pryce"),
        ),
        lead_mentor_name="Nguyễn Thị Lan", lead_mentor_email="n.lan@sja.sch.uk",
        contact=Contact("Priya Ramsden", "Placements Coordinator", "placements@oaktree.org.uk",
                        "01632 960 123"))
    values.update(changes)
    return MentorPack(**values)


def events(data: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(data)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_calendar_header():
    cal = Calendar.from_ical(mentor_calendar(pack(), "db1", stamp=STAMP))
    assert str(cal["prodid"]) == PRODID
    assert str(cal["version"]) == "2.0"
    assert str(cal["x-wr-calname"]) == "Placements 2025/26: Олена Коваленко"


def test_all_day_events_with_exclusive_end():
    data = mentor_calendar(pack(), "db1", stamp=STAMP)
    found = events(data)
    assert len(found) == 3
    by_id = {uid.split("@")[0]: e for uid, e in found.items()}
    first = by_id["placement-101"]
    start, end = first.decoded("dtstart"), first.decoded("dtend")
    assert type(start) is dt.date and type(end) is dt.date  # all day, not a datetime
    assert start == D(2025, 9, 8)
    assert end == D(2025, 10, 25)  # the day after Friday 24 October
    one_day = by_id["placement-103"]
    assert one_day.decoded("dtstart") == D(2026, 5, 1)
    assert one_day.decoded("dtend") == D(2026, 5, 2)
    text = data.decode("utf-8")
    assert "DTSTART;VALUE=DATE:20250908\r\n" in text
    assert "DTEND;VALUE=DATE:20251025\r\n" in text
    assert first.decoded("dtstamp") == STAMP
    assert str(first["transp"]) == "TRANSPARENT"


def test_uids_are_stable_and_namespaced():
    one = mentor_calendar(pack(), "Oak Tree 3f2a", stamp=STAMP)
    two = mentor_calendar(pack(), "Oak Tree 3f2a",
                          stamp=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    assert set(events(one)) == set(events(two))
    assert set(events(one)) == {f"placement-{i}@oak-tree-3f2a.tsa-desktop" for i in (101, 102, 103)}
    # Another database's placement 101 is another event.
    assert set(events(one)).isdisjoint(events(mentor_calendar(pack(), "other", stamp=STAMP)))
    # Changed dates keep the UID, so a re-import updates the event instead of adding one.
    moved = pack(placements=(MentorPlacement(101, "Autumn block A", D(2025, 9, 15),
                                             D(2025, 10, 31), "Oak School", "Siân"),))
    assert "placement-101@oak-tree-3f2a.tsa-desktop" in events(
        mentor_calendar(moved, "Oak Tree 3f2a", stamp=STAMP))


def test_placement_uid():
    assert placement_uid(17) == "placement-17@tsa-desktop"
    assert placement_uid(17, "DB/1") == "placement-17@db-1.tsa-desktop"
    with pytest.raises(ValueError):
        placement_uid("")


def test_text_is_escaped_and_round_trips():
    data = mentor_calendar(pack(), "db1", stamp=STAMP)
    text = data.decode("utf-8")
    assert "St Mary's\\, Church\\; Lane\\\\Annexe\\nSecond line" in text.replace("\r\n ", "")
    by_id = {uid.split("@")[0]: e for uid, e in events(data).items()}
    tricky = by_id["placement-102"]
    assert str(tricky["location"]) == TRICKY_SCHOOL
    assert str(tricky["summary"]) == "Trainee placement: Łukasz <b>Brontë</b> (Spring block B)"
    first = by_id["placement-101"]
    assert str(first["location"]) == "Łukasz Street Primary, 4 Ash Road, Northfield NF2 1AB"
    description = str(first["description"])
    for value in ("Trainee: Siân Zoë Nguyễn Thị", "Email: sian@example.ac.uk",
                  "Telephone: 07700 900123", "Mentor: Олена Коваленко",
                  "Lead mentor: Nguyễn Thị Lan",
                  "Block: Autumn block A, 8 September 2025 to 24 October 2025",
                  "Alliance contact: Priya Ramsden (placements@oaktree.org.uk, 01632 960 123)"):
        assert value in description.split("\n"), value


def test_lines_are_folded_and_crlf():
    data = mentor_calendar(pack(), "db1", stamp=STAMP)
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in data.replace(b"\r\n", b"")
    data.decode("utf-8")  # folding never splits a multi-byte character


def test_naive_stamp_is_utc_and_default_stamp_is_now():
    naive = mentor_calendar(pack(), stamp=dt.datetime(2025, 9, 1, 12, 30))
    assert b"DTSTAMP:20250901T123000Z" in naive
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    stamp = next(iter(events(mentor_calendar(pack())).values())).decoded("dtstamp")
    assert before <= stamp <= dt.datetime.now(dt.timezone.utc)


def test_end_before_start_is_refused():
    bad = pack(placements=(MentorPlacement(9, "A", D(2025, 9, 8), D(2025, 9, 1), "S", "T"),))
    with pytest.raises(ValueError, match="placement 9 ends"):
        mentor_calendar(bad)


def test_empty_pack_is_a_valid_calendar():
    cal = Calendar.from_ical(mentor_calendar(pack(placements=()), stamp=STAMP))
    assert list(cal.walk("VEVENT")) == []


def test_write_mentor_calendar(tmp_path):
    path = write_mentor_calendar(tmp_path / "sub" / "mentor.ics", pack(), "db1", stamp=STAMP)
    assert path.read_bytes() == mentor_calendar(pack(), "db1", stamp=STAMP)
    assert [p.name for p in path.parent.iterdir()] == ["mentor.ics"]
