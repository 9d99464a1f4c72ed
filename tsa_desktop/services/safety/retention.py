"""Retention of personal data: anonymise trainees and NQTs whose training ended long ago.

Trainees and NQTs whose training ended more than ``retention_years`` ago are anonymised, and
their earlier values are removed from the audit trail too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update

from tsa_desktop.db import audit
from tsa_desktop.db import models as m
from tsa_desktop.domain.settings import SETTINGS_BY_KEY
from tsa_desktop.services.base import Service

__all__ = ["RetentionPreview", "RetentionService"]


@dataclass(frozen=True)
class RetentionPreview:
    """Who is due for anonymising.

    Attributes:
        years: The retention period (setting ``retention_years``).
        cutoff: Training that ended before this date is due.
        trainees: (id, name, academic year) of each trainee due.
        nqts: (id, name, academic year) of each NQT due.
    """

    years: int
    cutoff: dt.date
    trainees: tuple[tuple[int, str, str], ...]
    nqts: tuple[tuple[int, str, str], ...]

    @property
    def count(self) -> int:
        return len(self.trainees) + len(self.nqts)

    def __str__(self) -> str:
        return (f"{len(self.trainees)} trainees and {len(self.nqts)} NQTs whose training ended before "
                f"{self.cutoff:%d/%m/%Y} (retention {self.years} years)")


class RetentionService(Service):
    """Anonymise trainees and NQTs whose training ended more than ``retention_years`` ago.

    What identifies a person is removed (names, email, phone, TRN, home address, free-text
    notes); what the alliance reports on is kept (route, phase, subject, year, status,
    placements). Their earlier values are removed from the audit trail as well, and so are the
    values of every audit entry older than the retention period.
    """

    permission = "retention"

    def years(self) -> int:
        """The retention period in years."""
        definition = SETTINGS_BY_KEY["retention_years"]
        with self._read() as s:
            raw = s.scalar(select(m.Setting.value).where(m.Setting.key == "retention_years"))
        try:
            return int(definition.parse(raw)) if raw not in (None, "") else int(definition.default)
        except ValueError:
            return int(definition.default)

    def preview(self, today: dt.date | None = None) -> RetentionPreview:
        """Who would be anonymised today, without changing anything."""
        self._require("retention")
        years, cutoff = self._cutoff(today)
        with self._read() as s:
            trainees, nqts = self._due(s, cutoff)
        return RetentionPreview(years, cutoff, tuple(trainees), tuple(nqts))

    def anonymise(self, today: dt.date | None = None) -> RetentionPreview:
        """Anonymise everybody due, in one transaction, and record it in the audit trail.

        Returns:
            Who was anonymised.
        """
        years, cutoff = self._cutoff(today)
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        with self._write() as s:
            trainees, nqts = self._due(s, cutoff)
            t_ids, n_ids = [t[0] for t in trainees], [n[0] for n in nqts]
            for chunk in _chunks(t_ids):
                s.execute(update(m.Trainee.__table__).where(m.Trainee.__table__.c.id.in_(chunk)).values(
                    trainee_id="ANON-" + m.Trainee.__table__.c.id.cast(m.Trainee.__table__.c.trainee_id.type),
                    trn=None, first_names="Anonymised", last_name="trainee", email="", phone="",
                    home_postcode="", home_easting=None, home_northing=None, over_allocation_reason=None,
                    anonymised_at=now, version=m.Trainee.__table__.c.version + 1))
                s.execute(update(m.TraineeStatusChange.__table__)
                          .where(m.TraineeStatusChange.__table__.c.trainee_id.in_(chunk)).values(note=""))
                s.execute(update(m.Placement.__table__)
                          .where(m.Placement.__table__.c.trainee_id.in_(chunk)).values(notes=""))
            nt = m.Nqt.__table__
            for chunk in _chunks(n_ids):
                s.execute(update(nt).where(nt.c.id.in_(chunk)).values(
                    email="anonymised-" + nt.c.id.cast(nt.c.email.type) + "@invalid", trn=None,
                    first_names="Anonymised", last_name="NQT", anonymised_at=now, version=nt.c.version + 1))
                s.execute(update(m.NqtAssessment.__table__)
                          .where(m.NqtAssessment.__table__.c.nqt_id.in_(chunk)).values(notes=""))
            reason = f"anonymised after {years} years"
            redacted = audit.redact(s, "trainees", t_ids, reason) + audit.redact(s, "nqts", n_ids, reason)
            redacted += audit.redact_older_than(s, dt.datetime.combine(cutoff, dt.time()), f"older than {years} years")
            result = RetentionPreview(years, cutoff, tuple(trainees), tuple(nqts))
            audit.record_bulk(s, "trainees", "anonymise",
                              f"Anonymised {result}; {redacted} earlier audit entries cleared",
                              also=("nqts", "trainee_status_changes", "placements", "nqt_assessments"))
        return result

    def _cutoff(self, today: dt.date | None) -> tuple[int, dt.date]:
        today = today or dt.date.today()
        years = self.years()
        try:
            return years, today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return years, today.replace(year=today.year - years, day=28)

    @staticmethod
    def _due(s, cutoff: dt.date) -> tuple[list, list]:
        t, y = m.Trainee, m.AcademicYear
        trainees = s.execute(
            select(t.id, t.first_names, t.last_name, y.name).join(y, y.id == t.academic_year_id)
            .where(y.end_date < cutoff, t.anonymised_at.is_(None)).order_by(y.name, t.last_name)).all()
        n, c = m.Nqt, m.InductionCohort
        nqts = s.execute(
            select(n.id, n.first_names, n.last_name, y.name).join(c, c.id == n.cohort_id)
            .join(y, y.id == c.academic_year_id)
            .where(y.end_date < cutoff, n.anonymised_at.is_(None)).order_by(y.name, n.last_name)).all()
        return ([(r[0], f"{r[1]} {r[2]}", r[3]) for r in trainees],
                [(r[0], f"{r[1]} {r[2]}", r[3]) for r in nqts])


def _chunks(ids: list[int], size: int = 500):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]
