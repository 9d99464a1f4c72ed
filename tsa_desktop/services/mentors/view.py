"""The mentor's view: one mentor's trainees for a year, and the mentor pack (PDF and .ics).

Only placements naming the mentor are read, so a mentor's view or pack can never show another
mentor's trainees. For each trainee it gives their contact details and their other placements
of the year (where they are before and after), and the mentor's lead mentor.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.db.engine import Database
from tsa_desktop.domain.enums import InductionRegime, NqtStatus, PlacementStatus
from tsa_desktop.domain.induction_schedule import plan_induction
from tsa_desktop.domain.errors import DomainError, NotFoundError, ValidationError
from tsa_desktop.domain.mentors import MentorLoad, TrainingStatus
from tsa_desktop.domain.progress import SILENT, Progress
from tsa_desktop.formats.letters import Letterhead, MentorPack, MentorPlacement, OtherPlacement, TutoredNqt
from tsa_desktop.services.reference.alliance import AllianceService
from tsa_desktop.services.base import Service
from tsa_desktop.services.reference.letterhead import contact_of, letterhead_of, route_label, subject_label
from tsa_desktop.services.mentors.pool import MentorRow, MentorService, resolve_year

log = logging.getLogger(__name__)

#: The settings row that tells this database's calendar UIDs from another's (see formats.calendar).
CALENDAR_NAMESPACE_KEY = "calendar_uid_namespace"


@dataclass(frozen=True)
class OtherBlock:
    """Where a mentor's trainee is placed in another block of the year."""

    block_name: str
    start: dt.date
    end: dt.date
    school_name: str
    mentor_name: str

    def __str__(self) -> str:
        return f"{self.block_name}: {self.school_name}"


@dataclass(frozen=True)
class ViewPlacement:
    """One of the mentor's placements, with the trainee's contact and other placements."""

    placement_id: int
    block_id: int
    block_name: str
    start: dt.date
    end: dt.date
    school_name: str
    school_address: tuple[str, ...]
    status: PlacementStatus
    trainee_id: int
    trainee_name: str
    trainee_email: str
    trainee_phone: str
    subject: str
    route: str
    paired_with: str
    other_placements: tuple[OtherBlock, ...]

    @property
    def id(self) -> int:
        return self.placement_id

    @property
    def elsewhere(self) -> str:
        """The trainee's other placements on one line."""
        return "; ".join(str(o) for o in self.other_placements)


@dataclass(frozen=True)
class MentorView:
    """What a mentor checks: their trainees for the year, and who their lead mentor is."""

    mentor: MentorRow
    academic_year: str
    lead_mentor_name: str
    lead_mentor_email: str
    placements: tuple[ViewPlacement, ...]
    nqts: tuple[TutoredNqt, ...]

    @property
    def training(self) -> TrainingStatus:
        return self.mentor.training

    @property
    def load(self) -> MentorLoad:
        return self.mentor.load


@dataclass(frozen=True)
class MentorPackFiles:
    """The files a mentor pack run wrote."""

    mentor_name: str
    mentor_email: str
    academic_year: str
    pdf: Path
    calendar: Path
    placements: int
    nqts: int = 0

    def __str__(self) -> str:
        tutored = (f", {self.nqts} early career teacher{'s' if self.nqts != 1 else ''}" if self.nqts else "")
        return (f"mentor pack for {self.mentor_name} ({self.mentor_email}), {self.academic_year}: "
                f"{self.placements} placement{'s' if self.placements != 1 else ''}{tutored}; "
                f"wrote {self.pdf} and {self.calendar}")


class MentorViewService(Service):
    """Use cases for the mentor's own view and their pack.

    Args:
        db: The open database.
        alliance: The alliance's profile (the letterhead and contact of the pack).
        mentors: The mentor pool (the mentor's own row).
    """

    def __init__(self, db: Database, alliance: AllianceService, mentors: MentorService) -> None:
        super().__init__(db)
        self._alliance = alliance
        self._mentors = mentors

    def view(self, mentor: int | str, year: str | None = None, today: dt.date | None = None) -> MentorView:
        """One mentor's trainees for a year.

        Args:
            mentor: The mentor's id, or their email address.
            year: The academic year; the current one if None.
            today: The day their training is judged against.

        Raises:
            NotFoundError: no such mentor, or no such year. ValidationError: not an email.
        """
        today = today or dt.date.today()
        mentors = self._mentors
        row = (mentors.by_email(mentor, year, today) if isinstance(mentor, str)
               else mentors.get(mentor, year, today))
        with self._read() as s:
            academic_year = resolve_year(s, year, today)
            if academic_year is None:
                raise NotFoundError("This file has no academic years yet, so no placements.")
            lead = s.get(m.Mentor, row.lead_mentor_id) if row.lead_mentor_id else None
            return MentorView(row, academic_year.name,
                              f"{lead.first_name} {lead.last_name}" if lead else "",
                              lead.email if lead else "", self._placements(s, row.id, academic_year.id),
                              self._nqts(s, row.id, academic_year.id))

    def require_own(self, mentor: int | str) -> None:
        """Refuse (PermissionDeniedError) unless the signed-in user may see this mentor's trainees.

        A signed-in mentor sees only their own view and pack; everybody who sees every record
        sees anybody's. Asked before anything is written (the command line asks it first).

        Raises:
            PermissionDeniedError. ValidationError: not an email. NotFoundError: no such mentor.
        """
        perms = self.db.permissions
        if perms is None or perms.can("view_all"):
            return
        row = self._mentors.by_email(mentor) if isinstance(mentor, str) else self._mentors.get(mentor)
        self._require_own(row.id)

    def _require_own(self, mentor_id: int) -> None:
        perms = self.db.permissions
        if perms is not None and not perms.can("view_all") and perms.mentor_id != mentor_id:
            perms.require("view_all")  # says who may not see every record, and changes nothing

    def pack(self, mentor: int | str, year: str | None = None, today: dt.date | None = None) -> MentorPack:
        """The mentor pack's data (for :mod:`tsa_desktop.formats.letters` and ``calendar``)."""
        today = today or dt.date.today()
        view = self.view(mentor, year, today)
        self._require_own(view.mentor.id)  # a mentor's pack is theirs alone (the view of another shows nobody)
        contact = contact_of(self._alliance.profile())
        return MentorPack(
            generated=today, academic_year=view.academic_year, mentor_name=view.mentor.name,
            mentor_email=view.mentor.email, school_name=view.mentor.school_name,
            placements=tuple(_pack_placement(p) for p in view.placements),
            lead_mentor_name=view.lead_mentor_name, lead_mentor_email=view.lead_mentor_email,
            contact=contact if contact.name else None,
            nqts=view.nqts,
        )

    def letterhead(self) -> Letterhead:
        """The alliance's letterhead, as the placement letters print it."""
        return letterhead_of(self._alliance.profile())

    def calendar_namespace(self) -> str:
        """This database's calendar namespace, made and stored on first use.

        Calendar UIDs join a placement's id to this namespace, so that placement 17 of one file
        never updates placement 17 of another in a mentor's calendar, while every export from
        this file (and its backups) keeps the same UIDs. When it cannot be stored (the file is
        read-only, or the signed-in user may not change it) one derived from the alliance's name
        is used instead.
        """
        with self._read() as s:
            stored = s.get(m.Setting, CALENDAR_NAMESPACE_KEY)
            if stored is not None and stored.value.strip():
                return stored.value.strip()
        try:
            with self._write() as s:
                stored = s.get(m.Setting, CALENDAR_NAMESPACE_KEY)
                if stored is None or not stored.value.strip():
                    stored = s.merge(m.Setting(key=CALENDAR_NAMESPACE_KEY, value=str(uuid.uuid4())))
                return stored.value.strip()
        except DomainError as exc:  # read-only or not allowed: a pack must still be possible
            log.info("calendar namespace not stored (%s); deriving one", exc)
            name = self._alliance.profile().name or "alliance"
            return str(uuid.uuid5(uuid.NAMESPACE_URL, f"tsa-desktop:{name}"))

    def write_pack(self, mentor: int | str, out_dir: str | Path, year: str | None = None,
                   today: dt.date | None = None, progress: Progress = SILENT) -> MentorPackFiles:
        """Write the mentor pack PDF and the .ics calendar of their placements into a folder.

        The files are named after the mentor and year; writing again replaces them, and the
        calendar's events keep their UIDs, so a mentor who imports it again gets updated events
        rather than duplicates.

        Raises:
            ValidationError: ``out_dir`` is a file. NotFoundError: no such mentor or year.
            CancelledError: cancelled; files already complete are left, none half-written.
        """
        from tsa_desktop.formats.calendar import write_mentor_calendar
        from tsa_desktop.formats.letters.names import safe_file_name
        from tsa_desktop.formats.letters.pack import write_mentor_pack

        folder = Path(out_dir)
        if folder.exists() and not folder.is_dir():
            raise ValidationError.single("output folder", "is a file; give a folder for the PDF and calendar",
                                         str(folder))
        pack = self.pack(mentor, year, today)
        progress.report(0, 2, "Writing the mentor pack")
        namespace = self.calendar_namespace()
        stem = safe_file_name(f"Mentor pack {pack.academic_year.replace('/', '-')} - "
                              f"{pack.mentor_name}", "")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ValidationError.single("output folder", f"cannot be created ({exc.strerror})", str(folder)) from None
        pdf = write_mentor_pack(folder / f"{stem}.pdf", pack, self.letterhead(), progress=progress)
        progress.report(1, 2, "Writing the calendar")
        progress.check()
        ics = write_mentor_calendar(folder / f"{stem}.ics", pack, namespace)
        progress.report(2, 2, "Done")
        return MentorPackFiles(pack.mentor_name, pack.mentor_email, pack.academic_year, pdf, ics,
                               len(pack.placements), len(pack.nqts))

    # --- internals ----------------------------------------------------------------------------------

    @staticmethod
    def _placements(s: Session, mentor_id: int, year_id: int) -> tuple[ViewPlacement, ...]:
        mine = s.execute(
            select(m.Placement, m.PlacementBlock, m.School, m.Trainee)
            .join(m.PlacementBlock, m.PlacementBlock.id == m.Placement.block_id)
            .join(m.School, m.School.id == m.Placement.school_id)
            .join(m.Trainee, m.Trainee.id == m.Placement.trainee_id)
            .where(m.Placement.mentor_id == mentor_id, m.PlacementBlock.academic_year_id == year_id,
                   m.Placement.status != PlacementStatus.CANCELLED.code)
            .order_by(m.PlacementBlock.start_date, m.Trainee.last_name, m.Trainee.first_names)).all()
        if not mine:
            return ()
        trainee_ids = {t.id for _p, _b, _s, t in mine}
        others: dict[int, list[tuple[int, OtherBlock]]] = {}
        for p, block, school, who in s.execute(
                select(m.Placement, m.PlacementBlock, m.School, m.Mentor)
                .join(m.PlacementBlock, m.PlacementBlock.id == m.Placement.block_id)
                .join(m.School, m.School.id == m.Placement.school_id)
                .outerjoin(m.Mentor, m.Mentor.id == m.Placement.mentor_id)
                .where(m.Placement.trainee_id.in_(trainee_ids), m.PlacementBlock.academic_year_id == year_id,
                       m.Placement.status != PlacementStatus.CANCELLED.code)
                .order_by(m.PlacementBlock.start_date)):
            others.setdefault(p.trainee_id, []).append((p.id, OtherBlock(
                block.name, block.start_date, block.end_date, school.name,
                f"{who.first_name} {who.last_name}" if who else "")))
        partners = {t.id: f"{t.first_names} {t.last_name}" for t in s.scalars(
            select(m.Trainee).where(m.Trainee.id.in_(
                [p.paired_trainee_id for p, *_ in mine if p.paired_trainee_id is not None])))}
        result = []
        for p, block, school, trainee in mine:
            elsewhere = tuple(o for pid, o in others.get(trainee.id, ()) if pid != p.id)
            result.append(ViewPlacement(
                placement_id=p.id, block_id=block.id, block_name=block.name, start=block.start_date,
                end=block.end_date, school_name=school.name, school_address=_address(school),
                status=PlacementStatus.parse(p.status), trainee_id=trainee.id,
                trainee_name=f"{trainee.first_names} {trainee.last_name}", trainee_email=trainee.email,
                trainee_phone=trainee.phone, subject=subject_label(trainee.phase, trainee.subject),
                route=route_label(trainee.route), paired_with=partners.get(p.paired_trainee_id, ""),
                other_placements=elsewhere))
        return tuple(result)

    @staticmethod
    def _nqts(s: Session, mentor_id: int, year_id: int) -> tuple[TutoredNqt, ...]:
        """The year's ECTs the mentor is induction tutor to, and the ECTs they mentor whose
        induction runs in the year, each with their reviews and assessments due in the year."""
        year = s.get(m.AcademicYear, year_id)
        found = s.execute(
            select(m.Nqt, m.School.name, m.InductionCohort.academic_year_id)
            .join(m.InductionCohort, m.InductionCohort.id == m.Nqt.cohort_id)
            .join(m.School, m.School.id == m.Nqt.employing_school_id)
            .where((m.Nqt.induction_tutor_id == mentor_id) | (m.Nqt.mentor_id == mentor_id))
            .order_by(m.Nqt.last_name, m.Nqt.first_names)).all()
        result = []
        for n, school, cohort_year in found:
            plan = plan_induction(n.start_date, float(n.fte), InductionRegime.parse(n.induction_regime or "ect"),
                                  float(n.reduced_terms or 0), float(n.extension_terms or 0), n.left_date)
            tutor = n.induction_tutor_id == mentor_id and cohort_year == year_id
            in_year = bool(plan.terms) and plan.start_date <= year.end_date and \
                plan.terms[-1].last_day >= year.start_date
            mentor = n.mentor_id == mentor_id and in_year and n.status not in ("passed", "failed", "left")
            if not (tutor or mentor):
                continue
            role = "Mentor and induction tutor" if tutor and mentor else ("Mentor" if mentor else "Induction tutor")
            dates = tuple((c.label, c.due_date) for c in plan.due_between(year.start_date, year.end_date))
            result.append(TutoredNqt(n.id, f"{n.first_names} {n.last_name}", n.email, school, n.start_date,
                                     _nqt_status(n.status), role, dates))
        return tuple(result)


def _nqt_status(code: str) -> str:
    try:
        return NqtStatus.parse(code).label
    except ValueError:  # a code from a newer version: show it as stored
        return code


def _address(school: m.School) -> tuple[str, ...]:
    town = " ".join(x for x in (school.town, school.postcode) if x)
    return tuple(x for x in (school.address_line_1, school.address_line_2, town) if x)


def _pack_placement(p: ViewPlacement) -> MentorPlacement:
    return MentorPlacement(
        placement_id=p.placement_id, block_name=p.block_name, start=p.start, end=p.end,
        school_name=p.school_name, trainee_name=p.trainee_name, trainee_email=p.trainee_email,
        trainee_phone=p.trainee_phone, subject=p.subject, school_address=p.school_address,
        other_placements=tuple(OtherPlacement(o.block_name, o.start, o.end, o.school_name)
                               for o in p.other_placements),
    )
