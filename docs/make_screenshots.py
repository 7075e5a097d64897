"""Render the window in its states and save PNGs (used by the README and to check the look).

    python3 dev.py screenshots                       # light + dark into docs/screenshots/
    xvfb-run -a -s "-screen 0 1600x1000x24" python3 docs/make_screenshots.py --platform xcb \
        [--dark] [--size 1024x640] [--out DIR]      # QT_SCALE_FACTOR=2 for 200 %

States: first run, each provider's form, errors in the form, a live call, several calls on different
profiles, an ended call, the compact layout (idle, live call, ended), history, the profile editor.
Runs against the in-process sandbox with a throwaway $CALL_LAUNCHER_HOME; never touches real settings.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).resolve().parent / "screenshots"
SAVED_PROFILES = [  # (name, label, colour, copied sandbox profile)
    ("support-prod", "PROD", "#d32f2f", "sandbox-twilio"),
    ("support-test", "TEST", "#1976d2", "sandbox-twilio"),
    ("bw-lab", "LAB", "#7b1fa2", "sandbox-bandwidth"),
    ("vg-eu", "EU", "#00897b", "sandbox-jambonz"),
    ("catapult-legacy", "", "#ef6c00", "sandbox-catapult"),
]


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


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dark", action="store_true", help="a dark desktop palette")
    parser.add_argument("--size", default="1366x768", help="window size WxH, or 'auto' (fit the screen)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    parser.add_argument("--only", default="", help="comma-separated state names (default: all)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    os.environ["QT_QPA_PLATFORM"] = args.platform
    os.environ["CALL_LAUNCHER_HOME"] = tempfile.mkdtemp(prefix="cl-shots-")
    import keyring.backend
    import qasync
    from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QMessageBox

    from launcher.core.secrets import KeyringSecrets
    from launcher.sandbox.app import all_simulators, sandbox_client
    from launcher.sandbox.engine import Engine, SandboxConfig
    from launcher.ui.main_window import MainWindow
    from launcher.ui.resources import app_icon
    from launcher.view.context import build_context

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
    app.setStyle("Fusion")
    if args.dark:  # what a desktop in dark mode hands the app
        QGuiApplication.styleHints().setColorScheme(Qt.ColorScheme.Dark)
        app.setPalette(dark_palette())
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)

    def spin(ms: int) -> None:
        waiter = QEventLoop()
        QTimer.singleShot(ms, waiter.quit)
        waiter.exec()

    def wait_for(condition: Callable[[], bool], timeout_ms: int = 20000) -> None:
        waited = 0
        while not condition() and waited < timeout_ms:
            spin(50)
            waited += 50

    engine = Engine(SandboxConfig(speed=1.0))
    context = build_context(client=sandbox_client(engine=engine), keyring=KeyringSecrets(MemoryKeyring()))
    settings = QSettings(str(Path(os.environ["CALL_LAUNCHER_HOME"]) / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(context, settings)
    full_size = None
    if args.size != "auto":
        width, height = (int(part) for part in args.size.lower().split("x"))
        full_size = (width, height)
        window.resize(width, height)
    window.show()
    spin(500)
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "-dark" if args.dark else ""
    only = {name for name in args.only.split(",") if name}

    def shot(name: str, widget: object = None) -> None:
        if only and name not in only:
            return
        spin(350)
        target = widget or window
        target.grab().save(str(args.out / f"{name}{suffix}.png"))  # type: ignore[attr-defined]

    def choose(profile_name: str) -> None:
        combo = window.profile_bar.combo
        combo.setCurrentIndex(next(i for i in range(combo.count()) if combo.itemText(i).startswith(profile_name)))
        spin(200)

    def accept_question() -> None:
        for box in window.findChildren(QMessageBox):
            if box.isVisible():
                button = next(b for b in box.buttons() if b.text().replace("&", "") in ("Call", "Switch and call"))
                button.click()
                spin(100)

    def call(number: str) -> None:
        window.form.set_field_value("to", number)
        spin(250)
        before = len(window.controller.calls)
        window.place_call()
        spin(100)
        accept_question()
        wait_for(lambda: not window.controller.submitting)
        if len(window.controller.calls) == before:
            print(f"no call placed to {number} on {window.profile_bar.combo.currentText()}: "
                  f"{window.status_label.text()}", file=sys.stderr)

    def end_all_calls() -> None:
        for key, live in list(window.controller.calls.items()):
            if live.can_hang_up:
                window.controller.hang_up(key)
        wait_for(lambda: all(c.finished for c in window.controller.calls.values()))
        window.calls_panel.remove_ended()

    shot("first-run")
    for profile_name in ("sandbox-bandwidth", "sandbox-catapult", "sandbox-jambonz", "sandbox-twilio"):
        choose(profile_name)
        shot(f"form-{profile_name.removeprefix('sandbox-')}")

    to_editor = window.form.editor("To")
    assert to_editor is not None
    to_editor.set_value("+1 555 12")
    window.form.set_field_value("from", "")
    window.form.mark_submitted()
    window.place_call()
    window.tabs.setCurrentWidget(window.inspector)
    shot("invalid-form")
    window.form.set_field_value("from", "+15005550006")

    # A few finished calls for the history, then one live call.
    for number in ("+15555550001", "+15555550004", "+15555550003", "+15005550001"):
        call(number)
    wait_for(lambda: all(c.finished for c in window.controller.calls.values()))
    window.calls_panel.remove_ended()
    call("+15555550100")
    wait_for(lambda: any(c.call is not None and c.call.phase.value == "answered"
                         for c in window.controller.calls.values()))
    spin(2500)
    window.tabs.setCurrentWidget(window.calls_panel)
    shot("live-call")
    window.calls_panel.set_raw_visible(True)
    shot("live-call-raw")
    window.calls_panel.set_raw_visible(False)
    window.hang_up_selected()
    wait_for(lambda: all(c.finished for c in window.controller.calls.values()))
    shot("ended-call")

    window.tabs.setCurrentWidget(window.history_view)
    window.history_view.refresh()
    shot("history")

    # Several calls on different profiles, at once.
    manager = context.manager
    for name, label, colour, base in SAVED_PROFILES:
        builtin = next(p for p in manager.all() if p.name == base)
        manager.save(dataclasses.replace(builtin, name=name, label=label, color=colour, builtin=False,
                                         id=f"shot{name.replace('-', '')[:8]}"), manager.secret_for(builtin))
    window.profile_bar.reload()
    window.calls_panel.remove_ended()
    for name, *_ in SAVED_PROFILES:
        choose(name)
        assert window.profile is not None
        window.form.set_values(all_simulators()[window.profile.provider].sample_values())
        for number in ("+15555550105", "+15555550002"):
            call(number)
    choose("support-prod")
    call("+15555550001")
    window.tabs.setCurrentWidget(window.calls_panel)
    wait_for(lambda: sum(1 for c in window.controller.calls.values() if c.call is not None
                         and c.call.phase.value == "answered") >= 3)
    spin(1500)
    shot("many-calls")

    # The compact layout: idle, a live call, the same at the end.
    window.layout_modes.set_compact(True)
    spin(600)
    shot("compact-live")
    end_all_calls()
    choose("sandbox-twilio")
    shot("compact")
    window.dialpad_button.setChecked(True)
    shot("compact-dialpad")
    window.dialpad_button.setChecked(False)
    call("+15555550100")
    wait_for(lambda: any(c.call is not None and c.call.phase.value == "answered"
                         for c in window.controller.calls.values()))
    spin(2200)
    shot("compact-call")
    window.dialpad_button.setChecked(True)  # the pad during a call: in the recent calls' place
    spin(300)
    shot("compact-call-dialpad")
    window.dialpad_button.setChecked(False)
    window.hang_up_selected()
    wait_for(lambda: all(c.finished for c in window.controller.calls.values()))
    shot("compact-ended")
    window.layout_modes.set_compact(False)
    if full_size is not None:
        window.resize(*full_size)

    window.edit_profiles()  # a new Bandwidth profile with API credentials (OAuth 2.0)
    editor = window._editor
    assert editor is not None
    if full_size is not None:
        editor.resize(min(900, full_size[0] - 40), min(620, full_size[1] - 40))
    editor.new_button.click()
    form = editor.form
    form.name_edit.setText("bandwidth-prod")
    form.provider_combo.setCurrentIndex(form.provider_combo.findData("bandwidth"))
    form.account_edit.setText("9900000")
    form.username_edit.setText("6f1c2d3e-0a4b-4c5d-8e9f-client")
    form.label_edit.setText("PROD")
    form.set_color("#d32f2f")
    shot("profile-editor", editor)
    editor.close()

    window.controller.cancel_all()
    spin(200)
    window.close()
    context.history.close()
    print(f"saved screenshots to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
