"""A field row (label, editor, messages under it) and the grid that lays rows out."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from launcher.core.schema import FieldSpec
from launcher.ui.form.base import EditorContext, FieldEditor
from launcher.ui.form.style import error_color, set_text_color, warning_color


class MessageLabel(QLabel):
    """Messages under a field: hidden when there are none."""

    def __init__(self, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role  # "error" or "warning"
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName("Problem" if role == "error" else "Advice")
        self.hide()

    suppressed = False  # the row is hidden (compact layout): messages stay off screen
    reserved = False

    def reserve_line(self, reserve: bool = True) -> None:
        """Keep one line of space even when empty, so a message appearing does not push the fields
        below it down under the pointer. The messages then stay on that one line, elided; the full
        text is in the tooltip and the accessible description."""
        self.reserved = reserve
        self._retain(reserve)
        self.setWordWrap(not reserve)
        line = self.fontMetrics().height()
        self.setFixedHeight(line) if reserve else self.setMaximumHeight(16777215)
        if reserve:
            self.setMinimumHeight(line)
            self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            self._retain(True)

    def one_line(self) -> str:
        """The messages as drawn on a reserved line: joined, elided to the label's width."""
        joined = " · ".join(self.text().splitlines())
        return self.fontMetrics().elidedText(joined, Qt.TextElideMode.ElideRight, max(0, self.contentsRect().width()))

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.reserved:
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         self.one_line())

    def _retain(self, retain: bool) -> None:
        policy = self.sizePolicy()
        if policy.retainSizeWhenHidden() != retain:
            policy.setRetainSizeWhenHidden(retain)
            self.setSizePolicy(policy)

    def show_messages(self, messages: list[str]) -> None:
        text = "\n".join(messages)
        if text:
            color = error_color(self) if self.role == "error" else warning_color(self)
            set_text_color(self, color)
            prefix = "" if self.role == "error" else "⚠ "
            text = "\n".join(prefix + message for message in messages)
        if text != self.text():
            self.setText(text)
            if self.reserved:
                self.setToolTip(text)
                self.setAccessibleDescription(text)
        self.setVisible(bool(text) and not self.suppressed)


class FieldRow(QObject):
    """One field in the form: its editor, label and message labels, and whether it was touched.

    ``edited``: the user changed it; ``touched``: edited and then left, so its messages show.
    ``server_error``: a provider's complaint about this field, shown until the field is edited.
    """

    def __init__(
        self, path: str, spec: FieldSpec, editor: FieldEditor, label: QLabel | None,
        errors: MessageLabel, warnings: MessageLabel, parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = path
        self.spec = spec
        self.editor = editor
        self.label = label
        self.error_label = errors
        self.warning_label = warnings
        self.edited = False
        self.touched = False
        self.server_error: str | None = None

    def set_shown(self, shown: bool) -> None:
        """Show or hide the whole row (label, editor, messages), as the compact layout does."""
        for widget in (self.label, self.editor):
            if widget is not None:
                widget.setVisible(shown)
        for message in (self.error_label, self.warning_label):
            message.suppressed = not shown
            message._retain(shown and message.reserved)
            message.setVisible(shown and bool(message.text()))

    def contains(self, widget: QWidget | None) -> bool:
        return widget is not None and (widget is self.editor or self.editor.isAncestorOf(widget))

    def show_messages(self, errors: list[str], warnings: list[str]) -> None:
        shown = ([self.server_error] if self.server_error else []) + errors
        self.error_label.show_messages(shown)
        self.warning_label.show_messages(warnings if not shown else [m for m in warnings if m not in shown])
        self.editor.set_error(shown[0] if shown else None)


@runtime_checkable
class HoldsRows(Protocol):
    """An editor with nested fields (a group): its rows, at every depth, join the form's rows."""

    def child_rows(self) -> list[FieldRow]: ...


def label_text(spec: FieldSpec) -> str:
    """The label as shown: "&" kept literal (not a mnemonic), "*" after required fields."""
    text = spec.label.replace("&", "&&")
    return f"{text} *" if spec.required else text


class FieldGrid(QWidget):
    """Rows of editors: label | editor, messages under the editor; groups span both columns."""

    def __init__(
        self, specs: tuple[FieldSpec, ...], context: EditorContext, prefix: str = "",
        parent: QWidget | None = None, reserve_message_lines: bool = False,
    ) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(1, 1)
        self.rows: list[FieldRow] = []  # this grid's rows and every nested row, in form order
        self.editors: dict[str, FieldEditor] = {}  # direct children by wire name
        self.labels: list[QLabel] = []
        self.top_rows: list[FieldRow] = []  # this grid's own rows (not nested ones)
        self._reserve = reserve_message_lines
        for spec in specs:
            self._add(spec, context, prefix + spec.name)

    def _add(self, spec: FieldSpec, context: EditorContext, path: str) -> None:
        editor = context.registry.create(spec, context, path)
        editor.setParent(self)
        grid = self._grid
        top = grid.rowCount()
        errors, warnings = MessageLabel("error", self), MessageLabel("warning", self)
        label: QLabel | None = None
        if editor.spans_row:
            grid.addWidget(editor, top, 0, 1, 2)
            grid.addWidget(errors, top + 1, 0, 1, 2)
            grid.addWidget(warnings, top + 2, 0, 1, 2)
        else:
            label = QLabel(label_text(spec), self)
            label.setToolTip(spec.help)
            label.setWordWrap(True)
            label.setBuddy(editor.focus_target())
            label.setAccessibleName(f"{spec.label} (required)" if spec.required else spec.label)
            vertical = Qt.AlignmentFlag.AlignTop if editor.tall else Qt.AlignmentFlag.AlignVCenter
            if editor.tall:
                label.setContentsMargins(0, 6, 0, 0)
            grid.addWidget(label, top, 0, Qt.AlignmentFlag.AlignLeft | vertical)
            grid.addWidget(editor, top, 1)
            grid.addWidget(errors, top + 1, 1)
            grid.addWidget(warnings, top + 2, 1)
            self.labels.append(label)
        if spec.required:
            editor.focus_target().setAccessibleName(f"{spec.label} (required)")
        self.editors[spec.name] = editor
        if self._reserve and not editor.spans_row:
            errors.reserve_line()
        row = FieldRow(path, spec, editor, label, errors, warnings, self)
        self.top_rows.append(row)
        self.rows.append(row)
        if isinstance(editor, HoldsRows):
            self.rows.extend(editor.child_rows())

    def set_label_width(self, width: int) -> None:
        self._grid.setColumnMinimumWidth(0, width)
        for label in self.labels:
            label.setMaximumWidth(width)
