"""The call history tab: search and filters above a lazily loaded table, with export and redial.

The view only displays and forwards: the store does the querying and exporting, and the window
decides what "Call again" and "Open in form" do (``redial_requested`` / ``open_in_form_requested``).
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from launcher.core.history import Attempt, CallResult, HistoryFilter, HistoryStore, export_history_in_background
from launcher.ui.history_model import HistoryTableModel, result_icon
from launcher.view import messages
from launcher.view.history_rows import COLUMN_INDEX, format_count

# The search box never gets narrower than this much of its hint; the filter menus shrink first.
SEARCH_MIN_TEXT = "Search number, profile"
FILTER_MIN_CHARACTERS = 5

SEARCH_DELAY_MS = 250
# Shown on demand (right-click the column headers), so the rest fits a 1366 px screen without scrolling.
OPTIONAL_COLUMNS = ("From", "Provider", "Call ID")
DATE_RANGES = messages.DATE_RANGES
# Typical content per column, used to size columns from the font (HiDPI-safe); Error stretches.
# The icon columns (Result, Profile) start with "WW" for their icon.
_COLUMN_SAMPLES = {
    "Started": "2024-12-31 23:59", "Result": "WW Completed", "To": "+442071838750", "Profile": "WW Support desk",
    "Duration": "00:00", "From": "+442071838750", "Provider": "Bandwidth v2", "Call ID": "CA0123456789abcd",
}


class _ExportRelay(QObject):
    """Carries an export's result from its worker thread to the GUI thread (a queued signal).  A child
    of the view, so the worker never holds the last reference to a widget."""

    done = Signal(str, int, str)  # path, rows written (-1 on failure), error message ("" on success)


def date_range_start(choice: str, now: datetime | None = None) -> datetime | None:
    """Where a date-range choice starts, in local time (``None`` for any time)."""
    now = (now or datetime.now()).astimezone()
    if choice == "Today":
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    if choice == "Last 7 days":
        return now - timedelta(days=7)
    if choice == "Last 30 days":
        return now - timedelta(days=30)
    return None


class HistoryView(QWidget):
    """Every call attempt, newest first; search, filter, sort, export, call again."""

    redial_requested = Signal(object)  # Attempt
    open_in_form_requested = Signal(object)  # Attempt
    export_finished = Signal(str, int)  # path, rows written
    export_failed = Signal(str)  # message

    def __init__(self, store: HistoryStore, providers: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.model = HistoryTableModel(store, providers, self)
        self._selected_id: int | None = None
        self._shown_total = -1

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("historySearch")
        self.search_edit.setAccessibleName("Search history")
        self.search_edit.setPlaceholderText(messages.HISTORY_SEARCH_HINT)
        self.search_edit.setToolTip(messages.HISTORY_SEARCH_TIP)
        self.search_edit.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self.apply_filter)

        self.provider_combo = QComboBox(self)
        self.provider_combo.setAccessibleName("Filter by provider")
        self.provider_combo.setToolTip(messages.PROVIDER_FILTER_TIP)
        self.provider_combo.addItem(messages.ALL_PROVIDERS, None)
        for provider_id, name in sorted(providers.items(), key=lambda item: item[1].casefold()):
            self.provider_combo.addItem(name, provider_id)
        self.result_combo = QComboBox(self)
        self.result_combo.setObjectName("historyResultFilter")
        self.result_combo.setAccessibleName("Filter by result")
        self.result_combo.setToolTip(messages.RESULT_FILTER_TIP)
        self.result_combo.addItem(messages.ALL_RESULTS, None)
        for result in CallResult:
            self.result_combo.addItem(result_icon(result), messages.RESULT_WORDS[result], result)
            self.result_combo.setItemData(self.result_combo.count() - 1, messages.RESULT_HELP[result],
                                          Qt.ItemDataRole.ToolTipRole)
        self.date_combo = QComboBox(self)
        self.date_combo.setAccessibleName("Filter by date")
        self.date_combo.setToolTip(messages.PERIOD_FILTER_TIP)
        self.date_combo.addItems(DATE_RANGES)
        for combo in (self.provider_combo, self.result_combo, self.date_combo):
            combo.currentIndexChanged.connect(self.apply_filter)
            # in a narrow window the filters give up width (eliding their text) before the search box does
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(FILTER_MIN_CHARACTERS)
        metrics = self.search_edit.fontMetrics()
        self.search_edit.setMinimumWidth(metrics.horizontalAdvance(SEARCH_MIN_TEXT) + 2 * metrics.height())

        self.count_label = QLabel(self)
        self.count_label.setAccessibleName("Number of calls")
        self.count_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label = QLabel(self)
        self.message_label.setAccessibleName("History message")
        self.message_label.setWordWrap(True)
        self.message_label.hide()

        self.table = self._make_table()
        self.redial_action = QAction(messages.CALL_AGAIN, self)
        self.redial_action.setToolTip(messages.CALL_AGAIN_TIP)
        self.redial_action.triggered.connect(self._redial_selected)
        self.open_action = QAction(messages.OPEN_IN_FORM, self)
        self.open_action.setToolTip(messages.OPEN_IN_FORM_TIP)
        self.open_action.setShortcut(Qt.Key.Key_Return)
        self.open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.open_action.triggered.connect(self._open_selected)
        self.table.addAction(self.open_action)
        self.row_menu = QMenu(self)
        self.row_menu.setAccessibleName("Call history row actions")
        self.row_menu.addAction(self.redial_action)
        self.row_menu.addAction(self.open_action)

        self.redial_button = self._action_button(self.redial_action, "Call again")
        self.open_button = self._action_button(self.open_action, "Open in form")
        self.exporting = False
        self._export_relay = _ExportRelay(self)
        self._export_relay.done.connect(self._export_done)
        self.export_csv_action = QAction(messages.EXPORT_CSV, self)
        self.export_csv_action.triggered.connect(lambda: self.export("csv"))
        self.export_json_action = QAction(messages.EXPORT_JSON, self)
        self.export_json_action.triggered.connect(lambda: self.export("json"))
        # A push button with a menu: its style keeps the menu arrow inside the border (a tool button's
        # instant-popup arrow is drawn over it).
        self.export_button = QPushButton(messages.EXPORT, self)
        self.export_button.setObjectName("historyExport")
        self.export_button.setAccessibleName("Export history")
        self.export_button.setToolTip(messages.EXPORT_TIP)
        export_menu = QMenu(self.export_button)
        export_menu.addAction(self.export_csv_action)
        export_menu.addAction(self.export_json_action)
        self.export_button.setMenu(export_menu)

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 3)
        filters.addWidget(self.provider_combo, 1)
        filters.addWidget(self.result_combo, 1)
        filters.addWidget(self.date_combo, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label)
        actions.addStretch(1)
        actions.addWidget(self.redial_button)
        actions.addWidget(self.open_button)
        actions.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message_label)
        layout.addLayout(actions)

        self.model.total_changed.connect(self._show_count)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)
        self._show_count(self.model.total)
        self._update_actions()

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("historyTable")
        table.setAccessibleName("Call history")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._show_row_menu)
        table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSortIndicator(COLUMN_INDEX["Started"], Qt.SortOrder.DescendingOrder)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        metrics, header_metrics = table.fontMetrics(), header.fontMetrics()
        padding = 2 * metrics.averageCharWidth()
        for title, sample in _COLUMN_SAMPLES.items():
            width = max(metrics.horizontalAdvance(sample), header_metrics.horizontalAdvance(title) + padding)
            header.resizeSection(COLUMN_INDEX[title], width + padding)
        table.verticalHeader().setDefaultSectionSize(metrics.height() * 3 // 2 + 2)
        self.column_actions: dict[str, QAction] = {}
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for title in COLUMN_INDEX:
            if title in OPTIONAL_COLUMNS:
                action = QAction(messages.show_column(title), header, checkable=True)
                action.toggled.connect(lambda shown, t=title: self.show_column(t, shown))
                header.addAction(action)
                self.column_actions[title] = action
                header.hideSection(COLUMN_INDEX[title])
        table.setSortingEnabled(True)  # sorts by the indicator set above: newest first
        selection = table.selectionModel()
        selection.selectionChanged.connect(self._update_actions)
        return table

    def _action_button(self, action: QAction, accessible_name: str) -> QPushButton:
        button = QPushButton(action.text(), self)
        button.setAccessibleName(accessible_name)
        button.setToolTip(action.toolTip())
        button.clicked.connect(action.trigger)
        return button

    # --- public --------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def show_column(self, title: str, shown: bool = True) -> None:
        """Show or hide one of ``OPTIONAL_COLUMNS`` (the header's context menu does the same)."""
        self.table.horizontalHeader().setSectionHidden(COLUMN_INDEX[title], not shown)
        action = self.column_actions.get(title)
        if action is not None and action.isChecked() != shown:
            action.setChecked(shown)

    def set_profile_colors(self, colors: dict[str, str]) -> None:
        """Profile id -> colour, for the chips next to profile names."""
        self.model.set_profile_colors(colors)

    def refresh(self) -> None:
        """Show new attempts and changed statuses (cheap; keeps the selection)."""
        self.model.refresh()

    def current_filter(self) -> HistoryFilter:
        """The filter the controls describe right now (the search text without waiting for the delay)."""
        return HistoryFilter(
            text=self.search_edit.text(),
            provider=self.provider_combo.currentData(),
            result=self.result_combo.currentData(),
            since=date_range_start(self.date_combo.currentText()),
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        flt = self.current_filter()
        if flt != self.model.current_filter and not self.exporting:
            self.message_label.hide()
        self.model.set_filter(flt)

    def selected_attempt(self) -> Attempt | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.attempt_at(rows[0].row()) if rows else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def choose_export_path(self, kind: str) -> str | None:
        """Ask where to save; ``kind`` is "csv" or "json".  Tests replace this method."""
        suffix = f".{kind}"
        default = str(Path.home() / f"call-history-{datetime.now():%Y%m%d}{suffix}")
        name_filter = "CSV files (*.csv)" if kind == "csv" else "JSON files (*.json)"
        path, _ = QFileDialog.getSaveFileName(self, "Export call history", default, name_filter)
        if not path:
            return None
        return path if path.lower().endswith(suffix) else path + suffix

    def export(self, kind: str) -> None:
        """Write the calls the table shows (search and filters applied) to a file the user picks.
        The file is written in a worker thread, so a large history does not freeze the window."""
        if self.exporting:
            return
        path = self.choose_export_path(kind)
        if not path:
            return
        self._set_exporting(True)
        self._show_message(messages.exporting(path), error=False)
        relay = self._export_relay

        def done(count: int | None, error: str | None) -> None:
            with contextlib.suppress(RuntimeError):  # the view was closed meanwhile
                relay.done.emit(path, -1 if count is None else count, error or "")

        export_history_in_background(self.store.path, Path(path), kind, self.model.current_filter, done)

    def _export_done(self, path: str, count: int, error: str) -> None:
        self._set_exporting(False)
        if error:
            self._show_message(error, error=True)
            self.export_failed.emit(error)
            return
        self._show_message(messages.exported(format_count(count), path), error=False)
        self.export_finished.emit(path, count)

    def _set_exporting(self, exporting: bool) -> None:
        self.exporting = exporting
        for widget in (self.export_csv_action, self.export_json_action, self.export_button):
            widget.setEnabled(not exporting)

    # --- private -------------------------------------------------------------------------------
    def _show_count(self, total: int) -> None:
        if not self.exporting and total != self._shown_total:  # "Exported 8 calls" was about the list as it was
            self.message_label.hide()
        self._shown_total = total
        if total == 0:
            text = messages.NO_MATCHING_CALLS if self.model.current_filter.active else messages.NO_CALLS_YET
        elif self.model.counting:
            text = messages.still_counting(format_count(self.model.rowCount()))
        else:
            text = format_count(total)
        self.count_label.setText(text)

    def _show_message(self, text: str, *, error: bool) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet("color: #e53935;" if error else "")
        self.message_label.show()

    def _update_actions(self) -> None:
        has_row = bool(self.table.selectionModel().selectedRows())
        self.redial_action.setEnabled(has_row)
        self.open_action.setEnabled(has_row)
        self.redial_button.setEnabled(has_row)
        self.open_button.setEnabled(has_row)

    def _show_row_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        self.row_menu.popup(self.table.viewport().mapToGlobal(pos))

    def _redial_selected(self) -> None:
        attempt = self.selected_attempt()
        if attempt is not None:
            self.redial_requested.emit(attempt)

    def _open_selected(self) -> None:
        attempt = self.selected_attempt()
        if attempt is not None:
            self.open_in_form_requested.emit(attempt)

    def _open_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.open_in_form_requested.emit(self.model.attempt_at(row))

    def _remember_selection(self) -> None:
        attempt = self.selected_attempt()
        self._selected_id = attempt.id if attempt else None

    def _restore_selection(self) -> None:
        row = self.model.row_of(self._selected_id) if self._selected_id is not None else None
        if row is not None:
            self.table.selectionModel().select(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._update_actions()
