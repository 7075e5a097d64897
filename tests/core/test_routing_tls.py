"""The app's transport keeps TLS for https and loads no CA bundle for plain-http loopback requests."""

from __future__ import annotations

import asyncio
import ssl

import httpx

from launcher.core import routing
from tests.support.loopback import Reply, serve


def test_plain_http_uses_a_context_that_trusts_nothing_and_https_the_verifying_one() -> None:
    async def exchange(url: str) -> tuple[int, list[tuple[str | None, bool]]]:
        transport = routing.RoutedTransport()
        async with httpx.AsyncClient(transport=transport, trust_env=False) as client:
            response = await client.get(url)
            return response.status_code, sorted(transport._transports, key=str)

    with serve(lambda record: Reply(204)) as server:
        status, routes = asyncio.run(exchange(server.url + "/ping"))
    assert status == 204 and routes == [(None, False)]  # no verifying (CA bundle) transport was built
    untrusting = routing._trusts_nothing()
    assert untrusting.verify_mode == ssl.CERT_REQUIRED and untrusting.check_hostname
    assert untrusting.cert_store_stats()["x509_ca"] == 0  # any certificate would be refused


def test_a_caller_choosing_verify_keeps_it_for_every_request() -> None:
    context = ssl.create_default_context()
    transport = routing.RoutedTransport(verify=context)
    assert transport._transport(None, tls=False) is transport._transport(None, tls=True)
