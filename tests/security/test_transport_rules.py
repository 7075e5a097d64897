"""Where requests go: proxies, localhost names, userinfo in base URLs, addresses a provider returns,
and how long a call is followed.  Real servers on loopback; a real recording proxy on 127.0.0.3."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import launcher.cli as cli
import launcher.cli_common as cli_common
from launcher.core.calls import DEFAULT_MAX_WAIT_S, CallService, FollowLimitReached, PollPolicy, parse_wait
from launcher.core.errors import InsecureTransportError, TransportError
from launcher.core.history import AttemptStatus
from launcher.core.http import Auth, PreparedRequest
from launcher.core.profiles import Profile, ProfileStore, profile_problems
from launcher.core.providers import get_adapter
from launcher.core.transport import (
    USERINFO_MESSAGE,
    UnexpectedCallAddress,
    check_base_url,
    check_call_address,
    is_loopback_host,
    route_for,
)
from tests.faults.conftest import SECRET
from tests.faults.providers import CALL_ID, JSON, KITS, PROVIDERS
from tests.faults.server import Recorded, Reply, fault_server
from tests.support.proxy import RecordingProxy, recording_proxy

PASSWORD = "s3cr3t-Pa55"
PROXY_NAMES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingProxy]:
    """A recording proxy, named in every proxy variable of this process's environment."""
    for name in PROXY_NAMES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    with recording_proxy() as running:
        for name, value in running.environment().items():
            monkeypatch.setenv(name, value)
        yield running


def _basic(url: str) -> PreparedRequest:
    return PreparedRequest("GET", url, auth=Auth("basic", "user", PASSWORD))


# -- 2. credentials never reach an environment proxy ------------------------------------------------
def test_the_command_line_reaches_a_loopback_server_directly_whatever_the_proxy_variables(
    proxy: RecordingProxy,
) -> None:
    kit = KITS["twilio"]
    with fault_server(kit.script(kit.create_ok)) as server:  # type: ignore[arg-type]
        ProfileStore().upsert(kit.profile(server.url))
        args = ["call", "--profile", "faulty", "--secret-stdin"]
        for value in kit.cli_values:
            args += ["--set", value]
        result = subprocess.run([sys.executable, "-m", "launcher", *args], input=SECRET, capture_output=True,
                                text=True, env=dict(os.environ), timeout=60)
        creates = server.matching(kit.is_create)
    assert result.returncode == 0, result.stderr
    assert proxy.heads == []
    assert len(creates) == 1 and creates[0].headers["authorization"].startswith("Basic ")


def test_the_core_client_tunnels_https_through_the_proxy_and_keeps_loopback_direct(proxy: RecordingProxy) -> None:
    async def scenario() -> tuple[str, int]:
        service = CallService()
        try:
            with pytest.raises(TransportError) as refused:
                await service.send(_basic("https://api.example.test/v1/calls"))
            with fault_server(lambda record: Reply(200, b"{}", JSON)) as server:
                answer = await service.send(_basic(server.url + "/v1/calls"))
            return refused.value.message, answer.status
        finally:
            await service.aclose()

    message, status = asyncio.run(scenario())
    assert status == 200
    assert len(proxy.heads) == 1
    assert proxy.heads[0].startswith("CONNECT api.example.test:443 HTTP/1.1\r\n")
    assert "authorization" not in proxy.heads[0].lower()
    assert message.startswith("The proxy refused to connect to api.example.test")


def test_route_rule_loopback_direct_https_tunnelled_plain_http_never_proxied() -> None:
    proxies = {"https": "http://user:pw@proxy.example:3128", "all": "http://other:1", "no": ".internal.example"}
    assert route_for("http://127.0.0.1:8765/x", proxies).describe() == \
        "Proxy: none (loopback is always reached directly)"
    assert route_for("https://foo.localhost/x", proxies).describe() == \
        "Proxy: none (loopback is always reached directly)"
    assert route_for("https://api.twilio.com/x", proxies).describe() == \
        "Proxy: http://proxy.example:3128 (CONNECT tunnel)"
    assert route_for("https://api.twilio.com/x", proxies).proxy == "http://user:pw@proxy.example:3128"
    assert route_for("http://10.0.0.5/x", proxies).describe() == \
        "Proxy: none (plain http is never sent through a proxy)"
    assert route_for("https://vg.internal.example/x", proxies).describe() == \
        "Proxy: none (vg.internal.example is listed in NO_PROXY)"
    assert route_for("https://api.twilio.com/x", {"all": "proxy.example:8080"}).proxy == "http://proxy.example:8080"
    assert route_for("https://api.twilio.com/x", {}).describe() == "Proxy: none (no system proxy is set)"


def test_dry_run_says_which_proxy_the_request_would_use(
    proxy: RecordingProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    kit = KITS["jambonz"]
    ProfileStore().upsert(kit.profile("http://127.0.0.1:9", name="local"))
    ProfileStore().upsert(kit.profile("https://vg.example.test", name="remote"))
    shown = {}
    for name in ("local", "remote"):
        args = ["call", "--profile", name, "--dry-run"]
        for value in kit.cli_values:
            args += ["--set", value]
        assert cli.main(args) == 0
        shown[name] = capsys.readouterr().out.strip().splitlines()[-1]
    assert shown == {"local": "Proxy: none (loopback is always reached directly)",
                     "remote": f"Proxy: {proxy.url} (CONNECT tunnel)"}
    assert proxy.heads == []


def test_the_request_inspector_names_the_proxy(proxy: RecordingProxy, qtbot: Any) -> None:
    from launcher.ui.request_view import RequestInspector

    inspector = RequestInspector()
    qtbot.addWidget(inspector)
    inspector.show_request(_basic("http://127.0.0.1:8765/v1/Accounts/a/Calls"))
    assert inspector.proxy_label.text() == "Proxy: none (loopback is always reached directly)"
    inspector.show_request(_basic("https://api.twilio.com/2010-04-01/Accounts/a/Calls.json"))
    assert inspector.proxy_label.text() == f"Proxy: {proxy.url} (CONNECT tunnel)"
    inspector.show_request(None)
    assert inspector.proxy_label.text() == ""


# -- 5. addresses a provider returns stay inside the account's call collection ----------------------
EVIL_CREATES: dict[str, Callable[[str], Reply]] = {
    "twilio": lambda root: Reply(201, json.dumps({"sid": "x/../../../evil", "status": "queued"}).encode(), JSON),
    "bandwidth": lambda root: Reply(201, json.dumps({
        "callId": "c-1", "callUrl": f"{root}/api/v2/accounts/{KITS['bandwidth'].account_id}/calls/../../../../evil/x",
    }).encode(), JSON),
    "catapult": lambda root: Reply(201, b"", {"Location": f"{root}/v1/users/{KITS['catapult'].account_id}/calls/.."}),
    "jambonz": lambda root: Reply(201, json.dumps({"sid": ".."}).encode(), JSON),
}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_unexpected_call_address_stops_following_and_nothing_goes_there(
    provider: str, run_call: Callable[..., Any]
) -> None:
    kit = KITS[provider]
    holder: dict[str, str] = {}
    with fault_server(kit.script(lambda record: EVIL_CREATES[provider](holder["root"]))) as server:
        holder["root"] = server.url
        result = run_call(kit, server.url, "--wait")
        requests = [(r.method, r.path) for r in server.requests]
    assert len(requests) == 1 and kit.is_create(server.requests[0]), requests
    assert "the provider returned an unexpected call address" in result.stderr
    assert result.code == 4
    assert result.attempts[0].status is AttemptStatus.UNKNOWN
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("provider", PROVIDERS)
def test_hang_up_refuses_an_unexpected_call_address(provider: str) -> None:
    kit = KITS[provider]
    adapter = get_adapter(provider)

    async def scenario(root: str) -> None:
        account = kit.profile(root).account(SECRET)
        service = CallService()
        try:
            call = await service.create(adapter, account, adapter.build_create(account, kit.values))
            with pytest.raises(UnexpectedCallAddress):
                await service.hangup(adapter, account, call)
        finally:
            await service.aclose()

    holder: dict[str, str] = {}
    with fault_server(lambda record: EVIL_CREATES[provider](holder["root"])) as server:
        holder["root"] = server.url
        asyncio.run(scenario(server.url))
        assert len(server.requests) == 1


COLLECTION = "https://api.example.com/v1/Accounts/AC1/Calls"


@pytest.mark.parametrize("address", [
    COLLECTION + "/..", COLLECTION + "/.", COLLECTION + "/%2e%2e", COLLECTION + "/%2E.", COLLECTION + "/a/b",
    COLLECTION + "/a%2Fb", COLLECTION + "/a%5cb", COLLECTION + "/a\\b", COLLECTION + "/", COLLECTION,
    COLLECTION + "/CA1?x=1", COLLECTION + "/CA1#f", "http://api.example.com/v1/Accounts/AC1/Calls/CA1",
    "https://api.example.com:444/v1/Accounts/AC1/Calls/CA1", "https://evil.example/v1/Accounts/AC1/Calls/CA1",
    "https://api.example.com/v1/Accounts/AC2/Calls/CA1", "https://u:p@api.example.com/v1/Accounts/AC1/Calls/CA1",
    COLLECTION + "/%252e%252e", COLLECTION + "/a%0Ab",
])
def test_call_addresses_outside_the_collection_are_refused(address: str) -> None:
    with pytest.raises(UnexpectedCallAddress) as refused:
        check_call_address(address, COLLECTION)
    assert "the provider returned an unexpected call address" in refused.value.message


@pytest.mark.parametrize("address", [COLLECTION + "/CA1.json", COLLECTION + "/c-15ac29a2-1331", COLLECTION + "/a..b",
                                     "https://API.example.com:443/v1/Accounts/AC1/Calls/CA1"])
def test_call_addresses_inside_the_collection_are_followed(address: str) -> None:
    assert check_call_address(address, COLLECTION) == address


# -- 6. userinfo in a base URL is refused everywhere it enters ---------------------------------------
def test_a_base_url_with_userinfo_is_refused_without_echoing_the_password() -> None:
    for url in (f"http://u:{PASSWORD}@127.0.0.1:8765", "https://user@api.twilio.com", f"http://u:{PASSWORD}@[::1"):
        with pytest.raises(InsecureTransportError) as refused:
            check_base_url(url)
        assert PASSWORD not in str(refused.value)
    with pytest.raises(InsecureTransportError) as refused:
        check_base_url(f"http://u:{PASSWORD}@127.0.0.1:8765")
    assert str(refused.value) == USERINFO_MESSAGE
    profile = Profile(name="p", provider="twilio", account_id="AC" + "0" * 32,
                      base_url=f"http://u:{PASSWORD}@127.0.0.1:8765")
    assert profile_problems(profile)["base_url"] == USERINFO_MESSAGE  # what the profile editor shows by the field


def test_the_command_line_refuses_userinfo_in_base_urls(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["profiles", "add", "p", "--provider", "jambonz", "--set",
                     "account_id=9351f46a-678c-43f5-b8a6-d4eb58d131af", "--set",
                     f"base_url=http://u:{PASSWORD}@127.0.0.1:8765"])
    added = capsys.readouterr()
    assert code == 2
    assert "must not contain a user name or password" in added.err and PASSWORD not in added.err + added.out
    assert ProfileStore().load() == []
    kit = KITS["jambonz"]
    ProfileStore().upsert(kit.profile("http://127.0.0.1:9"))
    args = ["call", "--profile", "faulty", "--dry-run", "--base-url", f"http://u:{PASSWORD}@127.0.0.1:9"]
    for value in kit.cli_values:
        args += ["--set", value]
    code = cli.main(args)
    called = capsys.readouterr()
    assert code == 2
    assert "must not contain a user name or password" in called.err and PASSWORD not in called.err + called.out


# -- 8. localhost names are loopback by name, never resolved -----------------------------------------
@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every name looked up; ``*.localhost`` and ``loopback.example.test`` "resolve" to 127.0.0.1
    the way a misconfigured or hostile resolver might, so a lookup cannot go unnoticed."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        asked.append(name)
        if name.endswith(".localhost") or name in ("localhost", "loopback.example.test"):
            raise socket.gaierror(socket.EAI_NONAME, "looked up in DNS")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_foo_localhost_reaches_127_0_0_1_without_dns(resolver: list[str]) -> None:
    async def scenario(root: str) -> int:
        service = CallService()
        try:
            return (await service.send(_basic(root.replace("127.0.0.1", "foo.localhost") + "/x"))).status
        finally:
            await service.aclose()

    with fault_server(lambda record: Reply(200, b"{}", JSON)) as server:
        status = asyncio.run(scenario(server.url))
        seen: list[Recorded] = list(server.requests)
    assert status == 200
    assert [name for name in resolver if "localhost" in name] == []
    assert seen[0].headers["host"] == server.url.replace("http://127.0.0.1", "foo.localhost")


def test_a_name_that_resolves_to_loopback_is_not_loopback(resolver: list[str]) -> None:
    assert not is_loopback_host("loopback.example.test")
    assert is_loopback_host("foo.localhost") and is_loopback_host("LOCALHOST.") and is_loopback_host("[::1]")
    with pytest.raises(InsecureTransportError, match="Refusing to send credentials over plain http"):
        check_base_url("http://loopback.example.test:8765")
    proxies = {"https": "http://proxy.example:3128"}
    assert route_for("https://loopback.example.test/x", proxies).proxy == "http://proxy.example:3128"
    assert resolver == []


# -- 9. following a call has an overall limit ----------------------------------------------------------
def test_parse_wait_accepts_seconds_minutes_hours() -> None:
    assert [parse_wait(text) for text in ("90s", "15m", "4h", "2", " 1.5 M ")] == [90, 900, 14400, 2, 90]
    for text in ("0", "abc", "-1s", "3d", "169h"):
        with pytest.raises(ValueError):
            parse_wait(text)
    assert PollPolicy().max_wait == DEFAULT_MAX_WAIT_S == 4 * 3600
    assert cli.build_parser().parse_args(["call", "--profile", "x"]).max_wait == 4 * 3600


def test_following_stops_at_the_limit_with_the_last_state() -> None:
    kit = KITS["jambonz"]
    adapter = get_adapter("jambonz")
    polls: list[float] = []

    def ringing(record: Recorded) -> Reply:
        polls.append(record.at)
        return kit.state(False)

    async def scenario(root: str) -> FollowLimitReached:
        account = kit.profile(root).account(SECRET)
        service = CallService()
        try:
            call = await service.create(adapter, account, adapter.build_create(account, kit.values))
            with pytest.raises(FollowLimitReached) as stopped:
                await service.follow(adapter, account, call, policy=PollPolicy(first_delay=0.02, max_delay=0.05,
                                                                               max_wait=0.3))
            return stopped.value
        finally:
            await service.aclose()

    with fault_server(kit.script(kit.create_ok, ringing)) as server:  # type: ignore[arg-type]
        stopped = asyncio.run(scenario(server.url))
    assert len(polls) >= 2
    assert stopped.call.provider_status == json.loads(kit.state(False).body)["call_status"]
    assert stopped.message == (f"Stopped following after 0.3 s: the call was still {stopped.call.phase.value} "
                               f"(last state from the provider: {stopped.call.provider_status}).")


@pytest.mark.parametrize("provider", PROVIDERS)
def test_wait_gives_up_at_max_wait_and_says_what_is_known(provider: str, run_call: Callable[..., Any]) -> None:
    kit = KITS[provider]
    with fault_server(kit.script(kit.create_ok, lambda record: kit.state(False))) as server:  # type: ignore[arg-type]
        result = run_call(kit, server.url, "--wait", "--max-wait", "1s")
    assert result.code == cli.EXIT_STILL_LIVE == 6
    still = "answered (last state from the provider: active)" if provider == "catapult" else "ringing"
    assert f"Stopped following after 1 s: the call was still {still}" in result.stderr
    assert "Recorded as 'outcome unknown' in the history." in result.stderr
    assert result.attempts[0].status is AttemptStatus.UNKNOWN
    assert result.attempts[0].call_id == CALL_ID[provider]


def test_max_wait_rejects_a_bad_duration(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["call", "--profile", "x", "--wait", "--max-wait", "soon"])
    assert exited.value.code == 2
    assert "'soon' is not a duration; use a number with s, m or h" in capsys.readouterr().err


def test_the_window_stops_following_at_the_limit_says_so_and_refresh_resumes(
    open_window: Callable[..., Any], qtbot: Any
) -> None:
    from PySide6.QtCore import Qt

    from tests.support.qt_loop import pump_until

    kit = KITS["twilio"]
    ended = threading.Event()
    fetches: list[Recorded] = []

    def fetch(record: Recorded) -> Reply:
        fetches.append(record)
        return kit.state(ended.is_set())

    with fault_server(kit.script(kit.create_ok, fetch)) as server:  # type: ignore[arg-type]
        faulty = open_window(kit, server.url)
        faulty.context.dialer.poll = PollPolicy(first_delay=0.02, max_delay=0.05, max_wait=0.3)
        window, card = faulty.window, faulty.window.calls_panel.card
        qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
        pump_until(lambda: not card.refresh_button.isHidden())
        pump_until(lambda: window.controller.busy_tasks() == 0)  # polling has stopped
        live = faulty.only_live()
        assert card.error_label.text().startswith(
            "Stopped following after 0.3 s: the call was still ringing (last state from the provider: ringing).")
        assert card.status_label.text() == "Ringing…"
        assert faulty.attempt(live).status is AttemptStatus.UNKNOWN
        polls = len(fetches)
        ended.set()
        qtbot.mouseClick(card.refresh_button, Qt.MouseButton.LeftButton)
        pump_until(lambda: live.call is not None and live.call.final)
        pump_until(lambda: window.controller.busy_tasks() == 0)
        assert len(fetches) == polls + 1
    assert card.refresh_button.isHidden()
    assert card.error_label.isHidden()
    assert card.status_label.text() == "They hung up"  # ended by the other side, not by us
    assert faulty.attempt(live).status is AttemptStatus.ENDED


def test_every_client_the_app_builds_routes_through_the_rule(proxy: RecordingProxy) -> None:
    """The window's client (sandbox in-process plus the network) and the command line's: loopback direct."""
    import pathlib

    from launcher.sandbox.app import sandbox_client

    async def scenario(url: str) -> list[int]:
        statuses = []
        for client in (sandbox_client(), cli_common.client_for(Profile(name="p", provider="twilio"),
                                                         KITS["twilio"].profile(url).account(SECRET), 1.0)):
            async with client:
                statuses.append((await CallService(client).send(_basic(url + "/x"))).status)
        return statuses

    with fault_server(lambda record: Reply(200, b"{}", JSON)) as server:
        assert asyncio.run(scenario(server.url)) == [200, 200]
    assert proxy.heads == []
    package = pathlib.Path(cli.__file__).parent
    builders = sorted(str(path.relative_to(package)) for path in package.rglob("*.py")
                      if "httpx.AsyncClient(" in path.read_text(encoding="utf-8"))
    assert builders == ["core/routing.py", "sandbox/app.py"]
