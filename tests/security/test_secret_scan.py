"""After a full session — profiles with secrets, calls on every provider, exports, copy as curl,
debug logs — no file the app wrote contains a secret in any form."""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from launcher.core.logs import setup_logging
from launcher.core.profiles import Profile
from launcher.core.secrets import KeyringSecrets
from launcher.sandbox.app import IN_PROCESS_URL, all_simulators, sandbox_client
from launcher.sandbox.engine import Engine, SandboxConfig
from launcher.ui.main_window import MainWindow
from launcher.view.context import build_context
from tests.support.sandbox_server import running_sandbox


def forms_of(secret: str, username: str | None) -> set[str]:
    forms = {secret, quote(secret, safe=""), quote(secret, safe="").replace("%20", "+")}
    if username is not None:
        forms.add(base64.b64encode(f"{username}:{secret}".encode()).decode())
    return forms


def scan(folders: list[Path], secrets: set[str]) -> list[str]:
    leaks = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                leaks += [f"{path}: {secret[:6]}…" for secret in secrets if secret.encode() in data]
    return leaks


def test_cli_session_leaves_no_secret_on_disk(launcher_home: Path, secret_service: None, tmp_path: Path) -> None:
    env = dict(os.environ, CALL_LAUNCHER_HOME=str(launcher_home))
    secrets: set[str] = set()
    with running_sandbox(speed=50.0) as sandbox:
        for simulator in all_simulators().values():
            creds = simulator.credentials
            add = ["profiles", "add", f"p-{simulator.id}", "--provider", simulator.id, "--secret-stdin",
                   "--set", f"account_id={creds.account_id}", "--set", f"base_url={sandbox.url}{simulator.base_path()}"]
            if creds.username:
                add += ["--set", f"username={creds.username}"]
            result = subprocess.run([sys.executable, "-m", "launcher", *add], input=creds.secret, env=env,
                                    capture_output=True, text=True)
            assert result.returncode == 0, result.stderr
            username = creds.username or (creds.account_id if simulator.id == "twilio" else None)
            secrets |= forms_of(creds.secret, username)
            values = []
            for key, value in simulator.sample_values().items():
                if isinstance(value, dict):
                    values += [f"{key}.{k}={v}" for k, v in value.items()]
                else:
                    values.append(f"{key}={value}")
            call = ["--log-level", "debug", "call", "--profile", f"p-{simulator.id}", "--wait", "--json"]
            for value in values:
                call += ["--set", value]
            result = subprocess.run([sys.executable, "-m", "launcher", *call], env=env, capture_output=True,
                                    text=True, timeout=120)
            assert result.returncode == 0, result.stderr
            curl = subprocess.run([sys.executable, "-m", "launcher", "call", "--profile", f"p-{simulator.id}",
                                   "--dry-run", "--curl", *[a for v in values for a in ("--set", v)]],
                                  env=env, capture_output=True, text=True)
            assert curl.returncode == 0 and not any(s in curl.stdout for s in secrets)
        # Bandwidth with API credentials: the client secret and the bearer tokens it buys stay off disk too.
        bandwidth = all_simulators()["bandwidth"]
        creds = bandwidth.credentials
        add = ["profiles", "add", "p-oauth2", "--provider", "bandwidth", "--secret-stdin", "--set", "auth=oauth2",
               "--set", f"account_id={creds.account_id}", "--set", f"username={creds.username}",
               "--set", f"base_url={sandbox.url}{bandwidth.base_path()}"]
        assert subprocess.run([sys.executable, "-m", "launcher", *add], input=creds.secret, env=env,
                              capture_output=True, text=True).returncode == 0
        call = ["--log-level", "debug", "call", "--profile", "p-oauth2", "--wait", "--json"]
        for key, value in bandwidth.sample_values().items():
            call += ["--set", f"{key}={value}"]
        result = subprocess.run([sys.executable, "-m", "launcher", *call], env=env, capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, result.stderr
    log = launcher_home / "logs" / "call-launcher.log"
    assert log.exists() and "DEBUG" in log.read_text()
    assert scan([launcher_home], secrets) == []
    bearer = re.compile(rb"Bearer (?!\*)[A-Za-z0-9_\-]{20,}")  # a token, not the redacted "Bearer ********"
    assert [str(path) for path in launcher_home.rglob("*") if path.is_file() and bearer.search(path.read_bytes())
            ] == []


def test_window_session_leaves_no_secret_on_disk(qtbot: QtBot, qloop: asyncio.AbstractEventLoop,
                                                 launcher_home: Path, secret_service: None, tmp_path: Path) -> None:
    setup_logging("debug")
    engine = Engine(SandboxConfig(speed=50.0))
    context = build_context(client=sandbox_client(engine=engine), keyring=KeyringSecrets())
    window = MainWindow(context, QSettings(str(launcher_home / "window.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    secrets: set[str] = set()
    try:
        for simulator in all_simulators().values():
            creds = simulator.credentials
            profile = Profile(name=f"w-{simulator.id}", provider=simulator.id, account_id=creds.account_id,
                              username=creds.username or "", base_url=IN_PROCESS_URL + simulator.base_path(),
                              label="LAB", color="#7b1fa2")  # not production: no confirmation
            context.manager.save(profile, creds.secret)
            secrets |= forms_of(creds.secret, creds.username or creds.account_id)
            window.profile_bar.reload(profile.id)
            wanted = profile.id
            qtbot.waitUntil(lambda: window.profile is not None and window.profile.id == wanted)  # noqa: B023
            window.form.set_values(simulator.sample_values())
            qtbot.waitUntil(lambda: window.form.validation_result().ok, timeout=3000)
            window.place_call()
            qtbot.waitUntil(lambda: not window.controller.submitting, timeout=10000)
            window.inspector.copy_as_curl()
            assert not any(s in QGuiApplication.clipboard().text() for s in secrets)
        qtbot.waitUntil(lambda: all(c.finished for c in window.controller.calls.values()), timeout=20000)
        for kind in ("csv", "json"):
            target = tmp_path / f"export.{kind}"
            window.history_view.choose_export_path = lambda _kind, t=target: str(t)  # type: ignore[method-assign,misc]
            with qtbot.waitSignal(window.history_view.export_finished, timeout=10000):
                window.history_view.export(kind)
            assert target.exists()
    finally:
        window.close()
        window.controller.cancel_all()
        qtbot.waitUntil(lambda: not window.controller.busy_tasks(), timeout=5000)
        context.history.close()
        for handler in logging.getLogger().handlers:
            handler.flush()
    assert engine.create_requests == 4
    assert scan([launcher_home, tmp_path], secrets) == []


@pytest.mark.parametrize("backend", ["keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"])
def test_no_plaintext_or_fake_keyring_is_ever_used(launcher_home: Path, backend: str) -> None:
    env = dict(os.environ, CALL_LAUNCHER_HOME=str(launcher_home), PYTHON_KEYRING_BACKEND=backend)
    result = subprocess.run([sys.executable, "-m", "launcher", "profiles", "add", "x", "--provider", "twilio",
                             "--set", "account_id=AC" + "a" * 32, "--secret-stdin"], input="s3cr3t-value", env=env,
                            capture_output=True, text=True)
    assert result.returncode == 5 and "No usable OS keyring" in result.stderr
    assert scan([launcher_home], {"s3cr3t-value"}) == []


def test_the_scan_finds_a_planted_secret(tmp_path: Path) -> None:
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "file.log").write_text("Authorization: Basic " + base64.b64encode(b"u:pw-123").decode())
    assert scan([tmp_path], forms_of("pw-123", "u")) != []
