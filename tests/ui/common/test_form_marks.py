"""A field with a problem is marked red, and only that field: not the list a drop-down opens."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from tsa_desktop.domain.errors import FieldProblem, ValidationError
from tsa_desktop.ui.common.form import _ERROR_STYLE, FieldSpec, FormDialog, error_style

TINT = QColor("#fdecea")


def _dialog(qtbot):
    specs = [FieldSpec("phase", "Phase", "choice", [("primary", "Primary"), ("secondary", "Secondary")]),
             FieldSpec("name", "Name")]

    def refuse(values):
        raise ValidationError([FieldProblem("phase", "is not offered"), FieldProblem("name", "is needed")])

    dialog = FormDialog("Test", specs, refuse)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _base(widget) -> QColor:
    widget.ensurePolished()
    return widget.palette().color(QPalette.ColorRole.Base)


def test_the_tint_marks_the_box_but_not_its_list(qtbot):
    dialog = _dialog(qtbot)
    dialog.try_accept()
    box = dialog.widgets["phase"]
    assert box.styleSheet() == error_style(box) and box.toolTip() == "is not offered"
    assert _base(box.view()) != TINT
    assert dialog.widgets["name"].styleSheet().startswith("QLineEdit {")


def test_an_unscoped_style_would_tint_the_list(qtbot):
    # The check above can fail: the old, unscoped style reaches the drop-down's list.
    dialog = _dialog(qtbot)
    box = dialog.widgets["phase"]
    box.setStyleSheet(_ERROR_STYLE)
    assert _base(box.view()) == TINT
