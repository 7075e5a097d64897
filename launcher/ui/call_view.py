"""The live call view: several calls at once, a list on the left, the selected call on the right.

The window feeds it :class:`LiveCallInfo` snapshots through :meth:`LiveCallsPanel.upsert`; the
panel shows them and forwards Hang up presses as ``hangup_requested(key)``.  The card lives in
``call_card.py`` and the raw-JSON tree in ``json_tree.py``; both are re-exported here.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from launcher.core.models import CallPhase
from launcher.ui.call_card import CallCard, CallTimeline, LiveCallInfo, color_dot
from launcher.ui.json_tree import JsonTree

EMPTY_TEXT = "No calls yet. Fill in the form and press Call."
KEY_ROLE = Qt.ItemDataRole.UserRole

__all__ = ["CallCard", "CallTimeline", "JsonTree", "LiveCallInfo", "LiveCallsPanel"]


def row_text(info: LiveCallInfo) -> str:
    return f"{info.to or '(no number)'}\n{info.state_text}"


def row_tooltip(info: LiveCallInfo) -> str:
    lines = [f"To: {info.to}", f"From: {info.from_number}", f"Profile: {info.profile_name} ({info.provider_name})",
             f"State: {info.state_text}"]
    if info.error:
        lines.append(info.error)
    return "\n".join(lines)


class CardScrollArea(QScrollArea):
    """Scrolls the card when space is short, but asks the splitter for the card's full height."""

    def sizeHint(self) -> QSize:
        inner = self.widget()
        return inner.sizeHint() if inner is not None else super().sizeHint()


class LiveCallsPanel(QWidget):
    """Live and recent calls (newest first) with the selected one's card and raw answer."""

    hangup_requested = Signal(int)
    refresh_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.infos: dict[int, LiveCallInfo] = {}
        self._seen: dict[int, set[CallPhase]] = {}
        self._answered_seen_at: dict[int, datetime] = {}

        self.call_list = QListWidget(self)
        self.call_list.setAccessibleName("Live and recent calls")
        self.call_list.setToolTip("Calls placed in this session, newest first")
        self.call_list.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.call_list.setWordWrap(True)
        self.call_list.setSpacing(2)
        self.call_list.currentItemChanged.connect(self._show_current)
        self.clear_button = QPushButton("Clear ended", self)
        self.clear_button.setAccessibleName("Clear ended calls")
        self.clear_button.setToolTip("Remove calls that are over from this list (history keeps them)")
        self.clear_button.clicked.connect(self.remove_ended)
        list_side = QWidget(self)
        list_layout = QVBoxLayout(list_side)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.call_list, 1)
        clear_row = QHBoxLayout()
        clear_row.addStretch(1)
        clear_row.addWidget(self.clear_button)
        list_layout.addLayout(clear_row)

        self.card = CallCard(self)
        self.card.hangup_requested.connect(self.hangup_requested)
        self.card.refresh_requested.connect(self.refresh_requested)
        self.card_scroll = card_scroll = CardScrollArea(self)
        card_scroll.setWidgetResizable(True)
        card_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        card_scroll.setWidget(self.card)
        self.json_tree = JsonTree(self)
        raw_side = QWidget(self)
        raw_layout = QVBoxLayout(raw_side)
        raw_layout.setContentsMargins(0, 0, 0, 0)
        raw_caption = QLabel("Provider's answer (raw JSON)", raw_side)
        raw_caption.setBuddy(self.json_tree)
        raw_layout.addWidget(raw_caption)
        raw_layout.addWidget(self.json_tree, 1)
        self.detail_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.detail_splitter.addWidget(card_scroll)
        self.detail_splitter.addWidget(raw_side)
        self.detail_splitter.setStretchFactor(0, 0)  # the card keeps its natural height
        self.detail_splitter.setStretchFactor(1, 1)
        self.detail_splitter.setChildrenCollapsible(False)
        self.detail_splitter.splitterMoved.connect(self._card_sized_by_hand)
        self._card_height_chosen = False

        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_splitter.addWidget(list_side)
        self.main_splitter.addWidget(self.detail_splitter)
        self.main_splitter.setStretchFactor(0, 1)
        self.main_splitter.setStretchFactor(1, 3)
        self.main_splitter.setChildrenCollapsible(False)

        self.empty_label = QLabel(EMPTY_TEXT, self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self.main_splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._update_chrome()

    # -- public API -------------------------------------------------------------------------------
    def upsert(self, info: LiveCallInfo) -> None:
        """Add a call (and select it) or refresh one already listed."""
        is_new = info.key not in self.infos
        self.infos[info.key] = info
        self._remember_progress(info)
        item = self._item(info.key)
        if item is None:
            item = QListWidgetItem()
            item.setData(KEY_ROLE, info.key)
            self.call_list.insertItem(self._insert_row(info), item)
        item.setText(row_text(info))
        item.setToolTip(row_tooltip(info))
        item.setIcon(QIcon(color_dot(info.profile_color, self.call_list)))
        if is_new:
            self.call_list.setCurrentItem(item)
        elif info.key == self.selected_key():
            self._show(info)
        self._update_chrome()

    def remove_ended(self) -> None:
        """Drop every call that is over; select the newest remaining one."""
        for key in [key for key, info in self.infos.items() if info.ended]:
            item = self._item(key)
            if item is not None:
                self.call_list.takeItem(self.call_list.row(item))
            del self.infos[key]
            self._seen.pop(key, None)
            self._answered_seen_at.pop(key, None)
            self.json_tree.forget(key)
        if self.call_list.currentItem() is None and self.call_list.count():
            self.call_list.setCurrentRow(0)
        if not self.call_list.count():
            self.card.set_info(None)
        self._update_chrome()

    def selected_key(self) -> int | None:
        item = self.call_list.currentItem()
        return int(item.data(KEY_ROLE)) if item is not None else None

    def select(self, key: int) -> None:
        item = self._item(key)
        if item is not None:
            self.call_list.setCurrentItem(item)

    # -- internals --------------------------------------------------------------------------------
    def _item(self, key: int) -> QListWidgetItem | None:
        for row in range(self.call_list.count()):
            item = self.call_list.item(row)
            if item.data(KEY_ROLE) == key:
                return item
        return None

    def _insert_row(self, info: LiveCallInfo) -> int:
        """Newest first by start time (the attempt id breaks ties)."""
        for row in range(self.call_list.count()):
            other = self.infos[int(self.call_list.item(row).data(KEY_ROLE))]
            if (info.started_at.timestamp(), info.key) > (other.started_at.timestamp(), other.key):
                return row
        return self.call_list.count()

    def _remember_progress(self, info: LiveCallInfo) -> None:
        if info.call is None:
            return
        self._seen.setdefault(info.key, set()).add(info.call.phase)
        if info.call.phase is CallPhase.ANSWERED:
            self._answered_seen_at.setdefault(info.key, datetime.now().astimezone())

    def _show_current(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        if current is None:
            self.card.set_info(None)
            self.json_tree.set_json(None)
            return
        self._show(self.infos[int(current.data(KEY_ROLE))])

    def _show(self, info: LiveCallInfo) -> None:
        self.card.set_info(info, self._seen.get(info.key, ()), self._answered_seen_at.get(info.key))
        self.json_tree.set_json(info.call.raw if info.call is not None else {}, info.key)
        self._fit_card()

    def _card_sized_by_hand(self) -> None:
        self._card_height_chosen = True

    def _fit_card(self) -> None:
        """Grow the card's pane to show the whole card (error text can add lines), unless the
        person has dragged the splitter, and never squeezing the raw tree below a few rows."""
        sizes = self.detail_splitter.sizes()
        if self._card_height_chosen or len(sizes) != 2 or not sum(sizes):
            return
        wanted = self.card_scroll.sizeHint().height()
        tree_minimum = self.json_tree.fontMetrics().height() * 8
        if sizes[0] < wanted <= sum(sizes) - tree_minimum:
            self.detail_splitter.setSizes([wanted, sum(sizes) - wanted])

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_card()

    def _update_chrome(self) -> None:
        self.stack.setCurrentWidget(self.main_splitter if self.infos else self.empty_label)
        self.clear_button.setEnabled(any(info.ended for info in self.infos.values()))
