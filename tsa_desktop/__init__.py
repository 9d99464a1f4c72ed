"""tsa_desktop: ITT placement and mentor planner for teaching school alliances."""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("tsa-desktop")
except _metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.1.0"
