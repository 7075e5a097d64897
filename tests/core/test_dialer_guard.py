"""Whatever an attempt's step raises ends in a final history state with a message: the guard in the dialer."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from launcher.core.attempts import Dialer, LiveCall
from launcher.core.calls import CallService, PollPolicy
from launcher.core.errors import UnexpectedFailure
from launcher.core.history import AttemptStatus, HistoryStore
from launcher.core.profiles import Profile
from launcher.core.providers import get_adapter
from tests.faults.providers import KITS
from tests.faults.server import Recorded, Reply, fault_server

KIT = KITS["twilio"]


def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str) -> tuple[LiveCall, list[Any], int]:
    """One call through the real dialer against a loopback server, with the adapter's ``broken`` method failing."""
    adapter = get_adapter("twilio")

    def fail(*args: object, **kwargs: object) -> Any:
        raise KeyError("an adapter bug")

    monkeypatch.setattr(type(adapter), broken, fail)

    def answer(record: Recorded) -> Reply:
        return KIT.create_ok(root) if KIT.is_create(record) else KIT.state(False)

    with fault_server(answer, is_create=KIT.is_create) as server:
        root = server.url
        profile: Profile = KIT.profile(server.url)
        account = profile.account("a-fine-secret")
        values = KIT.values
        request = adapter.build_create(account, values)
        history = HistoryStore(tmp_path / "history.sqlite3")

        async def run() -> LiveCall:
            async with httpx.AsyncClient() as client:
                dialer = Dialer(CallService(client), history, PollPolicy(first_delay=0.01, max_delay=0.02))
                live = dialer.start(profile, adapter, account, values, request)
                return await dialer.run(live, lambda live: None)

        live = asyncio.run(run())
        rows = [(a.status, a.error) for a in history.query()]
        history.close()
        creates = server.creates
    return live, rows, creates


def test_an_unforeseen_error_reading_the_answer_ends_as_outcome_unknown(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    live, rows, creates = place(tmp_path, monkeypatch, "parse_create")
    assert creates == 1 and live.status is AttemptStatus.UNKNOWN and isinstance(live.error, UnexpectedFailure)
    assert rows == [(AttemptStatus.UNKNOWN, "Something unexpected went wrong (KeyError: 'an adapter bug'). "
                                            "The request may have reached the provider; check before calling again.")]


def test_an_unforeseen_error_while_following_ends_as_outcome_unknown(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    live, rows, creates = place(tmp_path, monkeypatch, "build_fetch")
    assert creates == 1 and live.call is not None and live.status is AttemptStatus.UNKNOWN
    assert rows == [(AttemptStatus.UNKNOWN, "Lost track of the call: Something unexpected went wrong "
                                            "(KeyError: 'an adapter bug').")]
