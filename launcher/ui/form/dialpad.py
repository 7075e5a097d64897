"""A phone-style dial pad: 1-9, *, 0, # with their letters, + (hold 0, or its own key) and backspace."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QGridLayout,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QWidget,
)

from launcher.view import messages

KEYS: tuple[tuple[str, str], ...] = (
    ("1", ""), ("2", "ABC"), ("3", "DEF"),
    ("4", "GHI"), ("5", "JKL"), ("6", "MNO"),
    ("7", "PQRS"), ("8", "TUV"), ("9", "WXYZ"),
    ("*", ""), ("0", "+"), ("#", ""),
)
SPOKEN = {"*": "star", "#": "pound", "+": "plus"}
DIALABLE = frozenset("0123456789*#+")
LONG_PRESS_MS = 600
FLASH_MS = 120
BACKSPACE = "⌫"


class DialKey(QAbstractButton):
    """A big key with its symbol and, smaller, its letters; sized from the font, so it scales with it."""

    def __init__(self, symbol: str, letters: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.symbol = symbol
        self.letters = letters
        self.setText(symbol)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # digits typed on the keyboard go to the pad itself
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        name = SPOKEN.get(symbol, symbol)
        self.setAccessibleName(f"Dial {name}")
        if letters:
            self.setAccessibleDescription(messages.HOLD_FOR_PLUS if symbol == "0" else letters)

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance("M") * 5, metrics.height() * 3)

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance("M") * 3, round(metrics.height() * 2.2))

    def text_layout(self) -> tuple[QFont, QRect, QFont, QRect]:
        """Fonts and rects for the symbol and, below it, the letters: stacked, never overlapping.

        The symbol is drawn at 1.6x the font, shrunk as far as needed so both lines fit the key.
        """
        rect = self.rect()
        big = QFont(self.font())
        big.setPointSizeF(self.font().pointSizeF() * 1.6)
        if not self.letters:
            return big, rect, QFont(self.font()), QRect()
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * 0.75)
        small_height = QFontMetrics(small).height()
        big_height = QFontMetrics(big).height()
        room = max(1, rect.height() - 2)
        while big_height + small_height > room and big.pointSizeF() > self.font().pointSizeF():
            big.setPointSizeF(big.pointSizeF() * 0.95)
            big_height = QFontMetrics(big).height()
        top = rect.top() + max(0, (rect.height() - big_height - small_height) // 2)
        symbol_rect = QRect(rect.left(), top, rect.width(), big_height)
        letters_rect = QRect(rect.left(), top + big_height, rect.width(), small_height)
        return big, symbol_rect, small, letters_rect

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        option.initFrom(self)
        option.state |= QStyle.StateFlag.State_Sunken if self.isDown() else QStyle.StateFlag.State_Raised
        painter.drawControl(QStyle.ControlElement.CE_PushButtonBevel, option)
        text_color = self.palette().color(QPalette.ColorRole.ButtonText)
        big, symbol_rect, small, letters_rect = self.text_layout()
        painter.setFont(big)
        painter.setPen(text_color)
        painter.drawText(symbol_rect, Qt.AlignmentFlag.AlignCenter, self.symbol)
        if self.letters:
            painter.setFont(small)
            muted = QColor(text_color)
            muted.setAlphaF(0.65)
            painter.setPen(muted)
            painter.drawText(letters_rect, Qt.AlignmentFlag.AlignCenter,
                             " ".join(self.letters) if len(self.letters) > 1 else self.letters)


class DialPad(QWidget):
    """Emits ``key_pressed("5")`` / ``key_pressed("+")`` and ``backspace_pressed()``; types nothing itself.

    Holding 0 gives +, as on a phone; the + key does the same in one tap.  With focus, the pad takes
    the keyboard's digits, *, #, + and Backspace.
    """

    key_pressed = Signal(str)
    backspace_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Dial pad")
        self.setToolTip(messages.DIAL_PAD_TIP)
        self._grid = QGridLayout(self)
        spacing = max(4, self.fontMetrics().height() // 3)
        self._grid.setSpacing(spacing)
        self._keys: dict[str, DialKey] = {}
        for index, (symbol, letters) in enumerate(KEYS):
            key = DialKey(symbol, letters, self)
            self._keys[symbol] = key
            self._grid.addWidget(key, index // 3, index % 3)
            if symbol != "0":
                key.clicked.connect(lambda _checked=False, s=symbol: self.key_pressed.emit(s))
        plus = DialKey("+", "", self)
        plus.clicked.connect(lambda _checked=False: self.key_pressed.emit("+"))
        self._keys["+"] = plus
        self._grid.addWidget(plus, 4, 0)
        self._backspace = DialKey(BACKSPACE, "", self)
        self._backspace.setAccessibleName("Delete last digit")
        self._backspace.setToolTip(messages.BACKSPACE_TIP)
        self._backspace.setAutoRepeat(True)
        self._backspace.clicked.connect(lambda _checked=False: self.backspace_pressed.emit())
        self._grid.addWidget(self._backspace, 4, 2)
        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.setInterval(LONG_PRESS_MS)
        self._hold.timeout.connect(self._zero_held)
        self._held = False
        zero = self._keys["0"]
        zero.pressed.connect(self._zero_pressed)
        zero.released.connect(self._hold.stop)
        zero.clicked.connect(self._zero_clicked)

    def key(self, symbol: str) -> DialKey:
        """The key for "0"-"9", "*", "#", "+", or "⌫"."""
        return self._backspace if symbol == BACKSPACE else self._keys[symbol]

    def set_center_widget(self, widget: QWidget) -> None:
        """Put a widget (a Call button) between + and backspace on the bottom row."""
        self._grid.addWidget(widget, 4, 1)

    def _zero_pressed(self) -> None:
        self._held = False
        self._hold.start()

    def _zero_held(self) -> None:
        self._held = True
        self.key_pressed.emit("+")

    def _zero_clicked(self) -> None:
        if not self._held:
            self.key_pressed.emit("0")
        self._held = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text and text in DIALABLE:
            self._flash(self._keys[text])
            self.key_pressed.emit(text)
        elif event.key() == Qt.Key.Key_Backspace:
            self._flash(self._backspace)
            self.backspace_pressed.emit()
        else:
            super().keyPressEvent(event)

    def _flash(self, key: DialKey) -> None:
        key.setDown(True)
        QTimer.singleShot(FLASH_MS, key, lambda: key.setDown(False))
