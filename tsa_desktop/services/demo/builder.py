"""Demo alliances of three sizes, made of invented people and deterministic for a seed.

"alliance" follows the figures in DOMAIN.md: 24 schools (12 primary, 12 secondary), 121
trainees (27 primary, 93 secondary, 1 special), 216 mentors (43 primary, 168 secondary,
5 special), three placement blocks, School Direct fee-funded and salaried and SCITT allocations,
and an NQT induction cohort of 38 NQTs from 16 schools across 4 local authorities.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from sqlalchemy import func, insert, select

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import PLACEMENT_PHASES, Phase, Route, Subject
from tsa_desktop.domain.errors import ConflictError, ValidationError
from tsa_desktop.domain.values import academic_year_of, academic_year_start, parse_academic_year
from tsa_desktop.services.demo import names as names
from tsa_desktop.services.base import Service
from tsa_desktop.services.demo.induction import add_induction_demo
from tsa_desktop.services.demo.mentors import add_qa_visits
from tsa_desktop.services.reference.years import ensure_year


class AllianceExistsError(ConflictError):
    """The file already holds an alliance, and replacing it was not asked for; nothing was changed."""


@dataclass(frozen=True)
class DemoSize:
    """How big a demo alliance is."""

    primary_schools: int
    secondary_schools: int
    primary_trainees: int
    secondary_trainees: int
    special_trainees: int
    primary_mentors: int
    secondary_mentors: int
    special_mentors: int
    nqts: int
    nqt_schools: int
    spread_m: int  # how far schools lie from the lead school, in metres


SIZES: dict[str, DemoSize] = {
    "small": DemoSize(3, 3, 4, 8, 0, 8, 16, 0, 6, 4, 8_000),
    "alliance": DemoSize(12, 12, 27, 93, 1, 43, 168, 5, 38, 16, 15_000),
    "large": DemoSize(70, 80, 300, 690, 10, 330, 850, 20, 120, 40, 40_000),
}

#: Secondary subjects and how many trainees of every hundred take them.
SECONDARY_MIX: tuple[tuple[Subject, int], ...] = (
    (Subject.MATHEMATICS, 19), (Subject.ENGLISH, 17), (Subject.PHYSICS, 8), (Subject.CHEMISTRY, 8),
    (Subject.BIOLOGY, 10), (Subject.COMPUTING, 6), (Subject.GEOGRAPHY, 8), (Subject.HISTORY, 8),
    (Subject.FRENCH, 5), (Subject.SPANISH, 4), (Subject.PHYSICAL_EDUCATION, 7),
)

PROVIDERS = (
    ("University of Roehampton", "R48", "university"),
    ("Kingston University", "K84", "university"),
    ("University of Brighton", "B72", "university"),
    ("Alliance SCITT", "2A1", "scitt"),
)

LEAD_E, LEAD_N = 484_000, 146_000  # Farnham, Surrey, on the OS grid


@dataclass(frozen=True)
class DemoSummary:
    """What the demo put in the file."""

    year: str
    schools: int
    trainees: int
    mentors: int
    allocations: int
    placements: int
    nqts: int

    def __str__(self) -> str:
        return (f"demo alliance for {self.year}: {self.schools} schools, {self.trainees} trainees, "
                f"{self.mentors} mentors, {self.allocations} allocations, {self.placements} "
                f"placements, {self.nqts} early career teachers")


class DemoService(Service):
    """Fill a database with a demo alliance."""

    def create(self, size: str = "alliance", seed: int = 1, year: str | None = None,
               force: bool = False) -> DemoSummary:
        """Create the demo alliance.

        Args:
            size: small, alliance or large.
            seed: The same seed gives the same alliance.
            year: The academic year; defaults to the current one.
            force: Replace whatever the file holds (otherwise a file with schools is refused).

        Raises:
            ValidationError: unknown size. AllianceExistsError: the file already has data.
        """
        if size not in SIZES:
            raise ValidationError.single("size", f"must be one of {', '.join(SIZES)}", size)
        try:
            year = parse_academic_year(year) if year else academic_year_of(dt.date.today())
        except ValueError as exc:
            raise ValidationError.single("year", str(exc), year) from None
        with self._write() as s:
            if s.scalar(select(func.count()).select_from(m.School)):
                if not force:
                    raise AllianceExistsError(
                        "This file already holds an alliance, which the demo would replace; nothing "
                        "was changed.")
                for table in reversed(m.Base.metadata.sorted_tables):
                    if table.name != "alembic_version":
                        s.execute(table.delete())
            builder = _Builder(s, SIZES[size], seed, year)
            return builder.build()


class _Builder:
    """Generates the rows with plain Core inserts (the ORM is ten times slower here)."""

    def __init__(self, s, size: DemoSize, seed: int, year: str) -> None:
        self.s, self.size, self.seed, self.year = s, size, seed, year
        self.rng = random.Random(seed)
        self.used_emails: set[str] = set()
        self.used_trns: set[str] = set()

    def build(self) -> DemoSummary:
        s, rng = self.s, self.rng
        year = ensure_year(s, self.year)
        blocks = list(s.scalars(select(m.PlacementBlock).where(m.PlacementBlock.academic_year_id == year.id)
                                .order_by(m.PlacementBlock.position)))
        schools = self._schools()
        s.execute(insert(m.School), schools)
        lead = schools[0]
        s.add(m.AllianceProfile(
            id=1, name="Farnham Teaching School Alliance", lead_school_id=lead["id"],
            address=f"{lead['address_line_1']}\n{lead['town']}\n{lead['postcode']}",
            contact_name="Alex Morgan", contact_role="ITT lead", contact_email="itt@farnham-tsa.example",
            contact_phone="01252 000000",
            letter_sign_off="Alex Morgan\nITT lead, Farnham Teaching School Alliance",
        ))
        s.execute(insert(m.Provider), [dict(id=i + 1, name=n, code=c, kind=k) for i, (n, c, k) in enumerate(PROVIDERS)])
        mentors, subjects = self._mentors(schools)
        # Lead mentors first: the others refer to them.
        s.execute(insert(m.Mentor), [mt for mt in mentors if mt["is_lead_mentor"]])
        s.execute(insert(m.Mentor), [mt for mt in mentors if not mt["is_lead_mentor"]])
        s.execute(insert(m.MentorSubject), subjects)
        unavailable = [dict(mentor_id=mt["id"], block_id=rng.choice(blocks).id, reason="Leave")
                       for mt in mentors if rng.random() < 0.05]
        if unavailable:
            s.execute(insert(m.MentorUnavailability), unavailable)
        trainees = self._trainees(schools, year)
        allocations = self._allocations(trainees, schools, year)
        s.execute(insert(m.Allocation), allocations)
        s.execute(insert(m.Trainee), trainees)
        s.execute(insert(m.TraineeStatusChange), [
            dict(trainee_id=t["id"], status=t["status"], changed_on=t["start_date"], note="")
            for t in trainees])
        away = {(row["mentor_id"], row["block_id"]) for row in unavailable}
        placements = self._placements(trainees, schools, mentors, subjects, blocks[0], away)
        if placements:
            s.execute(insert(m.Placement), placements)
        nqt_count = self._nqts(schools, mentors, year)
        add_induction_demo(s, self.year)  # seeded from the cohort: draws nothing from rng
        add_qa_visits(s, mentors, rng, self.year)  # last: it draws from rng after everything else
        return DemoSummary(self.year, len(schools), len(trainees), len(mentors), len(allocations),
                           len(placements), nqt_count)

    # --- people and places -----------------------------------------------------------------------

    def _person(self, domain: str) -> tuple[str, str, str]:
        first, last = self.rng.choice(names.FIRST_NAMES), self.rng.choice(names.LAST_NAMES)
        base = f"{_ascii(first)}.{_ascii(last)}".lower()
        email, n = f"{base}@{domain}", 1
        while email in self.used_emails:
            n += 1
            email = f"{base}{n}@{domain}"
        self.used_emails.add(email)
        return first, last, email

    def _postcode(self) -> str:
        r = self.rng
        return f"{r.choice(names.POSTCODE_AREAS)}{r.randint(1, 35)} {r.randint(1, 9)}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}"

    def _point(self, spread: int) -> tuple[int, int]:
        angle, radius = self.rng.uniform(0, 2 * math.pi), spread * math.sqrt(self.rng.random())
        return int(LEAD_E + radius * math.cos(angle)), int(LEAD_N + radius * math.sin(angle))

    def _school_names(self, seed_names: tuple[str, ...], count: int, suffix: str) -> list[str]:
        result = list(seed_names[:count])
        while len(result) < count:
            name = f"{self.rng.choice(names.PLACE_WORDS)}{self.rng.choice(names.PLACE_ENDINGS)} {suffix}"
            if name not in result:
                result.append(name)
        return result

    def _schools(self) -> list[dict]:
        size, rng = self.size, self.rng
        las = names.LOCAL_AUTHORITIES[: 4 if size.primary_schools < 50 else 6]
        rows = []
        specs = ([(n, Phase.PRIMARY) for n in self._school_names(names.SEED_PRIMARY_SCHOOLS, size.primary_schools, "Primary School")]
                 + [(n, Phase.SECONDARY) for n in self._school_names(names.SEED_SECONDARY_SCHOOLS, size.secondary_schools, "Academy")])
        for i, (name, phase) in enumerate(specs):
            e, n = (LEAD_E, LEAD_N) if i == 0 else self._point(size.spread_m)
            slug = _ascii(name).lower().replace(" ", "")[:20]
            rows.append(dict(
                id=i + 1, urn=f"{110001 + i * 37:06d}", name=name, phase=phase.code,
                establishment_type="Academy converter" if "Academy" in name else "Community school",
                local_authority=las[i % len(las)], address_line_1=f"{rng.randint(1, 120)} School Lane",
                address_line_2="", town=rng.choice(("Farnham", "Aldershot", "Guildford", "Farnborough", "Alton", "Fleet")),
                postcode=self._postcode(), easting=e, northing=n, is_lead_school=i == 0,
                capacity_per_block=4 if phase is Phase.PRIMARY else 8,
                contact_name=" ".join(self._person(f"{slug}.example")[:2]),
                contact_email=f"office@{slug}.example", establishment_status="Open", version=1,
            ))
        return rows

    def _mentors(self, schools: list[dict]) -> tuple[list[dict], list[dict]]:
        size, rng = self.size, self.rng
        primary = [s for s in schools if s["phase"] == "primary"]
        secondary = [s for s in schools if s["phase"] == "secondary"]
        mentors, subjects = [], []
        today = dt.date(academic_year_start(self.year), 9, 1)

        def add(school: dict, phase: Phase, subject_codes: list[str]) -> None:
            mid = len(mentors) + 1
            first, last, email = self._person(_ascii(school["name"]).lower().replace(" ", "")[:20] + ".example")
            roll = rng.random()
            trained = None if roll < 0.03 else today - dt.timedelta(days=rng.randint(30, 2500))
            refresher = None
            if trained and trained < today - dt.timedelta(days=700):
                refresher = None if roll < 0.10 else today - dt.timedelta(days=rng.randint(20, 600))
            mentors.append(dict(
                id=mid, email=email, first_name=first, last_name=last, school_id=school["id"],
                phase=phase.code, is_lead_mentor=False, lead_mentor_id=None,
                initial_training_date=trained, initial_training_hours=12.0 if trained else None,
                refresher_date=refresher, max_trainees=2 if rng.random() < 0.2 else 1,
                active=rng.random() > 0.02, phone="", version=1,
            ))
            subjects.extend(dict(mentor_id=mid, subject=c) for c in dict.fromkeys(subject_codes))

        for i in range(size.primary_mentors):
            add(primary[i % len(primary)], Phase.PRIMARY, [Subject.PRIMARY.code])
        mix = [subj for subj, weight in SECONDARY_MIX for _ in range(weight)]
        for i in range(size.secondary_mentors):
            main = mix[i % len(mix)]
            extra = [rng.choice(mix).code] if rng.random() < 0.15 else []
            add(secondary[(i * 7) % len(secondary)], Phase.SECONDARY, [main.code, *extra])
        for i in range(size.special_mentors):
            add(schools[(i * 5) % len(schools)], Phase.SPECIAL, [Subject.PRIMARY.code])

        # Lead mentors: about one in twelve, each quality-assuring mentors of the same phase.
        by_phase: dict[str, list[dict]] = {}
        for mt in mentors:
            by_phase.setdefault(mt["phase"], []).append(mt)
        for group in by_phase.values():
            # About one in twelve, drawn so that leads work across the schools. A generator of
            # its own keeps the rest of the demo (drawn from rng) the same as before.
            picker = random.Random(f"{self.seed}-lead-mentors-{group[0]['phase']}")
            leads = sorted(picker.sample(group, max(1, len(group) // 12)), key=lambda mt: mt["id"])
            for lead in leads:
                lead["is_lead_mentor"] = True
                if lead["initial_training_date"] is None:
                    lead["initial_training_date"] = today - dt.timedelta(days=400)
            for k, mt in enumerate(group):
                if not mt["is_lead_mentor"]:
                    mt["lead_mentor_id"] = leads[k % len(leads)]["id"]
        return mentors, subjects

    def _trainees(self, schools: list[dict], year: m.AcademicYear) -> list[dict]:
        size, rng = self.size, self.rng
        start = dt.date(academic_year_start(self.year), 9, 1)
        mix = [subj for subj, weight in SECONDARY_MIX for _ in range(weight)]
        plan: list[tuple[Phase, Subject]] = (
            [(Phase.PRIMARY, Subject.PRIMARY)] * size.primary_trainees
            + [(Phase.SECONDARY, mix[(i * 13) % len(mix)]) for i in range(size.secondary_trainees)]
            + [(Phase.SPECIAL, Subject.PRIMARY)] * size.special_trainees
        )
        phase_schools = {p: [s for s in schools if s["phase"] == p] for p in ("primary", "secondary")}
        rows = []
        for i, (phase, subject) in enumerate(plan):
            roll = rng.random()
            if phase is Phase.SPECIAL:
                route = Route.SCHOOL_DIRECT_TUITION_FEE
            elif roll < 0.45:
                route = Route.SCHOOL_DIRECT_TUITION_FEE
            elif roll < 0.85:
                route = Route.SCHOOL_DIRECT_SALARIED
            else:
                route = Route.SCITT
            employer = None
            if route.salaried:
                employer = rng.choice(phase_schools.get(phase.code) or schools)["id"]
            first, last, email = self._person("trainee.example")
            # Trainees live among the alliance's schools: most within 45 minutes by car of several.
            e, n = self._point(self.size.spread_m)
            status = "withdrawn" if rng.random() < 0.03 else ("enrolled" if rng.random() < 0.95 else "deferred")
            rows.append(dict(
                id=i + 1, trainee_id=f"T{academic_year_start(self.year) % 100:02d}{i + 1:04d}",
                trn=self._trn(), first_names=first, last_name=last, email=email, phone="",
                route=route.code, phase=phase.code, subject=subject.code, academic_year_id=year.id,
                allocation_id=None, start_date=start, status=status, employing_school_id=employer,
                home_postcode=self._postcode(), home_easting=e, home_northing=n,
                over_allocation_reason=None, anonymised_at=None, version=1,
            ))
        return rows

    def _trn(self) -> str:
        while True:
            trn = f"{self.rng.randint(0, 9_999_999):07d}"
            if trn not in self.used_trns:
                self.used_trns.add(trn)
                return trn

    def _allocations(self, trainees: list[dict], schools: list[dict], year: m.AcademicYear) -> list[dict]:
        counts: dict[tuple[str, str, str], list[dict]] = {}
        for t in trainees:
            counts.setdefault((t["route"], t["phase"], t["subject"]), []).append(t)
        rows = []
        provider_for = {"scitt": 4, "school_direct_salaried": 2}
        for i, ((route, phase, subject), group) in enumerate(sorted(counts.items())):
            recruited = sum(1 for t in group if t["status"] != "withdrawn")
            # Most allocations have a few places left; every fifth is exactly filled.
            spare = 0 if i % 5 == 0 else max(1, round(recruited * 0.15))
            aid = i + 1
            rows.append(dict(id=aid, academic_year_id=year.id, route=route, phase=phase, subject=subject,
                             lead_school_id=schools[0]["id"], provider_id=provider_for.get(route, 1 + i % 3),
                             places=recruited + spare, version=1))
            for t in group:
                t["allocation_id"] = aid
        return rows

    def _placements(self, trainees, schools, mentors, subjects, block, away) -> list[dict]:
        """Autumn placements for about a third of trainees, confirmed, nearest school first."""
        by_id = {s["id"]: s for s in schools}
        teaches: dict[int, set[str]] = {}
        for row in subjects:
            teaches.setdefault(row["mentor_id"], set()).add(row["subject"])
        load: dict[int, int] = {}
        school_load: dict[int, int] = {}
        rows = []
        for t in trainees[::3]:
            if t["status"] not in ("enrolled", "offered"):
                continue
            allowed = {p.code for p in PLACEMENT_PHASES[Phase.parse(t["phase"])]}
            candidates = [
                mt for mt in mentors
                if mt["active"] and mt["initial_training_date"] is not None
                and (mt["id"], block.id) not in away
                and load.get(mt["id"], 0) < 1 and by_id[mt["school_id"]]["phase"] in allowed
                and (t["phase"] != "secondary" or t["subject"] in teaches.get(mt["id"], ()))
                and mt["phase"] == t["phase"]
                and school_load.get(mt["school_id"], 0) < by_id[mt["school_id"]]["capacity_per_block"]
            ]
            if not candidates:
                continue
            best = min(candidates, key=lambda mt: math.hypot(
                by_id[mt["school_id"]]["easting"] - t["home_easting"],
                by_id[mt["school_id"]]["northing"] - t["home_northing"]))
            load[best["id"]] = 1
            school_load[best["school_id"]] = school_load.get(best["school_id"], 0) + 1
            rows.append(dict(trainee_id=t["id"], block_id=block.id, school_id=best["school_id"],
                             mentor_id=best["id"], status="confirmed", locked=False, notes="", version=1))
        return rows

    def _nqts(self, schools: list[dict], mentors: list[dict], year: m.AcademicYear) -> int:
        """The year's early career teachers, each with an induction tutor and a different mentor."""
        size, rng = self.size, self.rng
        # Today's fields draw from their own stream, so that the rest of the demo stays as it was.
        ect_rng = random.Random(f"ects {self.year} {self.seed}")
        cohort_id = self.s.execute(insert(m.InductionCohort).values(
            academic_year_id=year.id, name=f"ECT induction {self.year}")).inserted_primary_key[0]
        employers = schools[: size.nqt_schools]
        tutors_by_school: dict[int, list[dict]] = {}
        for mt in mentors:
            tutors_by_school.setdefault(mt["school_id"], []).append(mt)
        start = dt.date(academic_year_start(self.year), 9, 1)
        rows = []
        for i in range(size.nqts):
            school = employers[i % len(employers)]
            tutor = rng.choice(tutors_by_school.get(school["id"]) or [None])
            first, last, email = self._person("nqt.example")
            fte = 1.0 if rng.random() < 0.85 else rng.choice((0.5, 0.6, 0.8))
            # The ECT's mentor is another teacher of their school: never the induction tutor.
            others = [mt for mt in tutors_by_school.get(school["id"], ()) if tutor is None or mt["id"] != tutor["id"]]
            mentor = ect_rng.choice(others) if others else None
            programme = "provider_led" if ect_rng.random() < 0.8 else "school_led"
            born = start - dt.timedelta(days=ect_rng.randint(22 * 365, 34 * 365))
            # Since 2023 most appropriate bodies are teaching school hubs.
            rows.append(dict(
                email=email, trn=self._trn(), first_names=first, last_name=last, cohort_id=cohort_id,
                employing_school_id=school["id"], induction_tutor_id=tutor["id"] if tutor else None,
                induction_tutor_name="", induction_tutor_email="",
                appropriate_body=f"{school['local_authority']} Teaching School Hub",
                start_date=start, fte=fte, terms_counted=0.0, extension_terms=0.0, status="in_progress",
                trainee_id=None, anonymised_at=None, version=1, induction_regime="ect", date_of_birth=born,
                mentor_id=mentor["id"] if mentor else None, programme=programme,
                reduced_terms=1.0 if ect_rng.random() < 0.05 else 0.0, left_date=None,
            ))
        if rows:
            self.s.execute(insert(m.Nqt), rows)
        return len(rows)


def _ascii(text: str) -> str:
    """A name folded to ASCII for email addresses (Łukasz -> Lukasz, Ó Briain -> OBriain)."""
    import unicodedata

    table = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "'": "", " ": ""})
    folded = unicodedata.normalize("NFKD", text.translate(table))
    return "".join(ch for ch in folded if ch.isascii() and (ch.isalnum() or ch == "."))
