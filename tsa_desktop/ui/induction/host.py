"""What the induction tabs need of the induction page (which imports the tabs)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Callable, Protocol

from PySide6.QtWidgets import QDialog

from tsa_desktop.domain.progress import Progress
from tsa_desktop.ui.core.changes import Area

if TYPE_CHECKING:
    from tsa_desktop.ui.core.context import AppContext


class InductionHost(Protocol):
    """The induction page, as its tabs see it."""

    ctx: AppContext

    def may(self, action: str) -> bool: ...

    def today(self) -> dt.date: ...

    def cohort_year(self) -> str: ...

    def cohort_id(self) -> int | None: ...

    def run_dialog(self, dialog: QDialog) -> int: ...

    def choose_open_file(self, title: str) -> str: ...

    def choose_save_file(self, title: str, suggested: str) -> str: ...

    def run_file_task(self, work: Callable[[Progress], Any], title: str, area: Area | None,
                      done_text: Callable[[Any], str]) -> None: ...
