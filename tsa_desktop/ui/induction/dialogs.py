"""The induction dialogs: an ECT (or NQT), a trainee becoming an ECT, an assessment, a session, a cohort."""

from __future__ import annotations

from typing import Any, Callable, Sequence

from PySide6.QtWidgets import QWidget

from tsa_desktop.domain.enums import AssessmentKind, InductionProgramme, NqtStatus
from tsa_desktop.domain.induction import OUTCOMES
from tsa_desktop.services.induction.cohorts import QualifiedTrainee, SchoolChoice, TutorChoice
from tsa_desktop.ui.common.form import FieldSpec, FormDialog

Submit = Callable[[dict[str, Any]], Any]


def _school_choices(schools: Sequence[SchoolChoice]) -> list[tuple[Any, str]]:
    return [(s.id, s.label) for s in schools]


def _tutor_choices(tutors: Sequence[TutorChoice], none_label: str) -> list[tuple[Any, str]]:
    return [(None, none_label), *((t.id, t.label) for t in tutors)]


PROGRAMMES = [(None, "Not known yet"), *((p.code, p.label) for p in InductionProgramme)]


def nqt_fields(schools: Sequence[SchoolChoice], tutors: Sequence[TutorChoice]) -> tuple[FieldSpec, ...]:
    """The fields of an ECT's record, with the schools and mentors to choose from."""
    return (
        FieldSpec("first_names", "First names", required=True),
        FieldSpec("last_name", "Last name", required=True),
        FieldSpec("email", "Email", required=True, placeholder="name@school.sch.uk"),
        FieldSpec("trn", "TRN", placeholder="seven digits"),
        FieldSpec("date_of_birth", "Date of birth", "date"),
        FieldSpec("employing_school_id", "Employing school", "choice", _school_choices(schools), required=True),
        FieldSpec("start_date", "Induction start", "date",
                  placeholder="before 1 September 2021: an NQT's three terms"),
        FieldSpec("academic_year", "Induction year", placeholder="empty: the year of the start date"),
        FieldSpec("fte", "FTE", placeholder="1.0 full time; 0.5 half time"),
        FieldSpec("mentor_id", "ECT's mentor", "choice", _tutor_choices(tutors, "None chosen yet")),
        FieldSpec("induction_tutor_id", "Induction tutor", "choice",
                  _tutor_choices(tutors, "Not from the mentor pool (name below)")),
        FieldSpec("induction_tutor_name", "Tutor's name", placeholder="if not from the mentor pool"),
        FieldSpec("induction_tutor_email", "Tutor's email"),
        FieldSpec("programme", "Programme", "choice", PROGRAMMES),
        FieldSpec("appropriate_body", "Appropriate body", placeholder="e.g. a teaching school hub"),
        FieldSpec("reduced_terms", "Reduced by (terms)", placeholder="0; previous experience, at least 1 left"),
        FieldSpec("extension_terms", "Extension (terms)", placeholder="0 unless extended"),
        FieldSpec("terms_counted", "Terms counted", placeholder="e.g. 1.5 (one decimal place)"),
        FieldSpec("status", "Status", "choice", [(s.code, s.label) for s in NqtStatus]),
        FieldSpec("left_date", "Left on", "date", placeholder="only for someone who left part way"),
    )


def nqt_dialog(title: str, submit: Submit, schools: Sequence[SchoolChoice], tutors: Sequence[TutorChoice],
               values: dict[str, Any] | None = None, parent: QWidget | None = None) -> FormDialog:
    """Add or edit an ECT; a new one is full time, in induction, with no terms counted yet."""
    defaults = {"fte": "1", "terms_counted": "0", "extension_terms": "0", "reduced_terms": "0",
                "status": NqtStatus.IN_PROGRESS.code}
    return FormDialog(title, nqt_fields(schools, tutors), submit, {**defaults, **(values or {})}, parent)


def trainee_dialog(submit: Submit, trainees: Sequence[QualifiedTrainee], schools: Sequence[SchoolChoice],
                   tutors: Sequence[TutorChoice], parent: QWidget | None = None) -> FormDialog:
    """Choose a trainee with QTS awarded to become an ECT, keeping their details."""
    fields = (
        FieldSpec("trainee_id", "Trainee (QTS awarded)", "choice", [(t.id, t.label) for t in trainees],
                  required=True, aliases=("status", "email", "first_names", "last_name", "trn")),
        FieldSpec("employing_school_id", "Employing school", "choice",
                  [(None, "Their employing school as a trainee"), *_school_choices(schools)], required=True),
        FieldSpec("mentor_id", "ECT's mentor", "choice", _tutor_choices(tutors, "Choose later")),
        FieldSpec("induction_tutor_id", "Induction tutor", "choice", _tutor_choices(tutors, "Choose later")),
        FieldSpec("programme", "Programme", "choice", PROGRAMMES),
        FieldSpec("start_date", "Start date", "date", placeholder="dd/mm/yyyy; empty: 1 September"),
        FieldSpec("fte", "FTE", placeholder="1.0 full time"),
    )
    dialog = FormDialog("Early career teacher from a trainee", fields, submit, {"fte": "1"}, parent)
    _follow_trainee(dialog, trainees)
    return dialog


def _follow_trainee(dialog: FormDialog, trainees: Sequence[QualifiedTrainee]) -> None:
    """Offer "their employing school as a trainee" only for a trainee who had one.

    A fee-funded trainee had no employing school: for them the first choice asks for the school
    instead of naming one that does not exist (which could only be refused).
    """
    by_id = {t.id: t for t in trainees}
    trainee_box, school_box = dialog.widgets["trainee_id"], dialog.widgets["employing_school_id"]

    def follow() -> None:
        trainee = by_id.get(trainee_box.currentData())
        if trainee is not None and trainee.employing_school_id is not None:
            school_box.setItemText(0, f"Their employing school as a trainee: {trainee.employing_school}")
        else:
            school_box.setItemText(0, "Choose their employing school…")
        school_box.setCurrentIndex(0)

    trainee_box.currentIndexChanged.connect(lambda _i: follow())
    follow()


def assessment_dialog(title: str, kind: AssessmentKind, submit: Submit, values: dict[str, Any] | None = None,
                      parent: QWidget | None = None) -> FormDialog:
    """Record a review or assessment: its due date, when it was completed and the outcome."""
    outcomes = [(None, "Not yet"), *((o.code, o.label) for o in OUTCOMES[kind])]
    fields = (
        FieldSpec("due_date", "Due", "date"),
        FieldSpec("completed_date", "Completed", "date"),
        FieldSpec("outcome", "Outcome", "choice", outcomes),
        FieldSpec("notes", "Notes", "multiline"),
    )
    return FormDialog(title, fields, submit, values, parent)


SESSION_FIELDS = (
    FieldSpec("session_date", "Date", "date", required=True),
    FieldSpec("topic", "Topic", required=True, placeholder="e.g. Behaviour for learning"),
    FieldSpec("venue", "Venue"),
    FieldSpec("leader", "Led by"),
)


def session_dialog(title: str, submit: Submit, values: dict[str, Any] | None = None,
                   parent: QWidget | None = None) -> FormDialog:
    """Add or edit a session of the induction programme."""
    return FormDialog(title, SESSION_FIELDS, submit, values, parent)


def cohort_dialog(submit: Submit, year: str, parent: QWidget | None = None) -> FormDialog:
    """Start the induction cohort of an academic year."""
    fields = (
        FieldSpec("academic_year", "Academic year", required=True, placeholder="e.g. 2027/28"),
        FieldSpec("name", "Name", placeholder="ECT induction 2027/28"),
    )
    return FormDialog("New induction cohort", fields, submit, {"academic_year": year}, parent)
