"""Pages offer only what the person using the file may do (the services refuse the rest anyway)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import sign_in_as
from tsa_desktop.domain.enums import Role


@pytest.fixture
def office(ctx):
    """A member of the office staff, signed in to the file the pages show."""
    return sign_in_as(ctx.workspace, Role.OFFICE)


def _show(qtbot, page, driver):
    qtbot.addWidget(page)
    page.ctx.interaction.dialog = driver
    page.show()
    return page


def test_office_staff_see_schools_but_are_not_offered_changes(qtbot, ctx, driver, office):
    from tsa_desktop.ui.schools.page import SchoolsPage

    page = _show(qtbot, SchoolsPage(ctx), driver)
    assert page.schools.model.rowCount() > 0
    assert all(b.isHidden() for b in (page.add_school_button, page.edit_school_button, page.delete_school_button))
    assert not page.school_files.import_button.isHidden()  # office staff import
    page.schools.activated.emit(page.schools.model.row(0))
    assert driver.dialogs == []  # no edit dialog that would be refused on saving


@pytest.mark.parametrize("name", ["allocations", "trainees"])
def test_office_staff_are_not_offered_edits_of_allocations_or_trainees(qtbot, ctx, driver, office, name):
    from tsa_desktop.ui.allocations.page import AllocationsPage
    from tsa_desktop.ui.trainees.page import TraineesPage

    page = _show(qtbot, {"allocations": AllocationsPage, "trainees": TraineesPage}[name](ctx), driver)
    assert page.add_button.isHidden() and page.edit_button.isHidden() and page.delete_button.isHidden()
    page.table.activated.emit(page.table.model.row(0))
    assert driver.dialogs == []


def test_office_staff_see_the_rotation_grid_read_only_and_may_produce_letters(qtbot, ctx, driver, office):
    from PySide6.QtWidgets import QAbstractItemView

    from tsa_desktop.ui.letters.page import LettersPage
    from tsa_desktop.ui.rotations.page import RotationsPage

    grid = _show(qtbot, RotationsPage(ctx), driver)
    assert grid.plan_button.isHidden() and grid.blocks_button.isHidden() and grid.edit_button.isHidden()
    assert grid.view.dragDropMode() is QAbstractItemView.DragDropMode.NoDragDrop
    assert grid.model.rowCount() > 0
    letters = _show(qtbot, LettersPage(ctx), driver)
    assert not letters.produce_button.isHidden()


def test_everything_is_offered_without_sign_in(qtbot, ctx, driver):
    from tsa_desktop.ui.rotations.page import RotationsPage
    from tsa_desktop.ui.schools.page import SchoolsPage

    schools = _show(qtbot, SchoolsPage(ctx), driver)
    grid = _show(qtbot, RotationsPage(ctx), driver)
    assert not schools.add_school_button.isHidden() and not grid.plan_button.isHidden()
