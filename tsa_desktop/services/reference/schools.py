"""Schools and accredited providers: list, add, edit, delete."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tsa_desktop.db import models as m
from tsa_desktop.domain.enums import Phase, ProviderKind
from tsa_desktop.domain.errors import ConflictError, DeleteRefusedError, NotFoundError
from tsa_desktop.domain.labels import field_label
from tsa_desktop.domain.schools import ProviderData, SchoolData, validate_provider, validate_school
from tsa_desktop.services.base import Service, check_version
from tsa_desktop.services.reference.postcodes import directory


@dataclass(frozen=True)
class SchoolRow:
    """A school as the pages and commands see it."""

    id: int
    urn: str
    name: str
    phase: Phase
    establishment_type: str
    local_authority: str
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    easting: int | None
    northing: int | None
    is_lead_school: bool
    capacity_per_block: int
    contact_name: str
    contact_email: str
    version: int
    mentor_count: int = 0
    placement_count: int = 0
    establishment_status: str = "Open"
    previous_urns: tuple[str, ...] = ()

    @property
    def closed(self) -> bool:
        """GIAS lists the school as Closed: kept for history, never offered or planned."""
        return self.establishment_status == "Closed"

    @property
    def address(self) -> str:
        """The address on one line, skipping empty parts."""
        parts = (self.address_line_1, self.address_line_2, self.town, self.postcode)
        return ", ".join(p for p in parts if p)

    def data(self) -> SchoolData:
        """The editable fields, e.g. to undo an edit."""
        names = {f.name for f in fields(SchoolData)}
        return SchoolData(**{k: v for k, v in asdict(self).items() if k in names})


@dataclass(frozen=True)
class ProviderRow:
    """An accredited provider."""

    id: int
    name: str
    code: str
    kind: ProviderKind
    version: int
    allocation_count: int = 0


_SCHOOL_FIELDS = [f.name for f in fields(SchoolData)]


def school_row(school: m.School, mentor_count: int = 0, placement_count: int = 0,
               previous_urns: tuple[str, ...] = ()) -> SchoolRow:
    """Copy an ORM school into a plain row."""
    values = {name: getattr(school, name) for name in _SCHOOL_FIELDS}
    values["phase"] = Phase.parse(school.phase)
    return SchoolRow(id=school.id, version=school.version, mentor_count=mentor_count,
                     placement_count=placement_count, establishment_status=school.establishment_status or "Open",
                     previous_urns=previous_urns, **values)


def _previous_urns(s: Session) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    for school_id, urn in s.execute(select(m.SchoolPreviousUrn.school_id, m.SchoolPreviousUrn.urn)
                                    .order_by(m.SchoolPreviousUrn.linked_on, m.SchoolPreviousUrn.id)):
        found.setdefault(school_id, []).append(urn)
    return {k: tuple(v) for k, v in found.items()}


class SchoolService(Service):
    """Use cases for the alliance's schools."""

    def list(self) -> list[SchoolRow]:
        """Every school, by name, with how many mentors and placements it has."""
        mentors = (select(m.Mentor.school_id, func.count().label("n"))
                   .group_by(m.Mentor.school_id).subquery())
        placements = (select(m.Placement.school_id, func.count().label("n"))
                      .where(m.Placement.status != "cancelled")
                      .group_by(m.Placement.school_id).subquery())
        stmt = (
            select(m.School, func.coalesce(mentors.c.n, 0), func.coalesce(placements.c.n, 0))
            .outerjoin(mentors, mentors.c.school_id == m.School.id)
            .outerjoin(placements, placements.c.school_id == m.School.id)
            .order_by(m.School.name)
        )
        with self._read() as s:
            previous = _previous_urns(s)
            return [school_row(school, nm, np, previous.get(school.id, ())) for school, nm, np in s.execute(stmt)]

    def get(self, school_id: int) -> SchoolRow:
        """One school.

        Raises:
            NotFoundError: when it was deleted meanwhile.
        """
        with self._read() as s:
            return school_row(self._load(s, school_id), previous_urns=_previous_urns(s).get(school_id, ()))

    def by_urn(self, urn: str) -> SchoolRow | None:
        """The school with this URN, if any."""
        with self._read() as s:
            school = s.scalar(select(m.School).where(m.School.urn == urn))
            return school_row(school, previous_urns=_previous_urns(s).get(school.id, ())) if school else None

    def create(self, raw: dict | SchoolData) -> SchoolRow:
        """Add a school.

        Args:
            raw: The fields as typed (validated here) or already-validated data.

        Raises:
            ValidationError: a field is wrong. ConflictError: the URN is taken.
        """
        data = raw if isinstance(raw, SchoolData) else validate_school(raw)
        with self._write() as s:
            self._refuse_duplicate_urn(s, data.urn, None)
            school = m.School()
            self._apply(s, school, data)
            s.add(school)
            s.flush()
            return school_row(school)

    def update(self, school_id: int, raw: dict | SchoolData, expected_version: int | None = None) -> SchoolRow:
        """Change a school's fields.

        Args:
            school_id: The school.
            raw: The new fields.
            expected_version: The version the edit started from; a newer one refuses the save.
        """
        data = raw if isinstance(raw, SchoolData) else validate_school(raw)
        with self._write() as s:
            school = self._load(s, school_id)
            check_version(school.version, expected_version, school.name)
            self._refuse_duplicate_urn(s, data.urn, school_id)
            self._apply(s, school, data)
            s.flush()
            return school_row(school)

    def delete(self, school_id: int) -> SchoolRow:
        """Delete a school that nothing depends on.

        Returns:
            The deleted school, so that the delete can be undone.

        Raises:
            DeleteRefusedError: placements, mentors, trainees, allocations or NQTs depend on it.
        """
        with self._write() as s:
            school = self._load(s, school_id)
            row = school_row(school)
            dependants = _dependants(s, school_id)
            if dependants:
                raise DeleteRefusedError(
                    f"{school.name} cannot be deleted: {_join(dependants)} depend on it. "
                    "Move or delete them first."
                )
            s.delete(school)
            return row

    @staticmethod
    def _load(s: Session, school_id: int) -> m.School:
        school = s.get(m.School, school_id)
        if school is None:
            raise NotFoundError("That school no longer exists; somebody may have deleted it.")
        return school

    @staticmethod
    def _refuse_duplicate_urn(s: Session, urn: str, own_id: int | None) -> None:
        other = s.scalar(select(m.School).where(m.School.urn == urn, m.School.id != (own_id or -1)))
        if other is not None:
            raise ConflictError(f"{field_label('schools', 'urn')}: {urn} is already used by {other.name}.")

    @staticmethod
    def _apply(s: Session, school: m.School, data: SchoolData) -> None:
        for name in _SCHOOL_FIELDS:
            value = getattr(data, name)
            setattr(school, name, value.code if isinstance(value, Phase) else value)
        if data.postcode and data.easting is None:
            # A postcode typed without a grid reference is located, as an import would do.
            found = directory().locate_one(data.postcode)
            if found is not None:
                school.easting, school.northing = found
        if data.is_lead_school:
            # One lead school per alliance: the teaching school.
            for other in s.scalars(select(m.School).where(m.School.is_lead_school.is_(True))):
                if other is not school:
                    other.is_lead_school = False


def _dependants(s: Session, school_id: int) -> list[str]:
    checks = [
        ("placement", select(func.count()).select_from(m.Placement).where(m.Placement.school_id == school_id)),
        ("mentor", select(func.count()).select_from(m.Mentor).where(m.Mentor.school_id == school_id)),
        ("allocation", select(func.count()).select_from(m.Allocation).where(m.Allocation.lead_school_id == school_id)),
        ("salaried trainee employed there",
         select(func.count()).select_from(m.Trainee).where(m.Trainee.employing_school_id == school_id)),
        ("NQT", select(func.count()).select_from(m.Nqt).where(m.Nqt.employing_school_id == school_id)),
    ]
    found = []
    for noun, stmt in checks:
        n = s.scalar(stmt) or 0
        if n:
            found.append(f"{n} {noun}{'' if n == 1 or noun.endswith('there') else 's'}")
    return found


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def provider_row(p: m.Provider, allocation_count: int = 0) -> ProviderRow:
    """Copy an ORM provider into a plain row."""
    return ProviderRow(p.id, p.name, p.code, ProviderKind.parse(p.kind), p.version, allocation_count)


class ProviderService(Service):
    """Use cases for accredited providers."""

    def list(self) -> list[ProviderRow]:
        """Every provider by name, with its number of allocations."""
        counts = (select(m.Allocation.provider_id, func.count().label("n"))
                  .group_by(m.Allocation.provider_id).subquery())
        stmt = (select(m.Provider, func.coalesce(counts.c.n, 0))
                .outerjoin(counts, counts.c.provider_id == m.Provider.id).order_by(m.Provider.name))
        with self._read() as s:
            return [provider_row(p, n) for p, n in s.execute(stmt)]

    def create(self, raw: dict | ProviderData) -> ProviderRow:
        """Add a provider. Raises ValidationError or ConflictError (name taken)."""
        data = raw if isinstance(raw, ProviderData) else validate_provider(raw)
        with self._write() as s:
            self._refuse_duplicate(s, data.name, None)
            provider = m.Provider(name=data.name, code=data.code, kind=data.kind.code)
            s.add(provider)
            s.flush()
            return provider_row(provider)

    def update(self, provider_id: int, raw: dict | ProviderData, expected_version: int | None = None) -> ProviderRow:
        """Change a provider."""
        data = raw if isinstance(raw, ProviderData) else validate_provider(raw)
        with self._write() as s:
            provider = self._load(s, provider_id)
            check_version(provider.version, expected_version, provider.name)
            self._refuse_duplicate(s, data.name, provider_id)
            provider.name, provider.code, provider.kind = data.name, data.code, data.kind.code
            s.flush()
            return provider_row(provider)

    def delete(self, provider_id: int) -> ProviderRow:
        """Delete a provider no allocation refers to."""
        with self._write() as s:
            provider = self._load(s, provider_id)
            n = s.scalar(select(func.count()).select_from(m.Allocation)
                         .where(m.Allocation.provider_id == provider_id)) or 0
            if n:
                raise DeleteRefusedError(
                    f"{provider.name} cannot be deleted: {n} allocation{'s' if n != 1 else ''} "
                    "name it as accredited provider."
                )
            row = provider_row(provider)
            s.delete(provider)
            return row

    @staticmethod
    def _load(s: Session, provider_id: int) -> m.Provider:
        provider = s.get(m.Provider, provider_id)
        if provider is None:
            raise NotFoundError("That provider no longer exists; somebody may have deleted it.")
        return provider

    @staticmethod
    def _refuse_duplicate(s: Session, name: str, own_id: int | None) -> None:
        clash = s.scalar(select(m.Provider.id).where(
            func.lower(m.Provider.name) == name.lower(), m.Provider.id != (own_id or -1)))
        if clash is not None:
            raise ConflictError(f"{field_label('providers', 'name')}: a provider called {name} already exists.")
