"""A new file opens on the getting-started steps; Help has the user guide, and F1 its section."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence

from tests.ui.interaction import ScriptedInteraction
from tsa_desktop.ui.shell.guide import DOCUMENTS, PAGE_SECTIONS, GuideWindow, docs_dir
from tsa_desktop.ui.shell.main_window import MainWindow
from tsa_desktop.ui.shell.pages import PAGES
from tsa_desktop.ui.shell.start_page import STEPS, StartPage, sample_file


def _window(qtbot, workspace, messages, tmp_path):
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(workspace, messages, settings, ScriptedInteraction())
    qtbot.addWidget(window)
    window.show()
    return window


def _import(qtbot, start: StartPage, kind: str) -> None:
    start.ctx.interaction.dialog = lambda dialog: 0  # left open, as a person would see it
    dialog = start.import_sample(kind)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=15_000)
    assert dialog.preview.ok, [str(p) for p in dialog.preview.problems]
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=15_000)


def test_a_new_file_opens_on_the_steps_and_ticks_each_as_it_is_done(qtbot, workspace, messages, tmp_path):
    window = _window(qtbot, workspace, messages, tmp_path)
    start = window.stack.currentWidget()
    assert isinstance(start, StartPage) and window.current_page_key() == "start"
    assert [s.kind for s in STEPS] == ["schools", "providers", "allocations", "mentors", "trainees"]
    assert start.done() == []
    for step in STEPS:
        assert sample_file(step.kind).is_file()
        _import(qtbot, start, step.kind)
        qtbot.waitUntil(lambda k=step.kind: k in start.done(), timeout=15_000)
    assert start.done() == [s.kind for s in STEPS]
    assert "✓" in start.ticks["trainees"].text() and start.ticks["trainees"].toolTip().endswith("in this file")


def test_a_file_with_data_opens_on_its_pages_and_the_steps_stay_in_help(qtbot, small_demo, messages, tmp_path):
    window = _window(qtbot, small_demo, messages, tmp_path)
    assert window.stack.currentWidget() is window.page("schools")
    start = window.show_start()
    assert window.stack.currentWidget() is start and set(start.done()) == {s.kind for s in STEPS}
    start.show_page.emit("mentors")
    assert window.current_page_key() == "mentors"


def test_the_demo_is_one_click_away(qtbot, small_demo):
    from tsa_desktop.ui.core.context import AppContext
    from tsa_desktop.ui.core.messages import RecordingMessages

    start = StartPage(AppContext(small_demo, RecordingMessages(), interaction=ScriptedInteraction()))
    qtbot.addWidget(start)
    with qtbot.waitSignal(start.demo_requested, timeout=2_000):
        start.demo_button.click()


def test_f1_opens_the_guide_at_the_section_of_the_page_in_front(qtbot, small_demo, messages, tmp_path):
    window = _window(qtbot, small_demo, messages, tmp_path)
    assert window.guide_action.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    for key in ("mentors", "letters", "rotations"):
        window.show_page(key)
        guide = window.open_guide()
        name, heading = PAGE_SECTIONS[key]
        assert guide.current == name
        assert guide.browser.textCursor().block().text().startswith(heading)
    assert set(PAGE_SECTIONS) >= {spec.key for spec in PAGES}


def test_the_guide_shows_every_document_and_finds_words_in_all_of_them(qtbot):
    guide = GuideWindow()
    qtbot.addWidget(guide)
    guide.show()
    assert guide.documents.count() == len(DOCUMENTS)
    assert all((docs_dir() / name).is_file() for name, _title in DOCUMENTS)
    assert "Getting started" in guide.browser.toPlainText()
    guide.search.setText("register-placements")  # only in the import formats
    counts = {guide.documents.item(i).text() for i in range(guide.documents.count())}
    assert any(text.startswith("Import and export files (") and not text.endswith("(0)")
               for text in counts)
    assert guide.current == "import-formats.md"
    assert guide.browser.textCursor().selectedText() == "register-placements"
    guide.search.setText("no such words anywhere")
    assert not guide.find_next() and guide.found.text() == "Not found"
