"""A person at the keyboard, scripted: answers the window's questions as the test says.

Every question the window asks goes through ``ctx.interaction`` (ui/core/interaction.py). This
stand-in answers from the test's script and fails the test on a question it was not told to
expect, so a dialog that appears unexpectedly cannot pass unnoticed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable


class UnexpectedQuestion(AssertionError):
    """The window asked something the test did not script."""


class ScriptedInteraction:
    """Answers from a script.

    Attributes:
        dialog: Runs a modal dialog in place of the person (fills it in, presses OK) and returns
            its result; None fails the test when a dialog is shown.
        answers: The answer to each kind of question ("open_file", "save_file",
            "choose_folder", "confirm", "choose", "get_text", "open_document"): a value, or a
            callable given the question's words (see each method).
        asked: Every question asked, in order: (kind, its words).
    """

    def __init__(self) -> None:
        self.dialog: Callable[[Any], int] | None = None
        self.answers: dict[str, Any] = {}
        self.asked: list[tuple[str, tuple]] = []

    def _answer(self, kind: str, *words: Any) -> Any:
        self.asked.append((kind, words))
        if kind not in self.answers:
            raise UnexpectedQuestion(f"the window asked {kind}{words!r}, which the test did not expect")
        answer = self.answers[kind]
        return answer(*words) if callable(answer) else answer

    def run_dialog(self, dialog: Any) -> int:
        self.asked.append(("dialog", (dialog,)))
        if self.dialog is None:
            raise UnexpectedQuestion(f"the window showed {type(dialog).__name__}, which the test did not expect")
        return self.dialog(dialog)

    def open_file(self, parent: Any, title: str, folder: str = "", filters: str = "") -> str:
        """Answered with ``answers["open_file"](title, folder)``."""
        return self._answer("open_file", title, folder)

    def save_file(self, parent: Any, title: str, suggested: str = "", filters: str = "") -> str:
        """Answered with ``answers["save_file"](title, suggested)``."""
        return self._answer("save_file", title, suggested)

    def choose_folder(self, parent: Any, title: str, folder: str = "") -> str:
        """Answered with ``answers["choose_folder"](title, folder)``."""
        return self._answer("choose_folder", title, folder)

    def confirm(self, parent: Any, title: str, text: str, yes: str = "Yes", no: str = "Cancel") -> bool:
        """Answered with ``answers["confirm"](title, text)``."""
        return self._answer("confirm", title, text)

    def choose(self, parent: Any, title: str, text: str, choices: list[tuple[str, str]]) -> str | None:
        """Answered with ``answers["choose"](title, text, choices)``."""
        return self._answer("choose", title, text, choices)

    def get_text(self, parent: Any, title: str, label: str, text: str = "") -> str | None:
        """Answered with ``answers["get_text"](title, label)``."""
        return self._answer("get_text", title, label)

    def open_document(self, path: Path) -> bool:
        """Answered with ``answers["open_document"](path)``."""
        return self._answer("open_document", path)
