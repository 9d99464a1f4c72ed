"""``tsa-desktop letters``: one PDF or a folder of PDFs, and the exit codes."""

from __future__ import annotations

import pytest

from tests.services.letters.helpers import (page_count, pdf_text, placed_trainee_ids,
                                           update_row)
from tsa_desktop.app import main
from tsa_desktop.db import models as m
from tsa_desktop.services.letters.producing import LetterScope


def run(db_path, *args: str) -> int:
    return main(["letters", "--db", str(db_path), *args])


def test_one_pdf_of_every_trainee_letter(small_demo, db_path, tmp_path, capsys):
    out = tmp_path / "Letters.PDF"
    assert run(db_path, "--out", str(out)) == 0
    captured = capsys.readouterr()
    count = len(placed_trainee_ids(small_demo))
    assert captured.out == f"Wrote {count} letters to trainees to {out}\n"
    assert captured.err == ""
    assert page_count(out) == count
    assert {i.status.state for i in small_demo.letters.listing().letters} == {"up_to_date"}


def test_a_folder_of_school_letters_for_a_block(small_demo, db_path, tmp_path, capsys):
    folder = tmp_path / "autumn"
    assert run(db_path, "--out", str(folder), "--to", "schools", "--block", "AUTUMN block a",
               "--year", "2026/27") == 0
    listing = small_demo.letters.listing(LetterScope(to="schools"))
    letters = sum(len(i.letters) for i in listing.letters)
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == letters and all(page_count(f) == 1 for f in files)
    out = capsys.readouterr().out
    assert out.startswith(f"Wrote {len(listing.letters)} letters to schools and ")
    assert out.rstrip().endswith(f"into {letters} files in {folder}")


def test_one_trainee_by_id_in_any_case(small_demo, db_path, tmp_path, capsys):
    item = small_demo.letters.listing().letters[0]
    out = tmp_path / "one.pdf"
    assert run(db_path, "--out", str(out), "--trainee", item.reference.lower()) == 0
    assert capsys.readouterr().out == f"Wrote 1 letter to a trainee to {out}\n"
    assert f"Dear {item.letters[0].first_names}," in pdf_text(out)


@pytest.mark.parametrize("args, words", [
    (["--block", "Winter block"], 'no block called \'Winter block\' in 2026/27; blocks: '
                                  '"Autumn block A", "Spring block B", "Summer block C"'),
    (["--trainee", "T999999"], "no trainee 'T999999' in 2026/27; trainee ids: T260001, "),
    (["--year", "1999/00"], "no academic year 1999/00 in this file; years: 2026/27"),
])
def test_unknown_names_exit_2_naming_the_accepted_values(small_demo, db_path, tmp_path, capsys,
                                                         args, words):
    out = tmp_path / "x.pdf"
    assert run(db_path, "--out", str(out), *args) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("tsa-desktop letters: ") and words in captured.err
    assert "Traceback" not in captured.err and not out.exists()


def test_a_trainee_of_another_year_gets_the_year_option_as_a_hint(small_demo, db_path, tmp_path, capsys):
    small_demo.years.ensure("2027/28")
    trainee = small_demo.trainees.list("2026/27")[0]
    out = tmp_path / "x.pdf"
    assert run(db_path, "--out", str(out), "--year", "2027/28", "--trainee", trainee.trainee_id) == 2
    err = capsys.readouterr().err
    assert err == (f"tsa-desktop letters: trainee: {trainee.trainee_id} is a trainee of 2026/27, not 2027/28; "
                   "choose that year. Use --year 2026/27.\n")
    assert not out.exists()


def test_nothing_to_print_exits_1(small_demo, db_path, tmp_path, capsys):
    out = tmp_path / "spring.pdf"
    assert run(db_path, "--out", str(out), "--block", "Spring block B") == 1
    captured = capsys.readouterr()
    assert captured.out == "No letters written.\n"
    assert captured.err == ("tsa-desktop letters: nothing to print: there are no confirmed "
                            "placements in Spring block B 2026/27.\n")
    assert not out.exists()


def test_a_folder_given_as_the_pdf_is_bad_input(small_demo, db_path, tmp_path, capsys):
    folder = tmp_path / "looks.pdf"
    folder.mkdir()
    assert run(db_path, "--out", str(folder)) == 2
    assert "is a folder; give a file name ending .pdf" in capsys.readouterr().err
    assert list(folder.iterdir()) == []
    assert {i.status.state for i in small_demo.letters.listing().letters} == {"not_produced"}


def test_a_file_without_placements_has_nothing_to_print(workspace, db_path, tmp_path, capsys):
    workspace.years.ensure("2026/27")
    assert run(db_path, "--out", str(tmp_path / "x.pdf"), "--year", "2026/27") == 1
    assert "no confirmed placements in 2026/27" in capsys.readouterr().err


def test_an_incomplete_profile_is_bad_input(small_demo, db_path, tmp_path, capsys):
    update_row(small_demo, m.AllianceProfile, 1, contact_name="")
    assert run(db_path, "--out", str(tmp_path / "x.pdf")) == 2
    err = capsys.readouterr().err
    assert "Fill in the alliance profile first" in err and "Contact name: every letter names a contact" in err
    assert "contact_name" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_recipients_other_than_trainees_or_schools_are_refused(small_demo, db_path, tmp_path,
                                                               capsys):
    with pytest.raises(SystemExit) as info:
        run(db_path, "--out", str(tmp_path / "x.pdf"), "--to", "parents")
    assert info.value.code == 2
    assert "invalid choice: 'parents'" in capsys.readouterr().err
