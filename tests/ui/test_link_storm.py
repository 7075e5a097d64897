"""A storm of tel: links with "call immediately from links" on places one call; later links only fill the form."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from launcher.sandbox.engine import Engine, SandboxConfig
from launcher.ui.main_window import MainWindow
from launcher.ui.single_instance import InstanceServer

NUMBERS = [f"+1555555{n:04d}" for n in range(101, 111)]  # ten different destinations the sandbox answers


@pytest.fixture
def engine() -> Engine:
    return Engine(SandboxConfig(speed=1.0))  # the first call lasts well past the storm


def test_ten_links_through_the_single_instance_entry_place_one_call(
        window: MainWindow, qtbot: QtBot, engine: Engine, launcher_home: Path) -> None:
    assert window.profile is not None and window.profile.builtin
    window.profile.call_from_links = True
    server = InstanceServer()
    assert server.listen()
    server.message_received.connect(window.handle_message)  # as the app wires it
    delivered: list[str] = []
    said: list[str] = []  # the status line right after each link was handled

    def handled(message: dict[str, str]) -> None:
        delivered.append(message["link"])
        said.append(window.status_label.text())

    server.message_received.connect(handled)
    env = dict(os.environ, CALL_LAUNCHER_HOME=str(launcher_home), QT_QPA_PLATFORM="offscreen")
    starts: list[subprocess.Popen[bytes]] = []
    try:
        for number in NUMBERS:  # each link opened by the desktop starts `call-launcher tel:...`, 20 ms apart
            starts.append(subprocess.Popen([sys.executable, "-m", "launcher", f"tel:{number}"], env=env,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            qtbot.wait(20)
        qtbot.waitUntil(lambda: all(start.poll() is not None for start in starts), timeout=60000)
        assert [start.returncode for start in starts] == [0] * len(NUMBERS)
        qtbot.waitUntil(lambda: len(delivered) == len(NUMBERS), timeout=10000)
        qtbot.waitUntil(lambda: not window.controller.submitting, timeout=10000)
        assert engine.create_requests == 1
        [placed] = window.controller.calls.values()
        assert placed.values["To"] == delivered[0].removeprefix("tel:")
        assert said[0] == f"Calling {placed.values['To']}…"
        assert said[1:] == [f"{link.removeprefix('tel:')} from a link: not dialled, because a call from a link is "
                            "still in progress. Press Call to dial it." for link in delivered[1:]]
        assert window.form.validation_result().values["To"] == delivered[-1].removeprefix("tel:")  # filled, kept
        # once the link's call has ended, the next link calls again
        qtbot.waitUntil(lambda: placed.can_hang_up, timeout=10000)
        window.controller.hang_up(placed.attempt_id)
        qtbot.waitUntil(lambda: placed.finished, timeout=10000)
        assert window.open_link("tel:+15555550199")
        qtbot.waitUntil(lambda: engine.create_requests == 2, timeout=5000)
    finally:
        window.profile.call_from_links = False
        server.close()
        for start in starts:
            if start.poll() is None:
                start.kill()
                start.wait()


def test_links_while_the_production_question_is_open_change_nothing(
        window: MainWindow, qtbot: QtBot, engine: Engine) -> None:
    from tests.ui.test_window_fixes import press, production_copy, question

    prod = dataclasses.replace(production_copy(window), call_from_links=True)
    window.context.manager.save(prod, None)
    window.profile_bar.reload(prod.id)
    qtbot.waitUntil(lambda: window.profile is not None and window.profile.id == prod.id, timeout=3000)
    assert window.open_link(f"tel:{NUMBERS[0]}")
    box = question(qtbot, window, "Call on a production profile?")
    assert NUMBERS[0] in box.text()
    for number in NUMBERS[1:4]:  # later links may not change what the open question is about
        assert not window.open_link(f"tel:{number}")
        assert window.status_label.text() == (f"{number} from a link: not used, because a call is waiting for "
                                              "your answer. Open the link again after.")
    assert window.form.validation_result().values["To"] == NUMBERS[0]
    press(qtbot, box, "Call")
    qtbot.waitUntil(lambda: engine.create_requests == 1, timeout=5000)
    [placed] = window.controller.calls.values()
    assert placed.values["To"] == NUMBERS[0]
    qtbot.waitUntil(lambda: not window.controller.submitting, timeout=5000)
    assert window.open_link(f"tel:{NUMBERS[4]}")  # the link's call is live: this one only fills
    assert not window.asking and engine.create_requests == 1
    assert window.form.validation_result().values["To"] == NUMBERS[4]
