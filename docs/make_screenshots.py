"""Render the window in its main states and save PNGs to docs/screenshots/ (used by the README).

    python3 dev.py screenshots

Runs offscreen against the in-process sandbox with a throwaway $CALL_LAUNCHER_HOME.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "screenshots"


def dark_palette():  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    roles = QPalette.ColorRole
    for role, color in {
        roles.Window: "#2b2b2b", roles.WindowText: "#e6e6e6", roles.Base: "#1f1f1f",
        roles.AlternateBase: "#2a2a2a", roles.Text: "#e6e6e6", roles.Button: "#353535",
        roles.ButtonText: "#e6e6e6", roles.Highlight: "#2f65ca", roles.HighlightedText: "#ffffff",
        roles.ToolTipBase: "#353535", roles.ToolTipText: "#e6e6e6", roles.PlaceholderText: "#8a8a8a",
        roles.Mid: "#555555", roles.Dark: "#1a1a1a", roles.Light: "#505050", roles.Link: "#7aa7ff",
    }.items():
        palette.setColor(role, QColor(color))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor("#7a7a7a"))
    return palette


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["CALL_LAUNCHER_HOME"] = tempfile.mkdtemp(prefix="cl-shots-")
    import keyring.backend
    import qasync
    from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from launcher.core.secrets import KeyringSecrets
    from launcher.sandbox.app import sandbox_client
    from launcher.sandbox.engine import Engine, SandboxConfig
    from launcher.ui.context import build_context
    from launcher.ui.main_window import MainWindow
    from launcher.ui.resources import app_icon

    class MemoryKeyring(keyring.backend.KeyringBackend):
        """Stands in for the desktop's keyring so the screenshots show the normal status line."""

        priority = 1  # type: ignore[assignment]
        name = "Secret Service"
        values: dict[tuple[str, str], str] = {}  # noqa: RUF012

        def get_password(self, service: str, username: str) -> str | None:
            return self.values.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.values[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.values.pop((service, username), None)

    app = QApplication(sys.argv[:1])
    app.setWindowIcon(app_icon())
    if "--dark" in sys.argv:  # what a desktop in dark mode hands the app
        QGuiApplication.styleHints().setColorScheme(Qt.ColorScheme.Dark)
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)

    def spin(ms: int) -> None:
        waiter = QEventLoop()
        QTimer.singleShot(ms, waiter.quit)
        waiter.exec()

    def wait_for(condition: object, timeout_ms: int = 20000) -> None:
        waited = 0
        while not condition() and waited < timeout_ms:  # type: ignore[operator]
            spin(50)
            waited += 50

    engine = Engine(SandboxConfig(speed=1.0))
    context = build_context(client=sandbox_client(engine=engine), keyring=KeyringSecrets(MemoryKeyring()))
    settings = QSettings(str(Path(os.environ["CALL_LAUNCHER_HOME"]) / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(context, settings)
    window.resize(1360, 860)
    window.show()
    spin(400)
    OUT.mkdir(exist_ok=True)
    suffix = "-dark" if "--dark" in sys.argv else ""

    def shot(name: str) -> None:
        spin(300)
        window.grab().save(str(OUT / f"{name}{suffix}.png"))

    shot("first-run")

    to_editor = window.form.editor("To")
    assert to_editor is not None
    to_editor.set_value("+1 555 12")
    window.form.mark_submitted()
    window.tabs.setCurrentWidget(window.inspector)
    shot("invalid-form")

    # a few finished calls for the history, then one live call
    for number in ("+15555550001", "+15555550004", "+15555550003", "+15005550001"):
        to_editor.set_value(number)
        spin(300)
        window.place_call()
        wait_for(lambda: not window.controller.submitting)
    wait_for(lambda: all(c.finished for c in window.controller.calls.values()))
    to_editor.set_value("+15555550100")
    spin(300)
    window.place_call()
    wait_for(lambda: any(c.call is not None and c.call.phase.value == "answered"
                         for c in window.controller.calls.values()))
    spin(2500)
    window.tabs.setCurrentWidget(window.calls_panel)
    shot("live-call")

    window.tabs.setCurrentWidget(window.history_view)
    window.history_view.refresh()
    shot("history")

    window.edit_profiles()  # a new Bandwidth profile with API credentials (OAuth 2.0)
    editor = window._editor
    assert editor is not None
    editor.resize(900, 620)
    editor.new_button.click()
    form = editor.form
    form.name_edit.setText("bandwidth-prod")
    form.provider_combo.setCurrentIndex(form.provider_combo.findData("bandwidth"))
    form.account_edit.setText("9900000")
    form.username_edit.setText("6f1c2d3e-0a4b-4c5d-8e9f-client")
    form.label_edit.setText("PROD")
    form.set_color("#d32f2f")
    spin(300)
    editor.grab().save(str(OUT / f"profile-editor{suffix}.png"))
    editor.close()

    window.controller.cancel_all()
    spin(200)
    window.close()
    context.history.close()
    print(f"saved screenshots to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
