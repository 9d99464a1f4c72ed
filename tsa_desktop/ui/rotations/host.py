"""What the rotation page's helpers (bulk confirm, repair) need of the page, which imports them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtWidgets import QDialog, QTableView

from tsa_desktop.services.rotations.grid import PlacementChange

if TYPE_CHECKING:
    from tsa_desktop.ui.common.year_box import YearBox
    from tsa_desktop.ui.core.context import AppContext
    from tsa_desktop.ui.rotations.models import RotationGridModel


class RotationsHost(Protocol):
    """The rotations page, as its helpers see it."""

    ctx: AppContext
    model: RotationGridModel
    view: QTableView
    year_box: YearBox
    repair_task: Any

    def run_dialog(self, dialog: QDialog) -> int: ...

    def show_change(self, change: PlacementChange) -> None: ...
