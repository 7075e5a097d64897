"""Test isolation: a temp $CALL_LAUNCHER_HOME per test, Qt offscreen, a private Secret Service.

No test touches the real config dir or the real keyring: the whole session runs against a private
D-Bus session bus with its own gnome-keyring-daemon (unlocked with a throwaway password) under a
temporary HOME.  Where gnome-keyring is not installed, keyring tests are skipped with the reason,
unless CALL_LAUNCHER_REQUIRE_KEYRING=1 (set by CI), which makes them fail instead.
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.support.qt_loop"]  # the ``qloop`` fixture, for every test that drives the window

_SECRET_SERVICE: dict[str, str] = {}
_PROCESSES: list[subprocess.Popen[bytes]] = []


def _start_secret_service() -> str | None:
    """Start dbus + gnome-keyring in a temp home; return None when running, else why not."""
    if not shutil.which("dbus-daemon") or not shutil.which("gnome-keyring-daemon"):
        return "dbus-daemon and gnome-keyring-daemon are not installed (apt install dbus gnome-keyring)"
    home = Path(tempfile.mkdtemp(prefix="cl-keyring-"))
    (home / "run").mkdir(mode=0o700)
    env = dict(os.environ, HOME=str(home), XDG_RUNTIME_DIR=str(home / "run"),
               XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"))
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
    )
    _PROCESSES.append(bus)
    assert bus.stdout is not None
    address = bus.stdout.readline().decode().strip()
    bus.stdout.close()
    if not address:
        return "dbus-daemon did not start"
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    keyring_daemon = subprocess.run(
        ["gnome-keyring-daemon", "--unlock", "--components=secrets", "--daemonize"],
        input=b"throwaway-test-password", env=env, capture_output=True, timeout=30,
    )
    if keyring_daemon.returncode != 0:
        return f"gnome-keyring-daemon failed: {keyring_daemon.stderr.decode(errors='replace')}"
    for line in keyring_daemon.stdout.decode().splitlines():
        if line.startswith("GNOME_KEYRING_CONTROL="):
            env["GNOME_KEYRING_CONTROL"] = line.split("=", 1)[1]
    os.environ.update({k: env[k] for k in ("DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "XDG_DATA_HOME")})
    os.environ.pop("PYTHON_KEYRING_BACKEND", None)
    deadline = time.monotonic() + 20
    from secretstorage import check_service_availability, dbus_init

    while time.monotonic() < deadline:  # wait until the service owns its bus name
        connection = dbus_init()
        try:
            if check_service_availability(connection):
                return None
        finally:
            connection.close()
        time.sleep(0.05)
    return "the Secret Service did not appear on the private bus"


def pytest_configure(config: pytest.Config) -> None:
    # Never reach the developer's real keyring, whatever happens below.
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/call-launcher-tests"
    reason = _start_secret_service()
    if reason:
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        _SECRET_SERVICE["skip"] = reason


def pytest_unconfigure(config: pytest.Config) -> None:
    for process in _PROCESSES:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def secret_service() -> None:
    """Require the private Secret Service (a real OS keyring) for this test."""
    reason = _SECRET_SERVICE.get("skip")
    if reason:
        if os.environ.get("CALL_LAUNCHER_REQUIRE_KEYRING") == "1":
            pytest.fail(f"Secret Service required but unavailable: {reason}")
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def fresh_scrubber(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts knowing no secrets, as a new process does: a secret an earlier test sent
    (some are ordinary words) must not blank out text this test checks."""
    from launcher.core.scrub import SCRUBBER

    monkeypatch.setattr(SCRUBBER, "_forms", set())
    monkeypatch.setattr(SCRUBBER, "_ordered", [])


@pytest.fixture(autouse=True)
def launcher_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "launcher-home"
    monkeypatch.setenv("CALL_LAUNCHER_HOME", str(home))
    yield home


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a test that used Qt, collect its garbage here, in the GUI thread.

    Python's cyclic collector runs in whichever thread allocates when it triggers; in these tests that
    is often a loopback server's thread.  A Qt object freed there cannot unregister its timers, and the
    next one to fire crashes the process.  Collecting right after each Qt test leaves nothing for them.
    """
    yield
    if "qapp" in getattr(item, "fixturenames", ()):
        gc.collect()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line when checks against the providers' documents were skipped: silence would read as a pass."""
    from tests.support.openapi import SHARED_DIR, SPEC_SKIP

    skipped = [report for report in terminalreporter.stats.get("skipped", []) if SPEC_SKIP in str(report.longrepr)]
    if skipped:
        terminalreporter.write_line(
            f"{len(skipped)} spec checks skipped: no provider documents in {SHARED_DIR} "
            "(see README, 'Provider documents'; CALL_LAUNCHER_REQUIRE_SPECS=1 makes them fail)", yellow=True)
