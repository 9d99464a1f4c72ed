"""Retention: trainees and NQTs whose training ended more than N years ago are anonymised, over
real databases; what the alliance reports on stays, and the audit trail keeps no personal data."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import select

from tests.services.transfer.helpers import snapshot
from tsa_desktop.db import models as m
from tsa_desktop.domain.errors import ValidationError

OLD, LATER = "2026/27", "2027/28"  # the demo's year (ends 31/08/2027), and the year after
TODAY = dt.date(2031, 1, 15)  # with 3 years: training that ended before 15/01/2028 is due


def _rows(ws, model, ids=None) -> dict[int, dict]:
    table = model.__table__
    stmt = select(table) if ids is None else select(table).where(table.c.id.in_(ids))
    with ws.db.reading() as s:
        return {r["id"]: dict(r) for r in s.connection().execute(stmt).mappings()}


def _ids_of_year(ws, year: str) -> tuple[set[int], set[int]]:
    with ws.db.reading() as s:
        trainees = set(s.scalars(select(m.Trainee.id).join(m.AcademicYear).where(m.AcademicYear.name == year)))
        nqts = set(s.scalars(select(m.Nqt.id).join(m.InductionCohort)
                             .join(m.AcademicYear, m.AcademicYear.id == m.InductionCohort.academic_year_id)
                             .where(m.AcademicYear.name == year)))
    return trainees, nqts


@pytest.fixture
def two_years(small_demo):
    """The small demo (2026/27) with a trainee and an NQT of 2027/28, retention set to 3 years."""
    ws = small_demo
    school = ws.schools.list()[0]
    ws.allocations.create({"academic_year": LATER, "route": "scitt", "phase": school.phase.code,
                           "subject": "F3" if school.phase.code == "secondary" else "00",
                           "lead_school_id": school.id, "places": 2})
    ws.trainees.create({"trainee_id": "LATER1", "first_names": "Lena", "last_name": "Keepwell", "trn": "7654321",
                        "email": "lena@example.org", "phone": "07700 900456", "route": "scitt",
                        "phase": school.phase.code, "subject": "F3" if school.phase.code == "secondary" else "00",
                        "academic_year": LATER, "home_postcode": "GU9 7AA"})
    ws.induction.create({"email": "later.nqt@nqt.example", "first_names": "Nia", "last_name": "Stayput",
                         "trn": "0123456", "academic_year": LATER, "employing_school_id": school.id,
                         "start_date": "06/09/2027", "fte": "1", "appropriate_body": "Surrey Appropriate Body"})
    ws.alliance.save_settings({"retention_years": 3})
    return ws


def test_the_retention_period_is_the_setting(small_demo):
    assert small_demo.retention.years() == 6  # the default
    small_demo.alliance.save_settings({"retention_years": 3})
    assert small_demo.retention.years() == 3
    with pytest.raises(ValidationError):
        small_demo.alliance.save_settings({"retention_years": 0})
    assert small_demo.retention.years() == 3


def test_the_preview_names_who_is_due_and_changes_nothing(two_years):
    ws = two_years
    old_trainees, old_nqts = _ids_of_year(ws, OLD)
    before = snapshot(ws)
    preview = ws.retention.preview(TODAY)
    assert (preview.years, preview.cutoff) == (3, dt.date(2028, 1, 15))
    assert {t[0] for t in preview.trainees} == old_trainees and {n[0] for n in preview.nqts} == old_nqts
    assert preview.count == len(old_trainees) + len(old_nqts) > 0
    assert all(year == OLD for _id, _name, year in preview.trainees + preview.nqts)
    assert str(preview) == (f"{len(old_trainees)} trainees and {len(old_nqts)} NQTs whose training ended "
                            "before 15/01/2028 (retention 3 years)")
    assert snapshot(ws) == before
    # a day when 2026/27 ended less than 3 years ago: nobody is due
    assert ws.retention.preview(dt.date(2030, 8, 31)).count == 0


def test_anonymising_removes_what_identifies_a_person_and_keeps_the_rest(two_years):
    ws = two_years
    old_trainees, old_nqts = _ids_of_year(ws, OLD)
    later_trainees, later_nqts = _ids_of_year(ws, LATER)
    trainees_before, nqts_before = _rows(ws, m.Trainee), _rows(ws, m.Nqt)
    placements_before = _rows(ws, m.Placement)
    preview = ws.retention.preview(TODAY)

    done = ws.retention.anonymise(TODAY)
    assert (done.trainees, done.nqts) == (preview.trainees, preview.nqts)

    trainees, nqts = _rows(ws, m.Trainee), _rows(ws, m.Nqt)
    for tid in old_trainees:
        row, was = trainees[tid], trainees_before[tid]
        assert (row["first_names"], row["last_name"]) == ("Anonymised", "trainee")
        assert (row["email"], row["phone"], row["trn"], row["home_postcode"]) == ("", "", None, "")
        assert (row["home_easting"], row["home_northing"], row["over_allocation_reason"]) == (None, None, None)
        assert row["trainee_id"] == f"ANON-{tid}" and row["anonymised_at"] is not None
        kept = ("route", "phase", "subject", "academic_year_id", "allocation_id", "status", "start_date",
                "employing_school_id")
        assert {k: row[k] for k in kept} == {k: was[k] for k in kept}
        assert row["version"] == was["version"] + 1  # an open edit of the old values is refused
    for nid in old_nqts:
        row, was = nqts[nid], nqts_before[nid]
        assert (row["first_names"], row["last_name"], row["trn"]) == ("Anonymised", "NQT", None)
        assert row["email"] == f"anonymised-{nid}@invalid" and row["anonymised_at"] is not None
        kept = ("cohort_id", "employing_school_id", "status", "start_date", "fte", "terms_counted")
        assert {k: row[k] for k in kept} == {k: was[k] for k in kept}
    # the later year's people are untouched
    assert {i: trainees[i] for i in later_trainees} == {i: trainees_before[i] for i in later_trainees}
    assert {i: nqts[i] for i in later_nqts} == {i: nqts_before[i] for i in later_nqts}
    # notes about them are emptied; their placements stay, for the alliance's figures
    placements = _rows(ws, m.Placement)
    assert set(placements) == set(placements_before)
    assert all(p["notes"] == "" for p in placements.values() if p["trainee_id"] in old_trainees)
    with ws.db.reading() as s:
        assert not [n for n in s.scalars(select(m.TraineeStatusChange.note)
                                         .where(m.TraineeStatusChange.trainee_id.in_(old_trainees))) if n]
        assert not [n for n in s.scalars(select(m.NqtAssessment.notes)
                                         .where(m.NqtAssessment.nqt_id.in_(old_nqts))) if n]
    # the lists show them anonymised
    listed = {t.id: t for t in ws.trainees.list()}
    assert {listed[i].name for i in old_trainees} == {"Anonymised trainee"}
    assert listed[next(iter(later_trainees))].name == "Lena Keepwell"


def test_the_audit_trail_records_it_without_the_personal_data(two_years):
    ws = two_years
    old_trainees, _old_nqts = _ids_of_year(ws, OLD)
    victim = ws.trainees.get(min(old_trainees))
    ws.trainees.update(victim.id, replace(victim.data(), email="private.address@example.org"), victim.version)
    assert ws.audit.history("trainees", victim.id)  # the change, with the email, is in the trail
    secrets = {victim.first_names, victim.last_name, victim.trainee_id, "private.address@example.org"}
    ws.db.user = "lead"

    done = ws.retention.anonymise(TODAY)
    entry = ws.audit.recent()[0]
    assert (entry.action, entry.table, entry.user, entry.record_id) == ("anonymise", "trainees", "lead", None)
    assert entry.summary.startswith(f"Anonymised {done}; ")
    assert "earlier audit entries cleared" in entry.summary
    for e in ws.audit.recent(limit=10_000):
        text = e.summary + " " + e.details
        assert not any(secret in text for secret in secrets), e
    [earlier] = ws.audit.history("trainees", victim.id)
    assert earlier.changes == () and earlier.summary == "(details removed: anonymised after 3 years)"


def test_anonymising_twice_changes_nothing_the_second_time(two_years):
    ws = two_years
    first = ws.retention.anonymise(TODAY)
    assert first.count > 0
    before = snapshot(ws)
    trail = [(e.id, e.summary, e.details) for e in ws.audit.recent(limit=10_000)]

    assert ws.retention.preview(TODAY).count == 0
    second = ws.retention.anonymise(TODAY)
    assert second.count == 0 and second.trainees == () and second.nqts == ()
    assert snapshot(ws) == before
    # earlier entries are as they were (at most a line saying that nothing was due is added)
    assert [(e.id, e.summary, e.details) for e in ws.audit.recent(limit=10_000)][-len(trail):] == trail
