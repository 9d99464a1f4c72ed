from PySide6.QtCore import QSettings

from tests.ui.interaction import ScriptedInteraction
from tests.ui.conftest import LEAD_NAME, sign_in_as
from tsa_desktop.ui.shell.main_window import MainWindow
from tsa_desktop.ui.shell.pages import PAGES
from tsa_desktop.ui.schools.page import SchoolsPage


def _window(qtbot, workspace, messages, tmp_path):
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(workspace, messages, settings, ScriptedInteraction())
    qtbot.addWidget(window)
    window.show()
    return window


def test_opens_on_the_schools_page_and_names_the_file(qtbot, small_demo, messages, tmp_path):
    window = _window(qtbot, small_demo, messages, tmp_path)
    page = window.stack.currentWidget()
    assert isinstance(page, SchoolsPage) and page.schools.model.rowCount() == 6
    assert str(small_demo.db.path) in window.file_label.text()
    assert window.nav.count() == len(PAGES)
    assert window.windowTitle() == f"{small_demo.db.path.name} — tsa-desktop"
    icon = window.windowIcon()
    assert not icon.isNull() and {16, 32, 256} <= {s.width() for s in icon.availableSizes()}


def _real_pages():
    """Each area's page class, imported here (not through PAGES), and the rows it shows."""
    from tsa_desktop.ui.allocations.page import AllocationsPage
    from tsa_desktop.ui.audit.page import AuditPage
    from tsa_desktop.ui.induction.page import InductionPage
    from tsa_desktop.ui.letters.page import LettersPage
    from tsa_desktop.ui.mentors.page import MentorsPage
    from tsa_desktop.ui.rotations.page import RotationsPage
    from tsa_desktop.ui.trainees.page import TraineesPage

    return {
        "schools": (SchoolsPage, lambda p: p.schools.model.rowCount()),
        "allocations": (AllocationsPage, lambda p: p.table.model.rowCount()),
        "trainees": (TraineesPage, lambda p: p.table.model.rowCount()),
        "rotations": (RotationsPage, lambda p: p.model.rowCount()),
        "mentors": (MentorsPage, lambda p: p.pool.panel.model.rowCount()),
        "induction": (InductionPage, lambda p: p.nqts.panel.model.rowCount()),
        "letters": (LettersPage, lambda p: p.table.model.rowCount()),
        "audit": (AuditPage, lambda p: p.entries.model.rowCount()),
    }


def test_every_area_has_its_real_page_showing_the_files_data(qtbot, small_demo, messages, tmp_path):
    real = _real_pages()
    assert [spec.key for spec in PAGES] == list(real)  # a new area needs its line above
    counts = {"schools": len(small_demo.schools.list()), "trainees": len(small_demo.trainees.list())}
    window = _window(qtbot, small_demo, messages, tmp_path)
    for row, spec in enumerate(PAGES):
        page = window.show_page(spec.key)
        cls, rows = real[spec.key]
        assert type(page) is cls, spec.key
        assert window.stack.currentWidget() is page and window.nav.currentRow() == row
        assert page.isVisible()
        assert rows(page) == counts.get(spec.key, rows(page)) and rows(page) > 0, spec.key
    assert messages.shown == []


def test_open_another_file_and_recent_files(qtbot, small_demo, messages, tmp_path):
    window = _window(qtbot, small_demo, messages, tmp_path)
    other = tmp_path / "other.db"
    assert window.open_path(str(other))
    assert str(other) in window.file_label.text()
    assert window.recent_files()[:2] == [str(other), str(small_demo.db.path)]
    # A new, empty file opens on the getting-started steps rather than an empty table.
    assert window.stack.currentWidget() is window.start_page and window.start_page.done() == []


def test_a_file_that_cannot_be_opened_is_explained(qtbot, small_demo, messages, tmp_path):
    window = _window(qtbot, small_demo, messages, tmp_path)
    bogus = tmp_path / "bogus.db"
    bogus.write_text("not a database")
    assert not window.open_path(str(bogus))
    assert messages.shown[-1][0] == "error" and "not a tsa-desktop database" in messages.shown[-1][1]
    assert str(small_demo.db.path) in window.file_label.text()


def test_undo_menu_follows_the_stack(qtbot, small_demo, messages, tmp_path):
    window = _window(qtbot, small_demo, messages, tmp_path)
    assert not window.undo_action.isEnabled()
    page = window.stack.currentWidget()
    page.ctx.interaction.dialog = lambda d: (d.set_values({"urn": "222222", "name": "New School", "phase": "primary"}),
                                 d.try_accept())
    page.add_school()
    assert window.undo_action.isEnabled() and "New School" in window.undo_action.text()
    window.undo_action.trigger()
    assert small_demo.schools.by_urn("222222") is None


def test_demo_dialog_creates_and_opens_a_demo(qtbot, small_demo, messages, tmp_path):
    from tsa_desktop.ui.shell.demo import DemoDialog

    window = _window(qtbot, small_demo, messages, tmp_path)
    dialog = DemoDialog(window)
    dialog.size_box.setCurrentIndex(0)
    target = tmp_path / "demo.db"
    with qtbot.waitSignal(window.workspace_changed, timeout=20_000):
        dialog.create(str(target))
    assert str(target) in window.file_label.text()
    assert len(window.workspace.schools.list()) == 6


def test_window_module_does_not_load_the_database_layer():
    """The frame paints before SQLAlchemy is imported (start-up time, bench/startup.py)."""
    import subprocess
    import sys

    code = ("import sys, tsa_desktop.app, tsa_desktop.ui.shell.application, tsa_desktop.ui.shell.main_window; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic', 'pandas')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_window_shows_opening_then_the_file(qtbot, small_demo, messages, tmp_path):
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(None, messages, settings, ScriptedInteraction())
    qtbot.addWidget(window)
    window.show()
    assert window.stack.currentWidget() is window.opening
    assert window.open_path(str(small_demo.db.path))
    assert isinstance(window.stack.currentWidget(), SchoolsPage)


def test_areas_and_the_signed_in_user_follow_the_permissions(qtbot, small_demo, messages, tmp_path):
    from tsa_desktop.domain.enums import Role

    audit_row = next(i for i, spec in enumerate(PAGES) if spec.key == "audit")
    window = _window(qtbot, small_demo, messages, tmp_path)
    assert not window.nav.item(audit_row).isHidden() and window.user_label.isHidden()

    sign_in_as(small_demo, Role.OFFICE, name="office.manager")
    window.set_workspace(window.workspace)  # as after signing in: the pages are rebuilt
    assert window.nav.item(audit_row).isHidden()
    assert not window.user_label.isHidden() and "office.manager" in window.user_label.text()

    sign_in_as(small_demo, Role.ITT_LEAD)  # the ITT lead signs in on the same computer
    window.set_workspace(window.workspace)
    assert not window.nav.item(audit_row).isHidden() and LEAD_NAME in window.user_label.text()
