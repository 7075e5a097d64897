"""Shared fixtures of the fault suite: a self-signed TLS context, the window on a faulty profile, the CLI.

Timeouts are short (``TIMEOUT``) and injected the way the app takes them: the window gets the same
kind of client the app builds (``sandbox_client``) with short timeouts, the CLI's default timeout is
patched for in-process runs.  The whole suite stays well under two minutes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import ipaddress
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication

from launcher.core.attempts import LiveCall
from launcher.core.calls import PollPolicy
from launcher.core.history import Attempt, AttemptStatus, HistoryStore, default_history_path
from launcher.core.profiles import ProfileStore
from launcher.core.secrets import KeyringSecrets
from launcher.sandbox.app import sandbox_client
from launcher.ui.main_window import MainWindow
from launcher.view.context import AppContext, build_context
from tests.faults.faults import TIMEOUT
from tests.faults.providers import Kit
from tests.support.qt_loop import pump_until, start_loop, stop_loop

FAST_POLL = PollPolicy(first_delay=0.05, max_delay=0.3, factor=1.5)
SECRET = "fault-secret-value"


# -- TLS ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def tls_server_context(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    """A server context with a freshly made self-signed certificate for 127.0.0.1 and localhost."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "call-launcher fault server")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context


# -- CLI ---------------------------------------------------------------------------------------------
@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str
    attempts: list[Attempt]  # the call history after the command, newest first


@pytest.fixture
def run_call(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """``call-launcher call`` in-process (the real ``main``), with the short timeouts, for a kit's profile."""
    import launcher.cli as cli
    import launcher.cli_common as cli_common

    monkeypatch.setattr(cli_common, "DEFAULT_TIMEOUT", TIMEOUT)

    def run(kit: Kit, root: str, *extra: str, timeout: httpx.Timeout = TIMEOUT) -> CliResult:
        monkeypatch.setattr(cli_common, "DEFAULT_TIMEOUT", timeout)
        profile = kit.profile(root)
        ProfileStore().upsert(profile)
        args = ["call", "--profile", profile.name, "--secret-stdin", *extra]
        for value in kit.cli_values:
            args += ["--set", value]
        capsys.readouterr()
        code = cli.main(args, stdin=io.StringIO(SECRET))
        out = capsys.readouterr()
        with HistoryStore(default_history_path()) as history:
            attempts = history.query()
        assert_ended_cleanly(out.err, attempts)
        return CliResult(code, out.out, out.err, attempts)

    return run


def assert_ended_cleanly(stderr: str, attempts: list[Attempt]) -> None:
    """Every fault ends as a message, never a traceback, and in a final history state, never ``sending``."""
    assert "Traceback" not in stderr, stderr
    assert [a.id for a in attempts if a.status is AttemptStatus.SENDING] == [], attempts


# -- the window --------------------------------------------------------------------------------------
@dataclass
class FaultWindow:
    window: MainWindow
    context: AppContext
    kit: Kit
    known: frozenset[int] = frozenset()  # attempts that were on the window before this test

    @property
    def lives(self) -> list[LiveCall]:
        return [live for key, live in self.window.controller.calls.items() if key not in self.known]

    def only_live(self) -> LiveCall:
        lives = self.lives
        assert len(lives) == 1, lives
        return lives[0]

    def attempt(self, live: LiveCall) -> Attempt:
        return self.context.history.get(live.attempt_id)

    def point_at(self, root: str, name: str) -> None:
        """Save a profile for ``root``, select it, fill the form in: ready for Call."""
        window = self.window
        profile = self.kit.profile(root, name)
        self.context.manager.save(profile, SECRET)  # no keyring here: kept in session memory
        window.profile_bar.reload(profile.id)
        pump_until(lambda: window.profile is not None and window.profile.id == profile.id)
        window.form.set_values(self.kit.values)
        window.form.clear_provider_errors()
        pump_until(lambda: window.form.validation_result().ok and window.call_button.isEnabled())
        self.known = frozenset(window.controller.calls)

    def settle(self) -> None:
        """Cancel whatever still runs (before closing: a cancelled call still reports to the controller)."""
        self.window.controller.cancel_all()
        pump_until(lambda: not self.window.controller.busy_tasks())

    def close(self) -> None:
        self.settle()
        attempts = self.context.history.query()  # whatever the fault, no attempt is left in flight
        assert_ended_cleanly("", attempts)
        self.window.close()
        closing = asyncio.ensure_future(self.context.aclose())
        pump_until(closing.done)
        closing.result()
        self.window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def make_window(kit: Kit, settings: Path, timeout: httpx.Timeout = TIMEOUT) -> FaultWindow:
    """The real window with the app's own kind of client (``sandbox_client``: TLS verified) and short
    timeouts; shown and active (keyboard shortcuts go to the active window only).

    Never handed to ``qtbot.addWidget``: pytest-qt would close and delete it before the fixtures'
    teardown, while a cancelled call may still be reporting to its controller."""
    from keyring.backends import fail

    context = build_context(client=sandbox_client(timeout=timeout), keyring=KeyringSecrets(fail.Keyring()))
    context.dialer.poll = FAST_POLL
    window = MainWindow(context, QSettings(str(settings), QSettings.Format.IniFormat))
    window.show()
    window.activateWindow()
    pump_until(lambda: QApplication.activeWindow() is window)
    return FaultWindow(window, context, kit)


OpenWindow = Callable[..., FaultWindow]  # (kit, root, timeout=TIMEOUT)


@pytest.fixture
def open_window(qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[OpenWindow]:
    """A fresh window on a saved profile that points at ``root``, the form filled in and valid."""
    opened: list[FaultWindow] = []

    def make(kit: Kit, root: str, timeout: httpx.Timeout = TIMEOUT) -> FaultWindow:
        faulty = make_window(kit, tmp_path / f"window-{len(opened)}.ini", timeout)
        opened.append(faulty)
        faulty.point_at(root, "faulty")
        return faulty

    yield make
    for faulty in opened:
        faulty.close()


@pytest.fixture(scope="module")
def window_pool(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, FaultWindow]]:
    """One window per provider for a whole module (and one loop): building a window costs more than
    most faults take.  Each test points it at its own endpoint with a profile of its own."""
    loop = start_loop(qapp)
    pool: dict[str, FaultWindow] = {}
    try:
        yield pool
    finally:
        for faulty in pool.values():
            faulty.close()
        stop_loop(loop)


@pytest.fixture
def pooled_window(window_pool: dict[str, FaultWindow], tmp_path_factory: pytest.TempPathFactory) -> OpenWindow:
    """Like ``open_window``, on the provider's pooled window (what earlier tests left running is
    cancelled first; only this test's calls count)."""
    def make(kit: Kit, root: str) -> FaultWindow:
        faulty = window_pool.get(kit.id)
        if faulty is None:
            faulty = window_pool[kit.id] = make_window(kit, tmp_path_factory.mktemp("window") / "window.ini")
        faulty.settle()
        faulty.window.activateWindow()
        pump_until(lambda: QApplication.activeWindow() is faulty.window)
        faulty.point_at(root, f"faulty {len(faulty.window.controller.calls)}")
        return faulty

    return make
