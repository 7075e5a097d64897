"""Editors for several values: a list with allowed choices, a free list, and a name/value table."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from launcher.core.schema import FieldSpec
from launcher.ui.form.base import FRAME_MARGIN, EditorContext, FieldEditor
from launcher.ui.form.scalar_editors import as_text
from launcher.ui.form.style import error_color, muted_label
from launcher.ui.line_edit import LineEdit
from launcher.view import messages

CHECKS_PER_ROW = 4


def _items(value: Any) -> list[str]:
    """List values from a list, or from text separated by commas or new lines."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [as_text(item) for item in value if not (isinstance(item, str) and not item.strip())]
    return [part.strip() for part in re.split(r"[,\n]", as_text(value)) if part.strip()]


class ChoiceListEditor(FieldEditor):
    """A list restricted to ``spec.choices``: one check box per choice, in the provider's order."""

    touch_on_change = True

    def __init__(self, spec: FieldSpec, context: EditorContext, path: str, parent: QWidget | None = None) -> None:
        super().__init__(spec, context, path, parent)
        self.tall = len(spec.choices) > CHECKS_PER_ROW
        grid = QGridLayout(self)
        grid.setContentsMargins(FRAME_MARGIN + 2, FRAME_MARGIN, FRAME_MARGIN, FRAME_MARGIN)
        self._boxes: dict[str, QCheckBox] = {}
        for choice in spec.choices:
            self._add_box(choice, grid)
        if spec.default:
            hint = muted_label(f"(default: {', '.join(_items(spec.default))})", self)
            grid.addWidget(hint, grid.rowCount() - 1, CHECKS_PER_ROW)
        grid.setColumnStretch(CHECKS_PER_ROW + 1, 1)

    def _add_box(self, choice: str, grid: QGridLayout | None = None) -> QCheckBox:
        layout = grid if grid is not None else self.layout()
        assert isinstance(layout, QGridLayout)
        index = len(self._boxes)
        box = QCheckBox(choice, self)
        box.setAccessibleName(f"{self.spec.label}: {choice}")
        box.setToolTip(self.spec.help)
        box.toggled.connect(lambda _on: self.changed.emit())
        layout.addWidget(box, index // CHECKS_PER_ROW, index % CHECKS_PER_ROW)
        self._boxes[choice] = box
        return box

    def check_box(self, choice: str) -> QCheckBox:
        return self._boxes[choice]

    def value(self) -> Any:
        return [choice for choice, box in self._boxes.items() if box.isChecked()] or None

    def set_value(self, value: Any) -> None:
        wanted = _items(value)
        canonical = []
        for item in wanted:
            match = next((c for c in self._boxes if c == item or c.lower() == item.lower()), None)
            canonical.append(match if match is not None else item)
        for item in canonical:
            if item not in self._boxes:  # an unknown item stays visible and is reported by validation
                self._add_box(item)
        for choice, box in self._boxes.items():
            box.setChecked(choice in canonical)

    def focus_target(self) -> QWidget:
        return next(iter(self._boxes.values()), self)


class FreeListEditor(FieldEditor):
    """Any number of text entries: a line per entry with a remove button, and an Add button.

    Enter in a filled entry opens a new one below it, so a list can be typed without the mouse.
    """

    tall = True

    def __init__(self, spec: FieldSpec, context: EditorContext, path: str, parent: QWidget | None = None) -> None:
        super().__init__(spec, context, path, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(FRAME_MARGIN, FRAME_MARGIN, FRAME_MARGIN, FRAME_MARGIN)
        layout.setSpacing(2)
        self._list = QVBoxLayout()
        self._list.setSpacing(2)
        layout.addLayout(self._list)
        self._entries: list[tuple[QWidget, QLineEdit]] = []
        buttons = QHBoxLayout()
        self._add = QPushButton(messages.ADD_ENTRY, self)
        self._add.setAccessibleName(f"Add {spec.label} entry")
        self._add.setToolTip(messages.add_entry_tip(spec.label))
        self._add.clicked.connect(lambda: self.add_entry(focus=True))
        buttons.addWidget(self._add)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.add_entry()

    def entries(self) -> list[QLineEdit]:
        return [edit for _row, edit in self._entries]

    def add_entry(self, text: str = "", focus: bool = False, at: int | None = None) -> QLineEdit:
        row = QWidget(self)
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        edit = LineEdit(text, row)
        edit.setPlaceholderText(self.spec.placeholder or messages.NEW_ENTRY)
        edit.setToolTip(self.spec.help)
        remove = QToolButton(row)
        remove.setText("✕")
        remove.setToolTip(messages.REMOVE_ENTRY_TIP)
        row_layout.addWidget(edit)
        row_layout.addWidget(remove)
        position = len(self._entries) if at is None else at
        self._entries.insert(position, (row, edit))
        self._list.insertWidget(position, row)
        edit.textChanged.connect(lambda _text: self.changed.emit())
        edit.returnPressed.connect(lambda: self._open_next(edit))
        remove.clicked.connect(lambda: self.remove_entry(edit))
        self._relabel()
        if focus:
            edit.setFocus(Qt.FocusReason.OtherFocusReason)
        return edit

    def remove_entry(self, edit: QLineEdit) -> None:
        index = next(i for i, (_row, e) in enumerate(self._entries) if e is edit)
        row, _ = self._entries.pop(index)
        had_text = bool(edit.text().strip())
        row.hide()
        row.deleteLater()
        if not self._entries:
            self.add_entry()
        self._entries[min(index, len(self._entries) - 1)][1].setFocus(Qt.FocusReason.OtherFocusReason)
        self._relabel()
        if had_text:
            self.changed.emit()

    def _open_next(self, edit: QLineEdit) -> None:
        if not edit.text().strip():
            return
        index = next(i for i, (_row, e) in enumerate(self._entries) if e is edit)
        following = self._entries[index + 1][1] if index + 1 < len(self._entries) else None
        if following is not None and not following.text().strip():
            following.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self._add.isEnabled():
            self.add_entry(focus=True, at=index + 1)

    def _relabel(self) -> None:
        for number, (row, edit) in enumerate(self._entries, start=1):
            edit.setAccessibleName(f"{self.spec.label} entry {number}")
            remove = row.findChild(QToolButton)
            if remove is not None:
                remove.setAccessibleName(f"Remove {self.spec.label} entry {number}")
        full = self.spec.max_items is not None and len(self._entries) >= self.spec.max_items
        self._add.setEnabled(not full)
        self._add.setToolTip(messages.at_most_entries(self.spec.max_items) if full
                             else messages.add_entry_tip(self.spec.label))

    def value(self) -> Any:
        return [edit.text().strip() for edit in self.entries() if edit.text().strip()] or None

    def set_value(self, value: Any) -> None:
        texts = _items(value) or [""]
        removed = False
        while len(self._entries) > len(texts):
            row, _edit = self._entries.pop()
            row.hide()
            row.deleteLater()
            removed = True
        for (_row, edit), text in zip(self._entries, texts, strict=False):  # re-use the entries there are
            if edit.text() != text:
                edit.blockSignals(True)  # one ``changed`` below, not one per entry
                edit.setText(text)
                edit.blockSignals(False)
        for text in texts[len(self._entries):]:
            self.add_entry(text)
        if removed:
            self._relabel()
        self.changed.emit()

    def focus_target(self) -> QWidget:
        return self._entries[0][1] if self._entries else self._add


class LiveDelegate(QStyledItemDelegate):
    """Commits a cell's text on every keystroke, so the form validates while the user types."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(lambda _text: self.commitData.emit(editor))
        return editor


class PairTable(QTableWidget):
    """Tab from the last cell (Shift+Tab from the first) leaves the table instead of wrapping around."""

    def moveCursor(self, cursorAction: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        row, column = self.currentRow(), self.currentColumn()
        last = (self.rowCount() - 1, self.columnCount() - 1)
        leaving_forward = cursorAction == QAbstractItemView.CursorAction.MoveNext and (row, column) == last
        leaving_back = cursorAction == QAbstractItemView.CursorAction.MovePrevious and (row, column) == (0, 0)
        if leaving_forward or leaving_back:
            QTimer.singleShot(0, self, lambda: self.focusNextPrevChild(leaving_forward))
            return QModelIndex()
        return super().moveCursor(cursorAction, modifiers)


class MapEditor(FieldEditor):
    """Name/value pairs in a two-column table; names are checked against the key pattern as you type."""

    tall = True

    def __init__(self, spec: FieldSpec, context: EditorContext, path: str, parent: QWidget | None = None) -> None:
        super().__init__(spec, context, path, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(FRAME_MARGIN, FRAME_MARGIN, FRAME_MARGIN, FRAME_MARGIN)
        layout.setSpacing(2)
        self._table = PairTable(0, 2, self)
        self._table.setHorizontalHeaderLabels(["Name", "Value"])
        self._table.verticalHeader().hide()
        self._table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self._table.setTabKeyNavigation(False)  # Tab inside a cell editor moves on; outside it leaves the table
        self._table.setItemDelegate(LiveDelegate(self._table))
        self._table.setAccessibleName(spec.label)
        self._table.setAccessibleDescription(spec.help)
        self._table.setToolTip(spec.help)
        layout.addWidget(self._table)
        buttons = QHBoxLayout()
        self._add = QPushButton(messages.ADD_ENTRY, self)
        self._add.setAccessibleName(f"Add {spec.label} entry")
        self._remove = QPushButton(messages.REMOVE, self)
        self._remove.setAccessibleName(f"Remove selected {spec.label} entry")
        self._remove.setToolTip(messages.REMOVE_SELECTED_TIP)
        buttons.addWidget(self._add)
        buttons.addWidget(self._remove)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._add.clicked.connect(lambda: self.add_row(edit=True))
        self._remove.clicked.connect(self.remove_current_row)
        self._table.itemChanged.connect(self._item_changed)
        self._table.currentCellChanged.connect(lambda *_args: self._update_buttons())
        self._key_problems: dict[int, str] = {}
        self._update_buttons()
        self._fit_height()

    def table(self) -> QTableWidget:
        return self._table

    def add_row(self, name: str = "", value: str = "", edit: bool = False) -> int:
        row = self._table.rowCount()
        self._table.insertRow(row)
        name_item = QTableWidgetItem(name)
        self._table.setItem(row, 0, name_item)
        self._table.setItem(row, 1, QTableWidgetItem(value))
        self._fit_height()
        self._update_buttons()
        if edit:
            self._table.setFocus(Qt.FocusReason.OtherFocusReason)
            self._table.setCurrentCell(row, 0)  # the CurrentChanged trigger opens the name cell for typing
        return row

    def remove_current_row(self) -> None:
        row = self._table.currentRow()
        if row < 0:
            return
        had_content = any(self._text(row, column) for column in (0, 1))
        self._table.removeRow(row)
        self._fit_height()
        self._check_keys()
        self._update_buttons()
        if had_content:
            self.changed.emit()

    def _text(self, row: int, column: int) -> str:
        item = self._table.item(row, column)
        return item.text().strip() if item is not None else ""

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == 0:
            self._check_keys()
        self.changed.emit()

    def _check_keys(self) -> None:
        """Mark names that break the key pattern or repeat another, with the reason as the cell tooltip."""
        seen: set[str] = set()
        self._key_problems = {}
        self._table.blockSignals(True)
        try:
            for row in range(self._table.rowCount()):
                item = self._table.item(row, 0)
                if item is None:
                    continue
                key = item.text().strip()
                problem = ""
                if key and self.spec.key_pattern and not re.fullmatch(self.spec.key_pattern, key):
                    problem = self.spec.key_message or f"'{key}' is not an allowed name."
                elif key and key in seen:
                    problem = f"'{key}' is already used above; each name may appear once."
                seen.add(key)
                if problem:
                    self._key_problems[row] = problem
                    item.setForeground(error_color(self))
                    item.setToolTip(problem)
                else:
                    item.setData(Qt.ItemDataRole.ForegroundRole, None)
                    item.setToolTip("")
        finally:
            self._table.blockSignals(False)

    def key_problems(self) -> dict[int, str]:
        return dict(self._key_problems)

    def _update_buttons(self) -> None:
        full = self.spec.max_items is not None and self._table.rowCount() >= self.spec.max_items
        self._add.setEnabled(not full)
        self._add.setToolTip(messages.at_most_entries(self.spec.max_items) if full
                             else messages.add_pair_tip(self.spec.label))
        self._remove.setEnabled(self._table.rowCount() > 0)

    def _fit_height(self) -> None:
        """Show every row: the table grows with its content instead of scrolling inside the form."""
        rows = max(self._table.rowCount(), 1)
        header = self._table.horizontalHeader().sizeHint().height()
        height = header + rows * self._table.verticalHeader().defaultSectionSize() + 2 * self._table.frameWidth()
        self._table.setFixedHeight(height)

    def value(self) -> Any:
        pairs: dict[str, Any] = {}
        for row in range(self._table.rowCount()):
            key, text = self._text(row, 0), self._text(row, 1)
            if key or text:
                pairs.setdefault(key, text)
        return pairs or None

    def set_value(self, value: Any) -> None:
        if isinstance(value, str) and value.strip().startswith("{"):
            try:
                value = json.loads(value)
            except ValueError:
                value = None
        pairs = value if isinstance(value, Mapping) else {}
        self._table.blockSignals(True)
        try:
            self._table.setRowCount(0)
            for key, item in pairs.items():
                self.add_row(str(key), as_text(item))
        finally:
            self._table.blockSignals(False)
        self._fit_height()
        self._check_keys()
        self._update_buttons()
        self.changed.emit()

    def focus_target(self) -> QWidget:
        return self._table
