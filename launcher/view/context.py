"""Everything the window needs, built once at start-up and handed in (no globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from launcher.core.attempts import Dialer
from launcher.core.calls import CallService
from launcher.core.history import (
    HistoryError,
    HistoryStore,
    UnavailableHistory,
    default_history_path,
    unfinished_note,
)
from launcher.core.paths import config_dir
from launcher.core.profile_library import ProfileManager
from launcher.core.profiles import ProfileStore
from launcher.core.secrets import KeyringSecrets

if TYPE_CHECKING:
    import httpx


@dataclass
class AppContext:
    manager: ProfileManager
    history: HistoryStore
    service: CallService
    dialer: Dialer
    client: httpx.AsyncClient | None = None  # an injected client; else the service makes one on first use
    startup_notes: list[str] = field(default_factory=list)  # said once when the window opens
    storage_problem: str | None = None  # set while attempts cannot be recorded: Call stays off

    async def aclose(self) -> None:
        if self.client is not None:
            await self.client.aclose()
        elif self.service.client_built:
            await self.service.client.aclose()
        self.history.close()


def build_context(
    client: httpx.AsyncClient | None = None,
    keyring: KeyringSecrets | None = None,
    sandbox_speed: float = 1.0,
) -> AppContext:
    """The real context: profiles and history under the platform dirs (or $CALL_LAUNCHER_HOME), one
    HTTP client that reaches real providers over the network and the sandbox in-process.  The default
    client is made when the first request is sent, so that httpx is not imported before the window shows."""
    from launcher.sandbox.builtin_profiles import builtin_profiles, builtin_secret

    def make_client() -> httpx.AsyncClient:
        from launcher.sandbox.app import sandbox_client
        from launcher.sandbox.engine import SandboxConfig

        return sandbox_client(SandboxConfig(speed=sandbox_speed))

    manager = ProfileManager(ProfileStore(config_dir() / "profiles.json"), keyring, builtin_profiles, builtin_secret)
    history, notes, problem = open_history()
    service = CallService(client or make_client)
    return AppContext(manager, history, service, Dialer(service, history), client, notes, problem)


def open_history() -> tuple[HistoryStore, list[str], str | None]:
    """The history, what to say about it once, and why calls are off (None when they are not).

    Attempts a stopped app left in flight are marked "outcome unknown" here; when the history cannot
    be opened or written, the window still opens, over an empty stand-in that records nothing."""
    path = default_history_path()
    try:
        history = HistoryStore(path)
    except HistoryError as exc:
        return UnavailableHistory(path, str(exc)), [], f"{exc} Calls are off: fix this, then start the app again."
    notes: list[str] = []
    try:
        count = history.mark_unfinished_as_unknown()
        if count:
            notes.append(unfinished_note(count))
        history.check_writable()
    except HistoryError as exc:
        return history, notes, f"{exc} Calls are off until it can be written again."
    return history, notes, None

