"""Progress reporting and cancelling for long work, without Qt.

Services take a :class:`Progress`; the window passes one that forwards to a progress bar and the
command line passes :data:`SILENT`.
"""

from __future__ import annotations

import threading

from tsa_desktop.domain.errors import CancelledError


class Progress:
    """Receives progress reports and says whether the user asked to stop."""

    def __init__(self) -> None:
        self._cancel = threading.Event()

    def report(self, done: int, total: int, message: str = "") -> None:
        """Called by long work as it goes; the default does nothing."""

    def cancel(self) -> None:
        """Ask the work to stop at its next check."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise CancelledError if the user asked to stop."""
        if self._cancel.is_set():
            raise CancelledError("Cancelled: nothing was changed.")


SILENT = Progress()
