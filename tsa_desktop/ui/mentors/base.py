"""What the tabs of the Mentors page share: lazy loading, and the choices their dialogs offer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, Sequence

from PySide6.QtWidgets import QAbstractItemView, QDialog, QPushButton, QWidget

from tsa_desktop.services.mentors.pool import MentorRow

if TYPE_CHECKING:
    from tsa_desktop.ui.core.context import AppContext


class MentorsHost(Protocol):
    """What the tabs need of the Mentors page (which imports the tabs)."""

    ctx: AppContext

    def year(self) -> str | None: ...

    def mentor_rows(self) -> list[MentorRow]: ...

    def run_dialog(self, dialog: QDialog) -> int: ...

    def show_mentor(self, mentor_id: int) -> None: ...


class MentorTab(QWidget):
    """A tab of the Mentors page. It loads when it is shown after its data changed."""

    def __init__(self, page: MentorsHost) -> None:
        super().__init__(page)
        self.page = page
        self.ctx = page.ctx
        self.stale = True
        #: Buttons that change records: hidden from a signed-in user who may not edit.
        self.edit_buttons: list[QPushButton] = []

    def load(self) -> None:
        """Read the tab's data from the services."""

    def allow_editing(self, allowed: bool) -> None:
        """Show the buttons that change records only to somebody who may change them."""
        for button in self.edit_buttons:
            button.setVisible(allowed)

    def refresh(self) -> None:
        """Load now if the data changed since the last load."""
        if self.stale:
            self.stale = False
            self.load()


def mentor_label(row: MentorRow) -> str:
    """How a mentor is offered in a list: "Last, First — School"."""
    return f"{row.sort_name} — {row.school_name}"


def mentor_choices(rows: Sequence[MentorRow], active_only: bool = True) -> list[tuple[Any, str]]:
    """(id, label) pairs of mentors, by last name."""
    chosen = [r for r in rows if r.active or not active_only]
    chosen.sort(key=lambda r: (r.last_name.casefold(), r.first_name.casefold(), r.id))
    return [(r.id, mentor_label(r)) for r in chosen]


def lead_choices(rows: Sequence[MentorRow]) -> list[tuple[Any, str]]:
    """(id, label) pairs of lead mentors."""
    return mentor_choices([r for r in rows if r.is_lead_mentor], active_only=False)


def own_mentor_id(workspace: object) -> int | None:
    """The mentor record of a signed-in mentor who sees only their own trainees, else None."""
    permissions = getattr(workspace, "permissions", None)
    if permissions is None or permissions.can("view_all"):
        return None
    return getattr(permissions, "mentor_id", None)


#: Rows a table looks at to size its columns: Qt's default (1,000) made the 1,200-mentor pool
#: take 0.6 s to show; 200 rows take 0.07 s and size the columns as well in practice.
RESIZE_ROWS = 200


def quick_resize(*views: QAbstractItemView) -> None:
    """Size columns from the first rows only (see RESIZE_ROWS)."""
    for view in views:
        view.horizontalHeader().setResizeContentsPrecision(RESIZE_ROWS)
