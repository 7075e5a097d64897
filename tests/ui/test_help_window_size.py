"""The shortcuts window opens tall enough for every row, within the screen."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from launcher.ui.help_windows import shortcuts_dialog


@pytest.mark.parametrize("row_count", [12, 20, 26])
def test_every_row_shows_without_scrolling_when_the_screen_has_room(qtbot: QtBot, row_count: int) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    actions = []
    for index in range(row_count):
        action = QAction(f"Action number {index}", host)
        action.setShortcut(f"Ctrl+Shift+{chr(ord('A') + index)}")
        actions.append(action)
    dialog = shortcuts_dialog(actions, host)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    assert table.rowCount() == row_count
    last_bottom = table.visualRect(table.model().index(row_count - 1, 0)).bottom()
    screen_height = dialog.screen().availableGeometry().height()
    assert dialog.height() <= screen_height
    if last_bottom + dialog.height() - table.viewport().height() <= screen_height * 0.9:
        assert last_bottom <= table.viewport().height() and not table.verticalScrollBar().isVisible()
    else:  # more rows than the screen holds: as tall as it can be, and the table scrolls
        assert table.verticalScrollBar().isVisible()
        assert dialog.height() >= screen_height * 0.75
