"""The alliance database: every table, typed with ``Mapped[...]``, one module per feature.

Enumerations are stored as their codes (plain strings) so that the file stays readable by other
tools and new codes never need a migration; the domain layer parses them. Most tables carry a
``version`` column used for optimistic locking: two people saving the same record at once, the
second save is refused instead of silently overwriting the first.
"""

from tsa_desktop.db.models.base import NAMING_CONVENTION, Base, Versioned
from tsa_desktop.db.models.reference import AllianceProfile, Setting, School, SchoolPreviousUrn, Provider, AcademicYear, Allocation, Trainee, TraineeStatusChange
from tsa_desktop.db.models.rotations import PlacementBlock, Placement, SchoolHosting
from tsa_desktop.db.models.mentors import Mentor, MentorSubject, MentorUnavailability, QaVisit
from tsa_desktop.db.models.induction import InductionCohort, Nqt, NqtAssessment, InductionSession, SessionAttendance
from tsa_desktop.db.models.safety import AuditEntry, User

__all__ = ["NAMING_CONVENTION", "Base", "Versioned", "AllianceProfile", "Setting", "School", "SchoolPreviousUrn", "Provider", "AcademicYear", "Allocation", "Trainee", "TraineeStatusChange", "PlacementBlock", "Placement", "SchoolHosting", "Mentor", "MentorSubject", "MentorUnavailability", "QaVisit", "InductionCohort", "Nqt", "NqtAssessment", "InductionSession", "SessionAttendance", "AuditEntry", "User"]
