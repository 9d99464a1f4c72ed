from collections import Counter

import pytest
from sqlalchemy import func, select

from tsa_desktop.db import models as m
from tsa_desktop.domain.errors import ConflictError
from tsa_desktop.services.demo.builder import DemoService

from tests.conftest import DEMO_YEAR


def _count(ws, model, *where):
    with ws.db.reading() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_alliance_demo_follows_the_domain_figures(alliance_demo):
    ws = alliance_demo
    schools = ws.schools.list()
    assert Counter(s.phase.code for s in schools) == {"primary": 12, "secondary": 12}
    with ws.db.reading() as s:
        trainees = Counter(s.scalars(select(m.Trainee.phase)))
        mentors = Counter(s.scalars(select(m.Mentor.phase)))
        routes = set(s.scalars(select(m.Allocation.route)))
        blocks = s.scalar(select(func.count()).select_from(m.PlacementBlock))
    assert trainees == {"primary": 27, "secondary": 93, "special": 1}
    assert mentors == {"primary": 43, "secondary": 168, "special": 5}
    assert {"school_direct_tuition_fee", "school_direct_salaried", "scitt"} <= routes
    assert blocks == 3
    assert _count(ws, m.Nqt) == 38


def test_salaried_trainees_have_an_employing_school(alliance_demo):
    with alliance_demo.db.reading() as s:
        missing = s.scalar(select(func.count()).select_from(m.Trainee).where(
            m.Trainee.route == "school_direct_salaried", m.Trainee.employing_school_id.is_(None)))
    assert missing == 0


def test_same_seed_same_alliance_other_seed_other_people(tmp_path):
    from tsa_desktop.services.opening import open_workspace

    def names(path, seed):
        ws = open_workspace(path)
        DemoService(ws.db).create("small", seed=seed, year=DEMO_YEAR)
        with ws.db.reading() as s:
            result = [(t.first_names, t.last_name, t.trn) for t in s.scalars(select(m.Trainee).order_by(m.Trainee.id))]
        ws.close()
        return result

    assert names(tmp_path / "a.db", 7) == names(tmp_path / "b.db", 7)
    assert names(tmp_path / "a2.db", 7) != names(tmp_path / "c.db", 8)


def test_demo_refuses_to_overwrite_without_force(small_demo):
    with pytest.raises(ConflictError, match="already holds an alliance, which the demo would replace") as info:
        DemoService(small_demo.db).create("small", seed=1, year=DEMO_YEAR)
    assert "--" not in str(info.value)  # the command line adds its own hint (tests/cli)
    DemoService(small_demo.db).create("alliance", seed=2, year=DEMO_YEAR, force=True)
    assert len(small_demo.schools.list()) == 24


def test_large_demo_sizes(workspace):
    summary = DemoService(workspace.db).create("large", seed=1, year=DEMO_YEAR)
    assert (summary.schools, summary.trainees, summary.mentors) == (150, 1000, 1200)


def test_default_blocks_run_monday_to_friday():
    from tsa_desktop.services.reference.years import default_blocks

    for year in ("2025/26", "2026/27", "2031/32"):
        for _name, start, end, days in default_blocks(year):
            assert start.weekday() == 0 and end.weekday() == 4
            assert 40 <= days <= 55


def test_lead_mentors_work_in_several_schools(alliance_demo):
    with alliance_demo.db.reading() as s:
        schools = set(s.scalars(select(m.Mentor.school_id).where(m.Mentor.is_lead_mentor.is_(True))))
    assert len(schools) >= 5
