"""The induction dialogs: an NQT, a trainee becoming an NQT, an assessment, a session, a cohort."""

from __future__ import annotations

from typing import Any, Callable, Sequence

from PySide6.QtWidgets import QWidget

from tsa_desktop.domain.enums import AssessmentKind, NqtStatus
from tsa_desktop.domain.induction import OUTCOMES
from tsa_desktop.services.induction.cohorts import QualifiedTrainee, SchoolChoice, TutorChoice
from tsa_desktop.ui.common.form import FieldSpec, FormDialog

Submit = Callable[[dict[str, Any]], Any]


def _school_choices(schools: Sequence[SchoolChoice]) -> list[tuple[Any, str]]:
    return [(s.id, s.label) for s in schools]


def _tutor_choices(tutors: Sequence[TutorChoice], none_label: str) -> list[tuple[Any, str]]:
    return [(None, none_label), *((t.id, t.label) for t in tutors)]


def nqt_fields(schools: Sequence[SchoolChoice], tutors: Sequence[TutorChoice]) -> tuple[FieldSpec, ...]:
    """The fields of an NQT's record, with the schools and mentors to choose from."""
    return (
        FieldSpec("first_names", "First names", required=True),
        FieldSpec("last_name", "Last name", required=True),
        FieldSpec("email", "Email", required=True, placeholder="name@school.sch.uk"),
        FieldSpec("trn", "TRN", placeholder="seven digits"),
        FieldSpec("academic_year", "Induction year", required=True, placeholder="e.g. 2026/27"),
        FieldSpec("employing_school_id", "Employing school", "choice", _school_choices(schools), required=True),
        FieldSpec("induction_tutor_id", "Induction tutor", "choice",
                  _tutor_choices(tutors, "Not from the mentor pool (name below)")),
        FieldSpec("induction_tutor_name", "Tutor's name", placeholder="if not from the mentor pool"),
        FieldSpec("induction_tutor_email", "Tutor's email"),
        FieldSpec("appropriate_body", "Appropriate body", placeholder="e.g. Surrey Appropriate Body"),
        FieldSpec("start_date", "Start date", "date"),
        FieldSpec("fte", "FTE", placeholder="1.0 full time; 0.5 half time"),
        FieldSpec("terms_counted", "Terms counted", placeholder="e.g. 1.5 (one decimal place)"),
        FieldSpec("extension_terms", "Extension (terms)", placeholder="0 unless extended"),
        FieldSpec("status", "Status", "choice", [(s.code, s.label) for s in NqtStatus]),
    )


def nqt_dialog(title: str, submit: Submit, schools: Sequence[SchoolChoice], tutors: Sequence[TutorChoice],
               values: dict[str, Any] | None = None, parent: QWidget | None = None) -> FormDialog:
    """Add or edit an NQT; a new NQT is full time, in induction, with no terms counted yet."""
    defaults = {"fte": "1", "terms_counted": "0", "extension_terms": "0", "status": NqtStatus.IN_PROGRESS.code}
    return FormDialog(title, nqt_fields(schools, tutors), submit, {**defaults, **(values or {})}, parent)


def trainee_dialog(submit: Submit, trainees: Sequence[QualifiedTrainee], schools: Sequence[SchoolChoice],
                   tutors: Sequence[TutorChoice], parent: QWidget | None = None) -> FormDialog:
    """Choose a trainee with QTS awarded to become an NQT, keeping their details."""
    fields = (
        FieldSpec("trainee_id", "Trainee (QTS awarded)", "choice", [(t.id, t.label) for t in trainees],
                  required=True, aliases=("status", "email", "first_names", "last_name", "trn")),
        FieldSpec("employing_school_id", "Employing school", "choice",
                  [(None, "Their employing school as a trainee"), *_school_choices(schools)], required=True),
        FieldSpec("induction_tutor_id", "Induction tutor", "choice", _tutor_choices(tutors, "Choose later")),
        FieldSpec("start_date", "Start date", "date", placeholder="dd/mm/yyyy; empty: 1 September"),
        FieldSpec("fte", "FTE", placeholder="1.0 full time"),
    )
    dialog = FormDialog("NQT from a trainee", fields, submit, {"fte": "1"}, parent)
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
    """Record an assessment: its due date, when it was completed and the outcome."""
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
        FieldSpec("name", "Name", placeholder="NQT induction 2027/28"),
    )
    return FormDialog("New induction cohort", fields, submit, {"academic_year": year}, parent)
