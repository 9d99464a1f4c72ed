"""tsa_desktop: ITT placement and mentor planner for teaching school alliances."""

# The one place the version is written: pyproject.toml reads it from here. A constant rather than
# importlib.metadata, which costs 20 ms of every start-up.
__version__ = "0.1.0"
