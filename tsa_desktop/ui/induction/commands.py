"""Undoable induction changes that are not a plain create, update or delete."""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from tsa_desktop.domain.enums import AttendanceStatus
from tsa_desktop.domain.induction import AssessmentData
from tsa_desktop.services.induction.assessments import AssessmentService
from tsa_desktop.services.induction.programme import ProgrammeService
from tsa_desktop.ui.core.ops import Op
from tsa_desktop.ui.core.context import AppContext
from tsa_desktop.ui.core.changes import Area

#: The data area of assessments, sessions and attendance (NQT records are "nqts").
AREA = Area.INDUCTION


class RecordAssessmentCommand(Op):
    """Record an assessment's dates and outcome; undo puts back what was recorded before.

    Args:
        before: What was recorded, or None for an assessment that was only scheduled.
        after: The values as typed (validated by the service on the first save).
        version: The stored assessment's version the edit started from, or None.
        today: The page's today, for the "not completed in the future" rule.
    """

    def __init__(self, ctx: AppContext, text: str, service: AssessmentService, nqt_id: int, term: int,
                 before: AssessmentData | None, after: Mapping[str, Any] | AssessmentData,
                 version: int | None, today: dt.date | None = None) -> None:
        super().__init__(ctx, text, AREA)
        self.service, self.nqt_id, self.term = service, nqt_id, term
        self.before, self.after, self._version, self.today = before, after, version, today

    def apply(self) -> None:
        row = self.service.record(self.ctx.resolve("nqt", self.nqt_id), self.term, self.after, self._version,
                                  self.today)
        # Redo replays what was saved, not the typing: "not in the future" was checked once.
        self.after, self._version = row.data(), None

    def revert(self) -> None:
        self.service.record(self.ctx.resolve("nqt", self.nqt_id), self.term, self.before)


class SetAttendanceCommand(Op):
    """Mark NQTs at a session; undo restores their previous marks.

    Args:
        today: The page's today: no marks for a session that has not happened yet.
    """

    def __init__(self, ctx: AppContext, text: str, service: ProgrammeService, session_id: int,
                 marks: Mapping[int, AttendanceStatus | None], today: dt.date | None = None) -> None:
        super().__init__(ctx, text, AREA)
        self.service, self.session_id, self.marks, self.today = service, session_id, dict(marks), today
        self.before: dict[int, AttendanceStatus | None] = {}

    def apply(self) -> None:
        session_id = self.ctx.resolve("session", self.session_id)
        marks = {self.ctx.resolve("nqt", n): v for n, v in self.marks.items()}
        self.before = self.service.set_attendance(session_id, marks, self.today)

    def revert(self) -> None:
        self.service.set_attendance(self.ctx.resolve("session", self.session_id), self.before, self.today)
