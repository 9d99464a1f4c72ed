"""The typed facade over an open database: one attribute per feature service, each built once.

The window and the command line talk to the core only through a Workspace (opened by
:func:`tsa_desktop.services.opening.open_workspace`). Each service is created on first use, with
the workspace's own instances of the services it works with passed to its constructor, so there
is one AllianceService (one YearService, ...) per open file. The service modules are imported
inside the properties, not at the top: they pull in SQLAlchemy's ORM, the models and more, and
the window's first page must not wait for services it does not use.
"""

from __future__ import annotations

import logging
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tsa_desktop.db.engine import Database
    from tsa_desktop.db.integrity import IntegrityReport
    from tsa_desktop.db.lock import FileLock
    from tsa_desktop.db.migrate import MigrationReport
    from tsa_desktop.services.induction.cohorts import InductionService
    from tsa_desktop.services.letters.producing import LetterService
    from tsa_desktop.services.mentors.packs import MentorPacksService
    from tsa_desktop.services.mentors.pool import MentorService
    from tsa_desktop.services.mentors.qa import QaService
    from tsa_desktop.services.mentors.view import MentorViewService
    from tsa_desktop.services.reference.alliance import AllianceService
    from tsa_desktop.services.reference.locating import LocationService
    from tsa_desktop.services.reference.allocations import AllocationService
    from tsa_desktop.services.reference.schools import ProviderService, SchoolService
    from tsa_desktop.services.reference.trainees import TraineeService
    from tsa_desktop.services.reference.years import YearService
    from tsa_desktop.services.rotations.blocks import BlockService
    from tsa_desktop.services.rotations.confirm import ConfirmService
    from tsa_desktop.services.rotations.edits import RotationService
    from tsa_desktop.services.rotations.hosting import HostingService
    from tsa_desktop.services.rotations.planning import PlanningService
    from tsa_desktop.services.rotations.repair import RepairService
    from tsa_desktop.services.safety.audit import AuditService
    from tsa_desktop.services.safety.backup import SafetyService
    from tsa_desktop.services.safety.retention import RetentionService
    from tsa_desktop.services.safety.users import Permissions, UserService
    from tsa_desktop.services.transfer import TransferService

log = logging.getLogger(__name__)


class Workspace:
    """An open database with its use cases.

    Attributes:
        db: The open database.
        migration: What opening did to the file's schema.
        lock: This program's editing lock on the file (None when read-only or on a server).
        damage: The failed integrity check, when the file is damaged (it is then read-only).
        notices: Things the user should be told about the opening (a cleared lock, a network
            drive, read-only because somebody else edits it).
        on_network: The file is on a network drive.
        backup_base: The folder under which each database keeps its automatic backups.
    """

    def __init__(self, db: Database, migration: MigrationReport | None = None, *,
                 lock: FileLock | None = None, damage: IntegrityReport | None = None,
                 notices: list[str] | None = None, on_network: bool = False,
                 backup_base: Path | None = None) -> None:
        self.db = db
        self.migration = migration
        self.lock = lock
        self.damage = damage
        self.notices = list(notices or [])
        self.on_network = on_network
        self.backup_base = backup_base

    @property
    def display_name(self) -> str:
        return self.db.display_name

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    @property
    def permissions(self) -> Permissions:
        """What the person using the file may do: ``ws.permissions.can("import")``."""
        from tsa_desktop.services.safety.users import Permissions

        permissions = self.db.permissions or Permissions.everything()
        return permissions.read_only() if self.read_only else permissions

    def close(self) -> None:
        """Release the file (and this program's editing lock on it)."""
        self.db.dispose()
        lock, self.lock = self.lock, None
        if lock is not None:
            lock.release()

    # --- data safety: backups and restore, audit trail, users, retention ---------------------------
    @cached_property
    def safety(self) -> SafetyService:
        from tsa_desktop.services.safety.backup import SafetyService
        return SafetyService(self.db, self.backup_base, self.close, self.damage)

    @cached_property
    def audit(self) -> AuditService:
        from tsa_desktop.services.safety.audit import AuditService
        return AuditService(self.db)

    @cached_property
    def users(self) -> UserService:
        from tsa_desktop.services.safety.users import UserService
        return UserService(self.db)

    @cached_property
    def retention(self) -> RetentionService:
        from tsa_desktop.services.safety.retention import RetentionService
        return RetentionService(self.db)

    # --- reference data -----------------------------------------------------------------------------
    @cached_property
    def alliance(self) -> AllianceService:
        from tsa_desktop.services.reference.alliance import AllianceService
        return AllianceService(self.db)

    @cached_property
    def years(self) -> YearService:
        from tsa_desktop.services.reference.years import YearService
        return YearService(self.db)

    @cached_property
    def schools(self) -> SchoolService:
        from tsa_desktop.services.reference.schools import SchoolService
        return SchoolService(self.db)

    @cached_property
    def providers(self) -> ProviderService:
        from tsa_desktop.services.reference.schools import ProviderService
        return ProviderService(self.db)

    @cached_property
    def allocations(self) -> AllocationService:
        from tsa_desktop.services.reference.allocations import AllocationService
        return AllocationService(self.db)

    @cached_property
    def trainees(self) -> TraineeService:
        from tsa_desktop.services.reference.trainees import TraineeService
        return TraineeService(self.db)

    # --- imports and exports ------------------------------------------------------------------------
    @cached_property
    def locations(self) -> LocationService:
        from tsa_desktop.services.reference.locating import LocationService
        return LocationService(self.db)

    @cached_property
    def transfer(self) -> TransferService:
        from tsa_desktop.services.transfer import TransferService
        return TransferService(self.db)

    # --- rotations: placement blocks, the rotation grid and the automatic planner -------------------
    @cached_property
    def blocks(self) -> BlockService:
        from tsa_desktop.services.rotations.blocks import BlockService
        return BlockService(self.db)

    @cached_property
    def rotations(self) -> RotationService:
        from tsa_desktop.services.rotations.edits import RotationService
        return RotationService(self.db, self.alliance)

    @cached_property
    def planning(self) -> PlanningService:
        from tsa_desktop.services.rotations.planning import PlanningService
        return PlanningService(self.db, self.alliance)

    @cached_property
    def confirming(self) -> ConfirmService:
        from tsa_desktop.services.rotations.confirm import ConfirmService
        return ConfirmService(self.db, self.rotations)

    @cached_property
    def hosting(self) -> HostingService:
        from tsa_desktop.services.rotations.hosting import HostingService
        return HostingService(self.db)

    @cached_property
    def repair(self) -> RepairService:
        from tsa_desktop.services.rotations.repair import RepairService
        return RepairService(self.db, self.alliance)

    # --- mentors ------------------------------------------------------------------------------------
    @cached_property
    def mentors(self) -> MentorService:
        from tsa_desktop.services.mentors.pool import MentorService
        return MentorService(self.db, self.alliance)

    @cached_property
    def qa(self) -> QaService:
        from tsa_desktop.services.mentors.qa import QaService
        return QaService(self.db, self.alliance)

    @cached_property
    def mentor_view(self) -> MentorViewService:
        from tsa_desktop.services.mentors.view import MentorViewService
        return MentorViewService(self.db, self.alliance, self.mentors)

    @cached_property
    def mentor_packs(self) -> MentorPacksService:
        from tsa_desktop.services.mentors.packs import MentorPacksService
        return MentorPacksService(self.db, self.mentor_view)

    # --- induction and letters ----------------------------------------------------------------------
    @cached_property
    def induction(self) -> InductionService:
        from tsa_desktop.services.induction.cohorts import InductionService
        return InductionService(self.db)

    @cached_property
    def letters(self) -> LetterService:
        from tsa_desktop.services.letters.producing import LetterService
        from tsa_desktop.services.letters.wording import LetterWordingService
        return LetterService(self.db, self.years, LetterWordingService(self.db))
