"""The window on a school office screen (1366x768, see tests/ui/office_screen.json): every page
shows its tables without horizontal scrolling, every dialog fits the available area with its
buttons in view, and the window remembers its size, page, splitters and year."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QAbstractButton, QDialog, QDialogButtonBox, QSplitter, QTableView,
                               QWidget)

from tests.ui.interaction import ScriptedInteraction
from tsa_desktop.services.letters.templates import default_text
from tsa_desktop.ui.shell.main_window import MainWindow
from tsa_desktop.ui.shell.pages import PAGES



def _screen() -> QRect:
    return QGuiApplication.primaryScreen().availableGeometry()


def test_the_tests_run_on_an_office_screen(qapp):
    assert (_screen().width(), _screen().height()) == (1366, 768)


@pytest.fixture
def window(qtbot, small_demo, messages, tmp_path):
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    win = MainWindow(small_demo, messages, settings, ScriptedInteraction())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _visible_tables(widget: QWidget) -> list[QTableView]:
    return [t for t in widget.findChildren(QTableView) if t.isVisible() and t.model() is not None
            and t.model().columnCount() > 0]


def _assert_no_sideways_scrolling(where: str, table: QTableView) -> None:
    bar = table.horizontalScrollBar()
    header = table.horizontalHeader()
    widths = [(header.sectionSize(c), header.isSectionHidden(c), header.sectionResizeMode(c).name)
              for c in range(header.count())]
    assert bar.maximum() == 0, (f"{where}: {table.model().headerData(0, header.orientation())!r}... "
                                f"scrolls sideways by {bar.maximum()} px: columns {widths} in "
                                f"{table.viewport().width()}")
    for column in range(header.count()):
        if not header.isSectionHidden(column):
            right = header.sectionViewportPosition(column) + header.sectionSize(column)
            assert header.sectionSize(column) >= 30, f"{where}: column {column} squeezed away"
            assert right <= table.viewport().width() + 1, f"{where}: column {column} off the edge"


def test_every_page_and_tab_fits_without_sideways_scrolling(qtbot, window):
    assert window.frameGeometry().width() <= _screen().width()
    assert window.frameGeometry().height() <= _screen().height()
    for spec in PAGES:
        page = window.show_page(spec.key)
        qtbot.waitUntil(page.isVisible)
        tabs = getattr(page, "tabs", None)
        for index in range(tabs.count() if tabs is not None else 1):
            if tabs is not None:
                tabs.setCurrentIndex(index)
            mentor_view = getattr(page, "view", None)
            if spec.key == "mentors" and tabs.currentWidget() is mentor_view:
                # The mentor's view with a mentor who has trainees (its widest table).
                busy = next(r for r in page.mentor_rows() if r.load.placements)
                mentor_view.choose(busy.id)
            # Layout settles in one pass of the event loop; the columns are fitted in the next.
            for _ in range(3):
                QGuiApplication.processEvents()
            for table in _visible_tables(page):
                _assert_no_sideways_scrolling(f"{spec.title} tab {index}", table)


class FitChecker:
    """Stands in for run_dialog: shows the dialog, checks it fits the screen, closes it."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.seen: list[str] = []

    def __call__(self, dialog: QDialog) -> int:
        dialog.show()
        self.qtbot.waitExposed(dialog)
        frame, area = dialog.frameGeometry(), _screen()
        title = dialog.windowTitle()
        assert area.contains(frame), f"{title}: {frame} is not within the screen's {area}"
        for box in dialog.findChildren(QDialogButtonBox):
            for button in box.findChildren(QAbstractButton):
                if button.isVisible():
                    where = QRect(button.mapTo(dialog, button.rect().topLeft()), button.size())
                    assert dialog.rect().contains(where), f"{title}: {button.text()} is cut off"
        self.seen.append(title)
        dialog.reject()
        return 0


def test_every_dialog_fits_the_screen_with_its_buttons_in_view(qtbot, window, tmp_path):
    checker = FitChecker(qtbot)
    window.interaction.dialog = checker

    schools = window.show_page("schools")
    schools.add_school()
    schools.add_provider()
    window.show_page("allocations").add_allocation()
    trainees = window.show_page("trainees")
    trainees.add_trainee()
    trainees.table.view.selectRow(0)
    trainees.change_status()
    rotations = window.show_page("rotations")
    rotations.edit_blocks()
    rotations.edit_cell(rotations.model.index(0, 0))
    mentors = window.show_page("mentors")
    mentors.pool.add_mentor()
    induction = window.show_page("induction")
    induction.new_cohort()
    letters = window.show_page("letters")
    letters.edit_wording()
    letters.edit_profile()
    letters.preview_wording(default_text("trainee"))
    qtbot.waitUntil(lambda: any(t.startswith("Preview") for t in checker.seen), timeout=30_000)
    assert len(checker.seen) >= 12, checker.seen

    # Dialogs the window opens itself.
    from tsa_desktop.ui.shell.demo import DemoDialog
    from tsa_desktop.ui.shell.users import ManageUsersDialog

    checker(DemoDialog(window))
    checker(window.open_guide())
    checker(ManageUsersDialog(window.workspace, window.messages, window))
    schools.schools.view.selectRow(0)
    history = schools.schools.open_history()
    qtbot.waitExposed(history)
    checker(history)


def test_the_import_dialog_shows_every_problem_in_full(qtbot, window, tmp_path):
    from tsa_desktop.ui.common.import_dialog import ImportDialog

    bad = tmp_path / "schools.csv"
    bad.write_text("urn,name,phase,postcode\n" + "\n".join(
        f"12345{i},School {i},nursery and something long that is no phase at all,NOT A POSTCODE {i}"
        for i in range(6)) + "\n", encoding="utf-8")
    dialog = ImportDialog(window.ctx, "schools", window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert _screen().contains(dialog.frameGeometry())
    dialog.load(str(bad))
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=15_000)
    QGuiApplication.processEvents()
    view = dialog.problems_view
    problems = dialog.problems_model.rowCount()
    assert problems >= 6
    shown = sum(1 for row in range(problems) if view.rowViewportPosition(row) >= 0
                and view.rowViewportPosition(row) + view.rowHeight(row) <= view.viewport().height())
    assert shown >= 6, f"only {shown} of {problems} problems in view"
    _assert_no_sideways_scrolling("import problems", view)
    message = view.model().index(0, 2)
    width = view.fontMetrics().horizontalAdvance(message.data())
    lines = -(-width // max(view.columnWidth(2) - 10, 1))
    assert view.rowHeight(0) >= lines * view.fontMetrics().height()  # wrapped, not cut


def test_the_window_remembers_size_page_splitters_and_year(qtbot, small_demo, messages, tmp_path):
    small_demo.years.ensure("2025/26")  # a second year to choose
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    first = MainWindow(small_demo, messages, settings, ScriptedInteraction())
    qtbot.addWidget(first)
    first.show()
    assert _screen().contains(first.frameGeometry())
    first.showNormal()
    first.setGeometry(100, 80, 1000, 600)
    page = first.show_page("allocations")
    assert page.year_box.choose("2025/26")
    splitter = page.findChildren(QSplitter)[0]
    splitter.setSizes([300, 200])
    sizes = splitter.sizes()
    first.close()

    second = MainWindow(small_demo, messages, settings, ScriptedInteraction())
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (1000, 600)
    assert second.stack.currentWidget() is second.page("allocations")
    assert second.page("allocations").findChildren(QSplitter)[0].sizes() == sizes
    assert second.state.year() == "2025/26"
    assert second.page("allocations").year_box.year() == "2025/26"
    assert second.page("trainees").year_box.year() == "2025/26"
    second.close()
