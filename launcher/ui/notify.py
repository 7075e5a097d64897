"""Desktop notifications: a tray balloon where the desktop has a tray, else a taskbar alert."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from launcher.view import messages


class Notifier:
    def __init__(self, window: QWidget) -> None:
        self.window = window
        self.tray: QSystemTrayIcon | None = None
        self.sent: list[tuple[str, str]] = []  # what was shown, newest last (the window's tests read it)
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(window.windowIcon(), window)
            self.tray.setToolTip(messages.APP_NAME)
            self.tray.show()

    def notify(self, title: str, message: str) -> None:
        self.sent.append((title, message))
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 8000)
        QApplication.alert(self.window)
