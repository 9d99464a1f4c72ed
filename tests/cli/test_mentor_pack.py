"""``tsa-desktop mentor-pack``: files written, a one-line summary, exit code 2 on bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

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


def _mentors_placed(db) -> dict[str, str]:
    """email -> name of every mentor with a placement in the demo year, read by the mentors list."""
    ws = open_workspace(db)
    try:
        return {r.email: r.name for r in ws.mentors.list(DEMO_YEAR)
                if ws.mentor_view.view(r.id, DEMO_YEAR).placements}
    finally:
        ws.close()


def test_mentor_pack_all_writes_every_pack_an_email_draft_and_an_index(tmp_path, capsys):
    import csv
    from email import message_from_bytes, policy

    db = tmp_path / "a.db"
    assert main(["demo", "--db", str(db), "--size", "small", "--year", DEMO_YEAR]) == 0
    placed = _mentors_placed(db)
    assert placed  # the demo places trainees with mentors
    out = tmp_path / "packs"
    capsys.readouterr()
    assert main(["mentor-pack", "--db", str(db), "--all", "--out", str(out),
                 "--year", DEMO_YEAR]) == 0
    printed = capsys.readouterr().out.strip().splitlines()
    assert len(printed) == 1 and f"packs for {len(placed)} mentor" in printed[0]

    with open(out / "index.csv", encoding="utf-8-sig", newline="") as f:
        index = list(csv.DictReader(f))
    assert list(index[0]) == ["mentor", "email", "pdf", "ics"]
    assert {row["email"]: row["mentor"] for row in index} == placed
    for row in index:
        pdf, ics = Path(row["pdf"]), Path(row["ics"])
        assert pdf.is_absolute() and pdf.parent == out.resolve()
        assert pdf.read_bytes().startswith(b"%PDF") and ics.read_bytes().startswith(b"BEGIN:VCALENDAR")
        draft = message_from_bytes(pdf.with_suffix(".eml").read_bytes(), policy=policy.default)
        assert draft["X-Unsent"] == "1"
        assert draft["To"].addresses[0].addr_spec == row["email"]
        assert draft["To"].addresses[0].display_name == row["mentor"]
        assert DEMO_YEAR in draft["Subject"]
        body = draft.get_body(("plain",)).get_content()
        assert body.startswith(f"Dear {row['mentor']},")
        attached = {part.get_filename(): part for part in draft.iter_attachments()}
        assert set(attached) == {pdf.name, ics.name}
        assert attached[pdf.name].get_content_type() == "application/pdf"
        assert attached[pdf.name].get_content() == pdf.read_bytes()
        assert attached[ics.name].get_content_type() == "text/calendar"
        assert Calendar.from_ical(attached[ics.name].get_payload(decode=True)).walk("VEVENT")
    assert len(list(out.glob("*.eml"))) == len(placed)


def test_mentor_pack_all_or_one_mentor_not_both(tmp_path, capsys):
    db = tmp_path / "a.db"
    assert main(["demo", "--db", str(db), "--size", "small", "--year", DEMO_YEAR]) == 0
    capsys.readouterr()
    out = tmp_path / "packs"
    with pytest.raises(SystemExit) as info:  # argparse's own exit for a bad command line
        main(["mentor-pack", "--db", str(db), "--all", "--mentor", "a@b.sch.uk", "--out", str(out)])
    assert info.value.code == 2
    assert "not allowed with" in capsys.readouterr().err
    assert main(["mentor-pack", "--db", str(db), "--all", "--out", str(out), "--year", "2001/02"]) == 2
    assert "no academic year 2001/02" in capsys.readouterr().err
    assert not out.exists()
