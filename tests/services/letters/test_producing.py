"""Placement letters through the service: the PDF says exactly what the database holds."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.services.letters.helpers import (NAMES, YEAR, add_placement, page_count, pdf_text,
                                           place_more_trainees, placed_trainee_ids,
                                           rename_trainee, squash,
                                           update_row)
from tsa_desktop.db import models as m
from tsa_desktop.domain.errors import CancelledError, ValidationError
from tsa_desktop.domain.progress import Progress
from tsa_desktop.formats.letters import long_date, short_date
from tsa_desktop.services.letters.producing import LetterFileError, LetterScope

TODAY = dt.date(2026, 9, 14)
TRAINEES = LetterScope(year=YEAR)
SCHOOLS = LetterScope(year=YEAR, to="schools")


def test_one_letter_per_placed_trainee_not_produced_yet(small_demo):
    listing = small_demo.letters.listing(TRAINEES)
    placed = placed_trainee_ids(small_demo)
    assert sorted(item.key.record_id for item in listing.letters) == placed
    assert all(str(item.status) == "Not produced" for item in listing.letters)
    assert all(item.block == "Whole year" and item.placement_count == 1 for item in listing.letters)
    surnames = [item.letters[0].last_name.casefold() for item in listing.letters]
    assert surnames == sorted(surnames)


def test_letter_text_matches_the_data_in_many_scripts(small_demo):
    ids = place_more_trainees(small_demo, len(NAMES))
    for trainee_id, (first, last) in zip(ids, NAMES):
        rename_trainee(small_demo, trainee_id, first, last)
    second = add_placement(small_demo, ids[0], 1)
    batch = small_demo.letters.prepare(TRAINEES, today=TODAY)
    text = pdf_text(small_demo.letters.render(batch))

    with small_demo.db.reading() as s:
        profile = s.get(m.AllianceProfile, 1)
        expected = [profile.name, profile.contact_name, profile.contact_email,
                    profile.contact_phone, long_date(TODAY), f"School placements {YEAR}"]
        for trainee_id, (first, last) in zip(ids, NAMES):
            trainee = s.get(m.Trainee, trainee_id)
            expected += [f"Dear {first},", f"{first} {last}", trainee.email,
                         f"Our ref: {trainee.trainee_id}"]
            for p in s.scalars(select(m.Placement).where(m.Placement.trainee_id == trainee_id)):
                block, school = s.get(m.PlacementBlock, p.block_id), s.get(m.School, p.school_id)
                expected += [block.name, short_date(block.start_date), short_date(block.end_date),
                             school.name, school.address_line_1, school.town, school.postcode]
                if p.mentor_id:
                    mentor = s.get(m.Mentor, p.mentor_id)
                    expected += [f"{mentor.first_name} {mentor.last_name}", mentor.email]
        assert s.get(m.Placement, second).mentor_id is None
    # Table cells wrap long email addresses, so compare without white space; names, which
    # the letter prints outside tables, must also appear exactly.
    for value in expected:
        assert squash(value) in squash(text), value
    for first, last in NAMES:
        assert f"Dear {first}," in text and f"{first} {last}" in text
    assert "to be confirmed" in text  # the new placement has no mentor yet
    assert page_count(small_demo.letters.render(batch)) == len(ids)


@pytest.mark.parametrize("first, last", [("<b>x</b>", "Smith & Jones"),
                                         ("Tom <Smith", "<img src='/etc/passwd'/>")])
def test_markup_in_data_prints_literally(small_demo, first, last):
    trainee_id = placed_trainee_ids(small_demo)[0]
    rename_trainee(small_demo, trainee_id, first, last)
    school_id = small_demo.letters.listing(TRAINEES).letters[0].key.record_id
    with small_demo.db.reading() as s:
        school_id = s.scalar(select(m.Placement.school_id)
                             .where(m.Placement.trainee_id == trainee_id))
    update_row(small_demo, m.School, school_id, name="Smith & Jones <i>Academy</i>")
    for scope in (TRAINEES, SCHOOLS):
        text = pdf_text(small_demo.letters.render(small_demo.letters.prepare(scope)))
        assert f"{first} {last}" in text
        assert "Smith & Jones <i>Academy</i>" in text
        assert "&amp;" not in text and "&lt;" not in text


def test_block_letters_list_only_that_block(small_demo):
    trainee_id = placed_trainee_ids(small_demo)[0]
    add_placement(small_demo, trainee_id, 1)
    whole = small_demo.letters.listing(TRAINEES)
    spring = small_demo.letters.listing(LetterScope(year=YEAR, block="  spring BLOCK b "))
    assert spring.block is not None and spring.block.name == "Spring block B"
    assert [i.key.record_id for i in spring.letters] == [trainee_id]
    assert spring.letters[0].block == "Spring block B"
    assert [r.block_name for r in spring.letters[0].letters[0].placements] == ["Spring block B"]
    rotation = next(i for i in whole.letters if i.key.record_id == trainee_id)
    assert len(rotation.letters[0].placements) == 2


def test_produced_then_out_of_date_after_a_change(small_demo, tmp_path):
    service = small_demo.letters
    at = dt.datetime(2026, 10, 12, 9, 30)
    result = service.produce(service.prepare(TRAINEES), tmp_path / "all.pdf", per_letter=False,
                             at=at)
    assert result.recorded and result.paths == (tmp_path / "all.pdf",)
    listing = service.listing(TRAINEES)
    assert {str(i.status) for i in listing.letters} == {"Up to date (12/10/2026)"}

    changed = listing.letters[1]
    placement_id = changed.marks[0].placement_id
    with small_demo.db.reading() as s:
        placement = s.get(m.Placement, placement_id)
        other_mentor = s.scalar(select(m.Mentor.id).where(m.Mentor.school_id == placement.school_id,
                                                          m.Mentor.id != placement.mentor_id))
    update_row(small_demo, m.Placement, placement_id, mentor_id=other_mentor)
    after = {i.key: str(i.status) for i in service.listing(TRAINEES).letters}
    assert after.pop(changed.key) == "Out of date: changed since 12/10/2026"
    assert set(after.values()) == {"Up to date (12/10/2026)"}

    needed = service.prepare(TRAINEES, only_needed=True)
    assert [i.key for i in needed.items] == [changed.key]
    service.produce(needed, tmp_path / "again.pdf", per_letter=False,
                    at=dt.datetime(2026, 10, 20, 12, 0))
    statuses = {i.key: str(i.status) for i in service.listing(TRAINEES).letters}
    assert statuses[changed.key] == "Up to date (20/10/2026)"


def test_recording_does_not_bump_the_placement_version(small_demo, tmp_path):
    with small_demo.db.reading() as s:
        before = dict(s.execute(select(m.Placement.id, m.Placement.version)).all())
    small_demo.letters.produce(small_demo.letters.prepare(TRAINEES), tmp_path / "a.pdf",
                               per_letter=False)
    with small_demo.db.reading() as s:
        rows = s.execute(select(m.Placement.id, m.Placement.version, m.Placement.letter_produced_at,
                                m.Placement.letter_fingerprint)).all()
    assert {pid: v for pid, v, _, _ in rows} == before
    assert all(at is not None and len(fp) == 64 for _, _, at, fp in rows)


def test_new_and_cancelled_placements_make_a_letter_out_of_date(small_demo, tmp_path):
    service = small_demo.letters
    trainee_id = placed_trainee_ids(small_demo)[0]
    service.produce(service.prepare(TRAINEES), tmp_path / "a.pdf", per_letter=False,
                    at=dt.datetime(2026, 9, 1, 8))
    key = next(i.key for i in service.listing(TRAINEES).letters if i.key.record_id == trainee_id)
    spring = add_placement(small_demo, trainee_id, 1)
    status = {i.key: str(i.status) for i in service.listing(TRAINEES).letters}
    assert status[key] == "Out of date: changed since 01/09/2026"

    service.produce(service.prepare(TRAINEES, keys=[key]), tmp_path / "b.pdf", per_letter=False,
                    at=dt.datetime(2026, 9, 2, 8))
    update_row(small_demo, m.Placement, spring, status="cancelled")
    status = {i.key: str(i.status) for i in service.listing(TRAINEES).letters}
    assert status[key] == "Out of date: changed since 02/09/2026"

    batch = service.prepare(TRAINEES, keys=[key])
    assert len(batch.items[0].letters[0].placements) == 1
    service.produce(batch, tmp_path / "c.pdf", per_letter=False, at=dt.datetime(2026, 9, 3, 8))
    status = {i.key: str(i.status) for i in service.listing(TRAINEES).letters}
    assert status[key] == "Up to date (03/09/2026)"


def test_proposed_placements_wait_and_withdrawn_trainees_get_no_letter(small_demo):
    ids = placed_trainee_ids(small_demo)
    add_placement(small_demo, ids[0], 2, status="proposed")
    update_row(small_demo, m.Trainee, ids[1], status="withdrawn")
    listing = small_demo.letters.listing(TRAINEES)
    assert listing.left_out == 1
    assert ids[1] not in [i.key.record_id for i in listing.letters]
    with small_demo.db.reading() as s:
        ref = s.get(m.Trainee, ids[1]).trainee_id
    batch = small_demo.letters.prepare(LetterScope(year=YEAR, trainee=ref.lower()))
    assert batch.items == () and "is withdrawn" in batch.reason
    summer = small_demo.letters.prepare(LetterScope(year=YEAR, block="Summer block C"))
    assert summer.items == ()
    assert summer.reason == ("there are no confirmed placements in Summer block C 2026/27 "
                             "(1 proposed placement waits to be confirmed)")


def test_one_file_per_letter(small_demo, tmp_path):
    ids = placed_trainee_ids(small_demo)
    rename_trainee(small_demo, ids[0], "Zoë", "O'Brien/Ó Briain")
    batch = small_demo.letters.prepare(TRAINEES)
    folder = tmp_path / "letters"
    result = small_demo.letters.produce(batch, folder, per_letter=True)
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == len(ids) == result.letter_count == len(result.paths)
    assert all(name.endswith(".pdf") and page_count(folder / name) == 1 for name in files)
    zoe = next(p for p in result.paths if "Zoë" in p.name)
    assert "O'Brien_Ó Briain, Zoë" in zoe.name and "Zoë O'Brien/Ó Briain" in pdf_text(zoe)
    assert result.summary == f"Wrote {len(ids)} letters to trainees into {len(ids)} files in {folder}"


def test_school_letters_with_a_copy_for_each_mentor(small_demo, tmp_path):
    service = small_demo.letters
    listing = service.listing(SCHOOLS)
    assert listing.letters and all(i.block == "Autumn block A" for i in listing.letters)
    busiest = max(listing.letters, key=lambda i: i.placement_count)
    school_letter, *copies = busiest.letters
    assert len(school_letter.trainees) == busiest.placement_count
    assert sorted(c.recipient_name for c in copies) == sorted(busiest.mentors.split("; "))
    assert all(c.recipient_role == "Mentor" and len(c.trainees) == 1 for c in copies)
    with small_demo.db.reading() as s:
        school = s.get(m.School, busiest.key.record_id)
        s.expunge(school)
    assert school_letter.recipient_name == school.contact_name
    text = pdf_text(service.render(service.prepare(SCHOOLS, keys=[busiest.key])))
    for value in [school.name, school.contact_name, f"Dear {school.contact_name},",
                  *busiest.details.split("; "), *busiest.mentors.split("; "), f"URN {school.urn}",
                  "Trainee placement: Autumn block A 2026/27"]:
        assert squash(value) in squash(text), value

    service.produce(service.prepare(SCHOOLS), tmp_path / "s.pdf", per_letter=False,
                    at=dt.datetime(2026, 9, 5, 10))
    assert {str(i.status) for i in service.listing(SCHOOLS).letters} == {"Up to date (05/09/2026)"}
    assert {str(i.status) for i in service.listing(TRAINEES).letters} == {"Not produced"}
    moved = next(mark.placement_id for item in listing.letters if item.key != busiest.key
                 for mark in item.marks)
    update_row(small_demo, m.Placement, moved, school_id=busiest.key.record_id, mentor_id=None)
    status = {i.key: str(i.status) for i in service.listing(SCHOOLS).letters}
    assert status[busiest.key] == "Out of date: changed since 05/09/2026"


def test_cancel_writes_and_records_nothing(small_demo, tmp_path):
    class CancelAtOnce(Progress):
        def report(self, done, total, message=""):
            self.cancel()

    batch = small_demo.letters.prepare(TRAINEES)
    with pytest.raises(CancelledError):
        small_demo.letters.produce(batch, tmp_path / "x.pdf", per_letter=False,
                                   progress=CancelAtOnce())
    with pytest.raises(CancelledError):
        small_demo.letters.produce(batch, tmp_path / "folder", per_letter=True,
                                   progress=CancelAtOnce())
    assert not (tmp_path / "x.pdf").exists() and list((tmp_path / "folder").iterdir()) == []
    assert {str(i.status) for i in small_demo.letters.listing(TRAINEES).letters} == {"Not produced"}


def test_unwritable_output_is_refused_and_nothing_recorded(small_demo, tmp_path):
    batch = small_demo.letters.prepare(TRAINEES)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(LetterFileError, match="is a file"):
        small_demo.letters.produce(batch, blocker, per_letter=True)
    with pytest.raises(LetterFileError, match="is a folder"):
        small_demo.letters.produce(batch, tmp_path, per_letter=False)
    with pytest.raises(LetterFileError, match="cannot write .*Nothing was written"):
        small_demo.letters.produce(batch, blocker / "x.pdf", per_letter=False)
    assert blocker.read_text() == "not a folder"
    assert {str(i.status) for i in small_demo.letters.listing(TRAINEES).letters} == {"Not produced"}


@pytest.mark.parametrize("scope, field, accepted", [
    (LetterScope(year=YEAR, block="Winter"), "block", '"Autumn block A", "Spring block B"'),
    (LetterScope(year=YEAR, trainee="T999"), "trainee", "T260001, T260002"),
    (LetterScope(year="2031/32"), "year", "years: 2026/27"),
    (LetterScope(year="next year"), "year", "such as 2025/26"),
])
def test_unknown_scope_names_the_accepted_values(small_demo, scope, field, accepted):
    with pytest.raises(ValidationError) as info:
        small_demo.letters.listing(scope)
    assert info.value.problems[0].field == field and accepted in str(info.value)


def test_an_incomplete_profile_is_refused_before_anything_is_written(small_demo):
    update_row(small_demo, m.AllianceProfile, 1, name=" ", contact_name="", contact_email="",
               contact_phone="")
    with pytest.raises(ValidationError) as info:
        small_demo.letters.prepare(TRAINEES)
    assert [p.field for p in info.value.problems] == ["name", "contact_name", "contact_email"]
    assert "Alliance profile" in str(info.value)


def test_read_only_file_writes_letters_but_does_not_record(small_demo, db_path, tmp_path):
    from tsa_desktop.services.opening import open_workspace

    ws = open_workspace(db_path, read_only=True)
    try:
        result = ws.letters.produce(ws.letters.prepare(TRAINEES), tmp_path / "r.pdf",
                                    per_letter=False)
    finally:
        ws.close()
    assert (tmp_path / "r.pdf").exists() and not result.recorded
    assert "not recorded" in result.summary
    assert {str(i.status) for i in small_demo.letters.listing(TRAINEES).letters} == {"Not produced"}


def test_rendering_reports_each_letter_as_it_goes(small_demo):
    """A preview of many letters counts them from the first one, so the window's bar moves at once."""

    class Recorder(Progress):
        def __init__(self) -> None:
            super().__init__()
            self.reports: list[tuple[int, int, str]] = []

        def report(self, done: int, total: int, message: str = "") -> None:
            self.reports.append((done, total, message))

    service = small_demo.letters
    batch = service.prepare(SCHOOLS)
    recorder = Recorder()
    assert service.render(batch, recorder).startswith(b"%PDF")
    first_done, first_total, first_message = recorder.reports[0]
    assert first_done < first_total and first_message.startswith("Reading letter 1 of ")
    assert [done for done, _total, _message in recorder.reports] == sorted(d for d, _t, _m in recorder.reports)
