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
        self._stop = threading.Event()

    def report(self, done: int, total: int, message: str = "") -> None:
        """Called by long work as it goes; the default does nothing."""

    def cancel(self) -> None:
        """Ask the work to stop at its next check, and throw away what it found."""
        self._cancel.set()

    def stop(self) -> None:
        """Ask a search to stop now and give back the best it found so far (the planner's Stop)."""
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        """True when the work should stop searching: cancelled, or stopped to keep the best so far."""
        return self._cancel.is_set() or self._stop.is_set()

    @property
    def stopped(self) -> bool:
        """True when the user asked for the best so far (and did not cancel)."""
        return self._stop.is_set() and not self._cancel.is_set()

    def check(self) -> None:
        """Raise CancelledError if the user cancelled (a stop is not an error: the work finishes)."""
        if self._cancel.is_set():
            raise CancelledError("Cancelled: nothing was changed.")


SILENT = Progress()
