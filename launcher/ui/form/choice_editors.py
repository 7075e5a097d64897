"""Editors that pick from fixed options: enums (with a "(default: X)" entry) and three-way booleans."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget

from launcher.core.schema import FieldSpec
from launcher.core.validate import FALSE_WORDS, TRUE_WORDS
from launcher.ui.form.base import EditorContext, FieldEditor
from launcher.ui.form.scalar_editors import as_text
from launcher.view import messages


class QuietComboBox(QComboBox):
    """A combo box that lets the wheel scroll the form unless the combo has focus."""

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class ChoiceEditor(FieldEditor):
    """A combo box of options whose data is the value; the first entry may stand for "unset"."""

    touch_on_change = True

    def __init__(self, spec: FieldSpec, context: EditorContext, path: str, parent: QWidget | None = None) -> None:
        super().__init__(spec, context, path, parent)
        layout = self._row_layout()
        self._combo = QuietComboBox(self)
        self._combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._combo.setAccessibleName(spec.label)
        self._combo.setAccessibleDescription(spec.help)
        self._combo.setToolTip(spec.help)
        self._combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        layout.addWidget(self._combo)
        layout.addStretch(1)
        self._combo.currentIndexChanged.connect(lambda _index: self.changed.emit())

    def combo(self) -> QComboBox:
        return self._combo

    def framed_widget(self) -> QWidget:
        return self._combo

    def value(self) -> Any:
        return self._combo.currentData()

    def focus_target(self) -> QWidget:
        return self._combo

    def _select_data(self, data: Any) -> bool:
        for index in range(self._combo.count()):
            if self._combo.itemData(index) == data and type(self._combo.itemData(index)) is type(data):
                self._combo.setCurrentIndex(index)
                return True
        return False


class EnumEditor(ChoiceEditor):
    """Choices, plus a first "(default: X)" entry when the field may stay unset."""

    def __init__(self, spec: FieldSpec, context: EditorContext, path: str, parent: QWidget | None = None) -> None:
        super().__init__(spec, context, path, parent)
        if not spec.required:
            shown = f"(default: {self._display(spec.default)})" if spec.default is not None else "(not set)"
            self._combo.addItem(shown, None)
        elif spec.default is None:
            self._combo.addItem(messages.CHOOSE, None)
        for choice in spec.choices:
            self._combo.addItem(self._display(choice), choice)
        self._known = self._combo.count()  # entries after these stand for an unknown value
        self.set_value(None)

    def _display(self, choice: Any) -> str:
        return f"{choice} {self.spec.unit}" if self.spec.unit else str(choice)

    def set_value(self, value: Any) -> None:
        while self._combo.count() > self._known:  # a previous unknown value is gone with its value
            self._combo.removeItem(self._combo.count() - 1)
        if value is None or (isinstance(value, str) and not value.strip()):
            if not (self.spec.required and self.spec.default is not None and self._select_data(str(self.spec.default))):
                self._combo.setCurrentIndex(0)
            return
        text = as_text(value).strip()
        for choice in self.spec.choices:
            if choice == text or (self.spec.choices_case_insensitive and choice.lower() == text.lower()):
                self._select_data(choice)
                return
        # An unknown value (an older profile, another version of the API) stays visible and is reported.
        self._combo.addItem(messages.unknown_choice(text), text)
        self._combo.setCurrentIndex(self._combo.count() - 1)


class BoolEditor(ChoiceEditor):
    """Optional API booleans are three-way: unset (the provider's default), Yes, No."""

    def __init__(self, spec: FieldSpec, context: EditorContext, path: str, parent: QWidget | None = None) -> None:
        super().__init__(spec, context, path, parent)
        if isinstance(spec.default, bool):
            self._combo.addItem(messages.default_choice(messages.YES if spec.default else messages.NO), None)
        else:
            self._combo.addItem(messages.NOT_SET, None)
        self._combo.addItem(messages.YES, True)
        self._combo.addItem(messages.NO, False)

    def set_value(self, value: Any) -> None:
        if isinstance(value, str):
            word = value.strip().lower()
            value = True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
        if not self._select_data(value if isinstance(value, bool) else None):
            self._combo.setCurrentIndex(0)


class CheckBoolEditor(FieldEditor):
    """A required boolean is always true or false: a check box."""

    touch_on_change = True

    def __init__(self, spec: FieldSpec, context: EditorContext, path: str, parent: QWidget | None = None) -> None:
        super().__init__(spec, context, path, parent)
        layout = self._row_layout()
        self._box = QCheckBox(spec.label, self)
        self._box.setAccessibleName(spec.label)
        self._box.setToolTip(spec.help)
        self._box.setChecked(bool(spec.default))
        layout.addWidget(self._box)
        layout.addStretch(1)
        self._box.toggled.connect(lambda _on: self.changed.emit())

    def value(self) -> Any:
        return self._box.isChecked()

    def set_value(self, value: Any) -> None:
        if isinstance(value, str):
            value = value.strip().lower() in TRUE_WORDS
        self._box.setChecked(bool(self.spec.default if value is None else value))

    def focus_target(self) -> QWidget:
        return self._box
