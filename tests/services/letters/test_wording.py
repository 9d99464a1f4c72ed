"""The wording of letters and the alliance's letterhead, as the ITT lead edits them."""

from __future__ import annotations

import dataclasses
import io
import json

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.services.letters.helpers import YEAR, pdf_text, update_row
from tsa_desktop.db import models as m
from tsa_desktop.domain.errors import ValidationError
from tsa_desktop.services.letters.templates import DEFAULT_WHAT_TO_BRING, default_text
from tsa_desktop.services.letters.producing import LetterScope

TRAINEES = LetterScope(year=YEAR)


def _image(kind: str, size=(320, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (31, 58, 95)).save(out, kind)
    return out.getvalue()


def _stored(ws, column: str):
    with ws.db.reading() as s:
        return getattr(s.get(m.AllianceProfile, 1), column)


def test_default_wording_until_edited(small_demo):
    text = small_demo.letters.wording.template("trainee")
    assert not text.customised and text == default_text("trainee")
    assert text.what_to_bring == DEFAULT_WHAT_TO_BRING
    assert small_demo.letters.wording.template("school").what_to_bring == ()


def test_edited_wording_is_saved_and_printed(small_demo):
    service = small_demo.letters
    edited = dataclasses.replace(
        service.wording.template("trainee"), subject="Your placements, {trainee_name}",
        body="Hello from **{alliance_name}** & friends <3.\n\n{placements_table}\n\n"
             "Bring:\n\n{what_to_bring_list}",
        what_to_bring=("a *sharp* pencil", "your ID <card>"))
    saved = service.wording.save_template(edited)
    assert saved.customised
    stored = json.loads(_stored(small_demo, "trainee_letter_template"))
    assert stored["what_to_bring"] == ["a *sharp* pencil", "your ID <card>"]
    assert service.wording.template("trainee") == saved

    batch = service.prepare(TRAINEES)
    name = batch.items[0].recipient
    text = pdf_text(service.render(batch))
    assert f"Your placements, {name}" in text
    assert "Hello from Farnham Teaching School Alliance & friends <3." in text
    assert "• a *sharp* pencil" in text and "• your ID <card>" in text

    reset = service.wording.reset_template("trainee")
    assert not reset.customised and _stored(small_demo, "trainee_letter_template") is None


@pytest.mark.parametrize("change, field, words", [
    ({"body": "Dear all,\n\nWe meet on {meeting_day}."}, "body", "line 3: unknown placeholder {meeting_day}"),
    ({"subject": "Placements **{academic_year}"}, "subject", "** is opened but not closed"),
    ({"salutation": "Dear {trainee_name"}, "salutation", "a lone '{'"),
    ({"body": "{trainees_table}"}, "body", "unknown placeholder {trainees_table}"),
])
def test_a_wrong_template_is_refused_naming_the_problem(small_demo, change, field, words):
    before = _stored(small_demo, "trainee_letter_template")
    with pytest.raises(ValidationError) as info:
        small_demo.letters.wording.save_template(dataclasses.replace(default_text("trainee"), **change))
    assert info.value.problems[0].field == field and words in str(info.value)
    assert _stored(small_demo, "trainee_letter_template") == before


def test_changing_what_to_bring_puts_trainee_letters_out_of_date(small_demo, tmp_path):
    service = small_demo.letters
    service.produce(service.prepare(TRAINEES), tmp_path / "a.pdf", per_letter=False)
    service.wording.save_template(dataclasses.replace(service.wording.template("trainee"),
                                              subject="New words, same facts"))
    assert all(i.status.state == "up_to_date" for i in service.listing(TRAINEES).letters)
    service.wording.save_template(dataclasses.replace(service.wording.template("trainee"),
                                              what_to_bring=("a lab coat",)))
    assert all(i.status.state == "out_of_date" for i in service.listing(TRAINEES).letters)


def test_an_unreadable_saved_template_is_reported_not_used(small_demo):
    update_row(small_demo, m.AllianceProfile, 1, school_letter_template="{not json")
    text = small_demo.letters.wording.template("school")
    assert text == dataclasses.replace(default_text("school"), problem=text.problem)
    assert "cannot be read" in text.problem
    with pytest.raises(ValidationError, match="Letters > Templates"):
        small_demo.letters.prepare(LetterScope(year=YEAR, to="schools"))


def test_letterhead_with_a_logo(small_demo):
    service = small_demo.letters
    logo = _image("PNG")
    service.wording.save_letterhead({"name": "Oak & Ash Teaching School Alliance",
                             "address": "1 Elm Row\nNorthfield\nNF1 2AB",
                             "contact_email": " ITT@Oak-Ash.example "}, logo, "oak.png")
    assert _stored(small_demo, "logo") == logo and _stored(small_demo, "logo_filename") == "oak.png"
    assert _stored(small_demo, "contact_email") == "itt@oak-ash.example"
    data = service.render(service.prepare(TRAINEES))
    text = pdf_text(data)
    assert "Oak & Ash Teaching School Alliance" in text and "NF1 2AB" in text
    assert len(PdfReader(io.BytesIO(data)).pages[0].images) == 1
    service.wording.save_letterhead({}, None)
    assert _stored(small_demo, "logo") is None and _stored(small_demo, "name") == (
        "Oak & Ash Teaching School Alliance")


@pytest.mark.parametrize("logo, words", [
    (_image("GIF"), "is a GIF image; use a PNG or JPEG"),
    (b"%PDF-1.4 not an image", "cannot be read as an image"),
    (b"", "the file is empty"),
    (b"\x89PNG" + b"0" * (6 * 1024 * 1024), "the file is 6.0 MB"),
])
def test_a_logo_that_is_not_png_or_jpeg_is_refused(small_demo, logo, words):
    with pytest.raises(ValidationError) as info:
        small_demo.letters.wording.save_letterhead({"name": "X"}, logo, "logo.file")
    assert info.value.problems[0].field == "logo" and words in str(info.value)
    assert _stored(small_demo, "name") == "Farnham Teaching School Alliance"


def test_every_letterhead_problem_at_once(small_demo):
    with pytest.raises(ValidationError) as info:
        small_demo.letters.wording.save_letterhead({"name": "  ", "contact_email": "itt at school"},
                                           _image("JPEG"))
    assert [p.field for p in info.value.problems] == ["name", "contact_email"]
    assert _stored(small_demo, "logo") is None


def test_sign_off_lines_become_signatory_and_role(small_demo):
    letterhead = small_demo.letters.prepare(TRAINEES).letterhead
    # The demo's sign-off ends with the alliance's name, which the letter prints anyway.
    assert (letterhead.signoff_name, letterhead.signoff_role) == ("Alex Morgan", "ITT lead")
    update_row(small_demo, m.AllianceProfile, 1, letter_sign_off="")
    letterhead = small_demo.letters.prepare(TRAINEES).letterhead
    assert (letterhead.signoff_name, letterhead.signoff_role) == ("Alex Morgan", "ITT lead")


def test_a_sample_shows_unsaved_wording_and_records_nothing(small_demo):
    service = small_demo.letters
    text = dataclasses.replace(service.wording.template("trainee"), salutation="Hello {trainee_name}!",
                               what_to_bring=("wellies",))
    data = service.sample(text, TRAINEES)
    first = service.listing(TRAINEES).letters[0]
    assert f"Hello {first.recipient}!" in pdf_text(data) and "• wellies" in pdf_text(data)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    assert not service.wording.template("trainee").customised
    assert {i.status.state for i in service.listing(TRAINEES).letters} == {"not_produced"}
    with pytest.raises(ValidationError, match="no letter to show the wording with"):
        service.sample(default_text("school"), LetterScope(year=YEAR, block="Summer block C"))
