"""``tsa-desktop mentor-pack``: files written, a one-line summary, exit code 2 on bad input."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from tsa_desktop.app import main
from tsa_desktop.services.opening import open_workspace

from tests.conftest import DEMO_YEAR


def _busy_mentor(db):
    ws = open_workspace(db)
    try:
        row = next(r for r in ws.mentors.list(DEMO_YEAR) if r.load.placements)
        view = ws.mentor_view.view(row.id, DEMO_YEAR)
        return row.email, view
    finally:
        ws.close()


def test_mentor_pack_writes_pdf_and_calendar(tmp_path, capsys):
    db = tmp_path / "a.db"
    assert main(["demo", "--db", str(db), "--size", "small", "--year", DEMO_YEAR]) == 0
    capsys.readouterr()
    email, view = _busy_mentor(db)
    out = tmp_path / "packs"
    assert main(["mentor-pack", "--db", str(db), "--mentor", email.upper(), "--out", str(out),
                 "--year", DEMO_YEAR]) == 0
    printed = capsys.readouterr().out.strip().splitlines()
    assert len(printed) == 1 and email in printed[0] and DEMO_YEAR in printed[0]
    pdfs, calendars = list(out.glob("*.pdf")), list(out.glob("*.ics"))
    assert len(pdfs) == 1 and len(calendars) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    events = Calendar.from_ical(calendars[0].read_bytes()).walk("VEVENT")
    assert len(events) == len(view.placements)
    assert {e.decoded("dtstart") for e in events} == {p.start for p in view.placements}
    assert {e.decoded("dtend") for e in events} == {p.end + dt.timedelta(days=1) for p in view.placements}


def test_mentor_pack_bad_input_exits_2_with_a_message(tmp_path, capsys):
    db = tmp_path / "a.db"
    assert main(["demo", "--db", str(db), "--size", "small", "--year", DEMO_YEAR]) == 0
    capsys.readouterr()
    out = tmp_path / "packs"
    assert main(["mentor-pack", "--db", str(db), "--mentor", "nobody@nowhere.sch.uk", "--out", str(out)]) == 2
    assert "No mentor has the email nobody@nowhere.sch.uk" in capsys.readouterr().err
    assert main(["mentor-pack", "--db", str(db), "--mentor", "not-an-email", "--out", str(out)]) == 2
    assert "is not an email address" in capsys.readouterr().err
    email, _view = _busy_mentor(db)
    assert main(["mentor-pack", "--db", str(db), "--mentor", email, "--out", str(out), "--year", "2001/02"]) == 2
    assert "no academic year 2001/02" in capsys.readouterr().err
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    assert main(["mentor-pack", "--db", str(db), "--mentor", email, "--out", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert "is a file" in err and "Traceback" not in err
    assert not out.exists()


def test_the_pack_lists_the_ects_the_mentor_supports_with_their_dates(tmp_path, capsys):
    from pypdf import PdfReader

    db = tmp_path / "a.db"
    assert main(["demo", "--db", str(db), "--size", "small", "--year", DEMO_YEAR]) == 0
    ws = open_workspace(db)
    try:
        tutor = next(r for r in ws.mentors.list(DEMO_YEAR) if ws.mentor_view.view(r.id, DEMO_YEAR).nqts)
        nqts = ws.mentor_view.view(tutor.id, DEMO_YEAR).nqts
    finally:
        ws.close()
    out = tmp_path / "packs"
    capsys.readouterr()
    assert main(["mentor-pack", "--db", str(db), "--mentor", tutor.email, "--out", str(out),
                 "--year", DEMO_YEAR]) == 0
    supported = f"{len(nqts)} early career teacher{'s' if len(nqts) != 1 else ''}"
    assert supported in capsys.readouterr().out
    text = "\n".join(page.extract_text() for page in PdfReader(next(out.glob("*.pdf"))).pages)
    assert "Early career teachers you mentor or are induction tutor to" in text
    assert all(n.name in text and n.school_name in text for n in nqts)
    assert all(n.dates for n in nqts)  # each ECT's reviews of the year, printed with their dates
    first_date, first_what = nqts[0].dates[0][1], nqts[0].dates[0][0]
    assert f"{first_date:%d/%m/%Y}: {first_what}" in " ".join(text.split())
