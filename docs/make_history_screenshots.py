"""Render History (a dozen calls on five profiles, every result), the Help windows, the Ctrl+K
switcher and the locked-keyring choice, to check them as pictures.

    python docs/make_history_screenshots.py [--dark] [--size 1366x768] [--out DIR] [--readme]

Meant for a real display server (``xvfb-run -a -s "-screen 0 1600x1000x24"`` with
``QT_QPA_PLATFORM=xcb``); ``QT_SCALE_FACTOR=2`` checks 200 %.  Without ``--out`` the pictures go to a
temporary folder; ``--readme`` writes the ones the README shows into docs/screenshots/.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_screenshots import dark_palette

DOCS = Path(__file__).resolve().parent / "screenshots"
README_SHOTS = {"history-results", "quick-switcher", "keyring-locked", "help-shortcuts"}
PROFILES = (  # name, provider, label, colour
    ("Support desk", "twilio", "", "#1e88e5"), ("Sales EU", "bandwidth", "", "#8e24aa"),
    ("Lab jambonz", "jambonz", "LAB", "#00897b"), ("Legacy", "catapult", "", "#6d4c41"),
    ("Twilio PROD", "twilio", "PROD", "#d32f2f"),
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--readme", action="store_true")
    args = parser.parse_args()
    os.environ["CALL_LAUNCHER_HOME"] = tempfile.mkdtemp(prefix="cl-history-shots-")
    out = DOCS if args.readme else (args.out or Path(tempfile.mkdtemp(prefix="cl-shots-")))
    out.mkdir(parents=True, exist_ok=True)
    width, height = (int(n) for n in args.size.split("x"))

    import keyring.backend
    import keyring.errors
    from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from launcher.core.history import Attempt, AttemptStatus
    from launcher.core.profiles import Profile
    from launcher.core.secrets import KeyringSecrets
    from launcher.ui.main_window import MainWindow
    from launcher.ui.window_menus import open_quick_switcher
    from launcher.view.context import build_context

    class LockedOnce(keyring.backend.KeyringBackend):
        priority = 1  # type: ignore[assignment]
        name = "Secret Service"
        locked = False
        values: dict[str, str] = {}  # noqa: RUF012

        def get_password(self, service: str, username: str) -> str | None:
            return self.values.get(username)

        def set_password(self, service: str, username: str, password: str) -> None:
            if self.locked:
                raise keyring.errors.KeyringLocked("Failed to unlock the collection!")
            self.values[username] = password

        def delete_password(self, service: str, username: str) -> None:
            self.values.pop(username, None)

    app = QApplication(sys.argv[:1])
    if args.dark:
        QGuiApplication.styleHints().setColorScheme(Qt.ColorScheme.Dark)
        app.setStyle("Fusion")
        app.setPalette(dark_palette())

    def spin(ms: int) -> None:
        waiter = QEventLoop()
        QTimer.singleShot(ms, waiter.quit)
        waiter.exec()

    backend = LockedOnce()
    context = build_context(keyring=KeyringSecrets(backend))
    saved = []
    for name, provider, label, color in PROFILES:
        profile = Profile(name=name, provider=provider, account_id="AC" + "0" * 32 if provider == "twilio" else "99001",
                          base_url="https://vg.example.com" if provider == "jambonz" else "", label=label, color=color)
        context.manager.save(profile, "secret")
        saved.append(profile)
    now = datetime.now(UTC).replace(microsecond=0)
    rows = [  # profile index, to, status, outcome, duration, error
        (0, "+15555550100", AttemptStatus.ENDED, "completed", 74.0, None),
        (1, "+4930901820", AttemptStatus.ENDED, "busy", None, None),
        (2, "sip:alice@pbx.example.com", AttemptStatus.ENDED, "no-answer", None, None),
        (4, "+15555550003", AttemptStatus.ENDED, "failed", None, "Unreachable destination"),
        (3, "+19195550104", AttemptStatus.FAILED, None, None,
         "Can't reach api.catapult.inetwork.com — offline, or a proxy? Nothing was sent."),
        (0, "+15555550004", AttemptStatus.REJECTED, None, None, "The 'To' number is not a valid phone number."),
        (1, "+442071838750", AttemptStatus.ENDED, "canceled", None, None),
        (4, "+15555550100", AttemptStatus.UNKNOWN, None, None, "The app stopped before the outcome was known"),
        (2, "+15555550106", AttemptStatus.ENDED, "completed", 3125.0, None),
        (0, "+15555550107", AttemptStatus.ENDED, "rejected", None, None),
        (3, "+19195550108", AttemptStatus.ENDED, "completed", 12.0, None),
        (4, "+15555550109", AttemptStatus.RINGING, None, None, None),
    ]
    context.history.insert_attempts(Attempt(
        id=0, started_at=now - timedelta(minutes=7 * (len(rows) - i)), updated_at=now, profile=saved[p].name,
        profile_id=saved[p].id, provider=saved[p].provider, from_number="+15555551212", to=to, status=status,
        outcome=outcome, duration=duration, error=error, call_id=f"CA{i:02d}7f3e9b2c41d08a6e",
        provider_status=outcome or status.value) for i, (p, to, status, outcome, duration, error) in enumerate(rows))

    settings = QSettings(str(Path(os.environ["CALL_LAUNCHER_HOME"]) / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(context, settings)
    window.resize(width, height)
    window.show()
    spin(500)
    window.splitter.setSizes([int(width * 0.38), int(width * 0.62)])
    window.tabs.setCurrentWidget(window.history_view)
    window.history_view.refresh()
    suffix = ("-dark" if args.dark else "") + ("" if args.readme else f"-{args.size}")

    def shot(widget: object, name: str) -> None:
        if args.readme and name not in README_SHOTS:
            return
        spin(300)
        widget.grab().save(str(out / f"{name}{suffix}.png"))  # type: ignore[attr-defined]

    shot(window, "history-results")
    window.history_view.search_edit.setText("(555) 555-0100")
    window.history_view.apply_filter()
    shot(window, "history-search")
    window.history_view.search_edit.clear()
    window.history_view.apply_filter()

    switcher = open_quick_switcher(window)
    spin(200)
    switcher.search.setText("prod")
    spin(300)
    frame = window.frameGeometry()  # the popup is a window of its own: grab the screen where the window is
    if not args.readme or "quick-switcher" in README_SHOTS:
        app.primaryScreen().grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height()).save(
            str(out / f"quick-switcher{suffix}.png"))
    switcher.close()

    window.menu_actions["shortcuts"].trigger()
    shot(window.help_window, "help-shortcuts")
    window.menu_actions["sandbox"].trigger()
    shot(window.help_window, "help-sandbox")
    if window.help_window is not None:
        window.help_window.close()

    backend.locked = True
    window.edit_profiles()
    editor = window._editor
    assert editor is not None
    editor.resize(min(900, width - 40), min(620, height - 40))
    editor.new_button.click()
    form = editor.form
    form.name_edit.setText("Support night")
    form.provider_combo.setCurrentIndex(form.provider_combo.findData("twilio"))
    form.account_edit.setText("AC" + "1" * 32)
    form.secret_edit.setText("typed-secret")
    spin(200)
    editor.save()
    spin(300)
    if editor.keyring_choice is not None:
        shot(editor.keyring_choice, "keyring-locked")
        editor.keyring_choice.reject()
    editor.close()
    window.close()
    context.history.close()
    print(f"saved screenshots to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
