"""The Tests tab: open a call-test suite, run all / one / the failed ones again, see each result.

The widget only displays and forwards: suites are read by ``launcher.core.suites.parse`` and run by
:class:`~launcher.core.suites.runner.SuiteRunner` on the window's own HTTP client and history, so a
test's call shows up in the history (tagged with the suite and test) like any other.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from launcher.core.errors import LauncherError
from launcher.core.history import Attempt
from launcher.core.suites.model import InvalidSuiteError, Suite, is_production
from launcher.core.suites.parse import load_suite
from launcher.core.suites.runner import CaseResult, CaseState, RunEnvironment, SuiteRunner
from launcher.core.suites.writer import append_test, default_name, table_for_attempt, unique_name
from launcher.ui.profile_bar import status_color, swatch_icon
from launcher.view import messages
from launcher.view.context import AppContext

log = logging.getLogger(__name__)
COLUMNS = messages.SUITE_COLUMNS
STATE_TEXT = {state: messages.TEST_STATES[state.value] for state in CaseState}
STATE_KIND = {CaseState.PASSED: "ok", CaseState.FAILED: "error", CaseState.RUNNING: "warn"}


class CallTestsView(QWidget):
    show_call_requested = Signal(str)  # a call id: show that call in the history

    def __init__(self, context: AppContext, time_scale: Callable[[Any], float] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.time_scale = time_scale or (lambda profile: 1.0)
        self.suite: Suite | None = None
        self.results: dict[str, CaseResult] = {}
        self._task: asyncio.Task[Any] | None = None
        self._file_dialog: QFileDialog | None = None
        self.save_button: QPushButton | None = None  # "Add last call" from the form (see install_tests_tab)
        self.save_menu_action: QAction | None = None  # the same in the Call menu
        self.history_action: QAction | None = None  # "Save as test…" in the history row menu
        self.confirm_box: QMessageBox | None = None  # "Place real calls?" before a production run
        self._build()
        self._update_buttons()

    def _build(self) -> None:
        self.open_button = self._button(messages.OPEN_SUITE, messages.OPEN_SUITE_TIP, self.choose_suite)
        self.run_all_button = self._button(messages.RUN_ALL, messages.RUN_ALL_TIP, self.run_all)
        self.run_one_button = self._button(messages.RUN_SELECTED, messages.RUN_SELECTED_TIP, self.run_selected)
        self.run_failed_button = self._button(messages.RUN_FAILED, messages.RUN_FAILED_TIP, self.run_failed)
        self.stop_button = self._button(messages.STOP_RUN, messages.STOP_RUN_TIP, self.stop)
        self.title = QLabel(messages.NO_SUITE)
        self.title.setWordWrap(True)
        self.title.setAccessibleName("Suite")
        self.summary = QLabel()
        self.summary.setAccessibleName("Test summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Tests")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemActivated.connect(self._item_activated)
        self.toolbar = QHBoxLayout()  # the suite's buttons; "Add last call" joins them (install_tests_tab)
        self.toolbar.addWidget(self.open_button)
        self.toolbar.addStretch(1)
        runs = QHBoxLayout()
        for button in (self.run_all_button, self.run_one_button, self.run_failed_button):
            runs.addWidget(button)
        runs.addStretch(1)
        runs.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.toolbar)
        layout.addWidget(self.title)
        layout.addLayout(runs)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)

    def _button(self, text: str, tip: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.rstrip("…"))
        button.setToolTip(tip)
        button.clicked.connect(lambda: slot())
        return button

    # -- opening --------------------------------------------------------------------------------------
    def choose_suite(self) -> None:
        dialog = QFileDialog(self, "Open a call-test suite", "", "Call-test suites (*.toml);;All files (*)")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self.open_suite(Path(path)))
        self._file_dialog = dialog
        dialog.open()

    def open_suite(self, path: Path) -> bool:
        """Read ``path`` and list its tests; an invalid suite lists its problems, each with its line."""
        if self.running:
            return False
        try:
            suite = load_suite(path, {p.name: p for p in self.context.manager.all()}, allow_prod=True)
        except InvalidSuiteError as exc:
            self.suite = None
            self.results = {}
            self.tree.clear()
            self.title.setText(messages.suite_cannot_run(path.name))
            self._say("\n".join(exc.describe()), "error")
            self._update_buttons()
            return False
        self.suite = suite
        self.results = {test.name: CaseResult(test) for test in suite.tests}
        self.title.setText(messages.suite_title(suite.name, len(suite.tests), str(path)))
        self.tree.clear()
        for result in self.results.values():
            item = QTreeWidgetItem()
            item.setData(0, Qt.ItemDataRole.UserRole, result.test.name)
            self.tree.addTopLevelItem(item)
            self._show(result)
        for column in (0, 1, 2, 4):
            self.tree.resizeColumnToContents(column)
        self._say(messages.SUITE_PENDING, "")
        self._update_buttons()
        return True

    # -- running --------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def run_all(self) -> None:
        if self.suite is not None:
            self.run(list(self.results))

    def run_selected(self) -> None:
        name = self.selected_name()
        if name is not None:
            self.run([name])

    def run_failed(self) -> None:
        self.run([name for name, result in self.results.items() if result.state is CaseState.FAILED])

    def run(self, names: list[str], *, production_confirmed: bool = False) -> None:
        """Run the named tests (each places at most one call); ignored while a run is going.  Tests on
        production profiles run only once the person has said yes to real calls."""
        if self.running or self.suite is None or not names:
            return
        tests = [self.results[name].test for name in names]
        production = sorted({t.profile.name for t in tests if is_production(t.profile)})
        if production and not production_confirmed:
            self._confirm_production(names, production)
            return
        for test in tests:
            self.results[test.name] = CaseResult(test)
            self._show(self.results[test.name])
        env = RunEnvironment(self.context.service, self.context.history, self.context.manager.secret_for,
                             self.time_scale)
        runner = SuiteRunner(self.suite, env, on_change=self._on_change)
        self._say(messages.running_tests(len(tests)), "")
        self._task = asyncio.ensure_future(runner.run(tests))
        self._task.add_done_callback(self._finished)
        self._update_buttons()

    def _confirm_production(self, names: list[str], profiles: list[str]) -> None:
        count = sum(1 for name in names if is_production(self.results[name].test.profile))
        box = QMessageBox(
            QMessageBox.Icon.Warning, messages.REAL_CALLS_TITLE,
            messages.real_calls_warning(count, profiles),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText(messages.PLACE_THE_CALLS)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda result: self.run(names, production_confirmed=True)
                             if result == QMessageBox.StandardButton.Yes else None)
        self.confirm_box = box
        box.open()

    def stop(self) -> None:
        if self.running and self._task is not None:
            self._task.cancel()

    def _on_change(self, result: CaseResult) -> None:
        from shiboken6 import isValid

        if not isValid(self):
            return
        self.results[result.test.name] = result
        self._show(result)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        from shiboken6 import isValid

        if not isValid(self):
            return
        if task.cancelled():
            self._say(messages.RUN_STOPPED, "warn")
        elif task.exception() is not None:
            error = task.exception()
            log.error("test run failed", exc_info=error)
            self._say(messages.run_stopped(str(error)), "error")
        else:
            results: list[CaseResult] = task.result()
            failed = sum(1 for r in results if r.state is CaseState.FAILED)
            self._say(messages.run_summary(len(results) - failed, failed), "error" if failed else "ok")
        self._update_buttons()

    # -- saving ---------------------------------------------------------------------------------------
    def save_attempt(self, attempt: Attempt, path: Path | None = None) -> bool:
        """Append ``attempt`` as a test (expecting the outcome it had) to the open suite, or ``path``."""
        target = path or (self.suite.path if self.suite is not None else None)
        if target is None:
            dialog = QFileDialog(self, "Save the call as a test in…", "suite.toml", "Call-test suites (*.toml)")
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setFileMode(QFileDialog.FileMode.AnyFile)
            dialog.setOption(QFileDialog.Option.DontConfirmOverwrite)  # the test is added, nothing is replaced
            dialog.fileSelected.connect(lambda chosen: self.save_attempt(attempt, Path(chosen)))
            self._file_dialog = dialog
            dialog.open()
            return False
        taken = set(self.results) if self.suite is not None and self.suite.path == target else set()
        try:
            table = table_for_attempt(attempt, unique_name(default_name(attempt), taken))
            append_test(target, table)
        except (ValueError, OSError, LauncherError) as exc:
            self._say(messages.not_saved(str(exc)), "error")
            return False
        opened = self.open_suite(target)
        if opened:
            self._say(messages.saved_as_test(attempt.to, target.name), "ok")
        return opened

    # -- display --------------------------------------------------------------------------------------
    def selected_name(self) -> str | None:
        items = self.tree.selectedItems()
        return items[0].data(0, Qt.ItemDataRole.UserRole) if items else None

    def item_for(self, name: str) -> QTreeWidgetItem | None:
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == name:
                return item
        return None

    def _show(self, result: CaseResult) -> None:
        item = self.item_for(result.test.name)
        if item is None:
            return
        profile = result.test.profile
        item.setText(0, result.test.name)
        item.setText(1, profile.name + (f" — {profile.label}" if profile.label else ""))
        if profile.color:
            item.setIcon(1, swatch_icon(profile.color, self))
        item.setText(2, STATE_TEXT[result.state])
        kind = STATE_KIND.get(result.state)
        item.setForeground(2, QColor(status_color(self.palette(), kind)) if kind else self.palette().text())
        item.setText(3, result.reason)
        item.setToolTip(3, result.reason)
        item.setText(4, short_call_id(result.call_id or ""))
        item.setData(4, Qt.ItemDataRole.UserRole, result.call_id or "")
        item.setToolTip(4, messages.test_call_tip(result.call_id) if result.call_id else "")

    def _item_activated(self, item: QTreeWidgetItem, column: int) -> None:
        result = self.results.get(item.data(0, Qt.ItemDataRole.UserRole))
        if result is not None and result.call_id:
            self.show_call_requested.emit(result.call_id)

    def _say(self, text: str, kind: str) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {status_color(self.palette(), kind)};" if kind else "")

    def _update_buttons(self) -> None:
        running = self.running
        has_suite = self.suite is not None
        self.open_button.setEnabled(not running)
        self.run_all_button.setEnabled(has_suite and not running)
        self.run_one_button.setEnabled(has_suite and not running and self.selected_name() is not None)
        self.run_failed_button.setEnabled(not running and any(
            r.state is CaseState.FAILED for r in self.results.values()))
        self.stop_button.setEnabled(running)


def short_call_id(call_id: str) -> str:
    """``CA8536…c311``: enough to tell calls apart in a narrow column (the whole id is in the tooltip)."""
    return call_id if len(call_id) <= 14 else f"{call_id[:6]}…{call_id[-4:]}"


def _add_tab_action(window: Any, view: CallTestsView) -> None:
    """View › Tests with the next Alt+digit after the other tabs, listed in the shortcuts window too."""
    tab_actions: list[QAction] = getattr(window, "tab_actions", [])
    action = QAction("&" + messages.TESTS, window)
    action.setShortcut(QKeySequence(f"Alt+{len(tab_actions) + 1}"))
    action.triggered.connect(lambda _checked=False: window.tabs.setCurrentWidget(view))
    window.addAction(action)
    view_menu = next((a.menu() for a in window.menuBar().actions() if a.text() == messages.MENU_VIEW), None)
    if view_menu is not None and tab_actions and tab_actions[-1] in view_menu.actions():
        following = view_menu.actions()[view_menu.actions().index(tab_actions[-1]) + 1:]
        if following:
            view_menu.insertAction(following[0], action)
        else:
            view_menu.addAction(action)
    tab_actions.append(action)


def install_tests_tab(window: Any) -> CallTestsView:
    """Add the Tests tab to the main window, with "Save as test" for the form's last call (a button on
    the tab and an item in the Call menu) and in the history row menu."""
    view = CallTestsView(window.context, parent=window)
    window.tabs.addTab(view, messages.TESTS)
    last_call: dict[str, int] = {}

    def save(attempt_id: int | None) -> None:
        if attempt_id is None:
            return
        window.tabs.setCurrentWidget(view)
        view.save_attempt(window.context.history.get(attempt_id))

    button = QPushButton(messages.ADD_LAST_CALL)
    button.setAccessibleName("Save the last call from the form as a test")
    button.setToolTip(messages.ADD_LAST_CALL_TIP)
    button.setEnabled(False)
    button.clicked.connect(lambda: save(last_call.get("attempt_id")))
    view.toolbar.insertWidget(1, button)
    menu_action = QAction(messages.SAVE_LAST_CALL_AS_TEST, window)
    menu_action.setToolTip(button.toolTip())
    menu_action.setEnabled(False)
    menu_action.triggered.connect(lambda: save(last_call.get("attempt_id")))
    call_menu = next((a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Call"), None)
    if call_menu is not None:
        call_menu.addSeparator()
        call_menu.addAction(menu_action)
    _add_tab_action(window, view)

    def call_ended(live: Any) -> None:
        last_call["attempt_id"] = live.attempt_id
        button.setEnabled(True)
        menu_action.setEnabled(True)

    window.controller.call_ended.connect(call_ended)
    history = window.history_view
    action = QAction(messages.SAVE_AS_TEST, history)
    action.setToolTip(messages.SAVE_AS_TEST_TIP)
    action.triggered.connect(lambda: save(a.id if (a := history.selected_attempt()) is not None else None))
    history.row_menu.addAction(action)

    def show_call(call_id: str) -> None:
        window.tabs.setCurrentWidget(history)
        history.search_edit.setText(call_id)

    view.show_call_requested.connect(show_call)
    view.save_button = button
    view.save_menu_action = menu_action
    view.history_action = action
    return view
