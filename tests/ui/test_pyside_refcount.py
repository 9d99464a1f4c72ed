"""Guard against PySide6 6.12.0 on Python 3.11, which leaks a reference to None per void call
and aborts the process after about 5,300 calls (MEASURED.md)."""

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_do_not_drop_references_to_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for i in range(10_000):
        label.setText("x")
    after = sys.getrefcount(None)
    assert after >= before - 50, f"None's refcount fell by {before - after}: PySide6 {__import__('PySide6').__version__} leaks"
