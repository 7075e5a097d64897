"""``call-launcher --self-test``: prove an installation works, in a few seconds, touching nothing.

Checks that this user's folders and call history can be written (without changing them), then
loads every provider schema, opens a history database in a temporary folder, places one sandbox
call per provider to its end through the same Dialer the window uses, opens the window offscreen
when Qt is available, and prints one line.  Exit 0 on success, 1 with the reason otherwise.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from launcher.core.history import HistoryFilter


def run_self_test() -> int:
    started = time.monotonic()
    problem = storage_problems()
    if problem:
        print(f"self-test FAILED: {problem}", file=sys.stderr)
        return 1
    try:
        with tempfile.TemporaryDirectory(prefix="call-launcher-selftest-") as home:
            os.environ["CALL_LAUNCHER_HOME"] = home
            summary = _check(Path(home))
    except Exception as exc:
        print(f"self-test FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"self-test ok: {summary} ({time.monotonic() - started:.1f} s)")
    return 0


def storage_problems() -> str | None:
    """Why this user's settings or call history could not be written, or None.  Only a probe file is
    made (and removed) in each folder; the history is opened for writing and left unchanged."""
    import sqlite3

    from launcher.core.history import HISTORY, default_history_path
    from launcher.core.paths import config_dir
    from launcher.core.storage import probe_folder, storage_problem

    for what, folder in (("The settings", config_dir()), (HISTORY, default_history_path().parent)):
        problem = probe_folder(what, folder)
        if problem:
            return problem
    path = default_history_path()
    if path.is_dir():
        return storage_problem(HISTORY, path)
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(path, timeout=1.0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")  # takes the write lock: fails if read-only or held by another program
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return storage_problem(HISTORY, path, exc)
    return None


def _check(home: Path) -> str:
    from launcher.core.history import AttemptStatus, HistoryStore
    from launcher.core.providers import all_adapters
    from launcher.sandbox.app import all_simulators

    adapters = all_adapters()
    if not adapters:
        raise RuntimeError("no providers found")
    fields = sum(len(list(adapter.schema.walk())) for adapter in adapters.values())
    missing = set(adapters) - set(all_simulators())
    if missing:
        raise RuntimeError(f"no sandbox for: {', '.join(sorted(missing))}")
    history = HistoryStore(home / "history.sqlite3")
    try:
        outcomes = asyncio.run(_place_calls(history))
        bad = {pid: outcome for pid, outcome in outcomes.items() if outcome != "completed"}
        if bad:
            raise RuntimeError(f"sandbox calls did not complete: {bad}")
        if not history.integrity_ok():
            raise RuntimeError("history integrity check failed")
        ended = [a for a in history.query(_all()) if a.status is AttemptStatus.ENDED]
        if len(ended) != len(adapters):
            raise RuntimeError(f"history holds {len(ended)} ended calls, expected {len(adapters)}")
        window = _open_window(history)
    finally:
        history.close()
    return (f"{len(adapters)} providers ({fields} fields), {len(outcomes)} sandbox calls completed, "
            f"history ok, {window}")


def _all() -> HistoryFilter:
    from launcher.core.history import HistoryFilter

    return HistoryFilter()


async def _place_calls(history: object) -> dict[str, str]:
    from launcher.core.attempts import Dialer
    from launcher.core.calls import CallService, PollPolicy
    from launcher.core.providers import get_adapter
    from launcher.core.validate import validate
    from launcher.sandbox.app import all_simulators, sandbox_client
    from launcher.sandbox.builtin_profiles import builtin_profiles, builtin_secret
    from launcher.sandbox.engine import SandboxConfig

    outcomes: dict[str, str] = {}
    async with sandbox_client(SandboxConfig(speed=100.0)) as client:
        dialer = Dialer(CallService(client), history, PollPolicy(first_delay=0.01, max_delay=0.01))  # type: ignore[arg-type]
        for profile in builtin_profiles():
            adapter = get_adapter(profile.provider)
            result = validate(adapter.schema, all_simulators()[profile.provider].sample_values(), profile.region)
            if not result.ok:
                raise RuntimeError(f"{adapter.name} sample values are invalid: {result.summary()}")
            account = profile.account(builtin_secret(profile))
            live = dialer.start(profile, adapter, account, result.values, adapter.build_create(account, result.values))
            await asyncio.wait_for(dialer.run(live, lambda _live: None), timeout=30)
            if live.call is None:
                raise RuntimeError(f"{adapter.name}: {live.error_text}")
            outcomes[profile.provider] = live.call.outcome.value if live.call.outcome else live.call.phase.value
    return outcomes


def _open_window(history: object) -> str:
    try:
        import PySide6  # noqa: F401
    except ImportError:
        return "no Qt"
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from launcher.core.attempts import Dialer
    from launcher.core.calls import CallService
    from launcher.core.paths import config_dir
    from launcher.core.profile_library import ProfileManager
    from launcher.core.profiles import ProfileStore
    from launcher.sandbox.app import sandbox_client
    from launcher.sandbox.builtin_profiles import builtin_profiles, builtin_secret
    from launcher.ui.main_window import MainWindow
    from launcher.view.context import AppContext

    qt_messages: list[str] = []
    qInstallMessageHandler(lambda _kind, _context, text: qt_messages.append(text))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    client = sandbox_client()
    manager = ProfileManager(ProfileStore(config_dir() / "profiles.json"), _NoKeyring(),  # type: ignore[arg-type]
                             builtin_profiles, builtin_secret)
    service = CallService(client)
    context = AppContext(manager, history, service, Dialer(service, history), client)  # type: ignore[arg-type]
    window = MainWindow(context, QSettings(str(config_dir() / "selftest.ini"), QSettings.Format.IniFormat))
    window.show()
    app.processEvents()
    ok = window.form.validation_result().ok and window.call_button.isEnabled()
    window.close()
    asyncio.run(client.aclose())
    if not ok:
        raise RuntimeError("the window opened but its first-run form is not ready to call")
    return f"window ok ({QApplication.platformName()})"


class _NoKeyring:
    """The self-test never touches the user's keyring."""

    def status(self):  # type: ignore[no-untyped-def]
        from launcher.core.secrets import BackendStatus

        return BackendStatus(False, "self-test", "not used by the self-test")

    def get(self, key: str) -> None:
        return None
