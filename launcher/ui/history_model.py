"""A table model over the call history that reads pages from SQLite as the view scrolls.

Sorting and filtering happen in SQL; the model only holds the rows loaded so far
(``rowCount`` = loaded rows, ``canFetchMore``/``fetchMore`` load the next page).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from launcher.core.history import Attempt, CallResult, HistoryFilter, HistoryStore, count_in_background
from launcher.view.history_rows import COLUMN_INDEX, COLUMNS, cell_tooltip

ATTEMPT_ROLE = Qt.ItemDataRole.UserRole
AnyIndex = QModelIndex | QPersistentModelIndex

# Mid-tone colours: an icon in these reads on light and dark backgrounds alike.
_GREEN, _BLUE, _AMBER, _RED, _GREY = "#43a047", "#1e88e5", "#f59e0b", "#e53935", "#9e9e9e"
# Colour and a glyph for each result: two results never share both, so they differ without colour too.
RESULT_ICONS: dict[CallResult, tuple[str, str]] = {
    CallResult.IN_PROGRESS: (_BLUE, "…"),
    CallResult.COMPLETED: (_GREEN, "✓"),
    CallResult.BUSY: (_AMBER, "–"),
    CallResult.NO_ANSWER: (_AMBER, "…"),
    CallResult.FAILED: (_RED, "!"),
    CallResult.NOT_SENT: (_RED, "×"),
    CallResult.CANCELED: (_GREY, "–"),
    CallResult.REFUSED: (_RED, "–"),
    CallResult.UNKNOWN: (_GREY, "?"),
}
_SQUARE_RESULTS = frozenset({CallResult.REFUSED, CallResult.NO_ANSWER})  # drawn as rounded squares


@cache
def result_icon(result: CallResult) -> QIcon:
    """The result's shape and glyph; drawn large so the view scales it down crisply at any DPI."""
    color, glyph = RESULT_ICONS[result]
    size = 64
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(color).darker(140))
    painter.setBrush(QColor(color))
    if result in _SQUARE_RESULTS:
        painter.drawRoundedRect(8, 8, size - 16, size - 16, 10, 10)
    else:
        painter.drawEllipse(6, 6, size - 12, size - 12)
    font = QFont()
    font.setPixelSize(40)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(pixmap.rect(), int(Qt.AlignmentFlag.AlignCenter), glyph)
    painter.end()
    return QIcon(pixmap)


@cache
def chip_icon(color: str) -> QIcon:
    """A profile's colour chip (a rounded square), as in the profile selector."""
    size = 64
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(color).darker(150))
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(10, 10, size - 20, size - 20, 12, 12)
    painter.end()
    return QIcon(pixmap)


_RESULT_COLUMN = COLUMN_INDEX["Result"]
_PROFILE_COLUMN = COLUMN_INDEX["Profile"]
_DURATION_COLUMN = COLUMN_INDEX["Duration"]
# Roles as plain ints: ``data`` runs ~1000 times per repaint, and most asks are for roles it has no
# answer to (font, colours, check state), so those are turned away before anything else is done.
_DISPLAY, _DECORATION, _TOOLTIP, _ALIGNMENT, _ATTEMPT = (int(role) for role in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.TextAlignmentRole, ATTEMPT_ROLE))
_ANSWERED_ROLES = frozenset((_DISPLAY, _DECORATION, _TOOLTIP, _ALIGNMENT, _ATTEMPT))
_RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class HistoryTableModel(QAbstractTableModel):
    """Attempts matching a filter, in SQL sort order, loaded a page at a time."""

    total_changed = Signal(int)  # how many attempts match the filter (not just the loaded ones)
    _counted = Signal(int, object)  # (generation, count or None) from the background count

    REFRESH_SLACK = 50  # new rows at the top that ``refresh`` inserts without resetting the model

    def __init__(self, store: HistoryStore, providers: dict[str, str] | None = None, parent: QObject | None = None,
                 *, page_size: int = 200) -> None:
        super().__init__(parent)
        self.store = store
        self.providers = dict(providers or {})
        self.page_size = page_size
        self._filter = HistoryFilter()
        self._sort_key = "started_at"
        self._descending = True
        self._rows: list[Attempt] = []
        self._total = 0
        self._profile_colors: dict[str, str] = {}
        self._generation = 0  # bumped by every reload: a background count for an older filter is dropped
        self.counting = False  # True while the total is still being counted (it is then a lower bound)
        self._counted.connect(self._count_arrived)
        self._reload()

    # --- Qt model interface --------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ANSWERED_ROLES:
            return None
        row = index.row()  # -1 for an invalid index
        if not 0 <= row < len(self._rows):
            return None
        attempt = self._rows[row]
        column = index.column()
        if role == _DISPLAY:
            return COLUMNS[column].text(attempt, self.providers)
        if role == _DECORATION:
            if column == _RESULT_COLUMN:
                return result_icon(attempt.result)
            if column == _PROFILE_COLUMN:
                color = self._profile_colors.get(attempt.profile_id)
                return chip_icon(color) if color else None
            return None
        if role == _TOOLTIP:
            return cell_tooltip(attempt, column, self.providers) or None
        if role == _ALIGNMENT:
            return _RIGHT_ALIGNED if column == _DURATION_COLUMN else None
        return attempt  # ATTEMPT_ROLE

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        return None

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        page = self.store.query(self._filter, self._sort_key, self._descending, len(self._rows), self.page_size)
        if not page:
            self._total = len(self._rows)  # the table shrank behind our back; stop asking
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS):
            self._sort_key = COLUMNS[column].sort_key
            self._descending = order == Qt.SortOrder.DescendingOrder
        else:  # no sort column: newest first
            self._sort_key, self._descending = "started_at", True
        self._reload()

    # --- what the view asks --------------------------------------------------------------------
    @property
    def total(self) -> int:
        return self._total

    @property
    def current_filter(self) -> HistoryFilter:
        return self._filter

    def set_filter(self, flt: HistoryFilter) -> None:
        if flt != self._filter:
            self._filter = flt
            self._reload()

    def set_profile_colors(self, colors: dict[str, str]) -> None:
        """Profile id -> colour, for the chips in the Profile column."""
        if colors != self._profile_colors:
            self._profile_colors = dict(colors)
            if self._rows:
                self.dataChanged.emit(self.index(0, _PROFILE_COLUMN), self.index(len(self._rows) - 1, _PROFILE_COLUMN),
                                      [Qt.ItemDataRole.DecorationRole])

    def attempt_at(self, row: int) -> Attempt:
        return self._rows[row]

    def row_of(self, attempt_id: int) -> int | None:
        for row, attempt in enumerate(self._rows):
            if attempt.id == attempt_id:
                return row
        return None

    def refresh(self) -> None:
        """Catch up with the store after a new attempt or an update, touching only what changed.

        New attempts at the top are inserted (the view keeps its selection and scroll position) and
        changed rows are re-read one by one; anything else (e.g. a new row in the middle of a
        sort by profile) re-reads the loaded rows in one reset.
        """
        wanted = max(len(self._rows), self.page_size) + self.REFRESH_SLACK
        versions = self.store.page_versions(self._filter, self._sort_key, self._descending, wanted)
        if len(versions) < wanted:
            total = len(versions)  # no second scan
        else:
            counted = self.store.count_if_quick(self._filter)
            total = counted if counted is not None else max(self._total, len(versions))
        loaded = max(len(self._rows), min(self.page_size, total))
        versions = versions[:loaded + self.REFRESH_SLACK]
        old_ids = [a.id for a in self._rows]
        new_ids = [attempt_id for attempt_id, _ in versions]
        added = new_ids.index(old_ids[0]) if old_ids and old_ids[0] in new_ids else -1
        if added < 0 or new_ids[added:added + len(old_ids)] != old_ids:
            self._reload(keep=loaded)
            return
        self._total = total
        if added:
            fresh = [self.store.get(attempt_id) for attempt_id in new_ids[:added]]
            self.beginInsertRows(QModelIndex(), 0, added - 1)
            self._rows[0:0] = fresh
            self.endInsertRows()
        for row, (attempt_id, updated_at) in enumerate(versions[added:added + len(old_ids)], start=added):
            if self._rows[row].updated_at != updated_at:
                self._rows[row] = self.store.get(attempt_id)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self.total_changed.emit(total)

    def _reload(self, keep: int = 0) -> None:
        """Show the first page at once; a count that needs a long scan follows from a worker thread."""
        self._generation += 1
        limit = max(keep, self.page_size)
        self.beginResetModel()
        self._rows = self.store.query(self._filter, self._sort_key, self._descending, 0, limit)
        counted = len(self._rows) if len(self._rows) < limit else self.store.count_if_quick(self._filter)
        self.counting = counted is None
        self._total = len(self._rows) + 1 if counted is None else counted  # +1: more may be fetched meanwhile
        self.endResetModel()
        if counted is None:
            generation = self._generation
            count_in_background(self.store.path, self._filter,
                                lambda count: self._counted.emit(generation, count))
        self.total_changed.emit(self._total)

    def _count_arrived(self, generation: int, count: int | None) -> None:
        if generation != self._generation:
            return  # the filter or sort changed meanwhile
        self.counting = False
        self._total = max(len(self._rows), count if count is not None else len(self._rows))
        self.total_changed.emit(self._total)
