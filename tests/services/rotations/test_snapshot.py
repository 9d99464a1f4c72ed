from tsa_desktop.domain.rules import check_rotations
from tsa_desktop.services.rotations.snapshot import load_snapshot

from tests.conftest import DEMO_YEAR


def test_snapshot_of_the_alliance_demo(alliance_demo):
    with alliance_demo.db.reading() as s:
        snap = load_snapshot(s, DEMO_YEAR, alliance_demo.alliance.settings())
    assert (len(snap.trainees), len(snap.schools), len(snap.mentors), len(snap.blocks)) == (121, 24, 216, 3)
    assert all(p.block_id in {b.id for b in snap.blocks} for p in snap.placements)
    secondary = [m for m in snap.mentors if m.phase.code == "secondary"]
    assert all(m.subjects for m in secondary)
    # The demo's Autumn placements break no rule: the only errors are rotations not yet planned.
    errors = {p.code for p in check_rotations(snap, snap.blocks[0].start) if p.severity.value == "error"}
    assert errors == {"distinct_schools"}


def test_unknown_year_names_the_years_there_are(alliance_demo):
    import pytest

    from tsa_desktop.domain.errors import NotFoundError

    with pytest.raises(NotFoundError, match="years: 2026/27"):
        with alliance_demo.db.reading() as s:
            load_snapshot(s, "2019/20", {})
