"""Dialogs of the letters page: the wording of letters, the alliance profile, and what to produce.

The dialogs check nothing themselves: they hand what was typed to a callback that calls a
service, and show the problems it reports (the LetterTemplate rules, the logo check) beside the
fields. Nothing is saved until the service accepts it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QPixmap
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSplitter,
                               QTabWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from tsa_desktop.domain.errors import DomainError, ValidationError
from tsa_desktop.formats.letters import LetterKind, block_placeholders, placeholders
from tsa_desktop.services.letters.templates import TemplateText, clean_items, default_text
from tsa_desktop.ui.common.form import FieldSpec, FormDialog, error_style
from tsa_desktop.ui.common.screen import FitsScreen
from tsa_desktop.ui.core.messages import describe

_MARKUP_HELP = (
    "Write <b>{placeholder}</b> to insert a value; double-click one on the right to insert it. "
    "<b>**bold**</b> and <b>*italic*</b> are the only markup; a blank line starts a new "
    "paragraph and a line starting with “- ” is a bullet point. A table or list placeholder "
    "must stand alone in its own paragraph. Values from the database always print as typed.")
KIND_TITLES: dict[str, str] = {"trainee": "Letters to trainees",
                               "school": "Letters to schools and mentors"}


class TemplateTab(QWidget):
    """The four texts of one kind of letter, the placeholders it may use, and Reset to default."""

    def __init__(self, text: TemplateText, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind: LetterKind = text.kind
        self._original = text
        self.subject = QLineEdit(self)
        self.salutation = QLineEdit(self)
        self.body = QPlainTextEdit(self)
        self.body.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.body.setMinimumHeight(180)
        self.closing = QLineEdit(self)
        self.what_to_bring = QPlainTextEdit(self) if text.kind == "trainee" else None
        self.fields: dict[str, QWidget] = {"subject": self.subject, "salutation": self.salutation,
                                           "body": self.body, "closing": self.closing}
        if self.what_to_bring is not None:
            self.what_to_bring.setFixedHeight(96)
            self.what_to_bring.setPlaceholderText("One item a line")
            self.fields["what_to_bring"] = self.what_to_bring
        self._last_edit: QWidget = self.body
        for widget in self.fields.values():
            widget.installEventFilter(self)

        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #c0392b;")
        self.problems.setVisible(bool(text.problem))
        self.problems.setText(text.problem)

        form = QFormLayout()
        form.addRow("Subject", self.subject)
        form.addRow("Greeting", self.salutation)
        form.addRow("Letter", self.body)
        form.addRow("Closing", self.closing)
        if self.what_to_bring is not None:
            form.addRow("What to bring", self.what_to_bring)
        help_label = QLabel(_MARKUP_HELP, self)
        help_label.setWordWrap(True)
        help_label.setStyleSheet("color: #5a6573;")
        self.reset_button = QPushButton("Reset to default", self)
        self.reset_button.setToolTip("Put back the wording tsa-desktop comes with (saved when you "
                                     "press Save)")
        self.reset_button.clicked.connect(self.reset)
        self.preview_button = QPushButton("Preview…", self)
        self.preview_button.setToolTip("Show one letter with this wording, before saving it")
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.problems)
        left_layout.addLayout(form, 1)
        left_layout.addWidget(help_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.preview_button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)

        self.placeholders = QTreeWidget(self)
        self.placeholders.setHeaderLabels(["Placeholder", "Inserts"])
        self.placeholders.setRootIsDecorated(False)
        self.placeholders.setWordWrap(True)
        self.placeholders.setUniformRowHeights(False)
        self.placeholders.setToolTip("Double-click to insert where the cursor is")
        for name, description in {**block_placeholders(text.kind), **placeholders(text.kind)}.items():
            item = QTreeWidgetItem([f"{{{name}}}", description])
            item.setToolTip(1, description)
            self.placeholders.addTopLevelItem(item)
        self.placeholders.resizeColumnToContents(0)
        self.placeholders.itemDoubleClicked.connect(lambda item, _col: self.insert(item.text(0)))

        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(self.placeholders)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([640, 460])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.set_text(text)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == event.Type.FocusIn and watched in self.fields.values():
            self._last_edit = watched
        return super().eventFilter(watched, event)

    def set_text(self, text: TemplateText) -> None:
        self.subject.setText(text.subject)
        self.salutation.setText(text.salutation)
        self.body.setPlainText(text.body)
        self.closing.setText(text.closing)
        if self.what_to_bring is not None:
            self.what_to_bring.setPlainText("\n".join(text.what_to_bring))

    def text(self) -> TemplateText:
        """The wording as typed now."""
        items = clean_items(self.what_to_bring.toPlainText()) if self.what_to_bring else ()
        return replace(self._original, subject=self.subject.text(),
                       salutation=self.salutation.text(), body=self.body.toPlainText(),
                       closing=self.closing.text(), what_to_bring=items, problem="")

    def changed(self) -> bool:
        return not self.text().same_wording(self._original) or bool(self._original.problem)

    def reset(self) -> None:
        """Show the default wording (saved only when the dialog is saved)."""
        self.set_text(default_text(self.kind))

    def insert(self, placeholder: str) -> None:
        """Insert a placeholder where the cursor was in the text last edited."""
        target = self._last_edit
        if isinstance(target, QPlainTextEdit):
            target.insertPlainText(placeholder)
        elif isinstance(target, QLineEdit):
            target.insert(placeholder)
        target.setFocus()

    def show_problems(self, exc: DomainError) -> None:
        problems = exc.problems if isinstance(exc, ValidationError) else []
        for problem in problems:
            widget = self.fields.get(problem.field)
            if widget is not None:
                widget.setStyleSheet(error_style(widget))
                widget.setToolTip(problem.message)
        lines = [f"• {p.message}" for p in problems] or [describe(exc)]
        self.problems.setText("Not saved:\n" + "\n".join(lines))
        self.problems.setVisible(True)

    def clear_problems(self) -> None:
        self.problems.setVisible(False)
        for widget in self.fields.values():
            widget.setStyleSheet("")
            widget.setToolTip("")


class TemplateEditorDialog(FitsScreen, QDialog):
    """The wording of letters to trainees and to schools, with the placeholders each may use.

    Args:
        texts: The current wording of each kind.
        save: Saves one kind's wording through the service; raises ValidationError to refuse.
        preview: Shows one letter with wording not saved yet; raises DomainError to refuse.
    """

    preferred_size = (1100, 720)

    def __init__(self, texts: dict[str, TemplateText], save: Callable[[TemplateText], Any],
                 preview: Callable[[TemplateText], Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Wording of letters")
        self._save, self._preview = save, preview
        self.tabs: dict[str, TemplateTab] = {}
        self.tab_widget = QTabWidget(self)
        for kind in ("trainee", "school"):
            tab = TemplateTab(texts[kind], self)
            tab.preview_button.setVisible(preview is not None)
            tab.preview_button.clicked.connect(lambda _c=False, t=tab: self.preview(t))
            self.tabs[kind] = tab
            self.tab_widget.addTab(tab, KIND_TITLES[kind])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tab_widget, 1)
        layout.addWidget(buttons)

    def preview(self, tab: TemplateTab) -> bool:
        """Show a letter with the tab's wording as typed; problems are shown in the tab."""
        tab.clear_problems()
        try:
            self._preview(tab.text())
        except DomainError as exc:
            tab.show_problems(exc)
            return False
        return True

    def try_accept(self) -> None:
        """Save each changed kind; stay open on the first tab the service refuses."""
        for kind, tab in self.tabs.items():
            tab.clear_problems()
            if not tab.changed():
                continue
            try:
                self._save(tab.text())
            except DomainError as exc:
                tab.show_problems(exc)
                self.tab_widget.setCurrentWidget(tab)
                return
        self.accept()


PROFILE_FIELDS = (
    FieldSpec("name", "Alliance name", required=True,
              placeholder="e.g. Farnham Teaching School Alliance"),
    FieldSpec("address", "Address", "multiline", placeholder="One line each"),
    FieldSpec("contact_name", "Contact name", required=True,
              placeholder="Named in every letter as the person to contact"),
    FieldSpec("contact_role", "Contact role", placeholder="e.g. ITT lead"),
    FieldSpec("contact_email", "Email", placeholder="Printed on the letterhead"),
    FieldSpec("contact_phone", "Telephone", placeholder="Printed on the letterhead"),
    FieldSpec("letter_sign_off", "Signed by", "multiline",
              placeholder="First line: who signs; next lines: their role"),
)


class AllianceProfileDialog(FormDialog):
    """The letterhead: the alliance's name, address, contact, signatory and logo.

    Args:
        values: The profile's fields, plus ``logo`` (bytes or None) and ``logo_filename``.
        submit: Called with the fields, ``logo`` and ``logo_filename``; raises to refuse.
        check_logo: Checks a chosen logo file (bytes, file name); raises ValidationError.
    """

    def __init__(self, values: dict[str, Any], submit: Callable[[dict[str, Any]], Any],
                 check_logo: Callable[[bytes, str], Any], parent: QWidget | None = None) -> None:
        super().__init__("Alliance profile", PROFILE_FIELDS, submit, values, parent)
        self._check_logo = check_logo
        self.logo: bytes | None = values.get("logo")
        self.logo_filename: str | None = values.get("logo_filename")
        self.logo_preview = QLabel(self)
        self.logo_preview.setFixedSize(220, 90)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setStyleSheet("border: 1px solid #c5ced8; background: white;")
        choose = QPushButton("Choose…", self)
        choose.clicked.connect(lambda: self.choose_logo())
        self.remove_logo_button = QPushButton("Remove", self)
        self.remove_logo_button.clicked.connect(self.remove_logo)
        buttons = QVBoxLayout()
        buttons.addWidget(choose)
        buttons.addWidget(self.remove_logo_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.logo_preview)
        row.addLayout(buttons)
        row.addStretch(1)
        form = self.form
        form.addRow("Logo (PNG or JPEG)", row)
        self._show_logo()

    def _show_logo(self) -> None:
        pixmap = QPixmap()
        if self.logo and pixmap.loadFromData(self.logo):
            self.logo_preview.setPixmap(pixmap.scaled(
                self.logo_preview.size().shrunkBy(self.logo_preview.contentsMargins()) * 0.95,
                Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
            self.logo_preview.setToolTip(self.logo_filename or "")
        else:
            self.logo_preview.clear()
            self.logo_preview.setText("No logo: the letterhead\nshows the name only")
        self.remove_logo_button.setEnabled(self.logo is not None)

    def choose_logo(self, path: str | None = None) -> bool:
        """Pick a logo file (asking for one unless given); refuse anything but PNG or JPEG."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Choose the alliance's logo", "",
                                                  "Images (*.png *.jpg *.jpeg)")
            if not path:
                return False
        name = Path(path).name
        try:
            data = Path(path).read_bytes()
            self._check_logo(data, name)
        except OSError as exc:
            self._logo_problem(f"{name}: {exc.strerror or exc}")
            return False
        except ValidationError as exc:
            self._logo_problem(exc.problems[0].message)
            return False
        self.problems.setVisible(False)
        self.logo, self.logo_filename = data, name
        self._show_logo()
        return True

    def _logo_problem(self, message: str) -> None:
        self.problems.setText(f"Logo not used: {message}")
        self.problems.setVisible(True)

    def remove_logo(self) -> None:
        self.logo, self.logo_filename = None, None
        self._show_logo()

    def values(self) -> dict[str, Any]:
        result = super().values()
        result["logo"], result["logo_filename"] = self.logo, self.logo_filename
        return result


def produce_dialog(selected: bool, listed: int, needed: int, submit: Callable[[dict], Any],
                   parent: QWidget | None = None) -> FormDialog:
    """Which letters to produce, and as one PDF or one file per letter."""
    # The usual job is sending what has not gone out yet, so that comes first.
    which = []
    if needed:
        which.append(("needed", f"The {needed} not produced yet or out of date"))
    if selected:
        which.append(("selected", "The selected letter"))
    which.append(("all", f"All {listed} listed"))
    specs = (
        FieldSpec("which", "Letters", "choice", which),
        FieldSpec("per_letter", "Save as", "choice",
                  [(False, "One PDF file, each letter on a new page"),
                   (True, "One PDF file per letter, in a folder")]),
    )
    return FormDialog("Produce letters", specs, submit, parent=parent)
