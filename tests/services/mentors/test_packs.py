"""Packs for every mentor: the service, its index, and a cancel part way."""

from __future__ import annotations

import pytest

from tests.conftest import DEMO_YEAR
from tsa_desktop.domain.errors import CancelledError, ValidationError
from tsa_desktop.domain.progress import Progress


class CancelAfterFirst(Progress):
    def __init__(self) -> None:
        super().__init__()
        self.seen = []

    def report(self, done, total, message=""):
        self.seen.append((done, total, message))
        if done >= 1:
            self.cancel()


def test_every_placed_mentor_gets_a_pdf_a_calendar_and_a_draft(small_demo, tmp_path):
    year, ids = small_demo.mentor_packs.mentors_with_placements(DEMO_YEAR)
    result = small_demo.mentor_packs.write_all(tmp_path / "out", DEMO_YEAR)
    assert year == DEMO_YEAR and len(result.packs) == len(ids) > 0
    assert len({p.mentor_email for p in result.packs}) == len(ids)
    for files in result.packs:
        assert files.pdf.is_file() and files.calendar.is_file() and files.email.is_file()
    assert result.index is not None and result.index.is_file()
    assert f"packs for {len(ids)} mentor" in str(result)


def test_a_cancel_keeps_finished_packs_and_writes_no_index(small_demo, tmp_path):
    progress = CancelAfterFirst()
    with pytest.raises(CancelledError):
        small_demo.mentor_packs.write_all(tmp_path, DEMO_YEAR, progress=progress)
    assert progress.seen[0][0] == 0 and progress.seen[0][2].startswith("Mentor 1 of ")
    assert not (tmp_path / "index.csv").exists()
    assert len(list(tmp_path.glob("*.pdf"))) == 2  # the first two mentors were under way
    assert not list(tmp_path.glob(".~*"))  # nothing half-written


def test_a_file_for_the_folder_is_refused(small_demo, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ValidationError, match="is a file"):
        small_demo.mentor_packs.write_all(blocker, DEMO_YEAR)
