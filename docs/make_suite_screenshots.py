"""Render the Tests tab after a run of the example suites and save PNGs to docs/screenshots/.

    xvfb-run -a -s "-screen 0 1600x1000x24" python3 docs/make_suite_screenshots.py [--dark]

Runs against the in-process sandbox with a throwaway $CALL_LAUNCHER_HOME (see make_screenshots.py).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "screenshots"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "suites"
SPEED = 20.0
FAILING = """
[[test]]
name = "busy line expected to complete"
set = { To = "+15555550001" }
expect = { result = "completed" }
"""


def main() -> int:
    os.environ["CALL_LAUNCHER_HOME"] = tempfile.mkdtemp(prefix="cl-shots-")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import keyring.backend
    import qasync
    from make_screenshots import dark_palette
    from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from launcher.core.secrets import KeyringSecrets
    from launcher.sandbox.app import sandbox_client
    from launcher.sandbox.engine import Engine, SandboxConfig
    from launcher.ui.main_window import MainWindow
    from launcher.ui.resources import app_icon
    from launcher.view.context import build_context

    class MemoryKeyring(keyring.backend.KeyringBackend):
        """Stands in for the desktop's keyring so the screenshot shows the normal status line."""

        priority = 1  # type: ignore[assignment]
        name = "Secret Service"

        def get_password(self, service: str, username: str) -> str | None:
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            return None

        def delete_password(self, service: str, username: str) -> None:
            return None

    app = QApplication(sys.argv[:1])
    app.setWindowIcon(app_icon())
    if "--dark" in sys.argv:
        QGuiApplication.styleHints().setColorScheme(Qt.ColorScheme.Dark)
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)

    def spin(ms: int) -> None:
        waiter = QEventLoop()
        QTimer.singleShot(ms, waiter.quit)
        waiter.exec()

    context = build_context(client=sandbox_client(engine=Engine(SandboxConfig(speed=SPEED))),
                            keyring=KeyringSecrets(MemoryKeyring()))
    settings = QSettings(str(Path(os.environ["CALL_LAUNCHER_HOME"]) / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(context, settings)
    window.resize(1360, 860)
    window.splitter.setSizes([470, 890])
    window.show()
    view = window.tests_view
    view.time_scale = lambda profile: SPEED
    window.tabs.setCurrentWidget(view)
    suite = Path(os.environ["CALL_LAUNCHER_HOME"]) / "sandbox-twilio.toml"
    suite.write_text((EXAMPLES / "sandbox-twilio.toml").read_text(encoding="utf-8") + FAILING, encoding="utf-8")
    view.open_suite(suite)
    view.run_all()
    waited = 0
    while view.running and waited < 60000:
        spin(100)
        waited += 100
    for column in range(view.tree.columnCount() - 1):
        view.tree.resizeColumnToContents(column)
    OUT.mkdir(exist_ok=True)
    spin(300)
    suffix = "-dark" if "--dark" in sys.argv else ""
    window.grab().save(str(OUT / f"tests-tab{suffix}.png"))
    window.close()
    context.history.close()
    print(f"saved {OUT / f'tests-tab{suffix}.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
