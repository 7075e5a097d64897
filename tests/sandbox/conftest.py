from __future__ import annotations

from collections.abc import Iterator

import pytest

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
