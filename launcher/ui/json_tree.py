"""A read-only tree of a JSON document (a call resource's raw answer) that survives refreshes.

The tree is rebuilt on every refresh, so expansion, the current item and the scroll position are
remembered per document identity (the call's key) and restored after the rebuild: a person who
collapsed a branch while the call was ringing still finds it collapsed when the call is answered.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHeaderView, QMenu, QTreeWidget, QTreeWidgetItem, QWidget

from launcher.view import messages

ELIDE_AT = 80  # characters of a string value shown in the tree; the tooltip has all of it

KEY_COLUMN, VALUE_COLUMN, TYPE_COLUMN = 0, 1, 2
FULL_VALUE_ROLE = Qt.ItemDataRole.UserRole
PATH_ROLE = Qt.ItemDataRole.UserRole + 1

Path = tuple[str, ...]


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return f"object ({len(value)})"
    if isinstance(value, (list, tuple)):
        return f"array ({len(value)})"
    return type(value).__name__


def display_value(value: Any) -> str:
    """The full text of a value: strings as they are, everything else as compact JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
    return json.dumps(value, default=str)


def elide(text: str, limit: int = ELIDE_AT) -> str:
    single_line = " ".join(text.split()) if "\n" in text else text
    return single_line if len(single_line) <= limit else single_line[: limit - 1] + "…"


class JsonTree(QTreeWidget):
    """Key / value / type rows for a JSON value; right-click copies a value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(3)
        self.setHeaderLabels([messages.JSON_KEY, messages.JSON_VALUE, messages.JSON_TYPE])
        self.setAccessibleName("Raw provider answer")
        self.setToolTip(messages.JSON_TREE_TIP)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QTreeWidget.SelectionMode.SingleSelection)
        header = self.header()
        header.setSectionResizeMode(KEY_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(VALUE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TYPE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._open_context_menu)
        self.context_menu: QMenu | None = None
        self._identity: Hashable | None = None
        self._data: Any = None
        self._memory: dict[Hashable, tuple[set[Path], Path | None, int]] = {}

    # -- content ----------------------------------------------------------------------------------
    def set_json(self, data: Any, identity: Hashable | None = None) -> None:
        """Show ``data``; with the same ``identity`` as before, keep what was collapsed and selected."""
        if self._identity is not None and self.topLevelItemCount():
            self._memory[self._identity] = self._view_state()
        if identity == self._identity and data == self._data and self.topLevelItemCount():
            return  # unchanged: leave the view exactly as the person left it
        self._identity, self._data = identity, data
        self.setUpdatesEnabled(False)
        try:
            self.clear()
            if isinstance(data, dict):
                for key, value in data.items():
                    self._add(self.invisibleRootItem(), str(key), value, (str(key),))
            elif isinstance(data, (list, tuple)):
                for index, value in enumerate(data):
                    self._add(self.invisibleRootItem(), f"[{index}]", value, (str(index),))
            elif data is not None:
                self._add(self.invisibleRootItem(), "(value)", data, ("",))
            collapsed, current, scroll = self._memory.get(identity, (set(), None, 0)) if identity is not None \
                else (set(), None, 0)
            self._restore_view(collapsed, current, scroll)
        finally:
            self.setUpdatesEnabled(True)

    def forget(self, identity: Hashable) -> None:
        """Drop the remembered view state of a document that is gone (a cleared call)."""
        self._memory.pop(identity, None)

    def _add(self, parent: QTreeWidgetItem, key: str, value: Any, path: Path) -> None:
        item = QTreeWidgetItem(parent)
        full = display_value(value)
        item.setText(KEY_COLUMN, key)
        item.setText(TYPE_COLUMN, json_type(value))
        item.setData(KEY_COLUMN, PATH_ROLE, path)
        item.setData(VALUE_COLUMN, FULL_VALUE_ROLE, full)
        if isinstance(value, dict):
            for child_key, child in value.items():
                self._add(item, str(child_key), child, (*path, str(child_key)))
        elif isinstance(value, (list, tuple)):
            for index, child in enumerate(value):
                self._add(item, f"[{index}]", child, (*path, str(index)))
        else:
            shown = elide(full)
            item.setText(VALUE_COLUMN, shown)
            if shown != full:
                item.setToolTip(VALUE_COLUMN, full)

    # -- view state -------------------------------------------------------------------------------
    def _items(self) -> list[QTreeWidgetItem]:
        """Every item, depth first."""
        found: list[QTreeWidgetItem] = []
        pending = [self.invisibleRootItem()]
        while pending:
            parent = pending.pop()
            children = [child for i in range(parent.childCount()) if (child := parent.child(i)) is not None]
            found += children
            pending += children
        return found

    def _view_state(self) -> tuple[set[Path], Path | None, int]:
        collapsed = {tuple(item.data(KEY_COLUMN, PATH_ROLE)) for item in self._items()
                     if item.childCount() and not item.isExpanded()}
        current = self.currentItem()
        current_path = tuple(current.data(KEY_COLUMN, PATH_ROLE)) if current is not None else None
        return collapsed, current_path, self.verticalScrollBar().value()

    def _restore_view(self, collapsed: set[Path], current: Path | None, scroll: int) -> None:
        for item in self._items():
            path = tuple(item.data(KEY_COLUMN, PATH_ROLE))
            if item.childCount():
                item.setExpanded(path not in collapsed)
            if current is not None and path == current:
                self.setCurrentItem(item)
        self.verticalScrollBar().setValue(scroll)

    def item_at_path(self, *path: str) -> QTreeWidgetItem | None:
        for item in self._items():
            if tuple(item.data(KEY_COLUMN, PATH_ROLE)) == path:
                return item
        return None

    # -- copying ----------------------------------------------------------------------------------
    def _open_context_menu(self, position: QPoint) -> None:
        item = self.itemAt(position)
        if item is None:
            return
        self.setCurrentItem(item)
        # Capture text, not the item: a refresh may rebuild the tree while the menu is open.
        value = str(item.data(VALUE_COLUMN, FULL_VALUE_ROLE))
        path = ".".join(item.data(KEY_COLUMN, PATH_ROLE))
        if self.context_menu is not None:
            self.context_menu.deleteLater()
        menu = QMenu(self)
        menu.setAccessibleName("Raw answer actions")
        menu.addAction(messages.COPY_VALUE).triggered.connect(lambda: QGuiApplication.clipboard().setText(value))
        menu.addAction(messages.COPY_KEY_PATH).triggered.connect(lambda: QGuiApplication.clipboard().setText(path))
        self.context_menu = menu
        menu.popup(self.viewport().mapToGlobal(position))
