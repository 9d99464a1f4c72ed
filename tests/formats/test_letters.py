"""Placement letters and mentor packs: read the PDFs back and compare them with the data."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from tsa_desktop.domain.errors import CancelledError
from tsa_desktop.domain.progress import Progress
from tests.formats.alliance import CONTACT, oak_tree_letterhead
from tsa_desktop.formats.letters import styles as L
from tsa_desktop.formats.letters import (DEFAULT_SCHOOL_TEMPLATE, DEFAULT_TRAINEE_TEMPLATE,
                                         SCHOOL_BLOCKS, TRAINEE_BLOCKS, Contact, HostedTrainee,
                                         Letterhead, LetterTemplate, MentorPack, MentorPlacement,
                                         OtherPlacement, PlacementRow, SchoolLetter,
                                         TraineeLetter, fill, fingerprint, long_date, short_date)
from tsa_desktop.formats.letters.layout import (letters_pdf, write_letter_files,
                                                write_letters_pdf)
from tsa_desktop.formats.letters.names import letter_file_names, safe_file_name
from tsa_desktop.formats.letters.pack import mentor_pack_pdf

D = dt.date
NAMES = ["Siân", "Łukasz", "Nguyễn Thị", "Zoë", "Олена"]

@pytest.fixture(scope="module")
def letterhead() -> Letterhead:
    return oak_tree_letterhead()


def rows() -> tuple[PlacementRow, ...]:
    return (
        PlacementRow("Autumn block A", D(2025, 9, 8), D(2025, 10, 24), "Łukasz Street Primary",
                     ("4 Ash Road", "Northfield NF2 1AB"), "Олена Коваленко",
                     "o.kovalenko@lukasz.sch.uk"),
        PlacementRow("Spring block B", D(2026, 1, 12), D(2026, 3, 27), "Smith & Jones Academy",
                     ("1 High Street",), "Nguyễn Thị Lan", "n.lan@sja.sch.uk"),
        PlacementRow("Summer block C", D(2026, 4, 20), D(2026, 6, 26), "St Zoë's Primary",
                     ("Church Walk", "Westbury WB1 2CD"), "Gareth Pryce", "g.pryce@stz.sch.uk"),
    )


def trainee_letter(**changes) -> TraineeLetter:
    values = dict(
        letter_date=D(2025, 9, 1), first_names="Siân", last_name="Łukasz-Zoë",
        academic_year="2025/26", placements=rows(), contact=CONTACT,
        address_lines=("Flat 2", "7 Willow Court", "Northfield NF3 9ZZ"),
        email="sian@example.ac.uk", what_to_bring=("your DBS certificate", "photo ID"),
        reference="T0042")
    values.update(changes)
    return TraineeLetter(**values)


def school_letter(**changes) -> SchoolLetter:
    values = dict(
        letter_date=D(2025, 9, 1), school_name="Łukasz Street Primary",
        recipient_name="Mrs Zoë Adeyemi", academic_year="2025/26", block_name="Autumn block A",
        block_start=D(2025, 9, 8), block_end=D(2025, 10, 24),
        trainees=(
            HostedTrainee("Siân Łukasz-Zoë", D(2025, 9, 8), D(2025, 10, 24),
                          "Олена Коваленко", "sian@example.ac.uk", "Primary with mathematics",
                          "School Direct (salaried)", "o.kovalenko@lukasz.sch.uk"),
            HostedTrainee("Nguyễn Thị Hoa", D(2025, 9, 15), D(2025, 10, 17), "Gareth Pryce",
                          "hoa@example.ac.uk", "Primary", "SCITT", "g.pryce@lukasz.sch.uk"),
        ),
        contact=CONTACT, recipient_role="ITT Coordinator",
        school_address=("4 Ash Road", "Northfield", "NF2 1AB"), reference="S-100001")
    values.update(changes)
    return SchoolLetter(**values)


def mentor_pack() -> MentorPack:
    return MentorPack(
        D(2025, 9, 1), "2025/26", "Олена Коваленко", "o.kovalenko@lukasz.sch.uk",
        "Łukasz Street Primary",
        (MentorPlacement(101, "Autumn block A", D(2025, 9, 8), D(2025, 10, 24),
                         "Łukasz Street Primary", "Siân Łukasz-Zoë", "sian@example.ac.uk",
                         "07700 900123", "Primary with mathematics", ("4 Ash Road",),
                         (OtherPlacement("Spring block B", D(2026, 1, 12), D(2026, 3, 27),
                                         "Smith & Jones Academy"),)),
         MentorPlacement(102, "Spring block B", D(2026, 1, 12), D(2026, 3, 27),
                         "Łukasz Street Primary", "Zoë <b>Brontë</b>", "zoe@example.ac.uk",
                         "07700 900456", "Primary")),
        "Nguyễn Thị Lan", "n.lan@sja.sch.uk", CONTACT)


def pdf_text(data: bytes | Path) -> str:
    """All text of a PDF, with runs of white space made one space (line wraps vary)."""
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    reader = PdfReader(source)
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


# --------------------------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------------------------


def test_trainee_letter_prints_the_data_exactly(letterhead):
    letter = trainee_letter()
    data = letters_pdf([letter], letterhead)
    text = pdf_text(data)
    assert page_count(data) == 1
    expected = [
        "Dear Siân,", "Siân Łukasz-Zoë", *letter.address_lines, "Our ref: T0042",
        long_date(letter.letter_date), "School placements 2025/26",
        letterhead.alliance_name, *letterhead.address_lines, letterhead.email,
        "Dr Helen Marsh", "ITT Lead", "• your DBS certificate", "• photo ID",
        CONTACT.name, CONTACT.role, CONTACT.email, CONTACT.phone, "Yours sincerely,",
    ]
    for row in letter.placements:
        expected += [row.block_name, short_date(row.start), short_date(row.end),
                     row.school_name, *row.school_address, row.mentor_name, row.mentor_email]
    for value in expected:
        assert value in text, value


def test_names_in_many_scripts_print_exactly(letterhead):
    letters = [trainee_letter(first_names=name, last_name=f"{name}-Ashworth",
                              reference=f"T{i}") for i, name in enumerate(NAMES)]
    text = pdf_text(letters_pdf(letters, letterhead))
    for name in NAMES:
        assert f"Dear {name}," in text
        assert f"{name} {name}-Ashworth" in text


def test_decomposed_input_prints_composed(letterhead):
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Zoë")
    assert decomposed != "Nguyễn Thị Zoë"
    text = pdf_text(letters_pdf([trainee_letter(first_names=decomposed)], letterhead))
    assert "Dear Nguyễn Thị Zoë," in text


@pytest.mark.parametrize("value", [
    "<b>x</b>", "Smith & Jones", "Tom <Smith", "AT&T", "&amp;", "**not bold**", "{trainee_name}",
    '<img src="/etc/passwd"/>', "<font size=40>big</font>", "a]]>b",
])
def test_markup_in_values_prints_literally(letterhead, value):
    letter = trainee_letter(
        first_names=value,
        placements=(PlacementRow("Autumn block A", D(2025, 9, 8), D(2025, 10, 24), value,
                                 (value,), value, ""),),
        what_to_bring=(value,))
    data = letters_pdf([letter], Letterhead("Alliance " + value, (value,)))
    text = pdf_text(data)
    assert f"Dear {value}," in text
    assert text.count(value) >= 6
    if value == "AT&T":
        assert "AT&T;" not in text
    # Nothing in the data may pull in an image (the letterhead has no logo here).
    reader = PdfReader(io.BytesIO(data))
    assert all("/XObject" not in page["/Resources"] for page in reader.pages)


def test_fonts_are_dejavu_and_embedded(letterhead):
    data = letters_pdf([trainee_letter(), school_letter()], letterhead)
    reader = PdfReader(io.BytesIO(data))
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            seen.add(str(font["/BaseFont"]))
            assert "DejaVuSans" in str(font["/BaseFont"]), font["/BaseFont"]
            assert "/FontFile2" in font["/FontDescriptor"], "font not embedded"
    assert any(name.endswith("+DejaVuSans") for name in seen)
    assert any(name.endswith("+DejaVuSans-Bold") for name in seen)


def test_school_letter_prints_the_data_exactly(letterhead):
    letter = school_letter()
    data = letters_pdf([letter], letterhead)
    text = pdf_text(data)
    assert page_count(data) == 1
    expected = ["Dear Mrs Zoë Adeyemi,", "ITT Coordinator", letter.school_name,
                *letter.school_address, "Trainee placement: Autumn block A 2025/26",
                "two trainees", "from 8 September 2025 to 24 October 2025", "Our ref: S-100001"]
    for trainee in letter.trainees:
        expected += [trainee.name, trainee.email, trainee.subject, trainee.route,
                     trainee.mentor_name, trainee.mentor_email, short_date(trainee.start),
                     short_date(trainee.end)]
    for value in expected:
        assert value in text, value


def test_school_letter_greets_by_salutation_name(letterhead):
    text = pdf_text(letters_pdf([school_letter(salutation_name="Mrs Adeyemi")], letterhead))
    assert "Dear Mrs Adeyemi," in text
    assert "Mrs Zoë Adeyemi ITT Coordinator" in text  # the address keeps the full name


def test_letters_each_start_a_page_in_the_order_given(letterhead):
    letters = [trainee_letter(first_names=n, reference=str(i)) for i, n in enumerate(NAMES)]
    letters.append(school_letter())
    data = letters_pdf(letters, letterhead)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == len(letters)
    for page, name in zip(reader.pages, NAMES):
        assert f"Dear {name}," in re.sub(r"\s+", " ", page.extract_text())
    assert "Dear Mrs Zoë Adeyemi," in reader.pages[-1].extract_text()


def test_long_rotation_continues_with_a_running_head(letterhead):
    many = tuple(PlacementRow(f"Block {i}", D(2025, 9, 1) + dt.timedelta(days=14 * i),
                              D(2025, 9, 12) + dt.timedelta(days=14 * i), f"School {i}",
                              ("1 Road", "Town", "AB1 2CD"), f"Mentor {i}", f"m{i}@s.sch.uk")
                 for i in range(20))
    data = letters_pdf([trainee_letter(placements=many), school_letter()], letterhead)
    reader = PdfReader(io.BytesIO(data))
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    assert len(pages) >= 3
    assert "Dear Siân," in pages[0] and "page 1" not in pages[0]
    for number, page in enumerate(pages[1:-1], start=2):
        assert f"Siân Łukasz-Zoë · 1 September 2025 · page {number}" in page
    assert "Block Dates School Mentor" in pages[1]  # the table's header row repeats
    assert "Dear Mrs Zoë Adeyemi," in pages[-1]
    assert "· page" not in pages[-1]  # the next letter starts afresh
    # The lead-in of the list stays with the list.
    lead_in = next(i for i, page in enumerate(pages) if "Please bring with you:" in page)
    assert "• your DBS certificate" in pages[lead_in]
    text = pdf_text(data)
    for i in range(20):
        assert f"School {i} " in text


def test_empty_bring_list_drops_its_lead_in(letterhead):
    text = pdf_text(letters_pdf([trainee_letter(what_to_bring=())], letterhead))
    assert "Please bring with you" not in text
    assert "If anything here is not as you expect" in text


def test_letter_without_postal_address_shows_email(letterhead):
    text = pdf_text(letters_pdf([trainee_letter(address_lines=())], letterhead))
    assert "Siân Łukasz-Zoë sian@example.ac.uk" in text


def test_unassigned_mentor_says_so(letterhead):
    row = PlacementRow("Autumn block A", D(2025, 9, 8), D(2025, 10, 24), "Oak School")
    text = pdf_text(letters_pdf([trainee_letter(placements=(row,))], letterhead))
    assert "to be confirmed" in text


def test_custom_template_with_markup(letterhead):
    template = LetterTemplate(
        "trainee", subject="Re: **{trainee_name}** <draft>", salutation="Hello {trainee_first_name}",
        body="Price: 5 \\* 3 & {{braces}}\n\n- first {reference}\n- *second*\n\n{placements_table}",
        closing="Best wishes,")
    text = pdf_text(letters_pdf([trainee_letter()], letterhead, trainee_template=template))
    for value in ("Re: Siân Łukasz-Zoë <draft>", "Hello Siân", "Price: 5 * 3 & {braces}",
                  "• first T0042", "• second", "Best wishes,", "Autumn block A"):
        assert value in text, value
    assert "**" not in text
    markup = fill(template.compiled_subject, {"trainee_name": "<i>A & B</i>"})
    assert markup == "Re: <b>&lt;i&gt;A &amp; B&lt;/i&gt;</b> &lt;draft&gt;"


def test_mentor_pack_prints_the_data_exactly(letterhead):
    pack = mentor_pack()
    data = mentor_pack_pdf(pack, letterhead)
    text = pdf_text(data)
    expected = ["Mentor pack 2025/26", pack.mentor_name, pack.mentor_email, pack.school_name,
                pack.lead_mentor_name, pack.lead_mentor_email, CONTACT.name, CONTACT.email,
                "Smith & Jones Academy", "(with you)"]
    for p in pack.placements:
        expected += [p.trainee_name, p.trainee_email, p.trainee_phone, p.block_name,
                     short_date(p.start), short_date(p.end)]
    for value in expected:
        assert value in text, value
    assert "Zoë <b>Brontë</b>" in text


def test_mentor_pack_without_trainees(letterhead):
    pack = MentorPack(D(2025, 9, 1), "2025/26", "Zoë Pryce", "", "Oak School", ())
    text = pdf_text(mentor_pack_pdf(pack, letterhead))
    assert "No trainees are placed with you in 2025/26." in text
    assert "not assigned" in text


# --------------------------------------------------------------------------------------------
# Files, progress and cancel
# --------------------------------------------------------------------------------------------


def test_one_file_per_letter(tmp_path, letterhead):
    letters = [trainee_letter(first_names=n, last_name="Jones", reference="") for n in NAMES]
    letters.append(trainee_letter(first_names="Siân", last_name="Jones", reference=""))
    letters.append(trainee_letter(first_names="SIÂN", last_name="JONES", reference=""))
    letters.append(trainee_letter(first_names="A/B\\C", last_name="..", reference="x:y"))
    letters.append(school_letter())
    paths = write_letter_files(tmp_path / "out", letters, letterhead)
    names = [p.name for p in paths]
    assert names[:5] == [f"Jones, {n}.pdf" for n in NAMES]
    assert names[5] == "Jones, Siân (2).pdf"
    assert names[6] == "JONES, SIÂN (3).pdf"
    assert names[7] == "A_B_C - x_y.pdf"
    assert names[8] == "Łukasz Street Primary - Autumn block A - Mrs Zoë Adeyemi - S-100001.pdf"
    assert len({n.casefold() for n in names}) == len(names)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(names)
    for path, letter in zip(paths, letters):
        text = pdf_text(path)
        assert path.parent == tmp_path / "out"
        assert len(PdfReader(path).pages) == 1
        if isinstance(letter, TraineeLetter):
            assert f"Dear {letter.first_names}," in text
    assert letter_file_names(letters) == names


@pytest.mark.parametrize("stem, expected", [
    ("Jones, Siân", "Jones, Siân.pdf"),
    ("../../etc/passwd", "_.._etc_passwd.pdf"),
    ("a\\b/c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j.pdf"),
    ("CON", "_CON.pdf"),
    ("nul.txt", "_nul.txt.pdf"),
    ("  . ", "letter.pdf"),
    ("tab\there\nnew", "tab_here_new.pdf"),
    ("x" * 300, "x" * 80 + ".pdf"),
])
def test_safe_file_name(stem, expected):
    assert safe_file_name(stem) == expected


def test_progress_reports_each_letter(letterhead):
    seen = []

    class Recorder(Progress):
        def report(self, done, total, message=""):
            seen.append((done, total))

    letters_pdf([trainee_letter(), school_letter(), trainee_letter()], letterhead,
                progress=Recorder())
    # Each letter is reported as it is read, then as it is set out, so the bar moves throughout.
    assert seen == [(1, 6), (2, 6), (3, 6), (4, 6), (5, 6), (6, 6)]


class CancelAfter(Progress):
    def __init__(self, after: int):
        super().__init__()
        self.after = after

    def report(self, done, total, message=""):
        if done >= self.after:
            self.cancel()


def test_cancel_leaves_no_file(tmp_path, letterhead):
    target = tmp_path / "letters.pdf"
    with pytest.raises(CancelledError):
        write_letters_pdf(target, [trainee_letter()] * 4, letterhead, progress=CancelAfter(2))
    assert list(tmp_path.iterdir()) == []


def test_cancel_leaves_folder_as_it_was(tmp_path, letterhead):
    (tmp_path / "keep.txt").write_text("mine")
    letters = [trainee_letter(first_names=n) for n in NAMES]
    with pytest.raises(CancelledError):
        write_letter_files(tmp_path, letters, letterhead, progress=CancelAfter(3))
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_write_letters_pdf_replaces_file(tmp_path, letterhead):
    target = tmp_path / "letters.pdf"
    target.write_bytes(b"old")
    assert write_letters_pdf(target, [trainee_letter()], letterhead) == target
    assert "Dear Siân," in pdf_text(target)
    assert [p.name for p in tmp_path.iterdir()] == ["letters.pdf"]


def test_no_letters_is_an_error(letterhead):
    with pytest.raises(ValueError, match="no letters"):
        letters_pdf([], letterhead)


def test_unreadable_logo_is_a_clear_error():
    with pytest.raises(ValueError, match="logo"):
        letters_pdf([trainee_letter()], Letterhead("A", logo=b"not an image"))


def test_template_of_the_wrong_kind_is_refused(letterhead):
    with pytest.raises(ValueError, match="trainee_template"):
        letters_pdf([trainee_letter()], letterhead, trainee_template=DEFAULT_SCHOOL_TEMPLATE)


def test_large_logo_is_shrunk(letterhead):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4000, 1500), (31, 58, 95)).save(buffer, "PNG")
    big = Letterhead("A", logo=buffer.getvalue())
    data = letters_pdf([trainee_letter()], big)
    image = next(iter(PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/XObject"].values()))
    assert max(image.get_object()["/Width"], image.get_object()["/Height"]) <= L.LOGO_MAX_PIXELS


# --------------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------------


def test_unknown_placeholder_is_named():
    with pytest.raises(ValueError, match=r"unknown placeholder \{trainee_nme\}") as err:
        LetterTemplate("trainee", "Subject", "Dear {trainee_first_name},",
                       "Hello\n\nWe place {trainee_nme} here.")
    assert "body, line 3" in str(err.value)
    assert "trainee_name" in str(err.value)  # the known names are listed


def test_school_placeholder_is_unknown_in_trainee_template():
    with pytest.raises(ValueError, match=r"unknown placeholder \{school_name\}"):
        LetterTemplate("trainee", "{school_name}", "Dear", "Body")


@pytest.mark.parametrize("body, message", [
    ("{0}", "is not a placeholder"),
    ("{trainee_name.__class__}", "is not a placeholder"),
    ("{trainee_name[0]}", "is not a placeholder"),
    ("{trainee_name!r}", "is not a placeholder"),
    ("{trainee_name:>20}", "is not a placeholder"),
    ("a { b", "lone"),
    ("a } b", "lone"),
    ("**open", "not closed"),
    ("*open", "not closed"),
    ("*a **b* c**", "close the inner one first"),
    ("See {placements_table} here", "must stand alone"),
])
def test_bad_templates_are_refused(body, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        LetterTemplate("trainee", "Subject", "Dear {trainee_first_name},", body)


def test_default_templates_use_known_placeholders_only():
    # Construction validates; a typo in a default would fail at import, but say it here too.
    assert DEFAULT_TRAINEE_TEMPLATE.kind == "trainee"
    assert DEFAULT_SCHOOL_TEMPLATE.kind == "school"
    assert set(TRAINEE_BLOCKS) == {"placements_table", "what_to_bring_list"}
    assert set(SCHOOL_BLOCKS) == {"trainees_table"}


# --------------------------------------------------------------------------------------------
# Fingerprints
# --------------------------------------------------------------------------------------------


def test_fingerprint_is_stable_for_the_same_data():
    a = trainee_letter()
    assert fingerprint(a) == fingerprint(trainee_letter())
    assert re.fullmatch(r"[0-9a-f]{64}", fingerprint(a))
    # The printed date and the order rows are given in do not change what the letter says.
    assert fingerprint(a) == fingerprint(trainee_letter(letter_date=D(2026, 1, 5)))
    assert fingerprint(a) == fingerprint(trainee_letter(placements=tuple(reversed(rows()))))
    assert fingerprint(a) == fingerprint(trainee_letter(
        first_names=unicodedata.normalize("NFD", "Siân")))


@pytest.mark.parametrize("change", [
    dict(first_names="Sian"),
    dict(email="other@example.ac.uk"),
    dict(reference="T0043"),
    dict(what_to_bring=("your DBS certificate",)),
    dict(contact=Contact("Someone Else", "Placements Coordinator",
                         "placements@oaktree-tsa.org.uk", "01632 960 123")),
    dict(placements=rows()[:2]),
    dict(placements=(rows()[0].__class__(**{**rows()[0].__dict__, "mentor_name": "New"}),
                     *rows()[1:])),
    dict(placements=(rows()[0].__class__(**{**rows()[0].__dict__, "end": D(2025, 10, 23)}),
                     *rows()[1:])),
])
def test_fingerprint_changes_with_the_data(change):
    assert fingerprint(trainee_letter()) != fingerprint(trainee_letter(**change))


def test_fingerprint_of_school_letters_and_packs():
    assert fingerprint(school_letter()) == fingerprint(school_letter(letter_date=D(2030, 1, 1)))
    assert fingerprint(school_letter()) != fingerprint(school_letter(block_end=D(2025, 10, 23)))
    assert fingerprint(mentor_pack()) == fingerprint(mentor_pack())
    assert fingerprint(trainee_letter()) != fingerprint(school_letter())


def test_fingerprint_counts_letterhead_and_template_only_when_given(letterhead):
    letter = trainee_letter()
    other = Letterhead("Another Alliance")
    assert fingerprint(letter) == fingerprint(letter)
    assert fingerprint(letter, letterhead=letterhead) != fingerprint(letter, letterhead=other)
    assert fingerprint(letter, letterhead=letterhead) == fingerprint(letter, letterhead=letterhead)
    changed = LetterTemplate("trainee", "S", "Dear {trainee_first_name},", "Body")
    assert (fingerprint(letter, template=DEFAULT_TRAINEE_TEMPLATE)
            != fingerprint(letter, template=changed))


# --------------------------------------------------------------------------------------------
# Resources
# --------------------------------------------------------------------------------------------


def test_resources_dir_from_source_tree(monkeypatch):
    monkeypatch.delenv(L.RESOURCES_ENV, raising=False)
    monkeypatch.delattr("sys._MEIPASS", raising=False)
    folder = L.resources_dir()
    assert (folder / "fonts" / "DejaVuSans.ttf").is_file()
    assert (folder / "fonts" / "DejaVu-LICENSE.txt").is_file()
    assert (folder / "letters" / "default-logo.png").is_file()


def test_resources_dir_in_a_bundle_and_overridden(monkeypatch, tmp_path):
    monkeypatch.delenv(L.RESOURCES_ENV, raising=False)
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert L.resources_dir() == tmp_path / "resources"
    monkeypatch.setenv(L.RESOURCES_ENV, str(tmp_path / "mine"))
    assert L.resources_dir() == tmp_path / "mine"


def test_fonts_register_once():
    assert L.register_fonts() == L.register_fonts() == "DejaVuSans"
