"""Test support: the demo cohort without the induction records the demo dates from today.

The demo records attendance and assessments up to the real today, so what a test finds would
change with the calendar. Tests of induction start from the bare cohort instead and fix "today".
"""

from sqlalchemy import delete, update

from tsa_desktop.db import models as m


def clear_induction_records(ws) -> None:
    """Remove sessions, attendance and assessments; every NQT back in induction with no terms."""
    with ws.db.transaction() as s:
        s.execute(delete(m.SessionAttendance))
        s.execute(delete(m.InductionSession))
        s.execute(delete(m.NqtAssessment))
        s.execute(update(m.Nqt).values(status="in_progress", terms_counted=0.0))
