"""Importing the alliance's organisations: schools (also from GIAS), providers, allocations."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select

from tsa_desktop.db import models as m
from tsa_desktop.domain.allocations import COUNTING_STATUSES, places_cut_problem, route_year_problem, subject_phase_problem
from tsa_desktop.formats.schemas import AllocationRecord, ProviderRecord, SchoolRecord, fold_key
from tsa_desktop.services.transfer.base import (
    Importer,
    accepted_list,
    bulk_update,
    code,
    school_problem,
    text,
    values_of,
)
from tsa_desktop.services.reference.years import ensure_year


def _false_if_none(value: bool | None) -> bool:
    return bool(value)


def _capacity(value: int | None) -> int:
    return 4 if value is None else value


def _status(value: str | None) -> str:
    return value or "Open"


#: School record field -> (column, conversion to what is stored).
SCHOOL_FIELDS = {
    "urn": ("urn", None),
    "name": ("name", None),
    "phase": ("phase", code),
    "type": ("establishment_type", text),
    "local_authority": ("local_authority", text),
    "address_line_1": ("address_line_1", text),
    "address_line_2": ("address_line_2", text),
    "town": ("town", text),
    "postcode": ("postcode", text),
    "easting": ("easting", None),
    "northing": ("northing", None),
    "lead_school": ("is_lead_school", _false_if_none),
    "capacity_per_block": ("capacity_per_block", _capacity),
    "contact_name": ("contact_name", text),
    "contact_email": ("contact_email", text),
    "status": ("establishment_status", _status),
}

SCHOOL_DEFAULTS: dict[str, Any] = {
    "establishment_type": "", "local_authority": "", "address_line_1": "", "address_line_2": "",
    "town": "", "postcode": "", "easting": None, "northing": None, "is_lead_school": False,
    "capacity_per_block": 4, "contact_name": "", "contact_email": "", "establishment_status": "Open",
    "version": 1,
}


class SchoolImporter(Importer):
    """Schools matched on URN; a GIAS extract leaves lead school, capacity and contact alone."""

    kind = "schools"
    table = m.School.__table__

    def plan(self) -> None:
        t = self.table
        columns = [c for c, _conv in SCHOOL_FIELDS.values()]
        stored = self.stored(select(t.c.id, t.c.version, *(t.c[c] for c in columns)), lambda r: r["urn"])
        fields = self.fields(SCHOOL_FIELDS)
        records: list[SchoolRecord] = self.records
        moved = {urn: (now, name) for urn, now, name in self.s.execute(
            select(m.SchoolPreviousUrn.urn, m.School.urn, m.School.name)
            .join(m.School, m.School.id == m.SchoolPreviousUrn.school_id))}
        for record in records:
            current = stored.get(record.urn)
            if current is None and record.urn in moved:
                # GIAS still lists the old establishment (Closed): the alliance's school has
                # moved onto its successor's URN and stays as it is.
                now, name = moved[record.urn]
                self.notes.append(f"row {record.row}: URN {record.urn} is a previous URN of {name} ({now}); "
                                  "the row was left out")
                continue
            self.changes.sort(current, values_of(record, fields), SCHOOL_DEFAULTS)
        if "lead_school" in self.present:
            self._one_lead_school(records, stored)

    def _one_lead_school(self, records: list[SchoolRecord], stored: dict[str, dict[str, Any]]) -> None:
        # One lead school per alliance (the teaching school), as the Schools page keeps it.
        leads = [r for r in records if r.lead_school]
        for extra in leads[1:]:
            self.problems.add(extra.row, "lead_school",
                              f"only one school can be the lead school; row {leads[0].row} "
                              f"({leads[0].name}) says yes too", "yes")
        self._demoted: list[dict[str, Any]] = []
        if len(leads) != 1:
            return
        in_file = {r.urn for r in records}
        for urn, row in stored.items():
            if row["is_lead_school"] and urn not in in_file:
                self._demoted.append({"is_lead_school": False, "_id": row["id"], "_version": row["version"]})
                self.notes.append(f"{row['name']} ({urn}) is no longer the lead school: "
                                  f"{leads[0].name} ({leads[0].urn}) is, as the file says")

    def apply_more(self) -> None:
        bulk_update(self.s, self.table, getattr(self, "_demoted", []))


# --- Providers -------------------------------------------------------------------------------------

PROVIDER_FIELDS = {"name": ("name", None), "code": ("code", text), "kind": ("kind", code)}


class ProviderImporter(Importer):
    """Accredited providers matched on their name, ignoring case and spacing."""

    kind = "providers"
    table = m.Provider.__table__

    def plan(self) -> None:
        t = self.table
        stored = self.stored(select(t.c.id, t.c.version, t.c.name, t.c.code, t.c.kind),
                             lambda r: fold_key(r["name"]))
        fields = self.fields(PROVIDER_FIELDS)
        records: list[ProviderRecord] = self.records
        for record in records:
            self.changes.sort(stored.get(record.key[0]), values_of(record, fields),
                              {"code": "", "version": 1})


# --- Allocations -----------------------------------------------------------------------------------


class AllocationImporter(Importer):
    """Allocations matched on year, route, phase, subject and lead school.

    A year that is not in the file yet is created, with the usual placement blocks.
    """

    kind = "allocations"
    table = m.Allocation.__table__

    def plan(self) -> None:
        t = self.table
        stored = self.stored(
            select(t.c.id, t.c.version, t.c.academic_year_id, t.c.route, t.c.phase, t.c.subject,
                   t.c.lead_school_id, t.c.provider_id, t.c.places),
            lambda r: (r["academic_year_id"], r["route"], r["phase"], r["subject"], r["lead_school_id"]))
        recruited = Counter(dict(self.s.execute(
            select(m.Trainee.allocation_id, func.count())
            .where(m.Trainee.status.in_(COUNTING_STATUSES), m.Trainee.allocation_id.is_not(None))
            .group_by(m.Trainee.allocation_id)).all()))
        has_provider = "accredited_provider" in self.present
        self._new_years: dict[str, list[dict[str, Any]]] = {}
        records: list[AllocationRecord] = self.records
        for r in records:
            school_id = school_problem(self.problems, self.lookups, r.row, "lead_school_urn", r.lead_school_urn)
            provider_id = self._provider(r) if has_provider else None
            problem = subject_phase_problem(r.phase, r.subject)
            if problem:
                self.problems.add(r.row, "subject", problem, r.subject.code)
            problem = route_year_problem(r.route, r.academic_year)
            if problem:
                self.problems.add(r.row, "route", problem, r.route.code)
            if school_id is None or provider_id is False:
                continue
            year_id = self.lookups.year_id(r.academic_year)
            values: dict[str, Any] = {"places": r.places}
            if has_provider:
                values["provider_id"] = provider_id
            key = (year_id, r.route.code, r.phase.code, r.subject.code, school_id)
            current = stored.get(key) if year_id is not None else None
            if current is not None:
                cut = places_cut_problem(current["places"], r.places, recruited.get(current["id"], 0))
                if cut:
                    self.problems.add(r.row, "places", cut, r.places)
            outcome = self.changes.sort(current, values, {
                "academic_year_id": year_id, "route": key[1], "phase": key[2], "subject": key[3],
                "lead_school_id": school_id, "provider_id": None, "version": 1})
            if outcome == "added" and year_id is None:
                self._new_years.setdefault(r.academic_year, []).append(self.changes.inserts[-1])
        for year in self._new_years:
            self.notes.append(f"the academic year {year} was added, with the usual placement blocks")

    def _provider(self, r: AllocationRecord) -> int | None | bool:
        """The provider's id, None for none, False when the name is not known (a problem)."""
        if r.accredited_provider is None:
            return None
        found = self.lookups.providers.get(fold_key(r.accredited_provider))
        if found is None:
            names = sorted(name for _id, name in self.lookups.providers.values())
            self.problems.add(r.row, "accredited_provider",
                              f"no accredited provider has this name; import or add it first "
                              f"(known: {accepted_list(names)})", r.accredited_provider)
            return False
        return found[0]

    def apply_before(self) -> None:
        for year, rows in self._new_years.items():
            year_id = ensure_year(self.s, year).id
            for row in rows:
                row["academic_year_id"] = year_id
