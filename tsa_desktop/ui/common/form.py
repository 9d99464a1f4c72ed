"""A form dialog built from field specs, showing every problem the services find.

The dialog does not validate: it hands the typed values to a ``submit`` callback that calls a
service. A :class:`ValidationError` keeps the dialog open with each problem listed and its field
marked; anything else is shown as a message. The database is untouched until a submit succeeds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tsa_desktop.domain.errors import DomainError, ValidationError
from tsa_desktop.ui.common.screen import FitsScreen, FittingScrollArea, fit_to_screen
from tsa_desktop.ui.core.messages import describe

_ERROR_STYLE = "border: 1px solid #c0392b; background: #fdecea;"


def error_style(widget: QWidget) -> str:
    """The red mark of a field with a problem, for that widget only.

    A style sheet without a selector also styles the widget's children: a drop-down's list of
    choices would turn pink too. A selector naming the widget's own class keeps it to the box.
    """
    return f"{widget.metaObject().className()} {{ {_ERROR_STYLE} }}"


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form.

    Attributes:
        name: The key in the values dict, and the field name services report problems under.
        label: What the form shows.
        kind: text, multiline, choice, check, int, date (typed as dd/mm/yyyy or ISO).
        choices: (value, label) pairs for ``choice``; value None means "none".
        required: Marks the label with an asterisk (the service still decides).
        placeholder: Hint text in an empty text field.
        minimum, maximum: Range for ``int``.
        aliases: Other problem field names that belong to this field.
    """

    name: str
    label: str
    kind: str = "text"
    choices: Sequence[tuple[Any, str]] = ()
    required: bool = False
    placeholder: str = ""
    minimum: int = 0
    maximum: int = 9999
    aliases: tuple[str, ...] = field(default_factory=tuple)


class FormDialog(FitsScreen, QDialog):
    """A dialog of labelled fields with OK/Cancel.

    Args:
        title: Window title.
        specs: The fields.
        submit: Called with the values on OK; raise DomainError to refuse (dialog stays open).
        values: Initial values by field name.
    """

    def __init__(self, title: str, specs: Sequence[FieldSpec], submit: Callable[[dict[str, Any]], Any],
                 values: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self._specs = list(specs)
        self._submit = submit
        self.result_value: Any = None
        self.widgets: dict[str, QWidget] = {}

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #c0392b;")
        self.problems.setVisible(False)

        fields = QWidget()
        form = self.form = QFormLayout(fields)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for spec in self._specs:
            widget = self._make(spec)
            widget.setObjectName(f"field_{spec.name}")
            self.widgets[spec.name] = widget
            form.addRow(spec.label + (" *" if spec.required else ""), widget)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons

        # A long form scrolls on a small screen; the problems and the buttons stay in view.
        self.scroll = FittingScrollArea(fields, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(buttons)
        self.set_values(values or {})

    @staticmethod
    def _make(spec: FieldSpec) -> QWidget:
        if spec.kind == "choice":
            box = QComboBox()
            for value, label in spec.choices:
                box.addItem(label, value)
            return box
        if spec.kind == "check":
            return QCheckBox()
        if spec.kind == "int":
            spin = QSpinBox()
            spin.setRange(spec.minimum, spec.maximum)
            return spin
        if spec.kind == "multiline":
            edit = QPlainTextEdit()
            edit.setFixedHeight(70)
            return edit
        line = QLineEdit()
        line.setPlaceholderText(spec.placeholder or ("dd/mm/yyyy" if spec.kind == "date" else ""))
        return line

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill the fields; missing keys leave a field as it is."""
        for spec in self._specs:
            if spec.name not in values:
                continue
            value, widget = values[spec.name], self.widgets[spec.name]
            if isinstance(widget, QComboBox):
                code = getattr(value, "code", value)
                index = widget.findData(code)
                widget.setCurrentIndex(max(index, 0))
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QSpinBox):
                widget.setValue(int(value or 0))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText("" if value is None else str(value))
            else:
                if isinstance(value, dt.date):
                    text = value.strftime("%d/%m/%Y")
                else:
                    text = "" if value is None else str(value)
                widget.setText(text)

    def values(self) -> dict[str, Any]:
        """The values as typed: text, the chosen code, a bool or an int."""
        result: dict[str, Any] = {}
        for spec in self._specs:
            widget = self.widgets[spec.name]
            if isinstance(widget, QComboBox):
                result[spec.name] = widget.currentData()
            elif isinstance(widget, QCheckBox):
                result[spec.name] = widget.isChecked()
            elif isinstance(widget, QSpinBox):
                result[spec.name] = widget.value()
            elif isinstance(widget, QPlainTextEdit):
                result[spec.name] = widget.toPlainText()
            else:
                result[spec.name] = widget.text()
        return result

    def try_accept(self) -> None:
        """Submit; close on success, otherwise show the problems and stay open.

        The submit callback refuses by raising a DomainError, or by returning False after it
        has shown an unexpected error itself.
        """
        self._clear_marks()
        try:
            self.result_value = self._submit(self.values())
        except ValidationError as exc:
            self.show_problems(exc)
            return
        except DomainError as exc:
            self.problems.setText(describe(exc))
            self.problems.setVisible(True)
            fit_to_screen(self)
            return
        if self.result_value is False:
            return
        self.accept()

    def show_problems(self, exc: ValidationError) -> None:
        """List every problem and mark the fields they name."""
        lines = []
        for problem in exc.problems:
            lines.append(f"• {problem}")
            widget = self._widget_for(problem.field)
            if widget is not None:
                widget.setStyleSheet(error_style(widget))
                widget.setToolTip(problem.message)
        self.problems.setText("Please correct:\n" + "\n".join(lines))
        self.problems.setVisible(True)
        fit_to_screen(self)  # make room for the list rather than squeezing the fields

    def _widget_for(self, name: str) -> QWidget | None:
        for spec in self._specs:
            if name == spec.name or name in spec.aliases:
                return self.widgets[spec.name]
        return None

    def _clear_marks(self) -> None:
        self.problems.setVisible(False)
        for widget in self.widgets.values():
            widget.setStyleSheet("")
            widget.setToolTip("")
