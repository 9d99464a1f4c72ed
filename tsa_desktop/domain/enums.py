"""Enumerations of the ITT world, with their codes (stored, exported) and labels (shown).

Every enumeration parses the codes and the usual labels a spreadsheet may hold, so that
"School Direct (salaried)", "school_direct_salaried" and "SD salaried" all mean one route.
"""

from __future__ import annotations

import enum
import re
from typing import Self

_FOLD = re.compile(r"[\s_\-()/.,']+")


def fold(text: str) -> str:
    """Fold text for forgiving matching: lower case, no spaces, underscores or brackets."""
    return _FOLD.sub("", text).casefold()


class LabelledEnum(enum.Enum):
    """An enum whose value is the stored code, with a label and extra accepted spellings."""

    def __new__(cls, code: str, label: str, *aliases: str):
        obj = object.__new__(cls)
        obj._value_ = code
        obj.label = label
        obj.aliases = aliases
        return obj

    @property
    def code(self) -> str:
        return self.value

    def __str__(self) -> str:
        return self.label

    @classmethod
    def _lookup(cls) -> dict[str, Self]:
        table = cls.__dict__.get("_lookup_table")
        if table is None:
            table = {}
            for member in cls:
                for spelling in (member.code, member.label, member.name, *member.aliases):
                    table[fold(spelling)] = member
            type.__setattr__(cls, "_lookup_table", table)
        return table

    @classmethod
    def parse(cls, text: str | Self) -> Self:
        """Return the member for a code, label or alias.

        Raises:
            ValueError: with the accepted codes, when nothing matches.
        """
        if isinstance(text, cls):
            return text
        member = cls._lookup().get(fold(str(text)))
        if member is None:
            raise ValueError(f"unknown {cls.kind_name()}; accepted: {cls.accepted()}")
        return member

    @classmethod
    def kind_name(cls) -> str:
        return re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).lower()

    @classmethod
    def accepted(cls) -> str:
        return ", ".join(m.code for m in cls)


class Route(LabelledEnum):
    """How a trainee trains. Codes as INTERFACES.md gives them; GTP and EBITT for history."""

    SCHOOL_DIRECT_TUITION_FEE = (
        "school_direct_tuition_fee", "School Direct (fee-funded)",
        "School Direct (tuition fee)", "School Direct fee-funded", "School Direct fee funded",
        "School Direct (non-salaried)", "School Direct non salaried", "SD fee", "SD tuition fee",
        "School Direct",
    )
    SCHOOL_DIRECT_SALARIED = (
        "school_direct_salaried", "School Direct (salaried)", "SD salaried", "salaried",
    )
    SCITT = ("scitt", "SCITT", "School-centred ITT", "school centred initial teacher training")
    SCITT_SALARIED = ("scitt_salaried", "SCITT (salaried)")
    PROVIDER_LED_POSTGRAD = (
        "provider_led_postgrad", "PGCE (provider-led)", "PGCE", "provider led",
        "university PGCE", "Provider-led (postgrad)",
    )
    PG_TEACHING_APPRENTICESHIP = (
        "pg_teaching_apprenticeship", "Postgraduate teaching apprenticeship", "PGTA",
        "teaching apprenticeship",
    )
    ASSESSMENT_ONLY = ("assessment_only", "Assessment only", "AO")
    GTP = ("gtp", "Graduate Teacher Programme (historic)", "Graduate Teacher Programme")
    EBITT = ("ebitt", "EBITT (historic)", "employment-based ITT")

    @property
    def salaried(self) -> bool:
        """True where the trainee is employed by a school while training."""
        return self in _SALARIED

    @property
    def historic(self) -> bool:
        """True for routes that appear only in old data; no new allocations on them."""
        return self in (Route.GTP, Route.EBITT)

    @property
    def family(self) -> str:
        """The broad route for totals: School Direct, SCITT, or other."""
        if self in (Route.SCHOOL_DIRECT_TUITION_FEE, Route.SCHOOL_DIRECT_SALARIED):
            return "School Direct"
        if self in (Route.SCITT, Route.SCITT_SALARIED):
            return "SCITT"
        return "Other"


_SALARIED = frozenset(
    {Route.SCHOOL_DIRECT_SALARIED, Route.SCITT_SALARIED, Route.PG_TEACHING_APPRENTICESHIP,
     Route.GTP, Route.EBITT}
)


class Phase(LabelledEnum):
    """Phase of education, for schools, allocations, trainees and mentors."""

    PRIMARY = ("primary", "Primary")
    SECONDARY = ("secondary", "Secondary", "Middle deemed secondary")
    SPECIAL = ("special", "Special", "Not applicable special")
    NURSERY = ("nursery", "Nursery", "Early years")
    ALL_THROUGH = ("all_through", "All-through", "all through", "through school")
    SIXTEEN_PLUS = ("16_plus", "16 plus", "Sixteen plus", "post 16", "16+")

    @classmethod
    def parse_gias(cls, text: str, establishment_type: str = "") -> "Phase":
        """Read GIAS's "PhaseOfEducation (name)", which says "Not applicable" for special schools."""
        folded = fold(text)
        if folded in ("notapplicable", "") and "special" in establishment_type.lower():
            return cls.SPECIAL
        if folded == "middledeemedprimary":
            return cls.PRIMARY
        return cls.parse(text)


#: School phases a trainee of each phase may be placed in.
PLACEMENT_PHASES: dict[Phase, frozenset[Phase]] = {
    Phase.PRIMARY: frozenset({Phase.PRIMARY, Phase.ALL_THROUGH, Phase.NURSERY, Phase.SPECIAL}),
    Phase.SECONDARY: frozenset({Phase.SECONDARY, Phase.ALL_THROUGH, Phase.SIXTEEN_PLUS, Phase.SPECIAL}),
    Phase.SPECIAL: frozenset({Phase.SPECIAL, Phase.PRIMARY, Phase.SECONDARY, Phase.ALL_THROUGH}),
    Phase.NURSERY: frozenset({Phase.NURSERY, Phase.PRIMARY, Phase.ALL_THROUGH}),
    Phase.ALL_THROUGH: frozenset({Phase.ALL_THROUGH, Phase.PRIMARY, Phase.SECONDARY}),
    Phase.SIXTEEN_PLUS: frozenset({Phase.SIXTEEN_PLUS, Phase.SECONDARY, Phase.ALL_THROUGH}),
}


class Subject(LabelledEnum):
    """DfE ITT subject codes (as used by Find, Apply and Register) with their names."""

    PRIMARY = ("00", "Primary")
    PRIMARY_ENGLISH = ("01", "Primary with English")
    PRIMARY_GEOGRAPHY_HISTORY = ("02", "Primary with geography and history")
    PRIMARY_MATHEMATICS = ("03", "Primary with mathematics", "Primary maths")
    PRIMARY_MODERN_LANGUAGES = ("04", "Primary with modern languages")
    PRIMARY_PE = ("06", "Primary with physical education")
    PRIMARY_SCIENCE = ("07", "Primary with science")
    ART_AND_DESIGN = ("W1", "Art and design", "Art")
    BIOLOGY = ("C1", "Biology")
    BUSINESS_STUDIES = ("08", "Business studies", "Business")
    CHEMISTRY = ("F1", "Chemistry")
    CITIZENSHIP = ("09", "Citizenship")
    CLASSICS = ("Q8", "Classics")
    COMMUNICATION_MEDIA = ("P3", "Communication and media studies", "Media studies")
    COMPUTING = ("11", "Computing", "Computer science", "ICT")
    DANCE = ("12", "Dance")
    DESIGN_TECHNOLOGY = ("DT", "Design and technology", "D&T", "DandT")
    DRAMA = ("13", "Drama")
    ECONOMICS = ("L1", "Economics")
    ENGLISH = ("Q3", "English")
    GEOGRAPHY = ("F8", "Geography")
    HEALTH_SOCIAL_CARE = ("L5", "Health and social care")
    HISTORY = ("V1", "History")
    MATHEMATICS = ("G1", "Mathematics", "Maths", "Math")
    MUSIC = ("W3", "Music")
    PHILOSOPHY = ("P1", "Philosophy")
    PHYSICAL_EDUCATION = ("C6", "Physical education", "PE")
    PHYSICS = ("F3", "Physics")
    PSYCHOLOGY = ("C8", "Psychology")
    RELIGIOUS_EDUCATION = ("V6", "Religious education", "RE")
    SCIENCE = ("F0", "Science", "General science", "Combined science")
    SOCIAL_SCIENCES = ("14", "Social sciences")
    FRENCH = ("15", "French")
    ESOL = ("16", "English as a second or other language", "ESOL")
    GERMAN = ("17", "German")
    ITALIAN = ("18", "Italian")
    JAPANESE = ("19", "Japanese")
    MANDARIN = ("20", "Mandarin", "Chinese")
    RUSSIAN = ("21", "Russian")
    SPANISH = ("22", "Spanish")
    MODERN_LANGUAGES_OTHER = ("24", "Modern languages (other)", "Modern languages", "MFL")

    @property
    def is_primary(self) -> bool:
        """True for the primary subjects (codes 00 to 07)."""
        return self.code.isdigit() and int(self.code) <= 7

    @classmethod
    def parse(cls, text):  # type: ignore[override]
        # Spreadsheets turn "00" into 0 and "01" into 1: accept the numeric form too.
        raw = str(text).strip()
        if raw.isdigit() and len(raw) == 1:
            raw = "0" + raw
        return super().parse(raw)


class TraineeStatus(LabelledEnum):
    """Where a trainee is in their training, from offer to QTS."""

    OFFERED = ("offered", "Offered", "offer", "conditional offer", "unconditional offer")
    ENROLLED = ("enrolled", "Enrolled", "trainee", "in training", "registered")
    DEFERRED = ("deferred", "Deferred")
    WITHDRAWN = ("withdrawn", "Withdrawn", "withdrew")
    QTS_AWARDED = ("qts_awarded", "QTS awarded", "QTS", "awarded", "recommended")

    @property
    def counts_against_allocation(self) -> bool:
        """Everybody recruited fills a place, except those who withdrew."""
        return self is not TraineeStatus.WITHDRAWN

    @property
    def needs_placements(self) -> bool:
        """Offered and enrolled trainees need a rotation; others do not (any more)."""
        return self in (TraineeStatus.OFFERED, TraineeStatus.ENROLLED)


#: Allowed status changes. QTS awarded is final; a withdrawal may be reversed by a re-offer.
TRAINEE_TRANSITIONS: dict[TraineeStatus, frozenset[TraineeStatus]] = {
    TraineeStatus.OFFERED: frozenset({TraineeStatus.ENROLLED, TraineeStatus.DEFERRED, TraineeStatus.WITHDRAWN}),
    TraineeStatus.ENROLLED: frozenset({TraineeStatus.DEFERRED, TraineeStatus.WITHDRAWN, TraineeStatus.QTS_AWARDED}),
    TraineeStatus.DEFERRED: frozenset({TraineeStatus.ENROLLED, TraineeStatus.WITHDRAWN, TraineeStatus.OFFERED}),
    TraineeStatus.WITHDRAWN: frozenset({TraineeStatus.OFFERED}),
    TraineeStatus.QTS_AWARDED: frozenset(),
}


class PlacementStatus(LabelledEnum):
    """A placement's state. Confirmed and completed placements are kept by the planner."""

    PROPOSED = ("proposed", "Proposed", "planned", "draft", "provisional")
    CONFIRMED = ("confirmed", "Confirmed", "agreed")
    COMPLETED = ("completed", "Completed", "done")
    CANCELLED = ("cancelled", "Cancelled", "canceled")

    @property
    def fixed(self) -> bool:
        """True where the planner must not move the placement."""
        return self in (PlacementStatus.CONFIRMED, PlacementStatus.COMPLETED)


class ProviderKind(LabelledEnum):
    """Accredited provider kind."""

    UNIVERSITY = ("university", "University", "HEI", "higher education institution")
    SCITT = ("scitt", "SCITT")


class NqtStatus(LabelledEnum):
    """Where an NQT is in induction."""

    IN_PROGRESS = ("in_progress", "In induction", "in progress", "started")
    NOT_STARTED = ("not_started", "Not started")
    EXTENDED = ("extended", "Extended")
    PASSED = ("passed", "Passed", "completed", "pass")
    FAILED = ("failed", "Failed", "fail")
    LEFT = ("left", "Left the alliance", "moved", "transferred")


class AssessmentKind(LabelledEnum):
    """Induction reviews and assessments.

    NQTs (old regime): progress reviews after induction terms 1 and 2, the final assessment after
    term 3. ECTs: a progress review at the end of each school term without a formal assessment,
    the formal assessment at the end of year one and the final one; an interim assessment for
    anyone who leaves part way.
    """

    PROGRESS_REVIEW = ("progress_review", "Progress review", "review", "termly review")
    FINAL_ASSESSMENT = ("final_assessment", "Final assessment", "final")
    MIDPOINT_ASSESSMENT = ("midpoint_assessment", "Formal assessment (end of year one)",
                           "midpoint", "formal assessment", "year one assessment")
    INTERIM_ASSESSMENT = ("interim_assessment", "Interim assessment", "interim")

    @property
    def formal(self) -> bool:
        """True for the formal assessments (end of year one, final, interim)."""
        return self is not AssessmentKind.PROGRESS_REVIEW


class InductionRegime(LabelledEnum):
    """Which induction rules apply, chosen by the start date."""

    NQT = ("nqt", "NQT (three terms)", "newly qualified teacher", "old")
    ECT = ("ect", "ECT (two years)", "early career teacher", "new")


class InductionProgramme(LabelledEnum):
    """How an ECT's Early Career Framework training is delivered."""

    PROVIDER_LED = ("provider_led", "Provider-led", "provider", "full induction programme", "fip")
    SCHOOL_LED = ("school_led", "School-led", "school", "core induction programme", "cip",
                  "school-based", "diy")


class AssessmentOutcome(LabelledEnum):
    """Outcome of an induction assessment."""

    ON_TRACK = ("on_track", "On track", "satisfactory")
    NOT_ON_TRACK = ("not_on_track", "Not on track", "unsatisfactory", "at risk")
    PASS = ("pass", "Pass", "passed")
    FAIL = ("fail", "Fail", "failed")


class AttendanceStatus(LabelledEnum):
    """Attendance at an induction programme session."""

    PRESENT = ("present", "Present", "attended", "yes")
    ABSENT = ("absent", "Absent", "no")
    APOLOGIES = ("apologies", "Apologies", "excused")


class QaOutcome(LabelledEnum):
    """Outcome of a lead mentor's quality-assurance visit."""

    SECURE = ("secure", "Secure", "good", "outstanding")
    DEVELOPING = ("developing", "Developing", "requires improvement")
    CONCERN = ("concern", "Cause for concern", "inadequate")


class Role(LabelledEnum):
    """Who may do what when a file has sign-in turned on."""

    ITT_LEAD = ("itt_lead", "ITT lead", "lead", "admin")
    OFFICE = ("office", "Office", "business manager")
    MENTOR = ("mentor", "Mentor")
