"""GIAS links: a school that converts to an academy or merges gets a new URN; the alliance's
school moves onto it.

For each "Successor" link (or "Predecessor" link read the other way round) whose old URN is one
of the alliance's schools:
- when the new URN is not in the file yet, the school takes it (and the new name GIAS gives);
- when it is (a GIAS extract brought the new establishment in as a stranger), the alliance's
  mentors, the contact, the lead school mark, the employer of its trainees and the placements
  from the link's date on move to it, and the old school is marked Closed, keeping its past
  placements for history.

Either way the old URN becomes a previous URN of the school: later files that still use it are
matched to the school, and the register-placements export writes the URN a school had at the
time of a placement. Each change is recorded in the school's history. Importing the same file
again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.db.audit import record_entries
from tsa_desktop.domain.schools import CLOSED, OPEN, is_successor_link
from tsa_desktop.formats.schemas_links import SchoolLinkRecord


@dataclass(frozen=True)
class LinkReport:
    """What importing a GIAS links file did.

    Attributes:
        source: The file.
        rows: Rows read.
        moved: One line per school moved onto its new URN.
        unchanged: Successor links already applied (their old URN is a previous URN already).
        skipped: Links that concern no school of the alliance, or are not successions.
    """

    source: str
    rows: int
    moved: tuple[str, ...] = ()
    unchanged: int = 0
    skipped: int = 0

    def summary(self) -> str:
        """One line: ``imported school-links from links.csv: 2 schools moved to a new URN, ...``."""
        from pathlib import Path

        n = len(self.moved)
        return (f"imported school-links from {Path(self.source).name}: {n} school{'' if n == 1 else 's'} "
                f"moved to a new URN, {self.unchanged} already moved, {self.skipped} links not about "
                "the alliance's schools or not successions")


def successions(records: list[SchoolLinkRecord]) -> list[tuple[str, str, str | None, str, dt.date | None, int]]:
    """(old URN, new URN, new name or None, link type, date, row) for every succession, each once,
    oldest first (so that a chain A -> B -> C ends at C)."""
    found: dict[tuple[str, str], tuple[str, str, str | None, str, dt.date | None, int]] = {}
    for r in records:
        kind = r.link_type.strip()
        if is_successor_link(kind):
            old, new, name = r.urn, r.link_urn, r.link_name
        elif kind.casefold().startswith("predecessor"):
            old, new, name = r.link_urn, r.urn, None
            kind = "Successor" + kind[len("predecessor"):]
        else:
            continue
        earlier = found.get((old, new))
        if earlier is None or (earlier[2] is None and name is not None):
            found[(old, new)] = (old, new, name, kind, r.established, r.row)
    return sorted(found.values(), key=lambda f: (f[4] or dt.date.min, f[5]))


def apply_links(s: Session, records: list[SchoolLinkRecord], source: str, today: dt.date) -> LinkReport:
    """Move the alliance's schools onto their successors' URNs (see the module's docstring)."""
    moves = successions(records)
    previous = set(s.scalars(select(m.SchoolPreviousUrn.urn)))
    moved: list[str] = []
    entries: list[tuple] = []
    unchanged = skipped = 0
    sc = m.School
    for old, new, name, kind, established, _row in moves:
        if old in previous:
            unchanged += 1
            continue
        school = s.execute(select(sc.id, sc.name, sc.establishment_status).where(sc.urn == old)).first()
        if school is None:
            skipped += 1
            continue
        when = established or today
        successor = s.execute(select(sc.id, sc.name).where(sc.urn == new)).first()
        if successor is None:
            new_name = name or school.name
            s.execute(update(sc).where(sc.id == school.id).values(
                urn=new, name=new_name, establishment_status=OPEN, version=sc.version + 1))
            target = school.id
            line = (f"{school.name} ({old}) is now {new_name} ({new}) in GIAS ({kind.lower()}, "
                    f"{when:%d/%m/%Y}); its mentors and placements stay with it")
            entries.append((school.id, "update", {"URN": [old, new], "name": [school.name, new_name]}, line, None))
        else:
            target = successor.id
            counts = _move_onto(s, school.id, successor.id, when)
            line = (f"{school.name} ({old}) became {successor.name} ({new}) in GIAS ({kind.lower()}, "
                    f"{when:%d/%m/%Y}): {counts}; {school.name} is marked Closed")
            entries.append((successor.id, "update", {"previous URN": [None, old]}, line, None))
            entries.append((school.id, "update", {"status": [school.establishment_status, CLOSED]},
                            f"{school.name} ({old}) closed: {successor.name} ({new}) took over", None))
            s.execute(update(sc).where(sc.id == school.id).values(
                establishment_status=CLOSED, is_lead_school=False, version=sc.version + 1))
        s.execute(insert(m.SchoolPreviousUrn).values(school_id=target, urn=old, name=school.name,
                                                     link_type=kind, linked_on=established))
        previous.add(old)
        moved.append(line)
    if entries:
        record_entries(s, "schools", entries)
    return LinkReport(source, len(records), tuple(moved), unchanged, skipped)


def _move_onto(s: Session, old_id: int, new_id: int, when: dt.date) -> str:
    """Move the alliance's ties from school ``old_id`` to ``new_id``; what moved, in words."""
    mentors = s.execute(update(m.Mentor).where(m.Mentor.school_id == old_id)
                        .values(school_id=new_id, version=m.Mentor.version + 1)).rowcount
    future_blocks = select(m.PlacementBlock.id).where(m.PlacementBlock.start_date >= when)
    placements = s.execute(update(m.Placement)
                           .where(m.Placement.school_id == old_id, m.Placement.block_id.in_(future_blocks))
                           .values(school_id=new_id, version=m.Placement.version + 1)).rowcount
    employed = s.execute(update(m.Trainee).where(m.Trainee.employing_school_id == old_id)
                         .values(employing_school_id=new_id, version=m.Trainee.version + 1)).rowcount
    hosting = _move_hosting(s, old_id, new_id)
    sc = m.School
    old = s.execute(select(sc).where(sc.id == old_id)).scalar_one()
    new = s.execute(select(sc).where(sc.id == new_id)).scalar_one()
    values: dict = {"capacity_per_block": max(new.capacity_per_block or 0, old.capacity_per_block or 0)}
    if not new.contact_name and not new.contact_email:
        values.update(contact_name=old.contact_name, contact_email=old.contact_email)
    if old.is_lead_school:
        values["is_lead_school"] = True
        s.execute(update(m.AllianceProfile).where(m.AllianceProfile.lead_school_id == old_id)
                  .values(lead_school_id=new_id))
    if new.easting is None and old.easting is not None and new.postcode in ("", old.postcode):
        values.update(easting=old.easting, northing=old.northing)
    s.execute(update(sc).where(sc.id == new_id).values(version=sc.version + 1, **values))
    s.expire_all()
    answers = f", {hosting} hosting answer{'' if hosting == 1 else 's'}" if hosting else ""
    return (f"{mentors} mentor{'' if mentors == 1 else 's'}, {placements} placement"
            f"{'' if placements == 1 else 's'} from {when:%d/%m/%Y}{answers} and {employed} employed trainee"
            f"{'' if employed == 1 else 's'} moved")


def _move_hosting(s: Session, old_id: int, new_id: int) -> int:
    """Move the old school's hosting answers onto the new one (its own answers, if any, stand)."""
    hosting = m.SchoolHosting
    taken = {tuple(row) for row in s.execute(select(hosting.academic_year_id, hosting.block_id)
                                             .where(hosting.school_id == new_id))}
    moved = 0
    for row_id, year_id, block_id in s.execute(select(hosting.id, hosting.academic_year_id, hosting.block_id)
                                               .where(hosting.school_id == old_id)).all():
        if (year_id, block_id) not in taken:
            s.execute(update(hosting).where(hosting.id == row_id).values(school_id=new_id))
            moved += 1
    return moved


def previous_urns(s: Session) -> dict[str, int]:
    """Previous URN -> the id of the school that has it now."""
    return dict(s.execute(select(m.SchoolPreviousUrn.urn, m.SchoolPreviousUrn.school_id)).all())


def urn_history(s: Session) -> dict[int, list[tuple[str, dt.date | None]]]:
    """School id -> its previous URNs, each with the date it stopped, oldest first."""
    found: dict[int, list[tuple[str, dt.date | None]]] = {}
    for school_id, urn, linked in s.execute(select(m.SchoolPreviousUrn.school_id, m.SchoolPreviousUrn.urn,
                                                   m.SchoolPreviousUrn.linked_on).order_by(m.SchoolPreviousUrn.id)):
        found.setdefault(school_id, []).append((urn, linked))
    for urns in found.values():
        urns.sort(key=lambda u: u[1] or dt.date.min)
    return found
