"""Desktop notifications: a tray balloon where the desktop has a tray, and a taskbar alert."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from launcher.view import messages


class MessageSender(Protocol):
    """Where a notification's words go: the desktop's tray by default."""

    def show_message(self, title: str, message: str) -> None: ...


class TraySender:
    """A tray icon's balloon message; nothing where the desktop has no tray."""

    def __init__(self, window: QWidget) -> None:
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(window.windowIcon(), window)
            self.tray.setToolTip(messages.APP_NAME)
            self.tray.show()

    def show_message(self, title: str, message: str) -> None:
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 8000)


class Notifier:
    def __init__(self, window: QWidget, sender: MessageSender | None = None) -> None:
        self.window = window
        self.sender = sender if sender is not None else TraySender(window)

    def notify(self, title: str, message: str) -> None:
        self.sender.show_message(title, message)
        QApplication.alert(self.window)
