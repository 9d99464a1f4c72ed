"""The pages of the main window, in navigation order.

Each entry names the module and class of a page. A page whose module is not there yet (an area
still being built) shows an honest "not yet available" page instead. A page with a ``permission``
is offered only to people allowed that action (see :meth:`PageSpec.allowed`).
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PageSpec:
    """One navigation entry.

    Attributes:
        permission: The action (a key of ``services.users.ACTIONS``) a person needs to be offered
            the page; "" for every page anyone using the file sees.
    """

    key: str
    title: str
    module: str
    cls: str
    permission: str = ""

    def allowed(self, workspace: Any) -> bool:
        """Whether the person using ``workspace`` may see this page (anyone, in a file without sign-in)."""
        from tsa_desktop.ui.context import may

        return not self.permission or may(workspace, self.permission)

    def available(self) -> bool:
        return importlib.util.find_spec(self.module) is not None

    def load(self) -> type:
        return getattr(importlib.import_module(self.module), self.cls)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("schools", "Schools and providers", "tsa_desktop.ui.pages.schools", "SchoolsPage"),
    PageSpec("allocations", "Allocations", "tsa_desktop.ui.pages.allocations", "AllocationsPage"),
    PageSpec("trainees", "Trainees", "tsa_desktop.ui.pages.trainees", "TraineesPage"),
    PageSpec("rotations", "Rotations", "tsa_desktop.ui.pages.rotations", "RotationsPage"),
    PageSpec("mentors", "Mentors", "tsa_desktop.ui.pages.mentors", "MentorsPage"),
    PageSpec("induction", "NQT induction", "tsa_desktop.ui.pages.induction", "InductionPage"),
    PageSpec("letters", "Letters", "tsa_desktop.ui.pages.letters", "LettersPage"),
    PageSpec("audit", "Audit trail", "tsa_desktop.ui.pages.audit", "AuditPage", permission="view_audit"),
)
