"""Editors for single typed values: text, URL, SIP URI, phone, secret, long text, numbers."""

from __future__ import annotations

import json
import re
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt
from PySide6.QtGui import QFontDatabase, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QToolButton, QVBoxLayout, QWidget

from launcher.core.phone import format_as_you_type
from launcher.core.schema import Endpoint, FieldKind, FieldSpec
from launcher.ui.form.base import FRAME_MARGIN, EditorContext, FieldEditor
from launcher.ui.form.style import em, muted_label
from launcher.ui.line_edit import LineEdit
from launcher.view import messages
from launcher.view.editor_ranks import MARKUP_WORDS

PHONE_TYPING = re.compile(r"[\d+\s().\-/]*")  # what may be re-grouped while typing; anything else is left alone
NOT_DIALABLE = re.compile(r"[^\d+]")


def as_text(value: Any) -> str:
    """How a stored value reads in a text box: JSON for structures, true/false for booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _blank_to_none(text: str, strip: bool = True) -> str | None:
    if not text.strip():
        return None
    return text.strip() if strip else text


class LineEditor(FieldEditor):
    """A single-line text field; the base of the URL, SIP URI and phone editors."""

    default_placeholder = ""
    strip = True

    def __init__(self, spec: FieldSpec, context: EditorContext, path: str, parent: QWidget | None = None) -> None:
        super().__init__(spec, context, path, parent)
        layout = self._row_layout()
        self._edit = LineEdit(self)
        self._edit.setPlaceholderText(spec.placeholder or self.default_placeholder)
        self._edit.setAccessibleName(spec.label)
        self._edit.setAccessibleDescription(spec.help)
        self._edit.setToolTip(spec.help)
        layout.addWidget(self._edit)
        self._edit.textChanged.connect(lambda _text: self.changed.emit())
        self._edit.returnPressed.connect(self.activated.emit)

    def value(self) -> Any:
        return _blank_to_none(self._edit.text(), self.strip)

    def set_value(self, value: Any) -> None:
        self._edit.setText(as_text(value))

    def focus_target(self) -> QWidget:
        return self._edit

    def type_text(self, text: str) -> bool:
        _typing_point(self._edit)
        self._edit.insert(text)
        return True

    def backspace(self) -> bool:
        _typing_point(self._edit)
        self._edit.backspace()
        return True


class TextEditor(LineEditor):
    pass


class UrlEditor(LineEditor):
    default_placeholder = "https://"

    def __init__(self, spec: FieldSpec, context: EditorContext, path: str, parent: QWidget | None = None) -> None:
        super().__init__(spec, context, path, parent)
        self._edit.setInputMethodHints(Qt.InputMethodHint.ImhUrlCharactersOnly)


class SipUriEditor(LineEditor):
    default_placeholder = "sip:alice@example.com"


class PhoneEditor(LineEditor):
    """Phone numbers grouped as you type (libphonenumber, the profile's region), never fighting the cursor.

    The text is re-grouped only when characters were added at the end of plain phone-number text;
    deleting, editing in the middle, SIP URIs, client:NAME and words like Anonymous are left alone.
    Fields that forward digits as typed (bare numbers) are never re-grouped.  ``value()`` is the text
    as shown; validation turns it into E.164 with the region.
    """

    def __init__(self, spec: FieldSpec, context: EditorContext, path: str, parent: QWidget | None = None) -> None:
        super().__init__(spec, context, path, parent)
        self._formats = Endpoint.BARE_NUMBER not in spec.endpoints
        self._before_edit = ""  # the text before the user's latest edit
        self._edit.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers)
        self._edit.textEdited.connect(self._regroup)

    def _regroup(self, text: str) -> None:
        previous, self._before_edit = self._before_edit, text
        if not self._formats or len(text) <= len(previous) or self._edit.cursorPosition() != len(text):
            return
        if not PHONE_TYPING.fullmatch(text) or not re.search(r"\d", text):
            return
        grouped = format_as_you_type(text, self.context.region or "US")
        if grouped == text or NOT_DIALABLE.sub("", grouped) != NOT_DIALABLE.sub("", text):
            return
        self._edit.setText(grouped)
        self._edit.setCursorPosition(len(grouped))
        self._before_edit = grouped

    def set_value(self, value: Any) -> None:
        super().set_value(value)
        self._before_edit = self._edit.text()

    def type_text(self, text: str) -> bool:
        _typing_point(self._edit)
        before = self._edit.text()
        self._before_edit = before
        self._edit.insert(text)
        self._regroup(self._edit.text())
        return True

    def backspace(self) -> bool:
        _typing_point(self._edit)
        self._edit.backspace()
        self._before_edit = self._edit.text()
        return True


class SecretEditor(LineEditor):
    """A password field with a Show toggle; its value is never remembered by the form."""

    strip = False

    def __init__(self, spec: FieldSpec, context: EditorContext, path: str, parent: QWidget | None = None) -> None:
        super().__init__(spec, context, path, parent)
        self._edit.setEchoMode(QLineEdit.EchoMode.Password)
        self._edit.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText)
        self._show = QToolButton(self)
        self._show.setText(messages.SHOW)
        self._show.setCheckable(True)
        self._show.setAccessibleName(f"Show {spec.label}")
        self._show.setToolTip(messages.SHOW_TYPED_TIP)
        self._show.toggled.connect(self._toggle)
        layout = self.layout()
        assert layout is not None
        layout.addWidget(self._show)

    def _toggle(self, shown: bool) -> None:
        self._edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self._show.setText(messages.HIDE if shown else messages.SHOW)


class LongTextEditor(FieldEditor):
    """Multi-line text (TwiML, JSON); Tab moves on, a character count shows the limit."""

    tall = True

    def __init__(self, spec: FieldSpec, context: EditorContext, path: str, parent: QWidget | None = None) -> None:
        super().__init__(spec, context, path, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(FRAME_MARGIN, FRAME_MARGIN, FRAME_MARGIN, FRAME_MARGIN)
        layout.setSpacing(2)
        self._text = QPlainTextEdit(self)
        self._text.setTabChangesFocus(True)
        self._text.setPlaceholderText(spec.placeholder)
        self._text.setAccessibleName(spec.label)
        self._text.setAccessibleDescription(spec.help)
        self._text.setToolTip(spec.help)
        words = f"{spec.name} {spec.label}".lower()
        if any(word in words for word in MARKUP_WORDS):
            self._text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            self._text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        lines = 5
        self._text.setFixedHeight(self._text.fontMetrics().lineSpacing() * lines + 2 * self._text.frameWidth() + 8)
        layout.addWidget(self._text)
        self._count = muted_label("", self)
        self._count.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._count.setVisible(spec.max_length is not None)
        layout.addWidget(self._count)
        self._text.textChanged.connect(self._on_changed)
        self._on_changed(emit=False)

    def _on_changed(self, emit: bool = True) -> None:
        if self.spec.max_length is not None:
            self._count.setText(f"{len(self._text.toPlainText())} / {self.spec.max_length}")
        if emit:
            self.changed.emit()

    def value(self) -> Any:
        return _blank_to_none(self._text.toPlainText(), strip=False)

    def set_value(self, value: Any) -> None:
        self._text.setPlainText(as_text(value))

    def focus_target(self) -> QWidget:
        return self._text

    def type_text(self, text: str) -> bool:
        self._text.insertPlainText(text)
        return True


def _typing_point(edit: QLineEdit) -> None:
    """Keys from the dial pad go where the person is typing, or at the end of the number when they
    are not in the field (a value set from code shows its start, with the cursor there)."""
    if not edit.hasFocus():
        edit.end(False)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


_SECONDS_PER = {"s": 1.0, "ms": 0.001}
_LONG_SPANS = ((86400.0, "day"), (3600.0, "hour"))


def _span_text(value: float, unit: str) -> str | None:
    """A large time limit in words ("24 days"), rounded down; None when the plain number reads well."""
    seconds = value * _SECONDS_PER[unit] if unit in _SECONDS_PER else None
    if seconds is None:
        return None
    for size, name in _LONG_SPANS:
        if seconds >= 2 * size:
            count = int(seconds // size)
            return f"{count} {name}s"
    return None


def range_hint(spec: FieldSpec) -> str:
    """The allowed range next to a number box: "1 – 600", "≥ 0", or in words when a limit is huge.

    A technical maximum such as jambonz's 2147483 s reads as "up to 24 days" rather than as digits.
    """
    low, high = spec.minimum, spec.maximum
    high_words = _span_text(high, spec.unit) if high is not None else None
    if high_words is not None:
        if low is not None and low > 0:
            return f"{_number_text(low)} {spec.unit} – {high_words}"
        return f"up to {high_words}"
    if low is not None and high is not None:
        return f"{_number_text(low)} – {_number_text(high)}"
    if low is not None:
        return f"≥ {_number_text(low)}"
    if high is not None:
        return f"≤ {_number_text(high)}"
    return ""


def range_words(spec: FieldSpec) -> str:
    """The range with its unit, for screen readers: "1 – 600 s", "1 s – 24 days"."""
    hint = range_hint(spec)
    if not hint or not spec.unit or hint.endswith(("days", "hours")):
        return hint
    return f"{hint} {spec.unit}"


class NumberEditor(FieldEditor):
    """Whole or decimal numbers in a line edit: empty means unset, which a spin box cannot show.

    The unit and the allowed range sit next to the box, the default is the placeholder, Up/Down
    step by one within the range (Page Up/Down by ten).  Out-of-range input is kept and reported by
    validation rather than silently clamped.
    """

    def __init__(self, spec: FieldSpec, context: EditorContext, path: str, parent: QWidget | None = None) -> None:
        super().__init__(spec, context, path, parent)
        self._whole = spec.kind is FieldKind.INT
        layout = self._row_layout()
        self._edit = LineEdit(self)
        sign = "[+-]?" if spec.minimum is None or spec.minimum < 0 else "[+]?"
        pattern = rf"\s*{sign}\d*\s*" if self._whole else rf"\s*{sign}\d*[.,]?\d*\s*"
        self._edit.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), self._edit))
        if spec.default is not None:
            self._edit.setPlaceholderText(messages.default_value(as_text(spec.default)))
        self._edit.setAccessibleName(spec.label)
        hint = range_hint(spec)
        self._edit.setAccessibleDescription(" ".join(p for p in (spec.help, f"Allowed: {range_words(spec)}.") if p))
        self._edit.setToolTip(spec.help)
        self._edit.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        self._edit.setMaximumWidth(em(self._edit, 9))
        self._edit.installEventFilter(self)
        layout.addWidget(self._edit)
        self._unit = QLabel(spec.unit, self)
        self._unit.setVisible(bool(spec.unit))
        layout.addWidget(self._unit)
        self._range = muted_label(f"({hint})" if hint else "", self)
        self._range.setVisible(bool(hint))
        layout.addWidget(self._range)
        layout.addStretch(1)
        self._edit.textChanged.connect(lambda _text: self.changed.emit())
        self._edit.returnPressed.connect(self.activated.emit)

    def framed_widget(self) -> QWidget:
        return self._edit

    def value(self) -> Any:
        text = self._edit.text().strip().replace(",", ".")
        if not text:
            return None
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
        if not self._whole and re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", text):
            return float(text)
        return text  # "-" or "." on their own: validation says what a number looks like

    def set_value(self, value: Any) -> None:
        self._edit.setText(as_text(value))

    def focus_target(self) -> QWidget:
        return self._edit

    def type_text(self, text: str) -> bool:
        _typing_point(self._edit)
        self._edit.insert(text)
        return True

    def backspace(self) -> bool:
        _typing_point(self._edit)
        self._edit.backspace()
        return True

    def step(self, steps: int) -> None:
        current = self.value()
        if not isinstance(current, (int, float)):
            start = self.spec.default if isinstance(self.spec.default, (int, float)) else self.spec.minimum
            current = start if start is not None else 0
            steps = 0 if start is not None else steps
        new = current + steps
        if self.spec.minimum is not None:
            new = max(new, self.spec.minimum)
        if self.spec.maximum is not None:
            new = min(new, self.spec.maximum)
        exact = self._whole or float(new).is_integer()
        self._edit.setText(_number_text(new) if exact else f"{new:.{self.spec.decimals}f}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            steps = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1, Qt.Key.Key_PageUp: 10, Qt.Key.Key_PageDown: -10}
            if event.key() in steps:
                self.step(steps[Qt.Key(event.key())])
                return True
        return super().eventFilter(watched, event)
