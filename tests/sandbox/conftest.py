from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from launcher.sandbox.providers.twilio import ACCOUNT_SID, AUTH_TOKEN
from tests.support.sandbox_server import RunningSandbox, running_sandbox


@pytest.fixture
def sandbox() -> Iterator[RunningSandbox]:
    """The sandbox on a real loopback socket, clock 50x (a default answered call ends in ~0.5 s)."""
    with running_sandbox(speed=50.0) as running:
        yield running


@pytest.fixture
def limited_sandbox() -> Iterator[RunningSandbox]:
    """Same, with provider rate limits on (1 call/s per account)."""
    with running_sandbox(speed=50.0, rate_limit=True) as running:
        yield running


@pytest.fixture
def twilio_client(sandbox: RunningSandbox) -> Iterator[Any]:
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    class SandboxHttpClient(TwilioHttpClient):
        """Transport configuration: send what the SDK addresses to api.twilio.com to the sandbox."""

        def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            return super().request(method, url.replace("https://api.twilio.com", sandbox.url, 1), *args, **kwargs)

    http_client = SandboxHttpClient()
    yield Client(ACCOUNT_SID, AUTH_TOKEN, http_client=http_client)
    if http_client.session is not None:
        http_client.session.close()
