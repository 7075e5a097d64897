"""Help › Keyboard shortcuts, Sandbox numbers and User guide, and the quick profile switcher (Ctrl+K).

The shortcuts window lists the window's own actions, so it can never disagree with them; the
sandbox table comes from the sandbox's scenarios; the user guide is the README shipped beside the app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from launcher.core.profiles import Profile
from launcher.view import messages


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(what it does, keys) for every action with a shortcut, in menu order."""
    rows = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
        if keys:
            rows.append((action.text().replace("&", "").rstrip("…").rstrip("."), " or ".join(keys)))
    return rows


def sandbox_rows() -> list[tuple[str, str, str]]:
    """(number ends in, SIP user contains, what happens) for every sandbox scenario."""
    from launcher.sandbox.scenarios import SCENARIOS

    return [(f"…{s.suffix}" if s.suffix else "any other number", s.sip_word or "—", s.summary) for s in SCENARIOS]


def user_guide_path() -> Path | None:
    """The README beside the app (a checkout, or a bundle that ships it)."""
    from launcher.ui.resources import resources_dir

    for folder in (resources_dir(), resources_dir().parent):
        if (folder / "README.md").is_file():
            return folder / "README.md"
    return None


class _TableDialog(QDialog):
    def __init__(self, title: str, intro: str, headers: list[str], rows: list[tuple[str, ...]],
                 parent: QWidget | None, object_name: str, width_em: int) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName(object_name)
        self.table = QTableWidget(len(rows), len(headers), self)
        self.table.setAccessibleName(title)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a reference to read: no cell to land on
        self.table.setWordWrap(False)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() * 8 // 5)
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = self._layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro, self)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        em = self.fontMetrics().horizontalAdvance("M")
        frame = self.table.frameWidth() * 2 + 2
        width = self.table.horizontalHeader().length() + frame
        height = self.table.verticalHeader().length() + self.table.horizontalHeader().sizeHint().height() + frame
        if intro:
            label.setMaximumWidth(max(width, em * width_em))
        self._fit_to_content(max(width, em * width_em), height)
        self.table.horizontalHeader().setStretchLastSection(True)

    def _fit_to_content(self, width: int, height: int) -> None:
        """Open tall enough for every row, as far as the screen allows; only then does the table scroll."""
        parent = self.parentWidget()
        screen = (parent.screen() if parent is not None else None) or QApplication.primaryScreen()
        available = screen.availableGeometry()
        title_bar = self.style().pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight) + 2 * self.fontMetrics().height()
        layout = self._layout
        self.table.setMinimumSize(min(width, available.width() * 9 // 10), height)
        layout.activate()
        excess = self.minimumSizeHint().height() + title_bar - available.height()
        if excess > 0:  # taller than the screen: the table scrolls, and its scroll bar takes a share of the width
            width += self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
            self.table.setMinimumSize(min(width, available.width() * 9 // 10), height - excess)
            layout.activate()
        size = self.minimumSizeHint()
        em = self.fontMetrics().horizontalAdvance("M")
        self.table.setMinimumSize(min(width, em * 20), min(height, em * 10))  # the user may still shrink it
        self.resize(size)

    def rows(self) -> list[list[str]]:
        return [[(item.text() if (item := self.table.item(r, c)) else "") for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]


def shortcuts_dialog(actions: Iterable[QAction], parent: QWidget | None) -> _TableDialog:
    return _TableDialog(messages.SHORTCUTS_TITLE, "", ["Action", "Keys"], list(shortcut_rows(actions)), parent,
                        "shortcutsWindow", 30)


def sandbox_dialog(parent: QWidget | None) -> _TableDialog:
    intro = ("Sandbox profiles simulate every provider: nothing is dialled and no account is needed. "
             "The end of the number you call decides what happens.")
    return _TableDialog(messages.SANDBOX_TITLE, intro, ["Number ends in", "SIP user contains", "What happens"],
                        list(sandbox_rows()), parent, "sandboxNumbersWindow", 60)


def user_guide_dialog(parent: QWidget | None) -> QDialog:
    dialog = QDialog(parent)
    dialog.setObjectName("userGuideWindow")
    dialog.setWindowTitle(messages.USER_GUIDE_TITLE)
    browser = QTextBrowser(dialog)
    browser.setAccessibleName("User guide")
    browser.setOpenExternalLinks(True)
    path = user_guide_path()
    if path is not None:
        browser.setSearchPaths([str(path.parent)])
        browser.setMarkdown(path.read_text(encoding="utf-8"))
    else:
        browser.setPlainText("The user guide is not installed with this copy. Help › Keyboard shortcuts and "
                             "Help › Sandbox numbers work without it.")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser, 1)
    layout.addWidget(buttons)
    em = dialog.fontMetrics().horizontalAdvance("M")
    dialog.resize(em * 52, em * 40)
    return dialog


class QuickSwitcher(QDialog):
    """Type a few letters of a profile, Enter: that profile is active.  Opened with Ctrl+K."""

    def __init__(self, profiles: list[Profile], title: Callable[[Profile], str], current_id: str | None,
                 choose: Callable[[str], object], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("quickSwitcher")
        self.setAccessibleName("Switch profile")
        self._choose = choose
        self.search = QLineEdit(self)
        self.search.setObjectName("quickSwitcherSearch")
        self.search.setAccessibleName("Find a profile")
        self.search.setPlaceholderText(messages.QUICK_SWITCH_HINT)
        self.list = QListWidget(self)
        self.list.setObjectName("quickSwitcherList")
        self.list.setAccessibleName("Profiles")
        for profile in profiles:
            item = QListWidgetItem(title(profile), self.list)
            item.setData(Qt.ItemDataRole.UserRole, profile.id)
            if profile.color:
                from launcher.ui.history_model import chip_icon

                item.setIcon(chip_icon(profile.color))
            if profile.id == current_id:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._accept_current)
        self.list.itemActivated.connect(lambda item: self._accept(item))
        self.search.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(em * 30, em * 18)

    def eventFilter(self, watched: object, event: object) -> bool:
        from PySide6.QtCore import QEvent
        from PySide6.QtGui import QKeyEvent

        if watched is self.search and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            rows = [r for r in range(self.list.count()) if not self.list.item(r).isHidden()]
            if rows:
                now = self.list.currentRow()
                at = rows.index(now) if now in rows else -1
                self.list.setCurrentRow(rows[max(0, min(len(rows) - 1, at + step))])
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def visible_titles(self) -> list[str]:
        return [self.list.item(r).text() for r in range(self.list.count()) if not self.list.item(r).isHidden()]

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        first = None
        for r in range(self.list.count()):
            item = self.list.item(r)
            hidden = not all(word in item.text().casefold() for word in words)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = r
        current = self.list.currentItem()
        if first is not None and (current is None or current.isHidden()):
            self.list.setCurrentRow(first)

    def _accept_current(self) -> None:
        item = self.list.currentItem()
        if item is not None and not item.isHidden():
            self._accept(item)

    def _accept(self, item: QListWidgetItem) -> None:
        self._choose(str(item.data(Qt.ItemDataRole.UserRole)))
        self.accept()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.search.setFocus(Qt.FocusReason.PopupFocusReason)
