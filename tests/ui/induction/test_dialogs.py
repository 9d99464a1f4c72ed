"""The NQT-from-trainee dialog names a trainee's employing school only when they had one."""

from __future__ import annotations

from tsa_desktop.services.induction.cohorts import QualifiedTrainee, SchoolChoice
from tsa_desktop.ui.induction.dialogs import trainee_dialog


def test_fee_funded_trainee_is_asked_for_a_school_not_offered_a_missing_one(qtbot):
    fee = QualifiedTrainee(1, "T1", "Ada Fee", "ada@x.ac.uk", None, "2025/26", None, "")
    salaried = QualifiedTrainee(2, "T2", "Sal Aried", "sal@x.ac.uk", None, "2025/26", 7, "Oak Primary")
    schools = [SchoolChoice(7, "Oak Primary", "110001", "Surrey"),
               SchoolChoice(8, "Elm Academy", "110002", "Surrey")]
    dialog = trainee_dialog(lambda values: True, [fee, salaried], schools, [])
    qtbot.addWidget(dialog)
    school = dialog.widgets["employing_school_id"]
    dialog.set_values({"trainee_id": 1})
    assert school.currentText() == "Choose their employing school…"
    assert "employing school as a trainee" not in school.currentText()
    dialog.set_values({"trainee_id": 2})
    assert school.currentText() == "Their employing school as a trainee: Oak Primary"
    assert school.currentData() is None  # the service takes it from the trainee record
