"""The automatic rotation planner (OR-Tools CP-SAT). Imports the domain only: no database, no Qt.

Use :func:`plan_rotations` for the best plan within a time limit, or :func:`greedy_plan` for the
fast nearest-first plan alone. Both take a :class:`PlanningProblem` built from a
:class:`~tsa_desktop.domain.rules.RotationSnapshot` and return a :class:`Plan`.
"""

from typing import TYPE_CHECKING

from tsa_desktop.planner.greedy import greedy_plan
from tsa_desktop.planner.problem import Assignment, Plan, PlanningProblem, PlanStatus, Unplaced

if TYPE_CHECKING:
    from tsa_desktop.planner.solve import plan_rotations

__all__ = [
    "Assignment",
    "Plan",
    "PlanStatus",
    "PlanningProblem",
    "Unplaced",
    "greedy_plan",
    "plan_rotations",
]


def __getattr__(name: str):
    # CP-SAT takes 0.3 s to import: load it when a plan is first asked for, not at start-up.
    if name == "plan_rotations":
        from tsa_desktop.planner.solve import plan_rotations

        return plan_rotations
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
