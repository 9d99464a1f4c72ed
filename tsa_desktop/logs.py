"""Logging to a file in the user data folder, so a traceback never has to reach the user's eyes."""

from __future__ import annotations

import logging
import logging.handlers

from tsa_desktop import paths

_configured = False


def setup_logging(level: int = logging.INFO) -> None:
    """Send log records to a rotating file in the user data folder (once per process)."""
    global _configured
    if _configured:
        return
    try:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            paths.log_file(), maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:  # a read-only profile must not stop the program from starting
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    _configured = True
