"""The call form: built from a provider's schema, validated as the user types, inside a scroll area.

Basic fields come first; every advanced group is a collapsed section whose header counts what is set
in it.  Validation runs in launcher.core (debounced); a field's messages appear under it once the
user has edited it and moved on, or after the first attempt to call (``mark_submitted``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from launcher.core.providers.base import ProviderAdapter
from launcher.core.schema import BASIC, FieldSpec, ProviderSchema, secret_paths
from launcher.core.validate import ValidationResult, is_empty, validate
from launcher.ui.form.base import EditorContext, EditorRegistry, FieldEditor
from launcher.ui.form.editors import REGISTRY
from launcher.ui.form.group_editor import count_set
from launcher.ui.form.rows import FieldGrid, FieldRow
from launcher.ui.form.section import Disclosure, status_text
from launcher.ui.form.style import em, muted_label
from launcher.view.carry_over import carry_by_meaning, with_values_at, without_paths

SUMMARY_LIMIT = 6
QWIDGETSIZE_MAX = (1 << 24) - 1
TO_SCALE = 1.3  # To is the largest field of every provider's form


def destination_first(schema: ProviderSchema, specs: tuple[FieldSpec, ...]) -> tuple[FieldSpec, ...]:
    """To first, From second, then the provider's own order: the same place for every provider."""
    heads = [(schema.by_meaning(meaning) or "").split(".")[0] for meaning in ("to", "from")]
    rank = {name: index for index, name in enumerate(heads) if name}
    return tuple(sorted(specs, key=lambda spec: rank.get(spec.name, len(rank))))


def emphasize_destination(schema: ProviderSchema, grid: FieldGrid) -> None:
    """A larger font for To's label and editor (for jambonz, the number inside the destination)."""
    path = schema.by_meaning("to") or ""
    row = next((row for row in grid.rows if row.path == path), None)
    if row is None:
        return
    for widget in (row.label, row.editor):
        if widget is not None:
            font = QFont(widget.font())
            font.setPointSizeF(font.pointSizeF() * TO_SCALE)
            widget.setFont(font)


@dataclass
class _BuiltForm:
    """One provider's form: its widgets and how to find them.  Kept while another provider's form is
    shown, so that switching back re-uses it instead of building it again (see ``set_provider``)."""

    schema: ProviderSchema
    content: QWidget
    scroll: QScrollArea  # the content's own scroll area: a page of the form's stack
    disclosures: list[Disclosure] = field(default_factory=list)  # sections and groups, at any depth
    rows: dict[str, FieldRow] = field(default_factory=dict)
    top: dict[str, FieldEditor] = field(default_factory=dict)
    group_of: dict[str, str] = field(default_factory=dict)  # top-level field name -> group
    sections: dict[str, Disclosure] = field(default_factory=dict)
    basic: FieldGrid | None = None
    label_width: int = 0

    def reset(self) -> None:
        """As freshly built: nothing edited, touched or refused, every section and group as it starts."""
        for row in self.rows.values():
            row.edited = row.touched = False
            row.server_error = None
        for disclosure in self.disclosures:
            disclosure.restore()
        self.scroll.verticalScrollBar().setValue(0)
        self.scroll.horizontalScrollBar().setValue(0)


class CallForm(QWidget):
    """The create-call form for one provider.  See the module docstring for the behaviour."""

    validity_changed = Signal(bool, str)  # (valid, what to fix: "" when valid)
    values_changed = Signal()  # any change of any field, typed or set
    submit_requested = Signal()  # Enter in a single-line field

    def __init__(self, parent: QWidget | None = None, *, registry: EditorRegistry | None = None,
                 debounce_ms: int = 200) -> None:
        super().__init__(parent)
        self._context = EditorContext(registry if registry is not None else REGISTRY)
        self._adapter: ProviderAdapter | None = None
        self._built: dict[str, _BuiltForm] = {}  # by provider id: forms built so far
        self._rows: dict[str, FieldRow] = {}
        self._top: dict[str, FieldEditor] = {}
        self._group_of: dict[str, str] = {}  # top-level field name -> group
        self._sections: dict[str, Disclosure] = {}
        self._result: ValidationResult | None = None
        self._stale = True
        self._submitted = False
        self._loading = False
        self._validity: tuple[bool, str] | None = None
        self._compact = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._validate_now)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._pages = QStackedWidget(self)  # one scroll area per provider's form; switching flips the page
        layout.addWidget(self._pages)
        self._scroll = self._page(muted_label("Choose a profile to fill in a call."))
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)

    # -- provider and values ----------------------------------------------------------------------------
    def set_provider(self, adapter: ProviderAdapter, region: str, values: dict[str, Any] | None = None,
                     carry_over: bool = True, validate: bool = True) -> None:
        """Show the form for ``adapter``; ``values`` fill it, then what carries over from the last form.
        With ``validate=False`` the check waits for the next ``validation_result()`` (the window's
        first form: it paints before the phone-number library is even loaded).

        Each provider's form is built once and re-used when the user switches back (reset to its
        fresh state): building jambonz's 150 editors takes ~10 times longer than the switch.
        """
        start = dict(values or {})
        if carry_over and self._adapter is not None:
            carried = carry_by_meaning(self._adapter.schema, self.values(), adapter.schema,
                                       same_provider=adapter.id == self._adapter.id, new_values=start)
            start = with_values_at(start, carried)
        self._adapter = adapter
        self._context.region = region
        self._submitted = False
        self._show_form(adapter)
        self._load(start)
        if validate:
            self._validate_now()
        else:
            self._stale = True

    def provider(self) -> ProviderAdapter | None:
        return self._adapter

    def values(self) -> dict[str, Any]:
        """What the user entered, nested by wire name; unset fields are left out (not normalized)."""
        found = {name: editor.value() for name, editor in self._top.items()}
        return {name: value for name, value in found.items() if not is_empty(value)}

    def set_values(self, values: dict[str, Any]) -> None:
        self._load(values)

    def remembered_values(self) -> dict[str, Any]:
        """``values()`` without secret fields at any depth: what may be saved with a profile or history."""
        if self._adapter is None:
            return {}
        return without_paths(self.values(), secret_paths(self._adapter.schema))

    def field_value(self, path_or_meaning: str) -> Any:
        path = self._resolve(path_or_meaning)
        return self._rows[path].editor.value() if path else None

    def set_field_value(self, path_or_meaning: str, value: Any) -> bool:
        """Set one field as the user would (dial pad, tel: links): clears a provider error on it."""
        path = self._resolve(path_or_meaning)
        if path is None:
            return False
        self._rows[path].editor.set_value(value)
        return True

    def insert_into_field(self, path_or_meaning: str, text: str) -> bool:
        """Insert ``text`` at the field's cursor, as typing would (the dial pad)."""
        path = self._resolve(path_or_meaning)
        return path is not None and self._rows[path].editor.type_text(text)

    def backspace_in_field(self, path_or_meaning: str) -> bool:
        path = self._resolve(path_or_meaning)
        return path is not None and self._rows[path].editor.backspace()

    # -- validation ---------------------------------------------------------------------------------------
    def validation_result(self) -> ValidationResult:
        """The latest result; validates now when an edit is still waiting for the debounce."""
        if self._adapter is None:
            return ValidationResult(errors={"": ["Choose a profile first."]})
        if self._stale or self._result is None:
            self._validate_now()
        assert self._result is not None
        return self._result

    def mark_submitted(self) -> None:
        """After the first Call press every message shows, and sections with problems open."""
        self._submitted = True
        self.validation_result()
        self._show_messages()
        for path, row in self._rows.items():
            if row.error_label.text():
                self._reveal(path)

    def show_provider_error(self, path: str, message: str) -> bool:
        """Show the provider's complaint under the field it names (or its nearest group) until it is edited."""
        target = self._resolve(path, nearest=True)
        if target is None or self._adapter is None:
            return False
        name = self._adapter.name
        self._rows[target].server_error = message if message.startswith(name) else f"{name}: {message}"
        self._reveal(target)
        self._show_messages()
        return True

    def clear_provider_errors(self) -> None:
        for row in self._rows.values():
            row.server_error = None
        self._show_messages()

    # -- navigation -----------------------------------------------------------------------------------------
    def focus_field(self, path_or_meaning: str) -> bool:
        path = self._resolve(path_or_meaning)
        if path is None:
            return False
        self._reveal(path)
        editor = self._rows[path].editor
        editor.focus_editor()
        QTimer.singleShot(0, self, partial(self._scroll_to, path, editor))
        return True

    def focus_first_error(self) -> bool:
        for path, row in self._rows.items():
            if row.error_label.text():
                return self.focus_field(path)
        return False

    def editor(self, path_or_meaning: str) -> FieldEditor | None:
        path = self._resolve(path_or_meaning)
        return self._rows[path].editor if path else None

    def row(self, path: str) -> FieldRow | None:
        return self._rows.get(path)

    def editor_paths(self) -> list[str]:
        return list(self._rows)

    def section(self, group: str) -> Disclosure | None:
        return self._sections.get(group)

    # -- compact layout -------------------------------------------------------------------------------------
    def set_compact(self, compact: bool) -> None:
        """Compact layout: only To is shown; every other field keeps its value and is used as before."""
        self._compact = compact
        self._apply_compact()

    def _apply_compact(self) -> None:
        built = next((b for b in self._built.values() if b.scroll is self._scroll), None)
        if built is None or built.basic is None:
            return
        head = (built.schema.by_meaning("to") or "").split(".")[0]
        for row in built.basic.top_rows:
            row.set_shown(not self._compact or row.spec.name == head)
            if row.spec.name == head and row.label is not None:  # no wide label column for one field
                built.basic.set_label_width(row.label.sizeHint().width() if self._compact else built.label_width)
        for section in built.sections.values():
            section.setVisible(not self._compact)
        if self._compact:
            margins = built.content.layout().contentsMargins()  # type: ignore[union-attr]
            built.basic.adjustSize()
            self.setMaximumHeight(built.basic.sizeHint().height() + margins.top() + margins.bottom() + 4)
        else:
            self.setMaximumHeight(QWIDGETSIZE_MAX)

    # -- building -------------------------------------------------------------------------------------------
    def _show_form(self, adapter: ProviderAdapter) -> None:
        self._timer.stop()
        self._result, self._validity = None, None
        built = self._built.get(adapter.id)
        if built is not None and built.schema is adapter.schema:
            built.reset()
        else:
            if built is not None:  # a form for an older schema of this provider
                self._pages.removeWidget(built.scroll)
                built.scroll.deleteLater()
            built = self._built[adapter.id] = self._build(adapter.schema)
        self._pages.setCurrentWidget(built.scroll)
        self._scroll = built.scroll
        self._apply_compact()
        self._rows, self._top, self._group_of, self._sections = built.rows, built.top, built.group_of, built.sections

    def _page(self, content: QWidget) -> QScrollArea:
        scroll = QScrollArea(self._pages)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setAccessibleName("Call details")
        scroll.setWidget(content)
        self._pages.addWidget(scroll)
        return scroll

    def _build(self, schema: ProviderSchema) -> _BuiltForm:
        content = QWidget()
        built = _BuiltForm(schema, content, self._page(content))
        layout = QVBoxLayout(content)
        layout.setSpacing(6)
        grids: list[FieldGrid] = []
        for group in schema.group_order():
            specs = tuple(spec for spec in schema.fields if spec.group == group)
            if not specs:
                continue
            if group == BASIC:
                specs = destination_first(schema, specs)
            grid = FieldGrid(specs, self._context, reserve_message_lines=group == BASIC)
            grids.append(grid)
            if group == BASIC:
                built.basic = grid
                emphasize_destination(schema, grid)
                layout.addWidget(grid)
            else:
                section = Disclosure(group, grid, expanded=False, parent=content)
                section.set_help(f"{group}: optional settings. Click to show or hide.")
                built.sections[group] = section
                layout.addWidget(section)
            self._register(built, grid, group)
        layout.addStretch(1)
        labels = [label for grid in grids for label in grid.labels]
        width = min(max((label.sizeHint().width() for label in labels), default=0), em(content, 13))
        for grid in grids:
            grid.set_label_width(width)
        built.label_width = width
        built.disclosures = content.findChildren(Disclosure)
        return built

    def _register(self, built: _BuiltForm, grid: FieldGrid, group: str) -> None:
        for row in grid.rows:
            built.rows[row.path] = row
            row.editor.changed.connect(partial(self._row_changed, row))
        for name, editor in grid.editors.items():
            built.top[name] = editor
            built.group_of[name] = group
            editor.changed.connect(self._schedule)
            editor.activated.connect(self.submit_requested.emit)

    def _load(self, values: dict[str, Any]) -> None:
        self._loading = True
        try:
            for name, editor in self._top.items():
                editor.set_value(values.get(name))
        finally:
            self._loading = False
        self._schedule()

    # -- reacting -----------------------------------------------------------------------------------------------
    def _row_changed(self, row: FieldRow) -> None:
        if self._loading:
            return
        row.edited = True
        row.server_error = None
        if row.editor.touch_on_change:
            row.touched = True

    def _schedule(self) -> None:
        self._stale = True
        self._timer.start()
        if not self._loading:
            self.values_changed.emit()

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        left = [row for row in self._rows.values()
                if row.edited and not row.touched and row.contains(old) and not row.contains(new)]
        for row in left:
            row.touched = True
        if left:
            self.validation_result()
            self._show_messages()

    def _validate_now(self) -> None:
        self._timer.stop()
        if self._adapter is None:
            return
        result = validate(self._adapter.schema, self.values(), self._context.region)
        self._result, self._stale = result, False
        self._show_messages()
        state = (result.ok, self._summary(result))
        if state != self._validity:
            self._validity = state
            self.validity_changed.emit(*state)

    def _attach(self, messages: dict[str, list[str]]) -> dict[str, list[str]]:
        """Messages keyed by the nearest path that has a row (a map entry's message goes to the map)."""
        attached: dict[str, list[str]] = {}
        for path, items in messages.items():
            target = path
            while target and target not in self._rows:
                target = target.rpartition(".")[0]
            if target:
                bucket = attached.setdefault(target, [])
                bucket.extend(item for item in items if item not in bucket)
        return attached

    def _show_messages(self) -> None:
        if self._result is None:
            return
        errors, warnings = self._attach(self._result.errors), self._attach(self._result.warnings)
        in_group: dict[str, int] = {}  # problems shown inside each nested group, by its path
        in_section: dict[str, int] = {}
        for path, row in self._rows.items():
            visible = self._submitted or row.touched
            row.show_messages(errors.get(path, []) if visible else [], warnings.get(path, []) if visible else [])
            if row.error_label.text():
                parts = path.split(".")
                for depth in range(1, len(parts)):
                    ancestor = ".".join(parts[:depth])
                    in_group[ancestor] = in_group.get(ancestor, 0) + 1
                group = self._group_of.get(parts[0], BASIC)
                in_section[group] = in_section.get(group, 0) + 1
        for path, row in self._rows.items():
            row.editor.set_problem_count(in_group.get(path, 0))
        for group, section in self._sections.items():
            set_count = sum(count_set(editor.value()) for name, editor in self._top.items()
                            if self._group_of[name] == group)
            section.set_status(status_text(set_count, in_section.get(group, 0)))

    def _summary(self, result: ValidationResult) -> str:
        """ "Fix: To — Use E.164…; From is required": in form order, one entry for a message shared by fields."""
        if result.ok:
            return ""
        order = {path: index for index, path in enumerate(self._rows)}
        by_message: dict[str, list[str]] = {}
        for path in sorted(result.errors, key=lambda p: (order.get(p, len(order)), p)):
            for message in result.errors[path]:
                by_message.setdefault(message.rstrip("."), []).append(path)
        parts = [self._describe(paths, message) for message, paths in by_message.items()]
        more = len(parts) - SUMMARY_LIMIT
        text = "Fix: " + "; ".join(parts[:SUMMARY_LIMIT])
        return text + (f"; and {more} more" if more > 0 else "")

    def _describe(self, paths: list[str], message: str) -> str:
        chains = [self._label_chain(path) for path in paths]
        if len(chains) == 1 and chains[0] and message.startswith(chains[0][-1] + " "):
            return " › ".join([*chains[0][:-1], message])  # "From is required" names its field already
        names = ", ".join(" › ".join(chain) for chain in chains if chain)
        return f"{names} — {message}" if names else message

    def _label_chain(self, path: str) -> list[str]:
        if self._adapter is None or not path:
            return []
        labels: list[str] = []
        parts = path.split(".")
        for depth in range(1, len(parts) + 1):
            spec: FieldSpec | None = self._adapter.schema.field(".".join(parts[:depth]))
            labels.append(spec.label if spec is not None else parts[depth - 1])
        return labels

    def _resolve(self, key: str, nearest: bool = False) -> str | None:
        """A row path from a path, a meaning ("to"), a differently cased wire name, or a provider's parameter name.

        A meaning wins over a group of the same name: jambonz's "to" is a group, the number is what "to" means.
        """
        if key in self._rows and not self._rows[key].spec.children:
            return key
        if self._adapter is not None:
            meant = self._adapter.schema.by_meaning(key)
            if meant in self._rows:
                return meant
        if key in self._rows:
            return key
        if self._adapter is not None:
            named = self._adapter.field_for_param(key)
            if named in self._rows:
                return named
        lowered = {path.lower(): path for path in self._rows}
        if key.lower() in lowered:
            return lowered[key.lower()]
        if nearest and "." in key:
            return self._resolve(key.rpartition(".")[0], nearest=True)
        return None

    def _reveal(self, path: str) -> None:
        """Open the section and the groups that contain ``path``."""
        parts = path.split(".")
        section = self._sections.get(self._group_of.get(parts[0], BASIC))
        if section is not None:
            section.set_expanded(True)
        for depth in range(1, len(parts)):
            ancestor = self._rows.get(".".join(parts[:depth]))
            if ancestor is not None:
                ancestor.editor.reveal()

    def _scroll_to(self, path: str, editor: FieldEditor) -> None:
        row = self._rows.get(path)
        if row is not None and row.editor is editor:
            self._scroll.ensureWidgetVisible(editor, 8, 24)

