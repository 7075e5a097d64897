"""Click-to-call: links reach the form, a second start hands its link to the running window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from launcher.sandbox.engine import Engine
from launcher.ui.main_window import MainWindow
from launcher.ui.single_instance import InstanceServer, hand_over, server_name


def to_value(window: MainWindow) -> object:
    return window.form.validation_result().values.get("To")


def test_a_link_fills_to_but_does_not_call(window: MainWindow, qtbot: QtBot, engine: Engine) -> None:
    assert window.open_link("tel:+1-555-555-1313;ext=42")
    assert to_value(window) == "+15555551313"
    assert window.status_label.text() == ("+15555551313 from a link: press Call to dial. The extension 42 was not "
                                          "dialled: dial it yourself once the call is answered.")
    assert engine.create_requests == 0 and not window.controller.calls


def test_a_bad_link_is_reported_and_the_form_kept(window: MainWindow) -> None:
    before = to_value(window)
    assert not window.open_link("tel:call-me")
    assert "does not contain a phone number" in window.status_label.text()
    assert to_value(window) == before


def test_sip_links_fill_the_provider_specific_destination(window: MainWindow, qtbot: QtBot) -> None:
    jambonz = next(p for p in window.context.manager.all() if p.provider == "jambonz")
    window.profile_bar.select_profile(jambonz.id)
    qtbot.waitUntil(lambda: window.adapter is not None and window.adapter.id == "jambonz")
    assert window.open_link("sip:alice@example.com")
    values = window.form.validation_result().values
    assert values["to"]["type"] == "sip" and values["to"]["sipUri"] == "sip:alice@example.com"


def test_call_from_links_places_exactly_one_call_only_when_enabled(window: MainWindow, qtbot: QtBot,
                                                                    engine: Engine) -> None:
    assert window.profile is not None
    window.profile.call_from_links = True
    try:
        assert window.open_link("tel:+15555550100")
        qtbot.waitUntil(lambda: engine.create_requests == 1, timeout=5000)
    finally:
        window.profile.call_from_links = False
    qtbot.waitUntil(lambda: not window.controller.submitting, timeout=5000)
    assert engine.create_requests == 1


def test_a_second_process_hands_its_link_to_the_running_window(window: MainWindow, qtbot: QtBot,
                                                              launcher_home: Path) -> None:
    server = InstanceServer()
    assert server.listen()
    server.message_received.connect(window.handle_message)
    try:
        env = dict(os.environ, CALL_LAUNCHER_HOME=str(launcher_home), QT_QPA_PLATFORM="offscreen")
        second = subprocess.Popen([sys.executable, "-m", "launcher", "tel:+1 (555) 555-0177"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            qtbot.waitUntil(lambda: second.poll() is not None, timeout=20000)
        finally:
            if second.poll() is None:
                second.kill()
            _out, err = second.communicate()
        assert second.returncode == 0, err
        qtbot.waitUntil(lambda: to_value(window) == "+15555550177", timeout=5000)
    finally:
        server.close()


def test_with_no_running_instance_hand_over_says_so(qapp: object, launcher_home: Path) -> None:
    assert hand_over({"link": "tel:+15555551313"}, name=server_name() + "-nobody") is False


def test_a_link_that_places_the_call_still_says_its_extension_was_not_dialled(
        window: MainWindow, qtbot: QtBot, engine: Engine) -> None:
    assert window.profile is not None
    window.profile.call_from_links = True
    try:
        assert window.open_link("tel:+1-555-555-0004;ext=42")
        assert window.status_label.text() == ("Calling +15555550004 from a link. The extension 42 was not dialled: "
                                              "dial it yourself once the call is answered.")
        qtbot.waitUntil(lambda: engine.create_requests == 1, timeout=5000)
    finally:
        window.profile.call_from_links = False
    qtbot.waitUntil(lambda: not window.controller.submitting, timeout=5000)
