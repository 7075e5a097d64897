"""Exactly once: one press, one create request, whatever the person does and whatever the network does.

* Storms of clicks, Enter in a field and Ctrl+Enter while the server holds the create request open
  produce exactly one create request (counted at the server), for every provider.
* A create request is repeated only when not one byte of it left: a first connection that is
  refused is retried once (the server starts listening the moment the refusal happens, so this is
  deterministic); a TLS handshake that fails is retried once (two handshakes, no request); a
  connection reset after the request was sent is never retried.
* Polling a call's state is safe to repeat: a server that fails fetches in every way (429 with
  Retry-After, 5xx, reset, unreadable body, cut-off body) and then answers is followed to the end, with
  growing delays between the failing fetches.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from launcher.core.attempts import Dialer, LiveCall
from launcher.core.calls import CallService, PollPolicy
from launcher.core.errors import ProviderError, TransportError
from launcher.core.history import AttemptStatus, HistoryStore
from launcher.core.http import HttpResponse, PreparedRequest
from launcher.core.providers import get_adapter
from launcher.core.providers.base import ProviderAdapter
from launcher.core.validate import validate
from tests.faults.conftest import SECRET, FaultWindow, OpenWindow
from tests.faults.faults import HTML_ERROR, TIMEOUT
from tests.faults.providers import KITS, PROVIDERS, Kit
from tests.faults.server import CloseMidBody, FaultServer, Gate, Recorded, Reply, Reset, fault_server

HELD = httpx.Timeout(10.0, connect=1.0)  # the create is held open longer than the storm lasts


# -- helpers -------------------------------------------------------------------------------------------
def place_with_dialer(kit: Kit, root: str, client: httpx.AsyncClient, history_path: Path,
                      poll: PollPolicy | None = None) -> tuple[LiveCall, HistoryStore]:
    """One press of Call through the core (Dialer + CallService + history), no window."""
    adapter = get_adapter(kit.id)
    profile = kit.profile(root)
    account = profile.account(SECRET)
    values = validate(adapter.schema, kit.values, region="US").values
    request = adapter.build_create(account, values)
    history = HistoryStore(history_path)

    async def press() -> LiveCall:
        try:
            dialer = Dialer(CallService(client), history, poll or PollPolicy(first_delay=0.02, max_delay=0.2))
            live = dialer.start(profile, adapter, account, values, request)
            return await dialer.run(live, lambda live: None)
        finally:
            await client.aclose()

    return asyncio.run(press()), history


class ListenAfterFirstRefusal(httpx.AsyncBaseTransport):
    """The app's real network transport, watched: when the first connection is refused, the server
    starts listening, so the retry (and only a retry) can reach it."""

    def __init__(self, server: FaultServer) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.server = server
        self.refused = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await self.inner.handle_async_request(request)
        except httpx.ConnectError:
            self.refused += 1
            self.server.listen()
            raise

    async def aclose(self) -> None:
        await self.inner.aclose()


@contextlib.contextmanager
def held_create(kit: Kit, open_window: OpenWindow) -> Iterator[tuple[FaultServer, threading.Event, FaultWindow]]:
    """A server that holds the create request open until the gate is set, and a window pointed at it."""
    gate = threading.Event()
    roots: list[str] = []
    script = kit.script(lambda record: Gate(gate, kit.create_ok(roots[0])))
    with fault_server(script, is_create=kit.is_create) as server:
        roots.append(server.url)
        yield server, gate, open_window(kit, server.url, timeout=HELD)


# -- storms ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("provider", PROVIDERS)
def test_storms_of_presses_while_the_create_is_held_send_one_request(
    provider: str, open_window: OpenWindow, qtbot: QtBot
) -> None:
    with held_create(KITS[provider], open_window) as (server, gate, faulty):
        window = faulty.window
        to_field = window.form.editor("to")
        assert to_field is not None

        def storm() -> None:
            for _ in range(5):
                qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
                qtbot.keySequence(window, QKeySequence("Ctrl+Return"))
                qtbot.keySequence(window, QKeySequence("Ctrl+Enter"))
                target = to_field.focus_target()
                target.setFocus()
                qtbot.keyClick(target, Qt.Key.Key_Return)
                qtbot.keyClick(target, Qt.Key.Key_Enter)
                window.form.submit_requested.emit()
                window.place_call()

        storm()
        qtbot.waitUntil(lambda: server.creates >= 1, timeout=5000)
        storm()
        # A create is only ever sent by the task of a recorded attempt, and there is one attempt: no second
        # request can be on its way (the server's count is read again once the call has ended).
        assert len(faulty.lives) == 1 and faulty.context.history.count() == 1
        assert server.creates == 1
        assert window.controller.submitting and not window.call_button.isEnabled()
        gate.set()
        live = faulty.only_live()
        qtbot.waitUntil(lambda: live.call is not None and live.call.final, timeout=5000)
        storm_after = server.creates
    assert storm_after == 1
    assert faulty.attempt(live).status is AttemptStatus.ENDED
    assert window.call_button.isEnabled()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_esc_stops_waiting_for_a_held_create_and_records_an_unknown_outcome(
    provider: str, open_window: OpenWindow, qtbot: QtBot
) -> None:
    with held_create(KITS[provider], open_window) as (server, gate, faulty):
        window = faulty.window
        window.place_call()
        qtbot.waitUntil(lambda: server.creates == 1, timeout=5000)
        qtbot.keySequence(window, QKeySequence("Esc"))
        live = faulty.only_live()
        qtbot.waitUntil(lambda: live.finished and not window.controller.submitting, timeout=3000)
        gate.set()
        qtbot.waitUntil(lambda: not window.controller.busy_tasks(), timeout=3000)  # nothing left that could send
        creates = server.creates
    assert creates == 1
    attempt = faulty.attempt(live)
    assert attempt.status is AttemptStatus.UNKNOWN
    assert attempt.error is not None and "may or may not have been placed" in attempt.error
    assert "may or may not have been placed" in window.status_label.text()
    assert window.call_button.isEnabled()


# -- retries only when nothing was sent --------------------------------------------------------------------
@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_refused_first_connection_is_retried_once_and_the_call_is_created_once(
    provider: str, tmp_path: Path
) -> None:
    kit = KITS[provider]
    roots: list[str] = []
    server = FaultServer(kit.script(lambda record: kit.create_ok(roots[0])), listen=False, is_create=kit.is_create)
    roots.append(server.url)
    try:
        transport = ListenAfterFirstRefusal(server)
        client = httpx.AsyncClient(transport=transport, timeout=TIMEOUT, follow_redirects=False)
        live, history = place_with_dialer(kit, server.url, client, tmp_path / "history.sqlite3")
    finally:
        server.stop()
    assert transport.refused == 1  # the first connection was refused...
    assert server.creates == 1  # ...the retry created the call, once
    assert live.call is not None and live.call.final
    assert history.get(live.attempt_id).status is AttemptStatus.ENDED


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_failed_tls_handshake_is_retried_once_and_nothing_is_sent(
    provider: str, tmp_path: Path, tls_server_context: ssl.SSLContext
) -> None:
    kit = KITS[provider]
    server = FaultServer(kit.script(lambda record: Reply(500)), tls=tls_server_context, is_create=kit.is_create)
    try:
        client = httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False)  # verifies TLS, as the app does
        live, history = place_with_dialer(kit, server.url, client, tmp_path / "history.sqlite3")
    finally:
        server.stop()
    assert server.handshake_failures == 2 and server.requests == []
    assert history.get(live.attempt_id).status is AttemptStatus.FAILED


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_reset_after_the_request_was_sent_is_never_retried(provider: str, tmp_path: Path) -> None:
    kit = KITS[provider]
    roots: list[str] = []
    creates = itertools.count()

    def answer(record: Recorded) -> Any:  # the first create is cut off, a second one would succeed
        return Reset() if next(creates) == 0 else kit.create_ok(roots[0])

    with fault_server(kit.script(answer), is_create=kit.is_create) as server:
        roots.append(server.url)
        client = httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False)
        live, history = place_with_dialer(kit, server.url, client, tmp_path / "history.sqlite3")
        seen = server.creates
    assert seen == 1
    assert history.get(live.attempt_id).status is AttemptStatus.UNKNOWN


class ScriptedService(CallService):
    """CallService whose ``send`` plays a script of outcomes: the retry decision alone, no network."""

    def __init__(self, outcomes: list[Exception | HttpResponse]) -> None:
        super().__init__(httpx.AsyncClient())
        self.outcomes = outcomes
        self.sent = 0

    async def send(self, request: PreparedRequest) -> HttpResponse:
        outcome = self.outcomes[self.sent]
        self.sent += 1
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


UNSENT = TransportError("refused", request_sent=False)
SENT = TransportError("reset", request_sent=True)
OK = HttpResponse(201, {"content-type": "application/json"}, b"{}")


@pytest.mark.parametrize(
    ("outcomes", "sends", "raises"),
    [
        ([UNSENT, OK], 2, None),  # nothing left the first time: one retry
        ([UNSENT, UNSENT], 2, TransportError),  # and only one
        ([SENT, OK], 1, TransportError),  # something may have arrived: never again
        ([HttpResponse(503, {}, b""), OK], 1, ProviderError),  # the provider answered: never again
        ([HttpResponse(429, {"retry-after": "1"}, b""), OK], 1, ProviderError),
    ],
    ids=["unsent-then-ok", "unsent-twice", "sent", "503", "429"],
)
def test_the_create_retry_decision(outcomes: list[Exception | HttpResponse], sends: int,
                                   raises: type[Exception] | None) -> None:
    adapter: ProviderAdapter = get_adapter("twilio")
    service = ScriptedService(outcomes)
    request = PreparedRequest("POST", "https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json")

    async def exchange() -> None:
        try:
            await service._exchange(adapter, request, retry_unsent=True)
        finally:
            await service.client.aclose()

    if raises is None:
        asyncio.run(exchange())
    else:
        with pytest.raises(raises):
            asyncio.run(exchange())
    assert service.sent == sends


# -- polling may retry, with backoff ----------------------------------------------------------------------
@pytest.mark.parametrize("provider", PROVIDERS)
def test_status_polling_survives_failing_fetches_with_backoff(provider: str, tmp_path: Path) -> None:
    kit = KITS[provider]
    roots: list[str] = []
    answers: list[Any] = [
        Reply(429, b"", {"Retry-After": "1"}),  # honoured: the next fetch waits a second
        kit.state(False),  # ringing: a change, so polling is quick again
        Reply(503, b"", {}),
        Reset(),
        Reply(200, b'{"state": "disconn', {"Content-Type": "application/json"}),  # unreadable
        Reply(502, HTML_ERROR, {"Content-Type": "text/html"}),
        CloseMidBody(kit.state(True), sent=5),
    ]

    def on_fetch(record: Recorded) -> Any:
        return answers.pop(0) if answers else kit.state(True)

    policy = PollPolicy(first_delay=0.02, factor=2.0, max_delay=0.3, max_failures=6)
    with fault_server(kit.script(lambda record: kit.create_ok(roots[0]), on_fetch), is_create=kit.is_create) as server:
        roots.append(server.url)
        client = httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False)
        live, history = place_with_dialer(kit, server.url, client, tmp_path / "history.sqlite3", policy)
        fetches = server.matching(lambda record: record.method == "GET")
        creates = server.creates
    assert creates == 1
    assert live.call is not None and live.call.final and live.error is None
    attempt = history.get(live.attempt_id)
    assert attempt.status is AttemptStatus.ENDED and attempt.outcome == "completed"
    assert len(fetches) == 8
    gaps = [b.at - a.at for a, b in itertools.pairwise(fetches)]
    assert gaps[0] >= 0.95  # Retry-After: 1
    # after the change (ringing) the delay starts over, then doubles with every failure: 0.02 0.04 0.08 0.16 0.3
    minimums = [0.02, 0.04, 0.08, 0.16, 0.3]
    for gap, minimum in zip(gaps[1:6], minimums, strict=True):
        assert gap >= minimum - 0.005, (gaps, minimums)
    assert gaps[5] > gaps[2]  # it really backs off


@pytest.mark.parametrize("provider", PROVIDERS)
def test_odd_retry_after_values_neither_crash_nor_stall(provider: str, tmp_path: Path) -> None:
    """A Retry-After date without its zone (a crash before), "inf", or a day: the create is refused
    plainly, and polling honours a wait only up to the policy's cap."""
    kit = KITS[provider]
    with fault_server(kit.script(lambda record: Reply(429, b"", {"Retry-After": "Wed, 21 Oct 2015 07:28:00"})),
                      is_create=kit.is_create) as server:
        client = httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False)
        refused, history = place_with_dialer(kit, server.url, client, tmp_path / "refused.sqlite3")
    assert history.get(refused.attempt_id).status is AttemptStatus.REJECTED
    assert refused.error_text is not None and "HTTP 429" in refused.error_text

    roots: list[str] = []
    answers: list[Any] = [Reply(429, b"", {"Retry-After": "inf"}), Reply(429, b"", {"Retry-After": "86400"})]
    script = kit.script(lambda record: kit.create_ok(roots[0]), lambda record: answers.pop(0) if answers
                        else kit.state(True))
    policy = PollPolicy(first_delay=0.02, factor=2.0, max_delay=0.3, max_retry_after=0.2)
    with fault_server(script, is_create=kit.is_create) as server:
        roots.append(server.url)
        client = httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False)
        live, history = place_with_dialer(kit, server.url, client, tmp_path / "polled.sqlite3", policy)
        fetches = server.matching(lambda record: record.method == "GET")
    assert history.get(live.attempt_id).status is AttemptStatus.ENDED
    gaps = [b.at - a.at for a, b in itertools.pairwise(fetches)]
    assert len(gaps) == 2 and gaps[0] < 0.2 and 0.19 <= gaps[1] < 1.0, gaps  # "inf" ignored; a day capped
