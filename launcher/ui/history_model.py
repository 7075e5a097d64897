"""A table model over the call history that reads pages from SQLite as the view scrolls.

Sorting and filtering happen in SQL; the model only holds the rows loaded so far
(``rowCount`` = loaded rows, ``canFetchMore``/``fetchMore`` load the next page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from launcher.core.history import Attempt, AttemptStatus, HistoryFilter, HistoryStore

ATTEMPT_ROLE = Qt.ItemDataRole.UserRole
AnyIndex = QModelIndex | QPersistentModelIndex

STATUS_LABELS = {
    AttemptStatus.SENDING: "Sending",
    AttemptStatus.QUEUED: "Queued",
    AttemptStatus.RINGING: "Ringing",
    AttemptStatus.ANSWERED: "Answered",
    AttemptStatus.ENDED: "Ended",
    AttemptStatus.REJECTED: "Rejected",
    AttemptStatus.FAILED: "Failed",
    AttemptStatus.UNKNOWN: "Unknown",
}
STATUS_HELP = {
    AttemptStatus.SENDING: "The request is on its way",
    AttemptStatus.QUEUED: "The provider accepted the call and queued it",
    AttemptStatus.RINGING: "The phone is ringing",
    AttemptStatus.ANSWERED: "The call is connected",
    AttemptStatus.ENDED: "The call is over",
    AttemptStatus.REJECTED: "The provider refused the request",
    AttemptStatus.FAILED: "No usable answer (network, TLS or timeout); no call was placed",
    AttemptStatus.UNKNOWN: "The request was sent but the outcome is not known",
}
OUTCOME_LABELS = {
    "completed": "Completed", "busy": "Busy", "no-answer": "No answer", "failed": "Failed",
    "canceled": "Canceled", "rejected": "Rejected",
}
# Mid-tone colours: a dot in these reads on light and dark backgrounds alike.
_GREEN, _BLUE, _AMBER, _RED, _GREY = "#43a047", "#1e88e5", "#f59e0b", "#e53935", "#9e9e9e"
_STATUS_COLORS = {
    AttemptStatus.SENDING: _BLUE, AttemptStatus.QUEUED: _BLUE, AttemptStatus.RINGING: _BLUE,
    AttemptStatus.ANSWERED: _GREEN, AttemptStatus.REJECTED: _RED, AttemptStatus.FAILED: _RED,
    AttemptStatus.UNKNOWN: _GREY,
}
_OUTCOME_COLORS = {"completed": _GREEN, "busy": _AMBER, "no-answer": _AMBER, "canceled": _GREY}


def status_color(attempt: Attempt) -> str:
    if attempt.status is AttemptStatus.ENDED:
        return _OUTCOME_COLORS.get(attempt.outcome or "", _RED)
    return _STATUS_COLORS[attempt.status]


@cache
def dot_icon(color: str) -> QIcon:
    """A filled circle; drawn large so the view scales it down crisply at any DPI."""
    size = 64
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(color).darker(140))
    painter.setBrush(QColor(color))
    painter.drawEllipse(12, 12, size - 24, size - 24)
    painter.end()
    return QIcon(pixmap)


def format_duration(seconds: float | None) -> str:
    """m:ss (h:mm:ss from an hour on); empty when unknown."""
    if seconds is None:
        return ""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_count(count: int) -> str:
    """1 234 calls (a space between thousands reads the same in every locale)."""
    return f"{count:,}".replace(",", " ") + (" call" if count == 1 else " calls")


@dataclass(frozen=True)
class Column:
    title: str
    sort_key: str  # a HistoryStore sort key
    text: Callable[[Attempt, dict[str, str]], str]


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


COLUMNS = (
    Column("Started", "started_at", lambda a, _: a.started_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")),
    Column("Status", "status", lambda a, _: STATUS_LABELS[a.status]),
    Column("Outcome", "outcome", lambda a, _: OUTCOME_LABELS.get(a.outcome or "", a.outcome or "")),
    Column("To", "to", lambda a, _: a.to or ""),
    Column("From", "from_number", lambda a, _: a.from_number or ""),
    Column("Profile", "profile", lambda a, _: a.profile),
    Column("Provider", "provider", lambda a, names: names.get(a.provider, a.provider)),
    Column("Duration", "duration", lambda a, _: format_duration(a.duration)),
    Column("Call ID", "call_id", lambda a, _: a.call_id or ""),
    Column("Error", "error", lambda a, _: _first_line(a.error)),
)
COLUMN_INDEX = {column.title: index for index, column in enumerate(COLUMNS)}
_STATUS_COLUMN = COLUMN_INDEX["Status"]
_DURATION_COLUMN = COLUMN_INDEX["Duration"]
# Roles as plain ints: ``data`` runs ~1000 times per repaint, and most asks are for roles it has no
# answer to (font, colours, check state), so those are turned away before anything else is done.
_DISPLAY, _DECORATION, _TOOLTIP, _ALIGNMENT, _ATTEMPT = (int(role) for role in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.TextAlignmentRole, ATTEMPT_ROLE))
_ANSWERED_ROLES = frozenset((_DISPLAY, _DECORATION, _TOOLTIP, _ALIGNMENT, _ATTEMPT))
_RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _tooltip(attempt: Attempt, column: int, names: dict[str, str]) -> str:
    title = COLUMNS[column].title
    if title == "Status":
        return STATUS_HELP[attempt.status]
    if title == "Started":
        return attempt.started_at.astimezone().isoformat(sep=" ", timespec="seconds")
    if title == "Error" and attempt.error:
        details = [f"HTTP {attempt.http_status}" if attempt.http_status else "",
                   f"code {attempt.error_code}" if attempt.error_code else ""]
        extra = ", ".join(d for d in details if d)
        return attempt.error + (f"\n({extra})" if extra else "")
    return COLUMNS[column].text(attempt, names)


class HistoryTableModel(QAbstractTableModel):
    """Attempts matching a filter, in SQL sort order, loaded a page at a time."""

    total_changed = Signal(int)  # how many attempts match the filter (not just the loaded ones)

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
            return dot_icon(status_color(attempt)) if column == _STATUS_COLUMN else None
        if role == _TOOLTIP:
            return _tooltip(attempt, column, self.providers) or None
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
        total = len(versions) if len(versions) < wanted else self.store.count(self._filter)  # no second scan
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
        self.beginResetModel()
        self._total, self._rows = self.store.first_page(self._filter, self._sort_key, self._descending,
                                                        max(keep, self.page_size))
        self.endResetModel()
        self.total_changed.emit(self._total)
