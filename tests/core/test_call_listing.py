"""Listing an account's calls: the exact request per provider, and newest first whatever order they come in."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx

from launcher.core.calls import CallService
from launcher.core.models import Account
from launcher.core.providers import get_adapter
from launcher.core.remote_calls import recent_calls
from tests.support.loopback import Reply, serve

TWILIO = Account("twilio", "AC" + "0" * 32, "token", base_url="https://api.twilio.com")


def test_each_provider_asks_for_its_recent_calls() -> None:
    twilio = get_adapter("twilio").build_list(TWILIO, 5)
    assert twilio is not None and twilio.method == "GET"
    assert twilio.url == f"https://api.twilio.com/2010-04-01/Accounts/AC{'0' * 32}/Calls.json?PageSize=5"
    catapult = get_adapter("catapult").build_list(Account("catapult", "u-1", "s", "t-1"), 2000)
    assert catapult is not None and catapult.url.endswith("/v1/users/u-1/calls?size=1000&sortOrder=desc")
    jambonz = get_adapter("jambonz").build_list(Account("jambonz", "fef61e75-cec3-496c-a7bc-8368e4d02a04", "k",
                                                        base_url="https://vg.example.com"), 5)
    assert jambonz is not None
    assert jambonz.url == "https://vg.example.com/v1/Accounts/fef61e75-cec3-496c-a7bc-8368e4d02a04/Calls"
    bandwidth = get_adapter("bandwidth").build_list(Account("bandwidth", "9900000", "p", "u"), 5)
    assert bandwidth is not None
    url = urlsplit(bandwidth.url)
    assert url.path == "/api/v2/accounts/9900000/calls"
    query = parse_qs(url.query)
    since = datetime.fromisoformat(query["minStartTime"][0].replace("Z", "+00:00"))
    assert query["pageSize"] == ["1000"]
    assert timedelta(hours=24) - timedelta(seconds=5) < datetime.now(UTC) - since <= timedelta(hours=24, seconds=5)


def test_recent_calls_are_newest_first_and_limited() -> None:
    def call(sid: str, minute: int | None) -> dict[str, object]:
        created = None if minute is None else f"Fri, 04 Dec 2026 10:{minute:02d}:00 +0000"
        return {"sid": sid, "status": "completed", "date_created": created}

    page = {"calls": [call("CA1", 5), call("CA2", None), call("CA3", 9), call("CA4", 7)]}
    with serve(lambda _r: Reply(200, json.dumps(page).encode(), {"Content-Type": "application/json"})) as server:
        account = Account("twilio", "AC" + "0" * 32, "token", base_url=server.url)

        async def run() -> list[str]:
            async with httpx.AsyncClient() as client:
                found = await recent_calls(CallService(client), get_adapter("twilio"), account, 3)
            return [c.call_id for c in found]

        assert asyncio.run(run()) == ["CA3", "CA4", "CA1"]
