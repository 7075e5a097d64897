"""What the window loads before its first paint (structure, not timing): a fresh interpreter builds
the window the way ``launcher.ui.app.run`` does and reports which modules are loaded at each step."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

# Each costs start-up time and none is needed to paint the window or to type into its form.
NOT_BEFORE_PAINT = (
    "starlette",  # the sandbox server: the built-in profiles need only its static data
    "launcher.sandbox.app",
    "launcher.sandbox.engine",
    "httpx",  # the HTTP client is made when the first request is sent
    "click",  # httpx's command line
    "pygments",
    "phonenumbers",  # the first form is checked right after the first paint
    "urllib.request",  # the system proxies are read when a request is sent
    "launcher.ui.history_view",  # the Request, History and Tests tabs are built after the first paint
    "launcher.ui.request_view",
    "launcher.ui.tests_view",
    "launcher.ui.profile_editor",  # only when the profile editor opens
    "launcher.ui.profile_check",
)

CHILD = f"""
import json, sys
NOT_BEFORE_PAINT = {NOT_BEFORE_PAINT!r}

def loaded():
    return sorted(name for name in NOT_BEFORE_PAINT if name in sys.modules)

from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
import launcher.ui.app
from launcher.view.context import build_context
from launcher.ui.main_window import MainWindow
report = {{"imported": loaded()}}
window = MainWindow(build_context(), defer_tabs=True)
tabs = lambda: [window.tabs.tabText(i) for i in range(window.tabs.count())]
report["built"] = loaded()
report["tabs_before"] = tabs()
report["built_before"] = window.tabs_built
report["call_enabled_before"] = window.call_button.isEnabled()
view = window.history_view  # any use builds the deferred tabs at once
report["tabs_after"] = tabs()
report["built_after"] = window.tabs_built
report["history_named"] = window.findChild(type(view.search_edit), "historySearch") is view.search_edit
report["call_enabled_after"] = window.call_button.isEnabled()
print(json.dumps(report))
"""


def test_the_first_window_loads_only_what_it_paints(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CALL_LAUNCHER_HOME=str(tmp_path / "home"),
               HOME=str(tmp_path), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["imported"] == []
    assert report["built"] == []
    assert report["tabs_before"] == ["Live calls", "Request", "History"]
    assert report["built_before"] is False
    assert report["tabs_after"] == ["Live calls", "Request", "History", "Tests"]
    assert report["built_after"] is True
    assert report["history_named"] is True
    # The built-in sandbox profile's sample call is valid: once checked, Call is on.
    assert report["call_enabled_after"] is True


def test_the_deferred_start_finishes_after_the_first_paint(qtbot: QtBot, tmp_path: Path) -> None:
    """The real order: the first paint, then (with nothing else to do) the first form's check and the
    other tabs."""
    from keyring.backends import fail
    from PySide6.QtCore import QEvent, QObject, QSettings

    from launcher.core.secrets import KeyringSecrets
    from launcher.ui.main_window import MainWindow
    from launcher.view.context import build_context

    context = build_context(keyring=KeyringSecrets(fail.Keyring()))
    window = MainWindow(context, QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat),
                        defer_tabs=True)
    qtbot.addWidget(window)
    tabs_built_at_first_paint: list[bool] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if watched is window and event.type() == QEvent.Type.Paint and not tabs_built_at_first_paint:
                tabs_built_at_first_paint.append(window.tabs_built)
            return False

    watcher = FirstPaint(window)
    window.installEventFilter(watcher)
    window.show()
    qtbot.waitUntil(lambda: window.tabs_built, timeout=5000)
    assert tabs_built_at_first_paint == [False]
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["Live calls", "Request", "History", "Tests"]
    assert window.call_button.isEnabled() is True
    # The keyring probe ran on a worker thread; its answer is shown on the GUI thread.
    from launcher.view import messages

    manager = context.manager
    expected = messages.secrets_notice(manager.secrets_description(), manager.session_only)
    qtbot.waitUntil(lambda: window.secrets_notice.text() == expected, timeout=5000)
    assert window.secrets_notice.toolTip() == manager.secrets_description()
    window.close()
    context.history.close()
