"""Help > User guide: the documents in resources/docs shown in the window, searchable.

The guide is the Markdown that ships with the program (the same files the README links to),
rendered by QTextBrowser. F1 opens the section about the page in front: :data:`PAGE_SECTIONS`
maps each page to a document and a heading.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QSplitter, QTextBrowser, QVBoxLayout,
                               QWidget)

from tsa_desktop import paths
from tsa_desktop.ui.common.screen import FitsScreen

#: The guide's documents in reading order, with their titles (developer notes are left out).
DOCUMENTS: tuple[tuple[str, str], ...] = (
    ("getting-started.md", "Getting started"),
    ("import-formats.md", "Import and export files"),
    ("rotations.md", "Rotations"),
    ("mentors.md", "Mentors"),
    ("letters.md", "Placement letters"),
    ("data-safety.md", "Data safety"),
)

#: The section F1 opens for each page (navigation key): a document and a heading in it.
PAGE_SECTIONS: dict[str, tuple[str, str]] = {
    "start": ("getting-started.md", "Getting started"),
    "schools": ("import-formats.md", "schools"),
    "allocations": ("import-formats.md", "allocations"),
    "trainees": ("import-formats.md", "trainees"),
    "rotations": ("rotations.md", "Rotations"),
    "mentors": ("mentors.md", "Mentors"),
    "induction": ("import-formats.md", "nqts"),
    "letters": ("letters.md", "Placement letters"),
    "audit": ("data-safety.md", "The audit trail"),
}


def docs_dir() -> Path:
    return paths.resources_dir() / "docs"


class GuideWindow(FitsScreen, QDialog):
    """The user guide: the documents on the left, the one chosen on the right, a search box.

    Search finds the words in every document: the list shows how often each holds them, and
    Enter (or Find next) moves to the next place in the document shown.
    """

    preferred_size = (1000, 720)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("tsa-desktop user guide")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.texts: dict[str, str] = {}
        for name, _title in DOCUMENTS:
            path = docs_dir() / name
            if path.is_file():
                self.texts[name] = path.read_text(encoding="utf-8")

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search the guide…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self.find_next)
        self.next_button = QPushButton("Find next", self)
        self.next_button.clicked.connect(self.find_next)
        self.found = QLabel(self)
        self.documents = QListWidget(self)
        for name, title in DOCUMENTS:
            if name in self.texts:
                item = QListWidgetItem(title)
                item.setData(Qt.ItemDataRole.UserRole, name)
                self.documents.addItem(item)
        self.documents.currentItemChanged.connect(lambda item, _old: item and self.show_document(
            item.data(Qt.ItemDataRole.UserRole)))
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)  # links between documents stay in the guide
        self.browser.anchorClicked.connect(self._link)
        self.current = ""

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.next_button)
        top.addWidget(self.found)
        splitter = QSplitter(self)
        splitter.addWidget(self.documents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 780])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.search.setFocus)
        if self.documents.count():
            self.documents.setCurrentRow(0)

    # --- showing ----------------------------------------------------------------------------------

    def show_document(self, name: str) -> None:
        """Show one document, from its start."""
        if name not in self.texts or name == self.current:
            return
        self.current = name
        self.browser.setMarkdown(self.texts[name])
        self.browser.moveCursor(QTextCursor.MoveOperation.Start)
        for row in range(self.documents.count()):
            if self.documents.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.documents.blockSignals(True)
                self.documents.setCurrentRow(row)
                self.documents.blockSignals(False)
        if self.search.text().strip():
            self.find_next()

    def show_section(self, name: str, heading: str) -> bool:
        """Show a document at a heading (its first line that starts with ``heading``)."""
        self.show_document(name)
        block = self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() and block.text().strip().startswith(heading):
                cursor = QTextCursor(block)
                self.browser.setTextCursor(cursor)
                # Scroll so that the heading is at the top, not merely somewhere in view.
                bar = self.browser.verticalScrollBar()
                bar.setValue(bar.maximum())
                self.browser.ensureCursorVisible()
                return True
            block = block.next()
        return False

    def show_page_help(self, page_key: str) -> bool:
        """Show the section about a page (F1)."""
        name, heading = PAGE_SECTIONS.get(page_key, PAGE_SECTIONS["start"])
        return self.show_section(name, heading)

    # --- searching --------------------------------------------------------------------------------

    def _search_changed(self, text: str) -> None:
        words = text.strip().casefold()
        for row in range(self.documents.count()):
            item = self.documents.item(row)
            name = item.data(Qt.ItemDataRole.UserRole)
            title = dict(DOCUMENTS)[name]
            hits = self.texts[name].casefold().count(words) if words else 0
            item.setText(f"{title} ({hits})" if words else title)
            item.setForeground(Qt.GlobalColor.gray if words and not hits else
                               self.documents.palette().text().color())
        self.browser.moveCursor(QTextCursor.MoveOperation.Start)
        if words:
            self.find_next()
        else:
            self.found.setText("")

    def find_next(self) -> bool:
        """Move to the next place the search words are in the document shown (then the next
        document that has them)."""
        words = self.search.text().strip()
        if not words:
            return False
        if self.browser.find(words):
            self.found.setText("")
            return True
        # Wrap round, to the next document that has the words.
        names = [n for n, _t in DOCUMENTS if n in self.texts]
        start = names.index(self.current) if self.current in names else -1
        for offset in range(1, len(names) + 1):
            name = names[(start + offset) % len(names)]
            if words.casefold() in self.texts[name].casefold():
                if name != self.current:
                    self.show_document(name)
                    return True
                self.browser.moveCursor(QTextCursor.MoveOperation.Start)
                found = self.browser.find(words)
                self.found.setText("")
                return found
        self.found.setText("Not found")
        return False

    def _link(self, url) -> None:
        target = url.toString()
        if target.endswith(".md") and Path(target).name in self.texts:
            self.show_document(Path(target).name)
        elif url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)


__all__ = ["DOCUMENTS", "GuideWindow", "PAGE_SECTIONS"]
