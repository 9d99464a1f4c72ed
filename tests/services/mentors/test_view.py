"""The mentor's view and pack: only the mentor's own trainees, their rotation, and the calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from sqlalchemy import delete, select

from tsa_desktop.db import models as m
from tsa_desktop.domain.errors import NotFoundError, ValidationError

from tests.conftest import DEMO_YEAR

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def placed(small_demo):
    """Mentors A and B; Ann is with A in block 1 and B in block 2, at a third school in block 3;
    Ben is only with B; Cat was with A but that placement is cancelled."""
    ws = small_demo
    with ws.db.transaction() as s:
        s.execute(delete(m.Placement))
        blocks = list(s.scalars(select(m.PlacementBlock).order_by(m.PlacementBlock.position)))
        schools = list(s.scalars(select(m.School).where(m.School.phase == "secondary").order_by(m.School.id)))
        lead = s.scalars(select(m.Mentor).where(m.Mentor.is_lead_mentor.is_(True),
                                                m.Mentor.phase == "secondary")).first()
        a = m.Mentor(email="a.mentor@one.sch.uk", first_name="Alma", last_name="Mentor", school_id=schools[0].id,
                     phase="secondary", lead_mentor_id=lead.id, initial_training_date=dt.date(2026, 1, 5))
        b = m.Mentor(email="b.mentor@two.sch.uk", first_name="Bram", last_name="Mentor", school_id=schools[1].id,
                     phase="secondary", initial_training_date=dt.date(2026, 1, 5))
        s.add_all([a, b])
        trainees = list(s.scalars(select(m.Trainee).where(m.Trainee.phase == "secondary").order_by(m.Trainee.id)))
        ann, ben, cat = trainees[:3]
        ann.phone = "07700 900123"
        s.flush()
        rows = [m.Placement(trainee_id=ann.id, block_id=blocks[0].id, school_id=schools[0].id, mentor_id=a.id),
                m.Placement(trainee_id=ann.id, block_id=blocks[1].id, school_id=schools[1].id, mentor_id=b.id),
                m.Placement(trainee_id=ann.id, block_id=blocks[2].id, school_id=schools[2].id),
                m.Placement(trainee_id=ben.id, block_id=blocks[0].id, school_id=schools[1].id, mentor_id=b.id),
                m.Placement(trainee_id=cat.id, block_id=blocks[1].id, school_id=schools[0].id, mentor_id=a.id,
                            status="cancelled")]
        s.add_all(rows)
        nqt = s.scalars(select(m.Nqt)).first()
        nqt.induction_tutor_id = a.id
        s.flush()
        names = {t.id: f"{t.first_names} {t.last_name}" for t in (ann, ben, cat)}
        ids = dict(a=a.id, b=b.id, ann=ann.id, ben=ben.id, cat=cat.id, lead=lead.id,
                   nqt=f"{nqt.first_names} {nqt.last_name}", p_ann_a=rows[0].id,
                   blocks=[(bl.name, bl.start_date, bl.end_date) for bl in blocks],
                   schools=[sc.name for sc in schools[:3]], lead_name=f"{lead.first_name} {lead.last_name}")
    return ws, ids, names


def test_view_shows_only_the_mentors_own_trainees(placed):
    ws, ids, names = placed
    view = ws.mentor_view.view(ids["a"], DEMO_YEAR, TODAY)
    assert [p.trainee_name for p in view.placements] == [names[ids["ann"]]]
    shown = " ".join(str(p) for p in view.placements)
    assert names[ids["ben"]] not in shown and names[ids["cat"]] not in shown
    p = view.placements[0]
    first_block = ids["blocks"][0]
    assert (p.block_name, p.start, p.end, p.school_name) == (*first_block, ids["schools"][0])
    assert p.trainee_phone == "07700 900123" and "@" in p.trainee_email
    # The trainee's other placements, with whoever mentors them there.
    others = [(o.block_name, o.school_name, o.mentor_name) for o in p.other_placements]
    assert others == [(ids["blocks"][1][0], ids["schools"][1], "Bram Mentor"),
                      (ids["blocks"][2][0], ids["schools"][2], "")]
    assert view.lead_mentor_name == ids["lead_name"]
    assert [n.name for n in view.nqts] == [ids["nqt"]]
    assert view.load.placements == 1 and view.load.nqts == 1 and view.load.total == 2


def test_view_by_email_and_of_the_other_mentor(placed):
    ws, ids, names = placed
    view = ws.mentor_view.view("B.Mentor@two.sch.uk", DEMO_YEAR, TODAY)
    assert sorted(p.trainee_name for p in view.placements) == sorted([names[ids["ann"]], names[ids["ben"]]])
    assert view.lead_mentor_name == "" and view.nqts == ()
    with pytest.raises(NotFoundError):
        ws.mentor_view.view("nobody@two.sch.uk", DEMO_YEAR, TODAY)


def test_another_year_shows_no_trainees(placed):
    ws, ids, _names = placed
    ws.years.ensure("2027/28")
    view = ws.mentor_view.view(ids["a"], "2027/28", TODAY)
    assert view.placements == () and view.nqts == () and view.academic_year == "2027/28"


def test_pack_pdf_names_only_the_mentors_trainees(placed, tmp_path):
    ws, ids, names = placed
    files = ws.mentor_view.write_pack("a.mentor@one.sch.uk", tmp_path / "out", DEMO_YEAR, TODAY)
    assert files.placements == 1 and files.pdf.exists() and files.calendar.exists()
    text = " ".join(page.extract_text() for page in PdfReader(files.pdf).pages)
    assert "Alma Mentor" in text and names[ids["ann"]] in text and ids["lead_name"] in text
    assert names[ids["ben"]] not in text and names[ids["cat"]] not in text
    assert "placement" in str(files) and "Alma Mentor" in str(files)


def _events(path) -> dict[str, object]:
    cal = Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_calendar_read_back_all_day_with_exclusive_end_and_stable_uids(placed, tmp_path):
    ws, ids, names = placed
    first = ws.mentor_view.write_pack(ids["b"], tmp_path / "one", DEMO_YEAR, TODAY)
    events = _events(first.calendar)
    assert len(events) == 2
    namespace = ws.mentor_view.calendar_namespace()
    for uid, event in events.items():
        assert uid.startswith("placement-") and uid.endswith(f"@{namespace}.tsa-desktop")
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert type(start) is dt.date and type(end) is dt.date  # all day, not timed
    ann_event = next(e for e in events.values() if names[ids["ann"]] in str(e["summary"]))
    _name, block_start, block_end = ids["blocks"][1]
    assert ann_event.decoded("dtstart") == block_start
    assert ann_event.decoded("dtend") == block_end + dt.timedelta(days=1)  # RFC 5545: exclusive

    # Move the block: exported again, the same UIDs carry the new dates (an update, not a copy).
    with ws.db.transaction() as s:
        block = s.scalar(select(m.PlacementBlock).where(m.PlacementBlock.name == ids["blocks"][1][0]))
        block.end_date = block.end_date + dt.timedelta(days=7)
    second = ws.mentor_view.write_pack(ids["b"], tmp_path / "two", DEMO_YEAR, TODAY)
    again = _events(second.calendar)
    assert set(again) == set(events)
    moved = again[str(ann_event["uid"])]
    assert moved.decoded("dtend") == block_end + dt.timedelta(days=8)


def test_calendar_namespace_is_stored_once_and_differs_between_files(placed, tmp_path):
    ws, _ids, _names = placed
    first = ws.mentor_view.calendar_namespace()
    assert first == ws.mentor_view.calendar_namespace()
    from tsa_desktop.services.opening import open_workspace

    other = open_workspace(tmp_path / "other.db")
    try:
        assert other.mentor_view.calendar_namespace() != first
    finally:
        other.close()


def test_pack_into_a_file_path_is_refused_and_writes_nothing(placed, tmp_path):
    ws, ids, _names = placed
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "taken.pdf"
    target.write_text("keep me")
    with pytest.raises(ValidationError, match="output folder: is a file"):
        ws.mentor_view.write_pack(ids["a"], target, DEMO_YEAR, TODAY)
    assert target.read_text() == "keep me" and list(folder.iterdir()) == [target]


def test_pack_for_a_mentor_without_trainees(placed, tmp_path):
    ws, _ids, _names = placed
    lonely = ws.mentors.create({"email": "lonely@x.sch.uk", "first_name": "Lone", "last_name": "Mentor",
                                "school_id": ws.schools.list()[0].id, "phase": "primary"})
    files = ws.mentor_view.write_pack(lonely.id, tmp_path, DEMO_YEAR, TODAY)
    assert files.placements == 0 and _events(files.calendar) == {}
    assert "No trainees are placed with you" in PdfReader(files.pdf).pages[0].extract_text()


def test_read_only_file_still_gets_a_stable_calendar_namespace(small_demo):
    from tsa_desktop.services.opening import open_workspace

    path = small_demo.db.path
    small_demo.close()
    ro = open_workspace(path, read_only=True)
    try:
        first = ro.mentor_view.calendar_namespace()
        assert first == ro.mentor_view.calendar_namespace() and first
        with ro.db.reading() as s:
            assert s.get(m.Setting, "calendar_uid_namespace") is None
    finally:
        ro.close()


def test_the_view_lists_the_ects_a_mentor_mentors_with_their_dates_for_both_years(small_demo):
    ws = small_demo
    with ws.db.transaction() as s:
        ect = s.scalars(select(m.Nqt).where(m.Nqt.fte == 1.0).order_by(m.Nqt.id)).first()
        mentor = s.scalars(select(m.Mentor).where(m.Mentor.id != ect.induction_tutor_id).order_by(m.Mentor.id)).first()
        s.execute(m.Nqt.__table__.update().where(m.Nqt.mentor_id == mentor.id).values(mentor_id=None))
        ect.mentor_id, ect.start_date, ect.status, ect.reduced_terms = mentor.id, dt.date(2026, 9, 1), "in_progress", 0
        ect_name, mentor_id = f"{ect.first_names} {ect.last_name}", mentor.id
    view = ws.mentor_view.view(mentor_id, DEMO_YEAR, TODAY)
    (mine,) = [n for n in view.nqts if n.name == ect_name]
    assert mine.role == "Mentor"
    assert mine.dates == (("Progress review (Autumn 2026)", dt.date(2026, 12, 18)),
                          ("Progress review (Spring 2027)", dt.date(2027, 3, 25)),
                          ("Formal assessment (end of year one) (Summer 2027)", dt.date(2027, 7, 21)))
    ws.years.ensure("2027/28")
    (second,) = [n for n in ws.mentor_view.view(mentor_id, "2027/28", TODAY).nqts if n.name == ect_name]
    assert second.dates[-1] == ("Final assessment (Summer 2028)", dt.date(2028, 7, 21))
