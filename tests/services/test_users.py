"""Sign-in and roles through the users service, over real files (and PostgreSQL when configured)."""

from __future__ import annotations

from tsa_desktop.domain.enums import Role
from tsa_desktop.services.users import WRITING_ACTIONS, Permissions


def test_a_file_opened_read_only_offers_nothing_that_writes(tmp_path):
    from tsa_desktop.services.workspace import open_workspace

    path = tmp_path / "alliance.db"
    open_workspace(path, backup_dir=tmp_path / "backups").close()
    ws = open_workspace(path, read_only=True, backup_dir=tmp_path / "backups")
    try:
        assert ws.read_only
        assert not any(ws.permissions.can(action) for action in WRITING_ACTIONS)
        assert ws.permissions.can("export") and ws.permissions.can("view_all") and ws.permissions.can("restore")
    finally:
        ws.close()


def test_read_only_keeps_the_role_and_only_takes_writing_away():
    office = Permissions.for_user(Role.OFFICE, "office", None)
    assert office.read_only().username == "office" and office.read_only().role is Role.OFFICE
    assert office.can("import") and not office.read_only().can("import")
    assert office.read_only().can("letters") and office.read_only().can("export")
