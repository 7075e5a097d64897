"""The live call view: several calls at once, a list on the left, the selected call on the right.

The window feeds it :class:`LiveCallInfo` snapshots through :meth:`LiveCallsPanel.upsert`; the
panel shows them and forwards Hang up presses as ``hangup_requested(key)``.  The card lives in
``call_card.py`` and the raw-JSON tree in ``json_tree.py``; both are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from launcher.core.models import CallPhase
from launcher.ui.call_card import CallCard, CallTimeline, color_dot
from launcher.ui.call_list import HEADER_ROLE, INFO_ROLE, SEEN_ROLE, CallRowDelegate
from launcher.ui.json_tree import JsonTree
from launcher.view import messages
from launcher.view.live_call import LiveCallInfo, row_summary, row_tooltip

EMPTY_TEXT = messages.NO_LIVE_CALLS
ENDED_KEPT = 100  # ended calls the list keeps; older ones are released (history keeps every call)
KEY_ROLE = Qt.ItemDataRole.UserRole

__all__ = ["CallCard", "CallTimeline", "JsonTree", "LiveCallsPanel"]


class CardScrollArea(QScrollArea):
    """Scrolls the card when space is short, but asks the splitter for the card's full height."""

    def sizeHint(self) -> QSize:
        inner = self.widget()
        return inner.sizeHint() if inner is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        """Never less than the card's state, timer and Hang up (the details below may scroll)."""
        base = super().minimumSizeHint()
        inner = self.widget()
        if isinstance(inner, CallCard):
            frame = 2 * self.frameWidth()
            return QSize(base.width(), inner.essential_height() + frame)
        return base


class LiveCallsPanel(QWidget):
    """Live calls above ended ones (each group newest first), the selected one's card and raw answer.

    Ended calls sit under an "Ended (n)" row that folds them away; the selected call is never hidden.
    ``raw_visibility_changed`` tells the window to remember whether the raw JSON is shown.
    """

    hangup_requested = Signal(int)
    released = Signal(list)  # keys of ended calls the list no longer holds (the window may free them)
    refresh_requested = Signal(int)
    raw_visibility_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self._clock = clock or (lambda: datetime.now().astimezone())
        self.infos: dict[int, LiveCallInfo] = {}
        self._items: dict[int, QListWidgetItem] = {}
        self._icons: dict[str, QIcon] = {}
        self._seen: dict[int, set[CallPhase]] = {}
        self._answered_seen_at: dict[int, datetime] = {}
        self._ended_seen_at: dict[int, datetime] = {}
        self.ended_collapsed = False

        self.call_list = QListWidget(self)
        self.call_list.setAccessibleName("Live and recent calls")
        self.call_list.setToolTip(messages.LIVE_CALLS_TIP)
        self.call_list.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.call_list.setUniformItemSizes(False)
        self.call_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.call_list.setItemDelegate(CallRowDelegate(self.call_list, self._clock))
        self.call_list.currentItemChanged.connect(self._show_current)
        self.call_list.itemClicked.connect(self._item_clicked)
        self.header_item = QListWidgetItem()
        self.header_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.header_item.setData(HEADER_ROLE, (0, False))
        self.header_item.setToolTip(messages.TOGGLE_ENDED_TIP)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self.clear_button = QPushButton(messages.CLEAR_ENDED, self)
        self.clear_button.setAccessibleName("Clear ended calls")
        self.clear_button.setToolTip(messages.CLEAR_ENDED_TIP)
        self.clear_button.clicked.connect(self.remove_ended)
        self.list_side = list_side = QWidget(self)
        list_layout = QVBoxLayout(list_side)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.call_list, 1)
        clear_row = QHBoxLayout()
        clear_row.addStretch(1)
        clear_row.addWidget(self.clear_button)
        list_layout.addLayout(clear_row)

        self.card = CallCard(self, clock=lambda: self._clock())
        self.card.hangup_requested.connect(self.hangup_requested)
        self.card.refresh_requested.connect(self.refresh_requested)
        self.card_scroll = card_scroll = CardScrollArea(self)
        card_scroll.setWidgetResizable(True)
        card_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the card elides
        card_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        card_scroll.setWidget(self.card)
        self.card.essentials_changed.connect(card_scroll.updateGeometry)
        self.json_tree = JsonTree(self)
        self.raw_toggle = QToolButton(self)
        self.raw_toggle.setText(messages.RAW_ANSWER)
        self.raw_toggle.setCheckable(True)
        self.raw_toggle.setAutoRaise(True)
        self.raw_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.raw_toggle.setAccessibleName("Show the provider's raw answer")
        self.raw_toggle.setToolTip(messages.RAW_ANSWER_TIP)
        self.raw_toggle.toggled.connect(self._raw_toggled)
        self.raw_side = raw_side = QWidget(self)
        raw_layout = QVBoxLayout(raw_side)
        raw_layout.setContentsMargins(0, 0, 0, 0)
        raw_layout.addWidget(self.raw_toggle)
        raw_layout.addWidget(self.json_tree, 1)
        self.detail_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.detail_splitter.addWidget(card_scroll)
        self.detail_splitter.addWidget(raw_side)
        self.detail_splitter.setStretchFactor(0, 1)
        self.detail_splitter.setStretchFactor(1, 0)
        self.detail_splitter.setChildrenCollapsible(False)
        self.detail_splitter.splitterMoved.connect(self._card_sized_by_hand)
        self._card_height_chosen = False

        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_splitter.addWidget(list_side)
        self.main_splitter.addWidget(self.detail_splitter)
        self.main_splitter.setStretchFactor(0, 2)
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
        self.set_raw_visible(False)
        self._update_chrome()

    # -- public API -------------------------------------------------------------------------------
    def upsert(self, info: LiveCallInfo) -> None:
        """Add a call (and select it) or refresh one already listed; only that call's row changes."""
        previous = self.infos.get(info.key)
        is_new = previous is None
        if previous == info:
            return
        self.infos[info.key] = info
        self._remember_progress(info)
        item = self._items.get(info.key)
        if item is None:
            item = QListWidgetItem()
            item.setData(KEY_ROLE, info.key)
            item.setIcon(self._icon(info.profile_color))
            self._items[info.key] = item
            self.call_list.addItem(item)
        elif previous is not None and previous.profile_color != info.profile_color:
            item.setIcon(self._icon(info.profile_color))
        text, tooltip, seen = row_summary(info), row_tooltip(info), self._answered_seen_at.get(info.key)
        if item.text() != text:
            item.setText(text)
        if item.toolTip() != tooltip:
            item.setToolTip(tooltip)
        if item.data(SEEN_ROLE) != seen:
            item.setData(SEEN_ROLE, seen)
        item.setData(INFO_ROLE, info)
        ended_before = previous is not None and previous.ended
        if is_new or ended_before != info.ended:
            self._arrange(select=item if is_new else None)
            self._release_beyond_limit()
        if not is_new and info.key == self.selected_key():
            self._show(info)
        self._update_chrome()

    def remove_ended(self) -> None:
        """Drop every call that is over; select the newest remaining one."""
        self._drop([key for key, info in self.infos.items() if info.ended])

    def _release_beyond_limit(self) -> None:
        """Keep at most ``ENDED_KEPT`` ended calls (the newest; never the selected one); history has the rest."""
        ended = [key for key in self.ordered_keys() if self.infos[key].ended]
        if len(ended) > ENDED_KEPT:
            selected = self.selected_key()
            self._drop([key for key in ended[ENDED_KEPT:] if key != selected])

    def _drop(self, keys: list[int]) -> None:
        if not keys:
            return
        for key in keys:
            item = self._items.pop(key, None)
            if item is not None:
                self.call_list.takeItem(self.call_list.row(item))
            del self.infos[key]
            self._seen.pop(key, None)
            self._answered_seen_at.pop(key, None)
            self._ended_seen_at.pop(key, None)
            self.json_tree.forget(key)
        if self.card.info is not None and self.card.info.key in keys:
            self.card.set_info(None)
            self.json_tree.set_json(None)
        self._arrange()
        first = self._item(self.ordered_keys()[0]) if self.infos else None
        if self.call_list.currentItem() is None and first is not None:
            self.call_list.setCurrentItem(first)
        if not self.infos:
            self.card.set_info(None)
        self._update_chrome()
        self.released.emit(keys)

    def selected_key(self) -> int | None:
        item = self.call_list.currentItem()
        key = item.data(KEY_ROLE) if item is not None else None
        return int(key) if key is not None else None

    def select(self, key: int) -> None:
        item = self._item(key)
        if item is not None:
            item.setHidden(False)
            self.call_list.setCurrentItem(item)

    def ordered_keys(self) -> list[int]:
        """Live calls newest first, then ended ones newest first."""
        def newest_first(info: LiveCallInfo) -> tuple[float, int]:
            return (-info.started_at.timestamp(), -info.key)

        live = sorted((i for i in self.infos.values() if not i.ended), key=newest_first)
        ended = sorted((i for i in self.infos.values() if i.ended), key=newest_first)
        return [info.key for info in live + ended]

    def visible_keys(self) -> list[int]:
        return [int(self.call_list.item(row).data(KEY_ROLE)) for row in range(self.call_list.count())
                if self.call_list.item(row).data(KEY_ROLE) is not None and not self.call_list.item(row).isHidden()]

    def set_ended_collapsed(self, collapsed: bool) -> None:
        self.ended_collapsed = collapsed
        self._arrange()

    def set_raw_visible(self, visible: bool) -> None:
        """Show or fold the raw JSON (folded by default; the window remembers the choice)."""
        self.raw_toggle.blockSignals(True)
        self.raw_toggle.setChecked(visible)
        self.raw_toggle.blockSignals(False)
        self.raw_toggle.setArrowType(Qt.ArrowType.DownArrow if visible else Qt.ArrowType.RightArrow)
        self.json_tree.setVisible(visible)
        sizes = self.detail_splitter.sizes()
        if sum(sizes):
            caption = self.raw_toggle.sizeHint().height()
            raw = max(caption, sum(sizes) // 2) if visible else caption
            self.detail_splitter.setSizes([sum(sizes) - raw, raw])

    def set_compact(self, compact: bool) -> None:
        """Compact layout: the selected call's card on top, the list of calls under it, no raw JSON."""
        self.card.set_compact(compact)
        self.raw_side.setVisible(not compact)
        self.clear_button.setVisible(not compact)
        if compact:  # the card at its natural height, the list takes the rest
            self.main_splitter.setOrientation(Qt.Orientation.Vertical)
            self.main_splitter.insertWidget(0, self.detail_splitter)
            stretch = (0, 1)
        else:
            self.main_splitter.setOrientation(Qt.Orientation.Horizontal)
            self.main_splitter.insertWidget(0, self.list_side)
            stretch = (2, 3)
        for index, factor in enumerate(stretch):
            self.main_splitter.setStretchFactor(index, factor)
        if compact:
            total = sum(self.main_splitter.sizes()) or self.height()
            card = self.card_scroll.sizeHint().height()
            self.main_splitter.setSizes([card, max(total - card, card)])

    # -- internals --------------------------------------------------------------------------------
    def _raw_toggled(self, visible: bool) -> None:
        self.set_raw_visible(visible)
        self.raw_visibility_changed.emit(visible)

    def _item(self, key: int) -> QListWidgetItem | None:
        return self._items.get(key)

    def _icon(self, color: str) -> QIcon:
        icon = self._icons.get(color)
        if icon is None:
            icon = self._icons[color] = QIcon(color_dot(color, self.call_list))
        return icon

    def _item_clicked(self, item: QListWidgetItem) -> None:
        if item is self.header_item:
            self.set_ended_collapsed(not self.ended_collapsed)

    def _arrange(self, select: QListWidgetItem | None = None) -> None:
        """Put rows in order (live, header, ended), fold ended ones if asked, keep the selection."""
        order = self.ordered_keys()
        ended = [key for key in order if self.infos[key].ended]
        wanted: list[QListWidgetItem] = []
        for key in order:
            if ended and key == ended[0]:
                wanted.append(self.header_item)
            item = self._item(key)
            if item is not None:
                wanted.append(item)
        current = select or self.call_list.currentItem()
        present = [self.call_list.item(row) for row in range(self.call_list.count())]
        if present != wanted:
            self.call_list.blockSignals(True)
            try:
                self._move_rows(present, wanted)
                if current is not None and current in wanted and select is None:
                    self.call_list.setCurrentItem(current)
            finally:
                self.call_list.blockSignals(False)
        if self.header_item.data(HEADER_ROLE) != (len(ended), self.ended_collapsed):
            self.header_item.setData(HEADER_ROLE, (len(ended), self.ended_collapsed))
        for key in ended:
            item = self._item(key)
            hide = self.ended_collapsed and item is not current
            if item is not None and item.isHidden() != hide:
                item.setHidden(hide)
        if select is not None:
            if self.call_list.currentItem() is select:  # became current silently while rows moved
                self._show_current(select)
            else:
                self.call_list.setCurrentItem(select)
        if any(not info.ended for info in self.infos.values()):
            if not self._ticker.isActive():
                self._ticker.start()
        else:
            self._ticker.stop()

    def _move_rows(self, present: list[QListWidgetItem], wanted: list[QListWidgetItem]) -> None:
        """Reorder with few moves: a new call, or a call that ended, moves one row, not the whole list."""
        wanted_ids = {id(item) for item in wanted}
        rows = list(present)
        for row in range(len(rows) - 1, -1, -1):
            if id(rows[row]) not in wanted_ids:
                self.call_list.takeItem(row)
                del rows[row]
        position = 0
        while position < len(wanted):
            item = wanted[position]
            if position < len(rows) and rows[position] is item:
                position += 1
                continue
            if position + 1 < len(rows) and rows[position + 1] is item:  # the row here moves further down
                self.call_list.takeItem(position)
                del rows[position]
                continue
            found = next((row for row, listed in enumerate(rows) if listed is item), -1)
            if found >= 0:
                self.call_list.takeItem(found)
                del rows[found]
            self.call_list.insertItem(position, item)
            rows.insert(position, item)
            position += 1

    def ticking_rows(self) -> list[int]:
        """Rows whose timer runs and that are on screen: the only ones the ticker repaints."""
        view = self.call_list
        if not view.isVisible() or not view.count():
            return []
        first = view.indexAt(QPoint(1, 1)).row()
        last = view.indexAt(QPoint(1, view.viewport().height() - 2)).row()
        first = max(first, 0)
        last = view.count() - 1 if last < 0 else last
        rows = []
        for row in range(first, last + 1):
            item = view.item(row)
            info = item.data(INFO_ROLE) if not item.isHidden() else None
            if info is not None and not info.ended:
                rows.append(row)
        return rows

    def _tick(self) -> None:
        viewport = self.call_list.viewport()
        for row in self.ticking_rows():
            viewport.update(self.call_list.visualItemRect(self.call_list.item(row)))

    def _remember_progress(self, info: LiveCallInfo) -> None:
        if info.call is None:
            return
        self._seen.setdefault(info.key, set()).add(info.call.phase)
        if info.call.phase is CallPhase.ANSWERED:
            self._answered_seen_at.setdefault(info.key, self._clock())
        if info.call.final:
            self._ended_seen_at.setdefault(info.key, self._clock())

    def _show_current(self, current: QListWidgetItem | None, previous: QListWidgetItem | None = None) -> None:
        if current is self.header_item:  # the header folds; it is never "the selected call"
            if previous is not None:
                self.call_list.blockSignals(True)
                self.call_list.setCurrentItem(previous)
                self.call_list.blockSignals(False)
            return
        key = current.data(KEY_ROLE) if current is not None else None
        if key is None:
            self.card.set_info(None)
            self.json_tree.set_json(None)
            return
        self._show(self.infos[int(key)])
        if self.ended_collapsed:
            self._arrange()

    def _show(self, info: LiveCallInfo) -> None:
        self.card.set_info(info, self._seen.get(info.key, ()), self._answered_seen_at.get(info.key),
                           self._ended_seen_at.get(info.key))
        self.json_tree.set_json(info.call.raw if info.call is not None else {}, info.key)
        self._fit_card()

    def _card_sized_by_hand(self) -> None:
        self._card_height_chosen = True

    def _fit_card(self) -> None:
        """Grow the card's pane to show the whole card (error text can add lines), unless the
        person has dragged the splitter, and never squeezing the raw tree below a few rows."""
        sizes = self.detail_splitter.sizes()
        if self._card_height_chosen or len(sizes) != 2 or not sum(sizes) or not self.json_tree.isVisible():
            return
        wanted = self.card_scroll.sizeHint().height()
        tree_minimum = self.json_tree.fontMetrics().height() * 8
        if sizes[0] < wanted <= sum(sizes) - tree_minimum:
            self.detail_splitter.setSizes([wanted, sum(sizes) - wanted])

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Side by side when there is room; the card under the list when the panel is narrow (200 %
        scale, small screens), so neither the destinations nor the card get squeezed."""
        super().resizeEvent(event)
        if self.card.compact:
            return
        wide = event.size().width() >= self.fontMetrics().horizontalAdvance("M") * 64
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.main_splitter.orientation() != orientation:
            self.main_splitter.setOrientation(orientation)
            if not wide:  # the list keeps room for several calls; the card scrolls if it must
                height = event.size().height()
                self.main_splitter.setSizes([height * 9 // 20, height - height * 9 // 20])

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.set_raw_visible(self.raw_toggle.isChecked())
        self._fit_card()

    def _update_chrome(self) -> None:
        self.stack.setCurrentWidget(self.main_splitter if self.infos else self.empty_label)
        self.clear_button.setEnabled(any(info.ended for info in self.infos.values()))
