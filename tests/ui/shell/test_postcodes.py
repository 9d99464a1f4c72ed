"""File > Postcode directory…: what is loaded, and loading a file locates the open alliance."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from tests.ui.interaction import ScriptedInteraction
from tsa_desktop.ui.shell.main_window import MainWindow
from tsa_desktop.ui.shell.postcodes import PostcodeDialog

SAMPLES = Path(__file__).resolve().parents[3] / "resources" / "samples"


def _window(qtbot, workspace, messages, tmp_path):
    window = MainWindow(workspace, messages, QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat),
                        ScriptedInteraction())
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_dialog_shows_what_is_loaded_and_loads_a_file(qtbot, workspace, messages, tmp_path):
    schools = tmp_path / "schools.csv"
    schools.write_text("urn,name,phase,postcode\n990101,South Farnham School,primary,GU9 8DY\n"
                       "990102,Belleville Primary School,primary,SW11 9ZZ\n", encoding="utf-8")
    workspace.transfer.import_file("schools", schools)
    window = _window(qtbot, workspace, messages, tmp_path)
    shown = []
    window.interaction.dialog = shown.append
    window.postcode_action.trigger()
    dialog = shown[0]
    assert isinstance(dialog, PostcodeDialog)
    assert dialog.file_label.text() == "None loaded on this computer"
    with qtbot.waitSignal(window.ctx.changed, timeout=20_000):
        dialog.load(str(SAMPLES / "postcodes.csv"))
    assert dialog.file_label.text() == "postcodes.csv"
    assert dialog.kind_label.text() == "ONS Postcode Directory"
    assert dialog.count_label.text() == "39"
    assert "Located 0 trainees and 1 school" in dialog.result_label.text()
    assert dialog.not_found.isVisibleTo(dialog)
    assert "SW11 9ZZ" in dialog.not_found.toPlainText()
    assert {s.urn: s.easting for s in workspace.schools.list()} == {"990101": 484650, "990102": None}


def test_a_file_that_is_not_a_directory_is_explained(qtbot, workspace, messages, tmp_path):
    window = _window(qtbot, workspace, messages, tmp_path)
    dialog = PostcodeDialog(window)
    qtbot.addWidget(dialog)
    dialog.load(str(SAMPLES / "trainees.csv"))
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=20_000)
    assert messages.shown[-1][0] == "error" and "oseast1m" in messages.shown[-1][1]
    assert dialog.load_button.isEnabled()
    assert dialog.file_label.text() == "None loaded on this computer"
