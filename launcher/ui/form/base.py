"""The contract every form editor keeps, and the ranked registry that picks one per field.

As in JSON Forms, each editor is registered with a *tester* that ranks how well it fits a field
spec; the highest rank wins and, on a tie, the later registration wins.  A provider that needs a
special editor registers a tester that ranks higher for its fields; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QWidget

from launcher.core.schema import FieldSpec
from launcher.ui.form.style import error_color
from launcher.view.editor_ranks import Tester

FRAME_MARGIN = 2  # room around an editor for its error outline, in device-independent pixels

"""Rank of an editor for a spec: 0 or less means "not for this field"."""


@dataclass
class EditorContext:
    """What editors need besides their spec; shared by every editor of one form."""

    registry: EditorRegistry
    region: str = "US"  # the profile's region, for phone number formatting while typing


EditorFactory = Callable[[FieldSpec, EditorContext, str], "FieldEditor"]
"""Builds an editor from (spec, context, path)."""


class FieldEditor(QWidget):
    """One field's editor.  Every kind has the same small interface.

    ``value()`` is None (or empty) when the field is unset, ``set_value`` accepts what ``value``
    returns (and the looser forms that JSON or older profiles hold), ``set_error`` only changes the
    visual state: the message itself is shown by the form under the field.
    """

    changed = Signal()
    activated = Signal()  # Enter pressed in a single-line editor
    spans_row = False  # True: the editor shows its own title and takes the label column too
    tall = False  # True: several lines high; its label aligns to the top
    touch_on_change = False  # True: a choice is complete when made (no "typing" in progress)

    def __init__(self, spec: FieldSpec, context: EditorContext, path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.context = context
        self.path = path
        self._error: str | None = None
        self.setToolTip(spec.help)
        self.setAccessibleName(spec.label)

    # -- the interface -----------------------------------------------------------------------------
    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def set_error(self, message: str | None) -> None:
        if message == self._error:
            return
        self._error = message
        target = self.focus_target()
        description = self.spec.help if message is None else f"{message} {self.spec.help}".strip()
        target.setAccessibleDescription(description)
        self.update()

    def error(self) -> str | None:
        return self._error

    def focus_editor(self) -> None:
        self.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    # -- optional abilities ------------------------------------------------------------------------
    def focus_target(self) -> QWidget:
        """The control that takes keyboard focus (a label's buddy)."""
        return self

    def type_text(self, text: str) -> bool:
        """Insert ``text`` at the cursor as if typed (dial pad); False when the editor has no cursor."""
        return False

    def backspace(self) -> bool:
        return False

    def reveal(self) -> None:
        """Make nested content visible (group editors expand)."""

    def set_problem_count(self, count: int) -> None:
        """How many visible problems the nested fields have (group editors show it in their title)."""

    # -- helpers for subclasses --------------------------------------------------------------------
    def _row_layout(self) -> QHBoxLayout:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(FRAME_MARGIN, FRAME_MARGIN, FRAME_MARGIN, FRAME_MARGIN)
        return layout

    def framed_widget(self) -> QWidget:
        """What the error outline goes around: the whole editor, or (for compact editors) its control."""
        return self

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._error is None:
            return
        inner = self.framed_widget()
        area = QRectF(self.rect()) if inner is self else QRectF(inner.geometry()).adjusted(
            -FRAME_MARGIN, -FRAME_MARGIN, FRAME_MARGIN, FRAME_MARGIN)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(error_color(self))
        pen.setWidthF(1.5)
        painter.setPen(pen)
        inset = FRAME_MARGIN / 2
        painter.drawRoundedRect(area.adjusted(inset, inset, -inset, -inset), 3, 3)


@dataclass
class EditorRegistry:
    """Ranked (tester, factory) pairs; ``create`` builds the best-ranked editor for a spec."""

    entries: list[tuple[Tester, EditorFactory]] = field(default_factory=list)

    def register(self, tester: Tester, factory: EditorFactory) -> None:
        self.entries.append((tester, factory))

    def copy(self) -> EditorRegistry:
        return EditorRegistry(list(self.entries))

    def factory_for(self, spec: FieldSpec) -> EditorFactory:
        best: tuple[int, EditorFactory] | None = None
        for tester, factory in self.entries:
            rank = tester(spec)
            if rank > 0 and (best is None or rank >= best[0]):
                best = (rank, factory)
        if best is None:
            raise LookupError(f"No editor is registered for field '{spec.name}' ({spec.kind}).")
        return best[1]

    def create(self, spec: FieldSpec, context: EditorContext, path: str) -> FieldEditor:
        return self.factory_for(spec)(spec, context, path)
