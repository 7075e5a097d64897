"""A nested object: a framed, collapsible sub-form of child editors, built recursively."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from launcher.core.schema import FieldSpec
from launcher.core.validate import is_empty
from launcher.ui.form.base import FRAME_MARGIN, EditorContext, FieldEditor
from launcher.ui.form.rows import FieldGrid, FieldRow
from launcher.ui.form.section import Disclosure, status_text


def count_set(value: Any) -> int:
    """Leaf values that are set in a nested value."""
    if isinstance(value, Mapping):
        return sum(count_set(item) for item in value.values())
    return 0 if is_empty(value) else 1


class ObjectEditor(FieldEditor):
    """Required groups start expanded; optional ones collapsed, with "N set" in their title."""

    spans_row = True

    def __init__(self, spec: FieldSpec, context: EditorContext, path: str, parent: QWidget | None = None) -> None:
        super().__init__(spec, context, path, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(FRAME_MARGIN, FRAME_MARGIN, FRAME_MARGIN, FRAME_MARGIN)
        self.grid = FieldGrid(spec.children, context, prefix=path + ".")
        title = f"{spec.label} *" if spec.required else spec.label
        self.disclosure = Disclosure(title, self.grid, expanded=spec.required, framed=True,
                                     bold=False, parent=self)
        self.disclosure.set_help(spec.help)
        layout.addWidget(self.disclosure)
        self._problems = 0
        self._loading = False
        self._variants = dict(spec.variants)
        for editor in self.grid.editors.values():
            editor.changed.connect(self._child_changed)
            editor.activated.connect(self.activated.emit)
        self._update_status()
        self._show_variant()

    def _show_variant(self) -> None:
        """Only the members the chosen type uses (jambonz's destination), plus any member that holds a
        value — nothing that would be sent is ever hidden."""
        if not self._variants or "type" not in self.grid.editors:
            return
        kind = self.grid.editors["type"].value()
        wanted = set(self._variants.get(kind, ())) if isinstance(kind, str) else set()
        for row in self.grid.top_rows:
            name = row.spec.name
            shown = name == "type" or not wanted or name in wanted or not is_empty(row.editor.value())
            row.set_shown(shown)

    def _child_changed(self) -> None:
        if self._loading:  # set_value reports once, at the end
            return
        self._update_status()
        self._show_variant()
        self.changed.emit()

    def _update_status(self) -> None:
        self.disclosure.set_status(status_text(count_set(self.value()), self._problems))

    def set_problem_count(self, count: int) -> None:
        if count != self._problems:
            self._problems = count
            self._update_status()

    def value(self) -> Any:
        members = {name: editor.value() for name, editor in self.grid.editors.items()}
        return {name: value for name, value in members.items() if not is_empty(value)} or None

    def set_value(self, value: Any) -> None:
        if isinstance(value, str) and value.strip().startswith("{"):
            try:
                value = json.loads(value)
            except ValueError:
                value = None
        members = value if isinstance(value, Mapping) else {}
        self._loading = True  # not one status update (a walk over every member) per member set
        try:
            for name, editor in self.grid.editors.items():
                editor.set_value(members.get(name))
        finally:
            self._loading = False
        self._update_status()
        self._show_variant()
        self.changed.emit()

    def focus_target(self) -> QWidget:
        return self.disclosure.header

    def focus_editor(self) -> None:
        self.reveal()
        first = next(iter(self.grid.editors.values()), None)
        if first is not None:
            first.focus_editor()

    def child_rows(self) -> list[FieldRow]:
        return self.grid.rows

    def reveal(self) -> None:
        self.disclosure.set_expanded(True)
