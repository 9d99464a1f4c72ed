"""The mentor pack's email draft: parsed back as a mail program reads it."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy

from tsa_desktop.formats.letters import Contact, Letterhead, MentorPack, MentorPlacement
from tsa_desktop.formats.letters.draft import write_mentor_pack_email


def pack(email: str = "s.lukasz@st-zoe.example.sch.uk") -> MentorPack:
    placement = MentorPlacement(7, "Autumn block A", dt.date(2025, 9, 8), dt.date(2025, 10, 24),
                                "St Zoë's Primary", "Олена Коваленко")
    return MentorPack(dt.date(2025, 9, 1), "2025/26", "Siân Łukasz", email, "St Zoë's Primary",
                      (placement,), contact=Contact("Priya Ramsden", "Placements Coordinator",
                                                    "placements@oaktree.example", "01632 960 123"))


def write(tmp_path, the_pack):
    pdf, ics = tmp_path / "pack.pdf", tmp_path / "pack.ics"
    pdf.write_bytes(b"%PDF-1.4 not really")
    ics.write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    head = Letterhead("Oak Tree TSA", email="itt@oaktree.example", signoff_name="Dr Helen Marsh")
    path = write_mentor_pack_email(tmp_path / "draft.eml", the_pack, head, pdf, ics)
    return path.read_bytes()


def test_draft_is_an_unsent_message_to_the_mentor_with_both_files(tmp_path):
    raw = write(tmp_path, pack())
    assert b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n")  # CRLF throughout
    draft = message_from_bytes(raw, policy=policy.default)
    assert draft["X-Unsent"] == "1"
    to = draft["To"].addresses[0]
    assert (to.display_name, to.addr_spec) == ("Siân Łukasz", "s.lukasz@st-zoe.example.sch.uk")
    assert draft["From"].addresses[0].addr_spec == "itt@oaktree.example"
    assert draft["Subject"] == "Your mentor pack for 2025/26: 1 trainee placement"
    body = draft.get_body(("plain",)).get_content()
    assert body.startswith("Dear Siân Łukasz,")
    assert "Priya Ramsden (Placements Coordinator): placements@oaktree.example" in body
    assert "Dr Helen Marsh" in body
    files = {p.get_filename(): p.get_payload(decode=True) for p in draft.iter_attachments()}
    assert files == {"pack.pdf": b"%PDF-1.4 not really",
                     "pack.ics": b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"}


def test_an_unusable_address_leaves_the_draft_without_a_recipient(tmp_path):
    draft = message_from_bytes(write(tmp_path, pack("not an address@")), policy=policy.default)
    assert draft["To"] is None and draft["X-Unsent"] == "1"
    assert len(list(draft.iter_attachments())) == 2
