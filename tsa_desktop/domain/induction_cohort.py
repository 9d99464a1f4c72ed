"""An induction cohort in figures and words: attendance at the programme and the cohort summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from tsa_desktop.domain.enums import AttendanceStatus, NqtStatus


# --- attendance ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRate:
    """Attendance at the sessions whose attendance was recorded.

    Sessions not (yet) recorded for an NQT do not count either way; apologies count as not
    attending, but are shown apart from absences.
    """

    present: int = 0
    absent: int = 0
    apologies: int = 0

    @property
    def recorded(self) -> int:
        return self.present + self.absent + self.apologies

    @property
    def rate(self) -> float | None:
        """Present / recorded, or None when nothing is recorded."""
        return self.present / self.recorded if self.recorded else None

    @property
    def percent(self) -> int | None:
        """The rate as a whole percentage, or None."""
        return None if self.rate is None else round(self.rate * 100)

    def __add__(self, other: AttendanceRate) -> AttendanceRate:
        return AttendanceRate(self.present + other.present, self.absent + other.absent,
                              self.apologies + other.apologies)

    def text(self) -> str:
        """E.g. "88% (7 of 8)", or "none recorded"."""
        if self.percent is None:
            return "none recorded"
        return f"{self.percent}% ({self.present} of {self.recorded})"


def attendance_rate(statuses: Iterable[AttendanceStatus | str | None]) -> AttendanceRate:
    """The rate over a person's attendance marks; None (not recorded) is left out."""
    counts: Counter[AttendanceStatus] = Counter()
    for status in statuses:
        if status is not None:
            counts[AttendanceStatus.parse(status)] += 1
    return AttendanceRate(counts[AttendanceStatus.PRESENT], counts[AttendanceStatus.ABSENT],
                          counts[AttendanceStatus.APOLOGIES])


#: Below this attendance rate an NQT's row is flagged.
LOW_ATTENDANCE = 0.8


# --- the cohort summary --------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortMember:
    """What the summary needs to know about one NQT."""

    school: str
    local_authority: str
    fte: float
    status: NqtStatus
    overdue: int = 0
    attendance: AttendanceRate = AttendanceRate()
    old_regime: bool = False


@dataclass(frozen=True)
class CohortSummary:
    """A cohort in figures, with :meth:`sentence` to say it in words.

    Attributes:
        year: The academic year, ``2026/27``.
        nqts: How many early career teachers (NQTs included).
        schools: How many employing schools.
        local_authorities: The schools' local authorities, sorted (blank ones left out).
        part_time: NQTs below 1.0 FTE.
        statuses: (status, count) for every status that occurs, in the enumeration's order.
        overdue: Assessments overdue.
        attendance: Attendance over the whole cohort.
    """

    year: str
    nqts: int
    schools: int
    local_authorities: tuple[str, ...]
    part_time: int
    statuses: tuple[tuple[NqtStatus, int], ...]
    overdue: int
    attendance: AttendanceRate
    old_regime: int = 0

    def count(self, status: NqtStatus) -> int:
        return dict(self.statuses).get(status, 0)

    def sentence(self) -> str:
        """The cohort in words, e.g. "38 early career teachers from 16 schools across 4 local authorities …"."""
        if not self.nqts:
            return f"Induction {self.year}: no early career teachers in this cohort yet."
        las = len(self.local_authorities)
        who = _n(self.nqts, "early career teacher")
        if self.old_regime == self.nqts:
            who = _n(self.nqts, "NQT")
        elif self.old_regime:
            who += f" ({self.old_regime} of them {'NQTs' if self.old_regime != 1 else 'an NQT'} under the old rules)"
        text = (f"Induction {self.year}: {who} from {_n(self.schools, 'school')}"
                + (f" across {_n(las, 'local authority', 'local authorities')}" if las else "")
                + (f" ({', '.join(self.local_authorities)})" if 1 < las <= 6 else "")
                + (f"; {self.part_time} part time" if self.part_time else "") + ".")
        states = [f"{n} {_STATUS_WORDS[status]}" for status, n in self.statuses]
        if states:
            text += " " + _join(states) + "."
        if self.overdue:
            text += f" {_n(self.overdue, 'assessment')} overdue."
        if self.attendance.recorded:
            text += f" Attendance at the induction programme: {self.attendance.percent}%."
        return text


def summarise_cohort(year: str, members: Sequence[CohortMember]) -> CohortSummary:
    """Count a cohort's NQTs, schools, local authorities, statuses, overdue assessments and attendance."""
    counts = Counter(m.status for m in members)
    attendance = AttendanceRate()
    for member in members:
        attendance = attendance + member.attendance
    return CohortSummary(
        year=year,
        nqts=len(members),
        schools=len({m.school for m in members}),
        local_authorities=tuple(sorted({m.local_authority for m in members if m.local_authority},
                                       key=str.casefold)),
        part_time=sum(1 for m in members if m.fte < 1.0),
        statuses=tuple((s, counts[s]) for s in NqtStatus if counts[s]),
        overdue=sum(m.overdue for m in members),
        attendance=attendance,
        old_regime=sum(1 for m in members if m.old_regime),
    )


def _n(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


_STATUS_WORDS = {
    NqtStatus.IN_PROGRESS: "in induction",
    NqtStatus.NOT_STARTED: "not started",
    NqtStatus.EXTENDED: "extended",
    NqtStatus.PASSED: "passed",
    NqtStatus.FAILED: "failed",
    NqtStatus.LEFT: "left the alliance",
}


