"""Importing trainees: each onto the allocation of their year, route, phase and subject.

The file does not name the allocation: a trainee goes onto the one allocation of their year,
route, phase and subject (and so under its lead school). Where several lead schools hold such an
allocation, a trainee already on one of them stays there; otherwise the one held by their
employing school is taken, then the one with most places left. Where none exists the row is a
problem: an import never invents allocations. Recruiting past an allocation's places needs a
reason, which a file cannot give, so such rows are problems too.

A status that changes is checked against the lifecycle and recorded in the trainee's status
history, dated the file's status_date (the day of the import when it has none). A new trainee's
first status is dated status_date, else start_date, else the first day of their academic year:
never the day of the import, which says nothing about the trainee. A status_date that differs
from the date the unchanged status is recorded with corrects that date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, insert, literal, select, update

from tsa_desktop.db import models as m
from tsa_desktop.domain.allocations import COUNTING_STATUSES, AllocationRef, subject_phase_problem
from tsa_desktop.domain.enums import Phase, Route, Subject, TraineeStatus
from tsa_desktop.domain.journeys import TravelMode
from tsa_desktop.domain.trainees import StatusTransitionError, check_transition, parse_trainee_id
from tsa_desktop.formats.schemas import TraineeRecord
from tsa_desktop.services.transfer.base import IN_CHUNK, Importer, bulk_insert, code, text, values_of

#: Trainee record field -> (column, conversion). Year, employer, status and allocation are
#: resolved separately.
TRAINEE_FIELDS = {
    "trainee_id": ("trainee_id", None),
    "trn": ("trn", None),
    "first_names": ("first_names", None),
    "last_name": ("last_name", None),
    "email": ("email", text),
    "route": ("route", code),
    "phase": ("phase", code),
    "subject": ("subject", code),
    "start_date": ("start_date", None),
    "home_postcode": ("home_postcode", text),
    "home_easting": ("home_easting", None),
    "home_northing": ("home_northing", None),
    "travel_mode": ("travel_mode", lambda mode: (mode or TravelMode.CAR).code),
}

TRAINEE_DEFAULTS: dict[str, Any] = {
    "trn": None, "email": "", "phone": "", "start_date": None, "status": TraineeStatus.OFFERED.code,
    "employing_school_id": None, "home_postcode": "", "home_easting": None, "home_northing": None,
    "travel_mode": TravelMode.CAR.code, "over_allocation_reason": None, "anonymised_at": None, "version": 1,
}

_STORED = ("id", "version", "trainee_id", "trn", "first_names", "last_name", "email", "route", "phase",
           "subject", "academic_year_id", "allocation_id", "start_date", "status", "employing_school_id",
           "home_postcode", "home_easting", "home_northing", "travel_mode", "over_allocation_reason")
_COUNTING = frozenset(COUNTING_STATUSES)
_ALLOCATION_COLUMNS = "route, phase, subject"


class _Resolved(NamedTuple):
    """What a row's references come to: ids to store, or the problems that stop it."""

    year_id: int | None
    employer_id: int | None
    status: str | None
    allocation: AllocationRef | None
    problems: tuple[tuple[str, str, object], ...]


class TraineeImporter(Importer):
    """Trainees matched on trainee_id."""

    kind = "trainees"
    table = m.Trainee.__table__

    def plan(self) -> None:
        t = self.table
        stored = self.stored(select(*(t.c[c] for c in _STORED)), lambda r: r["trainee_id"])
        self._load_allocations()
        fields = self.fields(TRAINEE_FIELDS)
        has_status = "status" in self.present
        has_employer = "employing_school_urn" in self.present
        #: (stored id, status, date or None) of existing trainees whose status changes.
        self._history: list[tuple[int, str, dt.date | None]] = []
        #: (history entry id, date) of unchanged statuses whose date the file corrects.
        self._redated: list[tuple[int, dt.date]] = []
        self._has_since = "status_date" in self.present
        self._latest = self._latest_changes() if self._has_since and stored else {}
        self._arrivals: dict[int, list[tuple[TraineeRecord, dict[str, Any] | None]]] = defaultdict(list)
        self._staying: Counter[int] = Counter(self._recruited)
        self._year_moves: list[tuple[TraineeRecord, dict[str, Any]]] = []
        # New trainees are gathered a column at a time; rows with the same year, route, phase,
        # subject, employer and status resolve alike, so each such group is resolved once.
        groups: dict[tuple, _Resolved] = {}
        new_rows: list[TraineeRecord] = []
        new_found: list[_Resolved] = []
        add_problem = self.problems.add
        check_id = self._check_new_id
        records: list[TraineeRecord] = self.records
        for r in records:
            state = r.__dict__
            current = stored.get(state["trainee_id"])
            # Enumeration members are singletons: their ids key them as well as they do, and
            # hashing an Enum member runs Python code (a third of this loop's time).
            group = (state["academic_year"], id(state["route"]), id(state["phase"]), id(state["subject"]),
                     state["employing_school_urn"] if has_employer else None,
                     id(state["status"]) if has_status else None)
            if current is not None:
                # A stored trainee resolves by what they have now as well: their allocation
                # (kept while it matches), status (the lifecycle) and employer (when not in the file).
                group += (current["allocation_id"], current["status"],
                          None if has_employer else current["employing_school_id"])
                found = groups.get(group)
                if found is None:
                    found = groups[group] = self._resolve(r, current, has_employer, has_status)
                self._existing(r, current, found, fields, has_employer, has_status)
                continue
            found = groups.get(group)
            if found is None:
                found = groups[group] = self._resolve(r, None, has_employer, has_status)
            tid = state["trainee_id"]
            # ASCII letters and digits alone always pass the id rule: only other ids are checked.
            bad = not (tid.isascii() and tid.isalnum()) and check_id(r)
            if found.problems:
                for column, message, value in found.problems:
                    add_problem(r.row, column, message, value)
            elif not bad:
                new_rows.append(r)
                new_found.append(found)
        self._new = list(zip(new_rows, new_found))
        derived: dict[str, list[Any]] = {"academic_year_id": [f.year_id for f in new_found],
                                         "allocation_id": [f.allocation.id for f in new_found]}
        if has_employer:
            derived["employing_school_id"] = [f.employer_id for f in new_found]
        if has_status:
            derived["status"] = [f.status for f in new_found]
        new_states = [r.__dict__ for r in new_rows]
        self.changes.add_columns(new_states, fields, derived, TRAINEE_DEFAULTS)
        self._check_places()
        self._check_year_moves()

    def _existing(self, r: TraineeRecord, current: dict[str, Any], found: _Resolved, fields: list,
                  has_employer: bool, has_status: bool) -> None:
        """Sort a trainee already stored among the updated or unchanged (or note their problems)."""
        for column, message, value in found.problems:
            self.problems.add(r.row, column, message, value)
        if found.problems:
            return
        values = values_of(r, fields)
        values["academic_year_id"] = found.year_id
        values["allocation_id"] = found.allocation.id
        if has_employer:
            values["employing_school_id"] = found.employer_id
        if has_status:
            values["status"] = found.status
        if current["academic_year_id"] != found.year_id:
            self._year_moves.append((r, current))
        self._count(r, current, found.allocation.id, found.status)
        since = r.status_date if self._has_since else None
        start = r.start_date if "start_date" in self.present else current["start_date"]
        if since is not None and start is not None and since < start:
            self.problems.add(r.row, "status_date", f"is before the trainee's start date ({start:%d/%m/%Y}): a "
                              "status cannot begin before the trainee started", since.isoformat())
            return
        redate = False
        if found.status != current["status"]:
            self._history.append((current["id"], found.status, since))
        elif since is not None:
            latest = self._latest.get(current["id"])
            if latest is not None and latest[1] != since:
                self._redated.append((latest[0], since))
                redate = True
        self.changes.sort(current, values, TRAINEE_DEFAULTS, also_changed=redate)

    def _resolve(self, r: TraineeRecord, current: dict[str, Any] | None, has_employer: bool,
                 has_status: bool) -> _Resolved:
        """The year, employer, status and allocation a row comes to, or why it cannot be stored."""
        problems: list[tuple[str, str, object]] = []
        year_id = self.lookups.years.get(r.academic_year)
        if year_id is None:
            problems.append(("academic_year", f"there is no academic year {r.academic_year} in this file; "
                             "import the year's allocations first", r.academic_year))
        employer = current["employing_school_id"] if current is not None else None
        if has_employer:
            urn = r.employing_school_urn
            found = self.lookups.schools.get(urn) if urn is not None else None
            if urn is not None and found is None:
                problems.append(("employing_school_urn",
                                 f"no school has the URN {urn}; import or add the school first", urn))
            employer = found[0] if found is not None else None
        mismatch = subject_phase_problem(r.phase, r.subject)
        if mismatch:
            problems.append(("subject", mismatch, r.subject.code))
        status = self._status(r, current, problems) if has_status else (
            current["status"] if current is not None else TraineeStatus.OFFERED.code)
        allocation = None
        if not problems:
            allocation = self._choose(r, year_id, employer, current, problems)
        return _Resolved(year_id, employer, status, allocation, tuple(problems))

    # --- checks -------------------------------------------------------------------------------------

    def _check_new_id(self, r: TraineeRecord) -> bool:
        try:
            parse_trainee_id(r.trainee_id)
        except ValueError as exc:
            self.problems.add(r.row, "trainee_id", str(exc), r.trainee_id)
            return True
        return False

    @staticmethod
    def _status(r: TraineeRecord, current: dict[str, Any] | None, problems: list) -> str | None:
        """The status after the import; None (and a problem) for a change the lifecycle refuses."""
        if current is None:
            return (r.status or TraineeStatus.OFFERED).code
        if r.status is None or r.status.code == current["status"]:
            return current["status"]
        try:
            check_transition(TraineeStatus.parse(current["status"]), r.status)
        except StatusTransitionError as exc:
            problems.append(("status", exc.problems[0].message, r.status.code))
            return None
        return r.status.code

    def _load_allocations(self) -> None:
        lead, provider = m.School, m.Provider
        a = m.Allocation
        stmt = (select(a.id, m.AcademicYear.name, a.academic_year_id, a.route, a.phase, a.subject,
                       a.lead_school_id, lead.name, provider.name, a.places)
                .join(m.AcademicYear, m.AcademicYear.id == a.academic_year_id)
                .join(lead, lead.id == a.lead_school_id)
                .outerjoin(provider, provider.id == a.provider_id)
                .order_by(a.id))
        self._recruited: Counter[int] = Counter(dict(self.s.execute(
            select(m.Trainee.allocation_id, func.count())
            .where(m.Trainee.status.in_(COUNTING_STATUSES), m.Trainee.allocation_id.is_not(None))
            .group_by(m.Trainee.allocation_id)).all()))
        self._allocations: dict[tuple, list[tuple[AllocationRef, int]]] = defaultdict(list)
        self._refs: dict[int, AllocationRef] = {}
        for aid, year, year_id, route, phase, subject, lead_id, lead_name, provider_name, places in self.s.execute(stmt):
            ref = AllocationRef(aid, year, Route.parse(route), Phase.parse(phase), Subject.parse(subject),
                                lead_name, provider_name or "", places)
            self._allocations[(year_id, route, phase, subject)].append((ref, lead_id))
            self._refs[aid] = ref

    def _choose(self, r: TraineeRecord, year_id: int, employer: int | None,
                current: dict[str, Any] | None, problems: list) -> AllocationRef | None:
        options = self._allocations.get((year_id, r.route.code, r.phase.code, r.subject.code))
        if not options:
            problems.append((
                _ALLOCATION_COLUMNS,
                f"there is no {r.academic_year} allocation for {r.route.label}, {r.phase.label}, "
                f"{r.subject.label}; import or add the allocation first, or correct the route, "
                "phase or subject", f"{r.route.code}, {r.phase.code}, {r.subject.code}"))
            return None
        if len(options) == 1:
            return options[0][0]
        if current is not None:
            kept = next((ref for ref, _lead in options if ref.id == current["allocation_id"]), None)
            if kept is not None:
                return kept
        employers = [ref for ref, lead in options if lead == employer]
        if employers:
            return employers[0]
        return max(options, key=lambda o: (o[0].places - self._recruited.get(o[0].id, 0), -o[0].id))[0]

    def _count(self, r: TraineeRecord, current: dict[str, Any] | None, allocation_id: int, status: str) -> None:
        """Note how the trainee fills allocations after the import, for the over-allocation check."""
        if current is not None and current["status"] in _COUNTING and current["allocation_id"] is not None:
            self._staying[current["allocation_id"]] -= 1
        if status not in _COUNTING:
            return
        arrives = (current is None or current["allocation_id"] != allocation_id
                   or current["status"] not in _COUNTING)
        if arrives:
            self._arrivals[allocation_id].append((r, current))
        else:
            self._staying[allocation_id] += 1

    def _check_places(self) -> None:
        # Trainees who stay on their allocation are counted first: the file's arrivals (new
        # trainees, and trainees moving onto it or counting again) are the ones that would take
        # it past its places, in the file's order.
        arriving = Counter(found.allocation.id for _r, found in self._new if found.status in _COUNTING)
        for allocation_id, n in self._arrivals.items():
            arriving[allocation_id] += len(n)
        for allocation_id, n in arriving.items():
            ref = self._refs[allocation_id]
            running = self._staying[allocation_id]
            if running + n <= ref.places:
                continue
            rows = sorted([(r, None) for r, found in self._new
                           if found.allocation.id == allocation_id and found.status in _COUNTING]
                          + self._arrivals.get(allocation_id, []), key=lambda rc: rc[0].row)
            for r, current in rows:
                running += 1
                if running > ref.places and not (current and current["over_allocation_reason"]):
                    self.problems.add(
                        r.row, _ALLOCATION_COLUMNS,
                        f"the allocation {ref.describe()} has {ref.places} place"
                        f"{'' if ref.places == 1 else 's'}; with this row {running} trainees would be "
                        "recruited against it. Recruiting past its places needs a reason: raise its "
                        "places (import allocations), or add this trainee on the Trainees page",
                        f"{r.route.code}, {r.phase.code}, {r.subject.code}")

    def _check_year_moves(self) -> None:
        if not self._year_moves:
            return
        ids = [current["id"] for _r, current in self._year_moves]
        placed: set[int] = set()
        for start in range(0, len(ids), IN_CHUNK):
            placed.update(self.s.scalars(select(m.Placement.trainee_id).distinct().where(
                m.Placement.trainee_id.in_(ids[start:start + IN_CHUNK]))))
        for r, current in self._year_moves:
            if current["id"] in placed:
                self.problems.add(r.row, "academic_year",
                                  "the trainee has placements in another academic year; remove them "
                                  "before moving the trainee to this year", r.academic_year)

    # --- writing ------------------------------------------------------------------------------------

    def apply_before(self) -> None:
        self._last_id = self.s.scalar(select(func.max(m.Trainee.id))) or 0

    def apply_more(self) -> None:
        note = f"Imported from {self.file_name}"
        c = m.TraineeStatusChange.__table__
        if self.changes.added:
            # Every trainee added now starts their history with their first status, dated their
            # start date (else their year's first day), in one statement: the new trainees are
            # those after the last id read before the insert. SQLite's write lock is held from
            # the start; a server lets others insert meanwhile, so there only those without a
            # history yet (one added in the window has its own).
            t, y = self.table, m.AcademicYear.__table__
            new = (select(t.c.id, t.c.status, func.coalesce(t.c.start_date, y.c.start_date), literal(note))
                   .join(y, y.c.id == t.c.academic_year_id).where(t.c.id > self._last_id))
            if self.s.get_bind().dialect.name != "sqlite":
                new = new.where(~select(c.c.id).where(c.c.trainee_id == t.c.id).exists())
            self.s.connection().execute(insert(c).from_select(["trainee_id", "status", "changed_on", "note"], new))
            dated = [{"_code": r.trainee_id, "_on": r.status_date} for r, _found in self._new
                     if r.status_date is not None] if self._has_since else []
            if dated:
                # The file's status_date, where it gives one, for the first status of a new trainee.
                own = select(t.c.id).where(t.c.trainee_id == bindparam("_code")).scalar_subquery()
                self.s.connection().execute(
                    update(c).where(c.c.trainee_id == own).values(changed_on=bindparam("_on")), dated)
        if self._history:
            last_change = self._last_changes([i for i, _status, _on in self._history])
            bulk_insert(self.s, c, [
                {"trainee_id": i, "status": status, "note": note,
                 "changed_on": on or max(self.today, last_change.get(i, self.today))}
                for i, status, on in self._history])
        if self._redated:
            self.s.connection().execute(
                update(c).where(c.c.id == bindparam("_id")).values(changed_on=bindparam("_on")),
                [{"_id": entry, "_on": on} for entry, on in self._redated])

    def _latest_changes(self) -> dict[int, tuple[int, dt.date]]:
        """Trainee id -> (id, date) of their latest status change, for every stored trainee."""
        c = m.TraineeStatusChange
        last = select(func.max(c.id)).group_by(c.trainee_id)
        return {tid: (cid, on) for cid, tid, on in self.s.execute(
            select(c.id, c.trainee_id, c.changed_on).where(c.id.in_(last)))}

    def _last_changes(self, ids: list[int]) -> dict[int, dt.date]:
        found: dict[int, dt.date] = {}
        c = m.TraineeStatusChange
        for start in range(0, len(ids), IN_CHUNK):
            found.update(self.s.execute(select(c.trainee_id, func.max(c.changed_on))
                                        .where(c.trainee_id.in_(ids[start:start + IN_CHUNK]))
                                        .group_by(c.trainee_id)).all())
        return found
