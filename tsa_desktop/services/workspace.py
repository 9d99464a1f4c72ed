"""Opening a database, and the services that work on it."""

from __future__ import annotations

import logging
import os
from functools import cached_property
from pathlib import Path

from tsa_desktop import paths
from tsa_desktop.db.engine import Database, create_db_engine, to_url
from tsa_desktop.db.migrate import MigrationReport, upgrade_database
from tsa_desktop.domain.errors import DatabaseFileError

log = logging.getLogger(__name__)


class Workspace:
    """An open database with its use cases.

    The window and the command line talk to the core only through a Workspace. Services are
    created on first use, so opening a file costs no more than the services actually used.

    Attributes:
        db: The open database.
        migration: What opening did to the file's schema.
    """

    def __init__(self, db: Database, migration: MigrationReport | None = None) -> None:
        self.db = db
        self.migration = migration

    @property
    def display_name(self) -> str:
        return self.db.display_name

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    def close(self) -> None:
        """Release the file."""
        self.db.dispose()

    # Services, one attribute each; imports are local so start-up loads only what is used.
    @cached_property
    def schools(self):
        from tsa_desktop.services.schools import SchoolService
        return SchoolService(self.db)

    @cached_property
    def providers(self):
        from tsa_desktop.services.schools import ProviderService
        return ProviderService(self.db)

    @cached_property
    def alliance(self):
        from tsa_desktop.services.alliance import AllianceService
        return AllianceService(self.db)

    @cached_property
    def years(self):
        from tsa_desktop.services.years import YearService
        return YearService(self.db)

    @cached_property
    def letters(self):
        from tsa_desktop.services.letters import LetterService
        return LetterService(self.db)

    @cached_property
    def induction(self):
        from tsa_desktop.services.induction import InductionService
        return InductionService(self.db)

    @cached_property
    def allocations(self):
        from tsa_desktop.services.allocations import AllocationService
        return AllocationService(self.db)

    @cached_property
    def trainees(self):
        from tsa_desktop.services.trainees import TraineeService
        return TraineeService(self.db)

    @cached_property
    def transfer(self):
        from tsa_desktop.services.transfer import TransferService
        return TransferService(self.db)

    @cached_property
    def mentors(self):
        from tsa_desktop.services.mentors import MentorService
        return MentorService(self.db)

    @cached_property
    def qa(self):
        from tsa_desktop.services.qa import QaService
        return QaService(self.db)

    @cached_property
    def mentor_view(self):
        from tsa_desktop.services.mentor_view import MentorViewService
        return MentorViewService(self.db)


def open_workspace(
    path_or_url: str | os.PathLike[str] | None = None,
    *,
    create: bool = True,
    read_only: bool = False,
    backup_dir: Path | None = None,
) -> Workspace:
    """Open (and if needed create and upgrade) a database.

    Args:
        path_or_url: A file path or SQLAlchemy URL; None for the default file.
        create: False to refuse a file that does not exist yet.
        read_only: Open without allowing changes (no upgrade is attempted either).
        backup_dir: Where the pre-upgrade backup goes; defaults to the user data folder's.

    Raises:
        DatabaseFileError: the file cannot be used; it was not changed.
    """
    target = path_or_url if path_or_url is not None else paths.default_database()
    url = to_url(target)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        file = Path(url.database)
        if not file.exists() and not create:
            raise DatabaseFileError(f"{file} does not exist.")
        if not file.parent.exists():
            raise DatabaseFileError(f"The folder {file.parent} does not exist.")
        if file.is_dir():
            raise DatabaseFileError(f"{file} is a folder, not a database file.")
    report = None
    if not read_only:
        report = upgrade_database(url, backup_dir if backup_dir is not None else paths.backup_dir())
    db = Database(url=url, engine=create_db_engine(url), read_only=read_only)
    return Workspace(db, report)
