"""The pages of the main window, in navigation order, registered by class.

A page with a ``permission`` is offered only to people allowed that action (see
:meth:`PageSpec.allowed`). Each entry's loader imports its page class by a plain import
statement (no module looked up by name, no fallback): a renamed or broken page fails the test
that opens every page, never silently in the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtWidgets import QWidget

from tsa_desktop.ui.core.context import may


@dataclass(frozen=True)
class PageSpec:
    """One navigation entry.

    Attributes:
        key: A stable name for the page (settings, tests, F1 help).
        title: What the navigation shows.
        load: Returns the page's class, built as ``page(ctx, parent)``. Each page is imported
            when it is first shown, so that the window paints before the services load.
        permission: The action (a key of ``services.safety.users.ACTIONS``) a person needs to be
            offered the page; "" for every page anyone using the file sees.
    """

    key: str
    title: str
    load: Callable[[], type[QWidget]]
    permission: str = ""

    def allowed(self, workspace: Any) -> bool:
        """Whether the person using ``workspace`` may see this page (anyone, in a file without sign-in)."""
        return not self.permission or may(workspace, self.permission)


def _schools() -> type[QWidget]:
    from tsa_desktop.ui.schools.page import SchoolsPage

    return SchoolsPage


def _allocations() -> type[QWidget]:
    from tsa_desktop.ui.allocations.page import AllocationsPage

    return AllocationsPage


def _trainees() -> type[QWidget]:
    from tsa_desktop.ui.trainees.page import TraineesPage

    return TraineesPage


def _rotations() -> type[QWidget]:
    from tsa_desktop.ui.rotations.page import RotationsPage

    return RotationsPage


def _mentors() -> type[QWidget]:
    from tsa_desktop.ui.mentors.page import MentorsPage

    return MentorsPage


def _induction() -> type[QWidget]:
    from tsa_desktop.ui.induction.page import InductionPage

    return InductionPage


def _letters() -> type[QWidget]:
    from tsa_desktop.ui.letters.page import LettersPage

    return LettersPage


def _audit() -> type[QWidget]:
    from tsa_desktop.ui.audit.page import AuditPage

    return AuditPage


PAGES: tuple[PageSpec, ...] = (
    PageSpec("schools", "Schools and providers", _schools),
    PageSpec("allocations", "Allocations", _allocations),
    PageSpec("trainees", "Trainees", _trainees),
    PageSpec("rotations", "Rotations", _rotations),
    PageSpec("mentors", "Mentors", _mentors),
    PageSpec("induction", "Early career teachers", _induction),
    PageSpec("letters", "Letters", _letters),
    PageSpec("audit", "Audit trail", _audit, permission="view_audit"),
)
